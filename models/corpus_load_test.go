package models

import (
	"strings"
	"testing"
)

// TestAddLoadFixtures builds the load test's busy pages on a small generated
// corpus and checks that each is as big as asked and public.
func TestAddLoadFixtures(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	if _, err := s.GenerateCorpus(ctx, CorpusOptions{Articles: 300, Seed: 7}, nil); err != nil {
		t.Fatal(err)
	}
	opts := LoadFixtureOptions{BusyArticles: 2, NotesPerArticle: 6, ClaimsPerArticle: 3, Timelines: []int{4, 20},
		FactChecks: 4, ClaimReports: 3, Scratch: 5}
	fx, err := s.AddLoadFixtures(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(fx.BusyArticles) != 2 || len(fx.Scratch) != 5 {
		t.Fatalf("busy %v, scratch %v", fx.BusyArticles, fx.Scratch)
	}
	for _, id := range fx.BusyArticles {
		notes, err := s.ListAnnotations(ctx, nil, AnnotationFilter{ArticleID: id})
		if err != nil {
			t.Fatal(err)
		}
		anchored := 0
		for _, n := range notes {
			if n.HasPassage && n.Anchored() {
				anchored++
			}
		}
		tagged, err := s.ArticleTagged(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ours := 0 // the corpus may have tagged the article already
		for _, tg := range tagged {
			if strings.HasPrefix(tg.Title, "Load claim") && tg.Highlightable() {
				ours++
			}
		}
		if anchored != 6 || ours != 3 {
			t.Errorf("article %d: %d anchored public notes, %d load claims tagged; want 6 and 3", id, anchored, ours)
		}
	}
	for size, slug := range fx.Timelines {
		tl, err := s.TimelineBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		items, _, err := s.TimelineItems(ctx, TimelineFilter{TimelineID: tl.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != size || fx.TimelineSize[size] != size {
			t.Errorf("timeline %q: %d entries (reported %d), want %d", slug, len(items), fx.TimelineSize[size], size)
		}
	}
	e, err := s.EntityBySlug(ctx, fx.Entity)
	if err != nil {
		t.Fatal(err)
	}
	claims, _, err := s.TimelineItems(ctx, TimelineFilter{EntityID: e.ID, Type: "claim"})
	if err != nil || len(claims) != 6 {
		t.Errorf("entity %q: %d claims, %v; want the 6 busy claims", fx.Entity, len(claims), err)
	}
	if len(fx.FactChecks) != 4 {
		t.Fatalf("fact-checks %v, want 4", fx.FactChecks)
	}
	f, err := s.FactCheckByID(ctx, fx.FactChecks[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Mentions) != 1+3 || len(f.Annotations) != 6 {
		t.Errorf("first fact-check: %d reports and %d notes, want 4 and 6", len(f.Mentions), len(f.Annotations))
	}
	list, err := s.ListFactChecks(ctx, FactCheckFilter{})
	if err != nil || len(list) != 4 {
		t.Errorf("public fact-checks: %d, %v; want 4", len(list), err)
	}
	if _, err := s.AddLoadFixtures(ctx, opts); ErrorCodeOf(err) != EConflict {
		t.Errorf("adding the fixtures twice: %v, want a conflict", err)
	}
}
