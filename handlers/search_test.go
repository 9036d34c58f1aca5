package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsgloss/handlers"
	"newsgloss/models"
)

func searchPath(params ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	return "/search?" + v.Encode()
}

// resultTitles lists the results' headings as shown.
func resultTitles(r *response) []string {
	var out []string
	r.doc.Find(`[data-testid="search-result"] h2`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

// TestSearchThroughTheSite runs the search page's checks against one site
// with the demo content; the checks that add content use words of their own.
func TestSearchThroughTheSite(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	t.Run("PageShowsRankedHighlightedResults", func(t *testing.T) { searchPageShowsRankedHighlightedResults(t, site) })
	t.Run("BoxOnEveryPage", func(t *testing.T) { searchBoxOnEveryPage(t, site) })
	t.Run("EscapesContentAndHighlightsSafely", func(t *testing.T) { searchEscapesContentAndHighlightsSafely(t, site) })
	t.Run("VisibilityThroughTheSite", func(t *testing.T) { searchVisibilityThroughTheSite(t, site) })
	t.Run("FiltersAndPagination", func(t *testing.T) { searchFiltersAndPagination(t, site) })
	t.Run("RefusalsAreExplainedOnTheForm", func(t *testing.T) { searchRefusalsAreExplainedOnTheForm(t, site) })
	t.Run("NeverFailsOnHostileInput", func(t *testing.T) { searchNeverFailsOnHostileInput(t, site) })
}

func searchPageShowsRankedHighlightedResults(t *testing.T, site *testSite) {
	c := site.client()

	res := c.get("/search")
	wantStatus(t, res, http.StatusOK)
	if res.doc.Find(`form[role="search"][data-testid="search-form"] input[name="q"]`).Length() != 1 {
		t.Fatal("the empty search page has no search form")
	}
	if res.doc.Find(`[data-testid="search-result"], [data-testid="search-error"]`).Length() != 0 {
		t.Error("the empty search page shows results or an error")
	}

	res = c.get(searchPath("q", "missile test"))
	wantStatus(t, res, http.StatusOK)
	titles := resultTitles(res)
	if len(titles) < 3 {
		t.Fatalf("results %v, want the demo's missile test articles, claims and event", titles)
	}
	kinds := map[string]bool{}
	res.doc.Find(`[data-testid="search-result"]`).Each(func(_ int, s *goquery.Selection) {
		k, _ := s.Attr("data-kind")
		kinds[k] = true
		href, _ := s.Find("h2 a").Attr("href")
		if href == "" || !strings.HasPrefix(href, "/") {
			t.Errorf("result %q links to %q", s.Find("h2").Text(), href)
		}
	})
	for _, k := range []string{"article", "claim", "event"} {
		if !kinds[k] {
			t.Errorf("no %s among the results (kinds %v)", k, kinds)
		}
	}
	marks := res.doc.Find(`[data-testid="search-result"] mark`)
	if marks.Length() == 0 {
		t.Fatal("no matching word is marked")
	}
	marks.Each(func(_ int, s *goquery.Selection) {
		if w := strings.ToLower(s.Text()); w != "missile" && w != "test" {
			t.Errorf("marked %q, which is not a searched word", s.Text())
		}
	})
	if strings.ContainsAny(res.body, "\uE000\uE001") {
		t.Error("the page contains the raw highlight markers")
	}
	if got := res.doc.Find(`#search-q`).AttrOr("value", ""); got != "missile test" {
		t.Errorf("the search box holds %q", got)
	}
	if res.Header.Get("X-Robots-Tag") == "" && res.doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
		t.Error("result pages should not be indexed by search engines")
	}
}

func searchBoxOnEveryPage(t *testing.T, site *testSite) {
	c := site.client()
	for _, path := range []string{"/", "/articles/1", "/timelines", "/signin", "/nothing-here"} {
		res := c.get(path)
		form := res.doc.Find(`header form[role="search"]`)
		if form.Length() != 1 {
			t.Errorf("%s: %d search forms in the header", path, form.Length())
			continue
		}
		if form.AttrOr("action", "") != "/search" || strings.ToLower(form.AttrOr("method", "")) != "get" {
			t.Errorf("%s: the header search posts to %s %s", path, form.AttrOr("method", ""), form.AttrOr("action", ""))
		}
		input := form.Find(`input[type="search"][name="q"]`)
		id := input.AttrOr("id", "")
		if id == "" || form.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("%s: the header search box has no label", path)
		}
	}
}

