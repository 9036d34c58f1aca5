package handlers_test

import (
	"database/sql"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"newsgloss/models"
)

// TestPublicPagesQueryCount renders every kind of public page on a site where
// it lists one item and on one where it lists fifty, and fails when the larger
// page runs more SQL statements: a query per row would show here.
func TestPublicPagesQueryCount(t *testing.T) {
	small, large := newSizedSite(t, 1), newSizedSite(t, 50)
	smallPages, largePages := small.pages(), large.pages()
	for i := range smallPages {
		sp, lp := smallPages[i], largePages[i]
		rs, qs := small.get(t, sp.path, nil)
		rl, ql := large.get(t, lp.path, nil)
		if rs.Code != http.StatusOK || rl.Code != http.StatusOK {
			t.Errorf("%s: status %d with 1 item, %d with 50", sp.name, rs.Code, rl.Code)
			continue
		}
		if rl.Body.Len() <= rs.Body.Len() {
			t.Errorf("%s: the 50-item page (%d bytes) is no bigger than the 1-item page (%d bytes): the fixture is wrong", sp.name, rl.Body.Len(), rs.Body.Len())
		}
		t.Logf("%-30s %2d queries with 1 item, %2d with 50", sp.name, len(qs), len(ql))
		if len(ql) > len(qs) {
			t.Errorf("%s runs %d queries with 50 items and %d with 1:\n  %s", sp.name, len(ql), len(qs), strings.Join(ql, "\n  "))
		}
		if len(qs) == 0 {
			t.Errorf("%s ran no query at all: is the hook installed?", sp.name)
		}
	}
}

// fullScan matches a plan step that reads a whole table (or a whole index of
// it) rather than searching it.
var fullScan = regexp.MustCompile(`^SCAN (\w+)`)

// smallTables are the tables a public page may read whole: each holds what
// the site's editors configure by hand, not what the archive accumulates.
var smallTables = map[string]string{
	"outlets":       "the outlets offered in the search form",
	"rating_labels": "the rating scale",
	"timelines":     "the curated timelines, each made by an editor",
}

// TestPublicPagesQueryPlans explains every statement the public pages run on
// the 50-item site and fails on a full scan of any table that grows with the
// archive. Reading an index in order and stopping after a page (the home
// listing) is not a full scan.
func TestPublicPagesQueryPlans(t *testing.T) {
	// Query plans are SQLite's: this test reads them on SQLite in either pass.
	path := filepath.Join(t.TempDir(), "sized.db")
	site := newSizedSiteOn(t, 50, path)
	db, err := sql.Open("sqlite3", models.SQLiteDSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Hot lookups and the index each must use: a search by a column with few
	// values (a verdict's state, say) is no full scan but grows all the same.
	wantIndex := []struct{ what, stmt, index string }{
		{"a claim's published rating", "verdicts.claim_id IN", "verdicts_claim"},
		{"the latest fact-checks", "FROM verdict_versions AS vv", "verdict_versions_published"},
		{"a curated timeline's claims", "SELECT claim_id FROM timeline_entries WHERE timeline_id", "timeline_entries_claim"},
		{"a curated timeline's events", "SELECT event_id FROM timeline_entries WHERE timeline_id", "timeline_entries_event"},
		{"an article's notes", "FROM `annotations` WHERE article_id", "annotations_article"},
		{"the reports of claims", "mentions.claim_id IN", "mentions_claim"},
		{"the newest articles", "articles.status IN ('published', 'retracted') ORDER BY articles.published_at DESC", "articles_public_listing"},
	}
	seen := map[string]bool{}
	for _, p := range site.pages() {
		rec, statements := site.get(t, p.path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", p.name, rec.Code)
		}
		for _, stmt := range statements {
			rows, err := db.Query("EXPLAIN QUERY PLAN " + stmt)
			if err != nil {
				t.Errorf("%s: explain %s: %v", p.name, stmt, err)
				continue
			}
			var steps []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				steps = append(steps, detail)
			}
			rows.Close()
			plan := strings.Join(steps, " | ")
			for _, w := range wantIndex {
				if strings.Contains(stmt, w.stmt) {
					seen[w.what] = true
					if !strings.Contains(plan, w.index) {
						t.Errorf("%s: %s should use %s:\n  %s\n  plan: %s", p.name, w.what, w.index, stmt, plan)
					}
				}
			}
			for _, step := range steps {
				m := fullScan.FindStringSubmatch(step)
				if m == nil || smallTables[m[1]] != "" || strings.Contains(step, "VIRTUAL TABLE") ||
					commonTables(stmt)[m[1]] { // rows the statement gathered itself
					continue
				}
				if orderedPrefix(step, stmt, steps) {
					continue
				}
				t.Errorf("%s: %q scans %s:\n  %s\n  plan: %s", p.name, step, m[1], stmt, plan)
			}
		}
	}
	for _, w := range wantIndex {
		if !seen[w.what] {
			t.Errorf("no page ran the statement for %s (%q): update the test", w.what, w.stmt)
		}
	}
}

// cteName finds the names of a statement's common table expressions.
var cteName = regexp.MustCompile(`(?i)(?:\bWITH|,)\s*(\w+)\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(`)

// tableAlias finds "FROM t a", "JOIN t AS a" and the like.
var tableAlias = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+(\w+)\s+(?:AS\s+)?(\w+)`)

// commonTables names a statement's common table expressions, and the aliases
// it reads them under.
func commonTables(stmt string) map[string]bool {
	names := map[string]bool{}
	for _, m := range cteName.FindAllStringSubmatch(stmt, -1) {
		names[m[1]] = true
	}
	for _, m := range tableAlias.FindAllStringSubmatch(stmt, -1) {
		switch strings.ToUpper(m[2]) {
		case "WHERE", "ON", "JOIN", "LEFT", "CROSS", "INNER", "ORDER", "GROUP", "LIMIT", "USING":
			continue
		}
		if names[m[1]] {
			names[m[2]] = true
		}
	}
	return names
}

// orderedPrefix reports whether a scan step reads an index in the order the
// statement wants and stops at its LIMIT: nothing is sorted afterwards.
func orderedPrefix(step, stmt string, steps []string) bool {
	if !strings.Contains(step, " USING INDEX ") && !strings.Contains(step, " USING COVERING INDEX ") {
		return false
	}
	for _, s := range steps {
		if strings.Contains(s, "TEMP B-TREE FOR") && strings.Contains(s, "ORDER BY") {
			return false
		}
	}
	return strings.Contains(stmt, " LIMIT ")
}

// BenchmarkPublicPages renders each public page of the 50-item site through
// the router, as an anonymous reader whose browser accepts gzip. Profile one
// page with, for example:
//
//	go test -tags sqlite_fts5 -run '^$' -bench 'PublicPages/timeline$' -cpuprofile cpu.out ./handlers
func BenchmarkPublicPages(b *testing.B) {
	site := newSizedSite(b, 50)
	for _, p := range site.pages() {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				rec, _ := site.get(b, p.path, map[string]string{"Accept-Encoding": "gzip"})
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", p.path, rec.Code)
				}
			}
		})
	}
}
