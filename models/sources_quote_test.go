package models

import (
	"testing"
	"testing/fstest"
)

// TestSourceQuoteReadsTheCurrentText checks the reports a claim page lists:
// the quote is the passage as it reads in the current revision, cut by code
// point in SQL, also after letters of several bytes and once an edit moved
// it; an orphaned passage falls back to the words as quoted.
func TestSourceQuoteReadsTheCurrentText(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	editor := mustCreateUser(t, s, nil, "editor@example.org", RoleEditor)
	in := validArticle()
	in.Body = "Ĳsbrand Kühl 🙂 told Ωmega Radio: the ferry will run again on Monday.\n\nThe port said nothing."
	a := mustCreateArticle(t, s, editor, in)
	claimID, _, err := s.TagPassage(ctx, editor, a.ID, TagRequest{Passage: Passage{Quote: "the ferry will run again on Monday"},
		Claim: &ClaimInput{ClaimantName: "Ĳsbrand Kühl", Stance: "asserts", Restatement: "The ferry runs again on Monday."}})
	if err != nil {
		t.Fatal(err)
	}
	quote := func() string {
		t.Helper()
		_, sources, err := s.ClaimByID(ctx, claimID)
		if err != nil || len(sources) != 1 {
			t.Fatalf("sources %v, %v", sources, err)
		}
		return sources[0].Quote
	}
	if got := quote(); got != "the ferry will run again on Monday" {
		t.Errorf("quote %q", got)
	}

	edit := in
	edit.BaseVersion = 1
	edit.Body = "Ünïcödé first: 🙂🙂 Ĳsbrand Kühl told Ωmega Radio that the ferry will run again on Monday.\n\nThe port said nothing."
	if _, err := s.UpdateArticle(ctx, editor, a.ID, edit); err != nil {
		t.Fatal(err)
	}
	if got := quote(); got != "the ferry will run again on Monday" {
		t.Errorf("after the passage moved, quote %q", got)
	}

	edit.BaseVersion = 2
	edit.Body = "A different story altogether about trains in the north.\n\nNothing else."
	if _, err := s.UpdateArticle(ctx, editor, a.ID, edit); err != nil {
		t.Fatal(err)
	}
	if got := quote(); got != "the ferry will run again on Monday" {
		t.Errorf("orphaned passage: quote %q, want the words as quoted", got)
	}
}

// TestPageIndexesMigrationFillsMentionText upgrades a database made before
// migration 9 and checks that each mention's passage as it reads now was
// filled in, counting code points as the anchors do; an orphan gets none.
func TestPageIndexesMigrationFillsMentionText(t *testing.T) {
	all, err := sqliteMigrations.load()
	if err != nil {
		t.Fatal(err)
	}
	before := fstest.MapFS{}
	for _, m := range all {
		if m.version < 9 {
			before["m/"+m.name] = &fstest.MapFile{Data: []byte(m.sql)}
		}
	}
	db := rawDB(t)
	ctx := t.Context()
	if err := migrate(ctx, db, migrationSet{dir: "m", fsys: before}); err != nil {
		t.Fatal(err)
	}
	text := "Ĳsbrand Kühl 🙂 said the ferry runs on Monday."
	for _, stmt := range []string{
		`INSERT INTO outlets (id, name, slug, created_at) VALUES (1, 'O', 'o', CURRENT_TIMESTAMP)`,
		`INSERT INTO articles (id, outlet_id, title, status, body_format, body_source, body_html, body_text, created_at, updated_at)
			VALUES (1, 1, 'T', 'published', 'markdown', '` + text + `', '<p>` + text + `</p>', '` + text + `', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		`INSERT INTO claims (id, restatement, stance, created_at, updated_at) VALUES (1, 'R', 'asserts', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		`INSERT INTO mentions (id, article_id, claim_id, quote_exact, position_start, position_end, made_on_revision, anchor_revision,
			anchor_status, anchor_start, anchor_end, created_at) VALUES (1, 1, 1, 'the ferry runs', 20, 34, 1, 1, 'exact', 20, 34, CURRENT_TIMESTAMP)`,
		`INSERT INTO mentions (id, article_id, claim_id, quote_exact, position_start, position_end, made_on_revision, anchor_revision,
			anchor_status, anchor_start, anchor_end, created_at) VALUES (2, 1, 1, 'gone words', 0, 10, 1, 2, 'orphan', 0, 0, CURRENT_TIMESTAMP)`,
	} {
		if err := db.Exec(stmt).Error; err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := migrate(ctx, db, sqliteMigrations); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		ID         uint
		AnchorText string
	}
	if err := db.Raw("SELECT id, anchor_text FROM mentions ORDER BY id").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].AnchorText != "the ferry runs" || got[1].AnchorText != "" {
		t.Errorf("mention passages after the migration: %+v", got)
	}
}