func searchEscapesContentAndHighlightsSafely(t *testing.T, site *testSite) {
	editor, err := site.store.UserByEmail(t.Context(), "editor@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	_, err = site.store.CreateArticle(t.Context(), editor, models.ArticleInput{
		Title: `<img src=x onerror=alert(1)> Walrus sighting`, NewOutlet: "Test Outlet", PublishedAt: "2025-12-01",
		Status: "published", BodyFormat: "markdown",
		Body: "A walrus \uE000was seen\uE001 near <b>the</b> pier; `<script>alert(2)</script>` walrus again.",
	})
	if err != nil {
		t.Fatal(err)
	}
	res := site.client().get(searchPath("q", "walrus"))
	wantStatus(t, res, http.StatusOK)
	result := res.doc.Find(`[data-testid="search-result"]`)
	if result.Length() != 1 {
		t.Fatalf("%d results for walrus", result.Length())
	}
	if result.Find("img, script, b").Length() != 0 {
		html, _ := goquery.OuterHtml(result)
		t.Errorf("markup from the article became elements: %s", html)
	}
	if got := strings.TrimSpace(result.Find("h2").Text()); got != "<img src=x onerror=alert(1)> Walrus sighting" {
		t.Errorf("title shown as %q", got)
	}
	result.Find("mark").Each(func(_ int, s *goquery.Selection) {
		if strings.ToLower(s.Text()) != "walrus" && !strings.Contains(s.Text(), "was seen") {
			t.Errorf("marked %q", s.Text())
		}
	})
	if strings.Contains(res.body, "<script>alert") || strings.Contains(res.body, "<img src=x") {
		t.Error("the page carries the article's markup unescaped")
	}
}

func searchVisibilityThroughTheSite(t *testing.T, site *testSite) {
	staffNote := searchPath("q", "anonymous officials ministry", "type", "annotation")
	for _, tt := range []struct {
		role models.Role // "" for anonymous
		want int
	}{
		{"", 0}, {models.RoleReader, 0}, {models.RoleFactChecker, 1}, {models.RoleEditor, 1},
	} {
		c := site.client()
		if tt.role != "" {
			c.signIn(tt.role)
		}
		res := c.get(staffNote)
		wantStatus(t, res, http.StatusOK)
		if got := res.doc.Find(`[data-testid="search-result"]`).Length(); got != tt.want {
			t.Errorf("%q finds %d staff notes, want %d", tt.role, got, tt.want)
		}
		if tt.want == 0 && res.doc.Find(`[data-testid="no-results"]`).Length() != 1 {
			t.Errorf("%q: no 'nothing matches' message", tt.role)
		}
	}
}

