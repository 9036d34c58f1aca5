package models

import (
	"errors"
	"strings"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"newsgloss/models/testdb"
	"newsgloss/searchquery"
)

// rawPGDB opens a fresh PostgreSQL schema without migrating it.
func rawPGDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(postgres.Open(testdb.Target(t)), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return db
}

// TestGoMarksMatchFTS5 compares searchquery's Highlight and Snippet, which
// mark PostgreSQL's results, with FTS5's highlight() and snippet(), which
// mark SQLite's: the same words marked, the same passage cut.
func TestGoMarksMatchFTS5(t *testing.T) {
	db := rawDB(t)
	if err := db.Exec(`CREATE VIRTUAL TABLE marks USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2')`).Error; err != nil {
		t.Fatal(err)
	}
	docs := [][2]string{
		{"Summit at the harbour", "Ministers met at the harbour in Zürich for the summit.\n\nThe summit ended early, officials said."},
		{"Fishing rights", "A missile test near the shoals worried fishermen. Talks on fishing rights continue next week: the ministry said the missile test was routine, and the test of the new missile system was postponed."},
		{"Weather report", "The test of the new missile system was postponed.\n\nSummit weather will be fine. Covid-19 cases fell; covid 19 deaths too. Zu\u0308rich and ZÜRICH and zurich."},
		{"A long report on the harbour talks", strings.Repeat("Delegates arrived by ferry and spoke to reporters at length about quotas. ", 6) +
			"Then the summit began. " + strings.Repeat("Observers counted the boats in the harbour while the talks went on. ", 5) +
			"At last the summit agreed on quotas for the harbour: fishermen welcomed it."},
		{"Quotes", "“We will not sign,” the envoy said — and the summit collapsed… Later: talks resumed. summit summit summit."},
	}
	for i, d := range docs {
		if err := db.Exec("INSERT INTO marks (rowid, title, body) VALUES (?, ?, ?)", i+1, d[0], d[1]).Error; err != nil {
			t.Fatal(err)
		}
	}
	queries := []string{"summit", "harbour summ*", `"missile test"`, "missile -postponed", "zurich", "covid-19", "quotas harbour fishermen",
		"the", "talks", `"the summit"`, "fish*", "report"}
	compared := 0
	for _, qs := range queries {
		q, err := searchquery.Parse(qs)
		if err != nil {
			t.Fatal(err)
		}
		for _, words := range []int{snippetWords, 8} {
			var rows []struct {
				ID             int
				Title, Snippet string
			}
			err := db.Raw(`SELECT rowid AS id, highlight(marks, 0, ?, ?) AS title, snippet(marks, 1, ?, ?, '…', ?) AS snippet
				FROM marks WHERE marks MATCH ?`, searchquery.MarkStart, searchquery.MarkEnd, searchquery.MarkStart, searchquery.MarkEnd, words, q.FTS5()).
				Scan(&rows).Error
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				d := docs[r.ID-1]
				if got := q.Highlight(d[0]); got != r.Title {
					t.Errorf("%q in title %q: Go marks %q, FTS5 %q", qs, d[0], bracketMarks(got), bracketMarks(r.Title))
				}
				if got := q.Snippet(d[1], words); got != r.Snippet {
					t.Errorf("%q, %d words of doc %d: Go cuts\n\t%q\nFTS5\n\t%q", qs, words, r.ID, bracketMarks(got), bracketMarks(r.Snippet))
				}
				compared++
			}
		}
	}
	if compared < 30 {
		t.Errorf("only %d results compared", compared)
	}
}

var bracketMarks = strings.NewReplacer(searchquery.MarkStart, "[", searchquery.MarkEnd, "]").Replace

