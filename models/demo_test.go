package models

import (
	"testing"
	"time"

	"newsgloss/models/testdb"
)

func TestLoadDemo(t *testing.T) {
	path := testdb.Target(t)
	s := openTestStore(t, path, Options{})
	ctx := t.Context()

	loaded, err := s.LoadDemo(ctx)
	if err != nil || !loaded {
		t.Fatalf("LoadDemo on a fresh store = %v, %v; want true, nil", loaded, err)
	}
	counts := tableCounts(t, s)
	if counts["articles"] < 6 || counts["outlets"] < 3 || counts["users"] != 4 {
		t.Errorf("demo content: %d articles, %d outlets, %d users; want ≥6, ≥3, 4", counts["articles"], counts["outlets"], counts["users"])
	}
	if counts["articles"] != int64(len(demoArticles())) || counts["outlets"] != int64(len(demoOutlets())) {
		t.Errorf("demo content: %d articles and %d outlets, want every one of the %d and %d defined", counts["articles"], counts["outlets"], len(demoArticles()), len(demoOutlets()))
	}

	// Every demo article is public, with one revision per defined edit plus the first.
	rows, _, err := s.ListArticles(ctx, ArticleFilter{}, NewPage(1, 100))
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(rows)) != counts["articles"] {
		t.Errorf("the public listing shows %d demo articles, want %d", len(rows), counts["articles"])
	}
	outletsUsed := map[string]bool{}
	revised := 0
	for _, d := range demoArticles() {
		var a Article
		if err := s.read.Where("source_url = ?", d.SourceURL).Take(&a).Error; err != nil {
			t.Errorf("demo article %q not stored: %v", d.Title, err)
			continue
		}
		outletsUsed[d.Outlet] = true
		revs, err := s.Revisions(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != len(d.Revisions)+1 || a.Version != len(revs) {
			t.Errorf("%q: %d revisions, version %d; want %d", d.Title, len(revs), a.Version, len(d.Revisions)+1)
		}
		if len(revs) >= 2 {
			revised++
		}
		published, _ := time.Parse(time.RFC3339, d.Published)
		if a.PublishedAt == nil || !a.PublishedAt.Equal(published) || !a.CreatedAt.Equal(published) {
			t.Errorf("%q: published %v, created %v; want both %v", d.Title, a.PublishedAt, a.CreatedAt, published)
		}
		if first := revs[len(revs)-1]; !first.CreatedAt.Equal(published) || first.Author == nil || first.Author.Email != "editor@newsgloss.example" {
			t.Errorf("%q: first revision dated %v by %+v, want %v by the demo editor", d.Title, first.CreatedAt, first.Author, published)
		}
		if !a.UpdatedAt.Equal(revs[0].CreatedAt) {
			t.Errorf("%q: updated_at %v, want the newest revision's date %v", d.Title, a.UpdatedAt, revs[0].CreatedAt)
		}
	}
	if len(outletsUsed) < 3 {
		t.Errorf("demo articles come from %d outlets, want at least 3", len(outletsUsed))
	}
	if revised < 1 {
		t.Error("no demo article has two or more revisions")
	}

	for _, acct := range DemoAccounts() {
		u, err := s.Authenticate(ctx, acct.Email, acct.Password)
		if err != nil {
			t.Errorf("demo account %s does not sign in: %v", acct.Email, err)
			continue
		}
		if u.Role != acct.Role {
			t.Errorf("demo account %s has role %s, want %s", acct.Email, u.Role, acct.Role)
		}
	}

	t.Run("second call adds nothing", func(t *testing.T) {
		loaded, err := s.LoadDemo(ctx)
		if err != nil || loaded {
			t.Errorf("LoadDemo again = %v, %v; want false, nil", loaded, err)
		}
		assertSameCounts(t, counts, tableCounts(t, s))
	})

	t.Run("an interrupted load finishes without duplicates", func(t *testing.T) {
		// Forget that the load finished, as if the process stopped before the last step.
		if err := s.write.Exec("DELETE FROM settings WHERE key = ?", demoLoadedKey).Error; err != nil {
			t.Fatal(err)
		}
		loaded, err := s.LoadDemo(ctx)
		if err != nil || !loaded {
			t.Errorf("LoadDemo after an interruption = %v, %v; want true, nil", loaded, err)
		}
		assertSameCounts(t, counts, tableCounts(t, s))
	})

	t.Run("after reopening adds nothing", func(t *testing.T) {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		again := openTestStore(t, path, Options{})
		loaded, err := again.LoadDemo(ctx)
		if err != nil || loaded {
			t.Errorf("LoadDemo after reopening = %v, %v; want false, nil", loaded, err)
		}
		assertSameCounts(t, counts, tableCounts(t, again))
	})
}