func searchFiltersAndPagination(t *testing.T, site *testSite) {
	editor, err := site.store.UserByEmail(t.Context(), "editor@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	for i := range models.SearchPerPage + 3 {
		_, err := site.store.CreateArticle(t.Context(), editor, models.ArticleInput{
			Title: "Lighthouse log " + strings.Repeat("I", i+1), NewOutlet: "Coastal Courier", PublishedAt: "2025-12-01",
			Status: "published", BodyFormat: "markdown", Body: "The lighthouse keeper's log.",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	c := site.client()
	first := c.get(searchPath("q", "lighthouse", "outlet", "coastal-courier", "type", "article"))
	wantStatus(t, first, http.StatusOK)
	if n := first.doc.Find(`[data-testid="search-result"]`).Length(); n != models.SearchPerPage {
		t.Fatalf("page 1 has %d results", n)
	}
	if got, want := first.text(`[data-testid="search-summary"]`), fmt.Sprintf("%d results for lighthouse (with filters)", models.SearchPerPage+3); !strings.HasPrefix(got, want) {
		t.Errorf("summary %q, want it to start %q", got, want)
	}
	if first.doc.Find(`#search-outlet option[selected]`).AttrOr("value", "") != "coastal-courier" ||
		first.doc.Find(`#search-type option[selected]`).AttrOr("value", "") != "article" {
		t.Error("the filters form does not keep the chosen filters")
	}
	if _, open := first.doc.Find(`details.search-filters`).Attr("open"); !open {
		t.Error("the filters are folded away although some are set")
	}
	next, ok := first.doc.Find(`[data-testid="next-page"]`).Attr("href")
	if !ok {
		t.Fatal("no link to the next page")
	}
	u, err := url.Parse(next)
	if err != nil || u.Path != "/search" || u.Query().Get("q") != "lighthouse" || u.Query().Get("outlet") != "coastal-courier" ||
		u.Query().Get("type") != "article" || u.Query().Get("page") != "2" {
		t.Fatalf("next page link %q does not keep the search", next)
	}
	second := c.get(next)
	wantStatus(t, second, http.StatusOK)
	if n := second.doc.Find(`[data-testid="search-result"]`).Length(); n != 3 {
		t.Errorf("page 2 has %d results, want 3", n)
	}
	if second.doc.Find(`[data-testid="prev-page"]`).Length() != 1 || second.doc.Find(`[data-testid="next-page"]`).Length() != 0 {
		t.Error("page 2 should link back and not on")
	}
	if got := second.doc.Find(`ol.search-results`).AttrOr("start", ""); got != "21" {
		t.Errorf("page 2 numbers its results from %q", got)
	}
	// Another outlet: none of these.
	other := c.get(searchPath("q", "lighthouse", "outlet", "meridian-wire"))
	wantStatus(t, other, http.StatusOK)
	if other.doc.Find(`[data-testid="search-result"]`).Length() != 0 || other.doc.Find(`[data-testid="no-results"]`).Length() != 1 {
		t.Error("the outlet filter let other outlets' articles through")
	}
}

func searchRefusalsAreExplainedOnTheForm(t *testing.T, site *testSite) {
	c := site.client()
	tests := []struct {
		path, field, want string
	}{
		{searchPath("q", "-summit"), "search-q", "not only words to leave out"},
		{searchPath("q", `"" ***`), "search-q", "at least one word"},
		{searchPath("q", "summit", "outlet", "no-such-outlet"), "search-outlet", "no such outlet"},
		{searchPath("q", "summit", "from", "yesterday"), "search-from", "YYYY-MM-DD"},
		{searchPath("q", "summit", "from", "2025-05-01", "to", "2025-01-01"), "search-to", "before its start"},
		{searchPath("type", "claim"), "search-q", "at least one word"},
		{searchPath("q", "summit", "page", "51"), "", "stop at page 50"},
		{searchPath("q", "summit", "verdict", "pants on fire"), "search-verdict", "no rating called"},
	}
	for _, tt := range tests {
		res := c.get(tt.path)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if tt.field == "" {
			if got := res.text(`[data-testid="search-error"]`); !strings.Contains(got, tt.want) {
				t.Errorf("%s: summary %q, want it to mention %q", tt.path, got, tt.want)
			}
			continue
		}
		if got := res.text("#" + tt.field + "-error"); !strings.Contains(got, tt.want) {
			t.Errorf("%s: field message %q, want it to mention %q", tt.path, got, tt.want)
		}
		if res.doc.Find("#"+tt.field).AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%s: %s is not marked invalid", tt.path, tt.field)
		}
	}
}

// TestSearchNeverFailsOnHostileInput sends what attackers and accidents
// send, in every parameter; the answer is a page, never a server error.
func searchNeverFailsOnHostileInput(t *testing.T, site *testSite) {
	anonymous, editor := site.client(), site.client()
	editor.signIn(models.RoleEditor)
	inputs := []string{
		`"unbalanced`, `summit"`, `"`, `-`, `*`, `-*`, `summit AND`, `OR`, `NOT summit`, `NEAR(summit talks, 2)`, `(summit`,
		`^summit`, `title:summit`, `{title body}:summit`, `search_index:x`, `+summit`,
		`'; DROP TABLE articles; --`, `" OR 1=1 --`, `summit') UNION SELECT password_hash FROM users --`, `%`, `%%`, `\`,
		"sum\x00mit", "\x00", "summit\xff\xfe", "\xc3\x28", "\uE000summit\uE001", "\u202esummit", "🔥🔥", "\r\n",
		strings.Repeat("a", 10_000), strings.Repeat("summit ", 1500), strings.Repeat(`"`, 10_000), strings.Repeat("(", 5000),
	}
	params := []string{"q", "type", "outlet", "tag", "entity", "from", "to", "page", "verdict"}
	for _, in := range inputs {
		for _, p := range params {
			path := "/search?q=summit&" + p + "=" + url.QueryEscape(in)
			if p == "q" {
				path = "/search?q=" + url.QueryEscape(in)
			}
			for _, c := range []*client{anonymous, editor} {
				res := c.get(path)
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("%s=%.40q: status %d", p, in, res.StatusCode)
					continue
				}
				if res.doc == nil || res.doc.Find(`[data-testid="search-form"]`).Length() != 1 {
					t.Errorf("%s=%.40q: not the search page", p, in)
				}
				if strings.Contains(res.body, "\x00") {
					t.Errorf("%s=%.40q: a null byte reached the page", p, in)
				}
			}
		}
	}
	// Raw bytes that url.Values would have escaped, straight in the query string.
	for _, raw := range []string{"q=%ff%fe", "q=%00", "q=%", "q=%zz", "q=a&q=b", "q[]=x", "q=%22%22%22"} {
		res := anonymous.get("/search?" + raw)
		if res.StatusCode >= 500 {
			t.Errorf("/search?%s: status %d", raw, res.StatusCode)
		}
	}
}
