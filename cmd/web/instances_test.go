package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsgloss/models/testdb"
	"newsgloss/views"
)

// TestTwoInstancesShareOneDatabase runs two server processes on different
// ports against one database (a PostgreSQL schema in that pass of the suite,
// one SQLite file in the other), as two instances behind a reverse proxy
// would. Nothing one needs may live only in the other's memory: a session
// made on one works on the other and ends on both, a change made through one
// shows at once on the other's cached public pages, and failed sign-ins count
// against one limit whichever instance they reach.
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	dbURL := testDatabaseURL(t)
	t.Logf("database engine: %s", testdb.Engine())
	// One after the other: the first loads the demo content, the second finds it.
	a := startProcessWith(t, "--database-url", dbURL)
	b := startProcessWith(t, "--database-url", dbURL)
	if a.url == b.url {
		t.Fatalf("both instances at %s", a.url)
	}
	transport := sharedTransport()

	// An anonymous reader loads A's home page, which A now caches.
	reader := newAgent(a.url, transport)
	home, err := reader.send(http.MethodGet, "/", "", "", nil)
	if err != nil || home.status != http.StatusOK {
		t.Fatalf("A's home page: %v %d", err, home.status)
	}

	// Sign in on A.
	editor := newAgent(a.url, transport)
	if _, err := editor.loadForm(views.RouteSignIn); err != nil {
		t.Fatal(err)
	}
	r, err := editor.postForm(views.RouteSignIn, url.Values{"email": {"editor@newsgloss.example"}, "password": {"demo-editor-pass"}})
	if err != nil || r.status != http.StatusSeeOther {
		t.Fatalf("sign in on A: %v %d %s", err, r.status, r.body)
	}
	session := cookieValue(editor, a.url, "ng_session")
	if session == "" {
		t.Fatal("no session cookie after signing in on A")
	}

	// The same session on B: a staff-only form opens, and a write goes through.
	onB := newAgent(b.url, transport).withSession(session)
	if _, err := onB.loadForm(views.RouteArticleNew); err != nil {
		t.Fatalf("A's session on B: %v", err)
	}
	const title = "Harbour authority confirms second quay after instance test"
	r, id, err := onB.createArticle(title, "The harbour authority confirmed the second quay on Tuesday.")
	if err != nil || id == 0 {
		t.Fatalf("publish through B with A's session: %v %d %s", err, r.status, r.body)
	}

	// A's cached home page shows it straight away: the cache follows the
	// database, not the instance's own writes.
	home, err = reader.send(http.MethodGet, "/", "", "", nil)
	if err != nil || home.status != http.StatusOK || !strings.Contains(home.body, title) {
		t.Errorf("A's home page after B published: %v %d, has the title: %v", err, home.status, strings.Contains(home.body, title))
	}

	// Behind one proxy (one Host), a page's ETag from A is current on B: on
	// PostgreSQL the data version is the database's, so B answers 304. (On
	// SQLite each process counts its own, and B sends the page again.)
	etag := func(p *serverProcess, ifNoneMatch string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, p.url+"/", nil)
		req.Host = "news.example"
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		res, err := (&http.Client{Transport: transport}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("ETag")
	}
	if _, tag := etag(a, ""); tag == "" {
		t.Error("A's home page has no ETag")
	} else if status, _ := etag(b, tag); testdb.Postgres() && status != http.StatusNotModified {
		t.Errorf("B answered A's current ETag with %d, want 304", status)
	}

	// Signing out on B ends the session on A too.
	if _, err := onB.loadForm(views.RouteArticleNew); err != nil {
		t.Fatal(err)
	}
	if r, err := onB.postForm(views.RouteSignOut, url.Values{}); err != nil || r.status != http.StatusSeeOther {
		t.Fatalf("sign out on B: %v %d", err, r.status)
	}
	again := newAgent(a.url, transport).withSession(session)
	r, err = again.send(http.MethodGet, views.RouteArticleNew, "", "", map[string]string{"Accept": "text/html"})
	if err != nil || r.status == http.StatusOK {
		t.Errorf("A still honours the session signed out on B: %v %d", err, r.status)
	}

	// Failed sign-ins alternate between the instances and meet one limit:
	// 10 attempts in a burst from one address (handlers.Config's default),
	// the successful sign-in above among them, so 9 more are answered; one
	// token more if the bucket refilled one (every 6 s) since. Limits kept
	// apart would answer all 12 (6 on each instance).
	statuses := []int{}
	for i := range 12 {
		p := []*serverProcess{a, b}[i%2]
		c := newAgent(p.url, transport)
		if _, err := c.loadForm(views.RouteSignIn); err != nil {
			t.Fatal(err)
		}
		r, err := c.postForm(views.RouteSignIn, url.Values{"email": {"editor@newsgloss.example"}, "password": {fmt.Sprintf("wrong %d", i)}})
		if err != nil {
			t.Fatal(err)
		}
		statuses = append(statuses, r.status)
	}
	nine := []int{401, 401, 401, 401, 401, 401, 401, 401, 401, 429, 429, 429}
	ten := []int{401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 429, 429}
	if got := fmt.Sprint(statuses); got != fmt.Sprint(nine) && got != fmt.Sprint(ten) {
		t.Errorf("sign-in statuses alternating A, B: %v, want %v (one shared limit; or one more 401 after a refill)", statuses, nine)
	}
}

// cookieValue is the value of the agent's cookie name for base.
func cookieValue(a *agent, base, name string) string {
	u, _ := url.Parse(base)
	for _, c := range a.http.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}
