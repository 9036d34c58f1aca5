package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"newsgloss/handlers"
	"newsgloss/models"
	"newsgloss/models/testdb"
	"newsgloss/static"
)

// testSite is the real application on a real database (SQLite, or PostgreSQL
// in that pass of the suite) with the demo content.
type testSite struct {
	t      *testing.T
	store  *models.Store
	echo   *echo.Echo
	srv    *httptest.Server
	target string // the database (SQLite file or PostgreSQL URL), for tests that read it directly
}

func newTestSite(t *testing.T, cfg handlers.Config) *testSite {
	t.Helper()
	ctx := context.Background()
	target := testdb.Target(t)
	store, err := models.Open(ctx, target, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := handlers.New(store, assets, log, cfg)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testSite{t: t, store: store, echo: e, srv: srv, target: target}
}

// client is a browser-like HTTP client: it keeps cookies and does not follow
// redirects, so tests see each status.
type client struct {
	t    *testing.T
	site *testSite
	http *http.Client
	csrf string
}

func (s *testSite) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: s.t, site: s, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a finished request: status, headers, body and parsed HTML.
type response struct {
	*http.Response
	body string
	doc  *goquery.Document
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := &response{Response: res, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		r.doc, err = goquery.NewDocumentFromReader(strings.NewReader(r.body))
		if err != nil {
			c.t.Fatal(err)
		}
		if tok, ok := r.doc.Find(`input[name="_csrf"]`).First().Attr("value"); ok {
			c.csrf = tok
		}
	}
	return r
}

func (c *client) get(path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.site.srv.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	return c.do(req)
}

// post sends a form with the CSRF token of the last page this client loaded.
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	return c.postRaw(path, form, nil)
}

func (c *client) postRaw(path string, form url.Values, headers map[string]string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.site.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// signIn signs the client in with a demo account of the given role.
func (c *client) signIn(role models.Role) {
	c.t.Helper()
	for _, a := range models.DemoAccounts() {
		if a.Role == role {
			c.get("/signin")
			res := c.post("/signin", url.Values{"email": {a.Email}, "password": {a.Password}})
			if res.StatusCode != http.StatusSeeOther {
				c.t.Fatalf("sign in as %s: status %d", role, res.StatusCode)
			}
			c.get("/") // pick up a fresh CSRF token
			return
		}
	}
	c.t.Fatalf("no demo account for role %s", role)
}

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.site.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func (r *response) text(selector string) string {
	if r.doc == nil {
		return ""
	}
	return strings.TrimSpace(r.doc.Find(selector).Text())
}

func wantStatus(t *testing.T, r *response, want int) {
	t.Helper()
	if r.StatusCode != want {
		body := r.body
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, body)
	}
}