// TestPGSearchMatchesAsFTS5 checks PostgreSQL's folding and tokenising
// (search_vector, search_query) on the cases where a careless choice would
// differ from SQLite's unicode61 tokenizer.
func TestPGSearchMatchesAsFTS5(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("PostgreSQL's search functions; this runs in the PostgreSQL pass")
	}
	s, _ := newTestStore(t)
	tests := []struct {
		text, query string
		match       bool
	}{
		{"Ministers met in Zürich.", "zurich", true},
		{"Ministers met in Zurich.", "Zürich", true},
		{"Ministers met in Zu\u0308rich.", "ZÜRICH", true},
		{"ÉCOLE normale", "école", true},
		{"The Covid-19 figures", "covid-19", true},
		{"The Covid-19 figures", `"covid 19"`, true},
		{"The covid 19 figures", "covid-19", true},
		{"the covid-19 figures", `"the covid"`, true}, // the parser would put "covid-19" between them
		{"Up 3.5 percent", `"3 5 percent"`, true},
		{"Write to desk@example.org today", `"desk example org"`, true},
		{"O’Brien said", "o'brien", true},
		{"A <b>bold</b> claim", "bold", true},
		{"snake_case_name", `"case name"`, true},
		{"a missile test", `"test missile"`, false},
		{"fishermen", "fisherm*", true},
		{"fishermen", "fisherman", false},
		{"Москва и Токио", "москва", true},
		{"東京の会議", "東京の会議", true},
		{"the summit", "summit -the", false},
		{"the summit", "summit -rain", true},
		{"sum\uE000mit", "summit", false},
	}
	for _, tt := range tests {
		q, err := searchquery.Parse(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		var match bool
		if err := s.read.Raw("SELECT search_vector('', '', ?) @@ search_query(?)", tt.text, q.TSQuery()).Scan(&match).Error; err != nil {
			t.Fatalf("%q in %q: %v", tt.query, tt.text, err)
		}
		if match != tt.match {
			t.Errorf("%q in %q: match %v, want %v", tt.query, tt.text, match, tt.match)
		}
	}
}

// FuzzPGSearchQuery reads any accepted query with search_query(): whatever
// it holds, PostgreSQL takes it without an error.
func FuzzPGSearchQuery(f *testing.F) {
	if !testdb.Postgres() {
		f.Skip("PostgreSQL's search_query; this runs in the PostgreSQL pass")
	}
	for _, q := range hostileQueries() {
		f.Add(q)
	}
	s, _ := newTestStore(f)
	f.Fuzz(func(t *testing.T, in string) {
		q, err := searchquery.Parse(in)
		if err != nil {
			return
		}
		var tree string
		if err := s.read.Raw("SELECT querytree(search_query(?))", q.TSQuery()).Scan(&tree).Error; err != nil {
			t.Fatalf("search_query(%q) from %q: %v", q.TSQuery(), in, err)
		}
	})
}

// TestPGSearchPlanUsesEachKindsIndex checks with EXPLAIN that each kind's arm
// of a search can read that kind's GIN index, whatever the filters: that the
// arm's conditions imply the partial index's. On a table this small the
// planner would rather walk the primary key, so the test takes that away (in
// a transaction it rolls back) and sequential scans too.
func TestPGSearchPlanUsesEachKindsIndex(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("PostgreSQL's plans; SQLite's are TestSearchPlanStartsAtTheIndex")
	}
	w := newSearchWorld(t)
	engine := w.s.searchEngine().(pgEngine)
	for _, in := range []SearchInput{
		{Query: "summit"},
		{Query: "summit", Type: "article"},
		{Query: `"missile test" -postponed`, Outlet: "north-gazette", Tag: "defence", Entity: "teodor-rask", From: "2025-01-01", To: "2025-12-31"},
		{Query: "missile", Verdict: "False"},
	} {
		for _, viewer := range []*User{nil, w.checker, w.editor} {
			plan, err := w.s.resolveSearch(t.Context(), viewer, in)
			if err != nil {
				t.Fatal(err)
			}
			stmt, args := engine.pageStatement(plan, plan.query.TSQuery())
			var lines []string
			errRollback := errors.New("roll back")
			err = w.s.write.Transaction(func(tx *gorm.DB) error {
				for _, q := range []string{"ALTER TABLE search_docs DROP CONSTRAINT search_docs_pkey", "SET LOCAL enable_seqscan = off"} {
					if err := tx.Exec(q).Error; err != nil {
						return err
					}
				}
				if err := tx.Raw("EXPLAIN "+stmt, args...).Scan(&lines).Error; err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatal(err)
			}
			all := strings.Join(lines, "\n")
			for _, k := range plan.kinds {
				if !strings.Contains(all, "Bitmap Index Scan on search_docs_"+string(k)+" ") {
					t.Errorf("%+v: the %s arm does not read its index:\n%s", in, k, all)
				}
			}
		}
	}
}
