package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
	"newsgloss/models/testdb"
	"newsgloss/static"
)

// sizedSite is the application on a database whose public pages all list n
// items: n articles on the home page, an article with n notes and n claims,
// a timeline of n entries, an entity with n claims, n published fact-checks
// (the first on a claim reported by n articles and relying on n notes), and
// n search results. The load test's fixtures (models.AddLoadFixtures) make it.
type sizedSite struct {
	n       int
	target  string // the database: SQLite file or PostgreSQL URL
	store   *models.Store
	handler http.Handler
	fx      *models.LoadFixtures

	mu      sync.Mutex
	queries []string // statements run since the last reset
}

// sizedMarker is a word every seeded article has, for the search page.
const sizedMarker = "quillwort"

func newSizedSite(t testing.TB, n int) *sizedSite {
	t.Helper()
	return newSizedSiteOn(t, n, testdb.Target(t))
}

// newSizedSiteOn is newSizedSite on a given database.
func newSizedSiteOn(t testing.TB, n int, target string) *sizedSite {
	t.Helper()
	ctx := context.Background()
	site := &sizedSite{n: n, target: target}
	store, err := models.Open(ctx, target, models.Options{
		OnQuery: func(_ context.Context, sql string) {
			site.mu.Lock()
			defer site.mu.Unlock()
			site.queries = append(site.queries, sql)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	site.store = store
	editor, err := store.CreateUser(ctx, nil, models.NewUser{Email: "sized-editor@example.org", Name: "Sized Editor",
		Role: models.RoleEditor, Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	// The first article is long enough to hold n notes and n claims on
	// sentences of their own; the others are short.
	for i := range n {
		sentences := 3
		if i == 0 {
			sentences = 2*n + 5
		}
		var body strings.Builder
		for k := range sentences {
			fmt.Fprintf(&body, "Sentence %d of story %d reports that the %s harbour talks went on past midnight. ", k+1, i+1, sizedMarker)
			if k%4 == 3 {
				body.WriteString("\n\n")
			}
		}
		if _, err := store.CreateArticle(ctx, editor, models.ArticleInput{
			Title: fmt.Sprintf("Sized story %d", i+1), NewOutlet: "The Sized Courier", Byline: "By Ana Sized",
			PublishedAt: fmt.Sprintf("2025-%02d-%02d", 1+i/28%12, 1+i%28), Status: "published", BodyFormat: "markdown", Body: body.String(),
		}); err != nil {
			t.Fatal(err)
		}
	}
	site.fx, err = store.AddLoadFixtures(ctx, models.LoadFixtureOptions{BusyArticles: 1, NotesPerArticle: n, ClaimsPerArticle: n,
		Timelines: []int{n}, FactChecks: n, ClaimReports: n - 1})
	if err != nil {
		t.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	site.handler = handlers.New(store, assets, slog.New(slog.NewTextHandler(io.Discard, nil)), handlers.Config{})
	return site
}

// page is a public page of a sized site and what it should hold.
type sizedPage struct {
	name, path string
}

// pages lists every kind of public page the site has, each showing n items.
func (s *sizedSite) pages() []sizedPage {
	busy := s.fx.BusyArticles[0]
	timeline := s.fx.Timelines[s.n]
	return []sizedPage{
		{"home", "/"},
		{"article with notes and claims", fmt.Sprintf("/articles/%d", busy)},
		{"outlet", "/outlets/the-sized-courier"},
		{"timeline", "/timelines/" + timeline},
		{"timelines list", "/timelines"},
		{"entity", "/entities/" + s.fx.Entity},
		{"fact-check", fmt.Sprintf("/factchecks/%d", s.fx.FactChecks[0])},
		{"fact-check list", "/factchecks"},
		{"search", "/search?q=" + sizedMarker},
		{"timeline feed", "/timelines/" + timeline + "/feed.atom"},
		{"entity feed", "/entities/" + s.fx.Entity + "/feed.atom"},
		{"fact-check feed", "/factchecks/feed.atom"},
		{"timeline data", "/timelines/" + timeline + "/timeline.json"},
	}
}

// get requests a path as an anonymous reader and returns the response with
// the SQL statements it ran.
func (s *sizedSite) get(t testing.TB, path string, header map[string]string) (*httptest.ResponseRecorder, []string) {
	t.Helper()
	s.mu.Lock()
	s.queries = nil
	s.mu.Unlock()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept", "text/html")
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	s.mu.Lock()
	defer s.mu.Unlock()
	return rec, append([]string(nil), s.queries...)
}
