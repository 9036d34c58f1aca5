package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
)

// forgery is one way a request can fail to prove it comes from our own form.
type forgery struct {
	name    string
	token   func(c *client) string // "" sends no token
	headers func(site *testSite) map[string]string
}

func forgeries() []forgery {
	none := func(*client) string { return "" }
	valid := func(c *client) string { return c.csrf }
	noHeaders := func(*testSite) map[string]string { return nil }
	return []forgery{
		{"no token", none, noHeaders},
		{"forged token", func(*client) string { return "forged-token-0123456789abcdef0123456789" }, noHeaders},
		{"token of another browser", func(*client) string { return "another-browser-token" }, noHeaders},
		{"same-site browser request without token", none, func(*testSite) map[string]string {
			return map[string]string{"Sec-Fetch-Site": "same-site"}
		}},
		// With a valid token: the browser says the request comes from another site.
		{"cross-site browser request", valid, func(*testSite) map[string]string {
			return map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
		}},
		{"same-site (sibling subdomain) browser request", valid, func(*testSite) map[string]string {
			return map[string]string{"Sec-Fetch-Site": "same-site"}
		}},
		// An older browser without Sec-Fetch-Site still sends Origin.
		{"foreign Origin", valid, func(*testSite) map[string]string { return map[string]string{"Origin": "https://evil.example"} }},
		{"null Origin (sandboxed frame)", valid, func(*testSite) map[string]string { return map[string]string{"Origin": "null"} }},
		{"Origin on another port", valid, func(s *testSite) map[string]string {
			u, _ := url.Parse(s.srv.URL)
			return map[string]string{"Origin": "http://" + u.Hostname() + ":1"}
		}},
	}
}

// forgedRequest sends a state-changing request the way a forged one would
// arrive: a form (or, on the annotation protocol, JSON-LD) with the token
// only in the body or header the forgery gives.
func forgedRequest(c *client, r route, f forgery) *response {
	c.t.Helper()
	token := f.token(c)
	var req *http.Request
	if isAPIRoute(r) {
		req, _ = http.NewRequest(r.method, c.site.srv.URL+r.path, strings.NewReader(`{"type":"Annotation"}`))
		req.Header.Set("Content-Type", "application/ld+json")
		req.Header.Set("Accept", "application/ld+json")
		if token != "" {
			req.Header.Set("X-CSRF-Token", token)
		}
	} else {
		form := url.Values{"title": {"Forged"}, "body": {"forged"}, "name": {"forged"}, "reason": {"forged"}}
		if token != "" {
			form.Set("_csrf", token)
		}
		req, _ = http.NewRequest(r.method, c.site.srv.URL+r.path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/html")
	}
	for k, v := range f.headers(c.site) {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// refusedAsForgery checks a 403 that names the cause, so a refusal by the
// role check (which runs later) cannot pass for a CSRF refusal.
func refusedAsForgery(t *testing.T, res *response, what string) {
	t.Helper()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("%s: status %d, want 403", what, res.StatusCode)
		return
	}
	if !strings.Contains(res.body, "sent from another site") {
		t.Errorf("%s: 403 without the forgery message: %s", what, truncate(res.body, 300))
	}
}

// TestEveryStateChangingRouteRefusesForgedRequests walks the router: every
// POST, PUT, DELETE and PATCH route, as a signed-in admin and editor, refuses
// a request without a valid token or from another origin, and nothing changes
// (not even the session: a forged sign-out must not sign anyone out).
func TestEveryStateChangingRouteRefusesForgedRequests(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{})
	people := map[models.Role]*client{}
	for _, role := range []models.Role{models.RoleAdmin, models.RoleEditor} {
		c := site.client()
		c.signIn(role)
		people[role] = c
	}
	before := site.snapshot()
	checked := 0
	for _, r := range site.routes() {
		if !isStateChanging(r.method) {
			continue
		}
		checked++
		for role, c := range people {
			for _, f := range forgeries() {
				res := forgedRequest(c, r, f)
				refusedAsForgery(t, res, fmt.Sprintf("%s (%s) as %s, %s", r.key(), r.path, role, f.name))
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d state-changing routes found; the walk is broken", checked)
	}
	if changed := before.changes(site.snapshot()); len(changed) > 0 {
		t.Errorf("forged requests changed the database: %v", changed)
	}
	for role, c := range people {
		if !c.signedInAs(role) {
			t.Errorf("the %s was signed out by a forged request", role)
		}
	}
	t.Logf("%d state-changing routes × 2 roles × %d forgeries refused", checked, len(forgeries()))
}

// TestForgedRequestsWouldHaveWorkedWithTheToken proves the refusals above are
// not vacuous: requests that do change records are refused when forged, change
// nothing, and go through with the page's token from the same origin.
func TestForgedRequestsWouldHaveWorkedWithTheToken(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{})
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	editor, _ := site.store.UserByEmail(t.Context(), "editor@newsgloss.example")

	cases := []struct {
		method, path string
		form         url.Values
		api          string // JSON-LD body for the annotation protocol
		want         int
	}{
		{"POST", "/desk/articles", articleForm("Forged story", "Forged text for a forged story.", "published"), "", http.StatusSeeOther},
		{"POST", "/desk/articles/3/delete", url.Values{}, "", http.StatusSeeOther},
		{"POST", "/admin/users", url.Values{"name": {"Mallory"}, "email": {"mallory@evil.example"}, "password": {"a long enough password"}, "role": {"admin"}}, "", http.StatusSeeOther},
		{"POST", fmt.Sprintf("/admin/users/%d/role", editor.ID), url.Values{"role": {"reader"}}, "", http.StatusSeeOther},
		{"POST", "/articles/2/notes", noteForm("agreed on Wednesday", "Forged note."), "", http.StatusSeeOther},
		{"POST", "/settings/tokens", url.Values{"name": {"forged"}}, "", http.StatusOK},
		{"POST", "/desk/timelines", url.Values{"title": {"Forged timeline"}, "description": {"x"}, "rule_kind": {"tag"}, "rule_value": {"summit"}}, "", http.StatusSeeOther},
		{"POST", "/annotations/1/replies", url.Values{"body": {"Forged reply."}}, "", http.StatusSeeOther},
		{"POST", "/articles/1/annotations/", nil, `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"commenting",` +
			`"body":{"type":"TextualBody","value":"Forged via the API","format":"text/plain"},"target":"` + site.srv.URL + `/articles/1"}`, http.StatusCreated},
	}
	for _, tc := range cases {
		send := func(token string, headers map[string]string) *response {
			var req *http.Request
			if tc.api != "" {
				req, _ = http.NewRequest(tc.method, site.srv.URL+tc.path, strings.NewReader(tc.api))
				req.Header.Set("Content-Type", ldContentType)
				req.Header.Set("Accept", ldContentType)
				if token != "" {
					req.Header.Set("X-CSRF-Token", token)
				}
			} else {
				f := url.Values{}
				for k, v := range tc.form {
					f[k] = v
				}
				if token != "" {
					f.Set("_csrf", token)
				}
				req, _ = http.NewRequest(tc.method, site.srv.URL+tc.path, strings.NewReader(f.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Accept", "text/html")
			}
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			return admin.do(req)
		}
		admin.get("/")
		before := site.snapshot()
		for _, f := range forgeries() {
			token := f.token(admin)
			refusedAsForgery(t, send(token, f.headers(site)), tc.method+" "+tc.path+", "+f.name)
		}
		if changed := before.changes(site.snapshot()); len(changed) > 0 {
			t.Errorf("%s %s: forged requests changed %v", tc.method, tc.path, changed)
		}
		admin.get("/")
		res := send(admin.csrf, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": site.srv.URL})
		if res.StatusCode != tc.want {
			t.Errorf("%s %s with the token: status %d, want %d\n%s", tc.method, tc.path, res.StatusCode, tc.want, truncate(res.body, 300))
		}
		if len(before.changes(site.snapshot())) == 0 {
			t.Errorf("%s %s with the token changed nothing: the control request is not effective", tc.method, tc.path)
		}
	}
}

// TestBearerRequestsIgnoreTheSessionCookie: a request with an API token is
// exempt from the CSRF token because it is authenticated by the token alone.
// An invalid token next to a valid session cookie is refused, and a valid
// token acts as its own user, never as the cookie's.
func TestBearerRequestsIgnoreTheSessionCookie(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{})
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	checker, _ := site.store.UserByEmail(t.Context(), "factchecker@newsgloss.example")
	token, err := site.store.CreateAPIToken(t.Context(), checker, "script")
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := site.store.CreateAPIToken(t.Context(), checker, "old script")
	if err != nil {
		t.Fatal(err)
	}
	tokens, _ := site.store.ListAPITokens(t.Context(), checker)
	for _, tk := range tokens {
		if tk.Name == "old script" {
			if err := site.store.RevokeAPIToken(t.Context(), checker, tk.ID); err != nil {
				t.Fatal(err)
			}
		}
	}

	before := site.snapshot()
	bad := []string{"Bearer not-a-token", "Bearer ngt_" + strings.Repeat("A", 43), "Bearer " + revoked, "bearer " + token + "x", "Bearer  " + revoked}
	n := 0
	for _, r := range site.routes() {
		if !isStateChanging(r.method) {
			continue
		}
		for _, auth := range bad {
			req, _ := http.NewRequest(r.method, site.srv.URL+r.path, strings.NewReader("title=x&name=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", auth)
			res := admin.do(req) // carries the admin's session cookie, no CSRF token
			n++
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s with %q and an admin session cookie: status %d, want 401", r.key(), auth, res.StatusCode)
			}
			if !strings.Contains(res.Header.Get("WWW-Authenticate"), "invalid_token") {
				t.Errorf("%s with %q: WWW-Authenticate %q", r.key(), auth, res.Header.Get("WWW-Authenticate"))
			}
		}
	}
	if changed := before.changes(site.snapshot()); len(changed) > 0 {
		t.Errorf("requests with invalid tokens changed %v", changed)
	}
	if !admin.signedInAs(models.RoleAdmin) {
		t.Error("a request with an invalid token ended the cookie's session")
	}

	// A fact-checker's valid token next to an admin's cookie acts as the fact-checker.
	form := url.Values{"name": {"Mallory"}, "email": {"mallory@evil.example"}, "password": {"a long enough password"}, "role": {"admin"}}
	req, _ := http.NewRequest(http.MethodPost, site.srv.URL+"/admin/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	wantStatus(t, admin.do(req), http.StatusForbidden)
	if _, err := site.store.UserByEmail(t.Context(), "mallory@evil.example"); models.ErrorCodeOf(err) != models.ENotFound {
		t.Errorf("the account was created with the cookie's rights: %v", err)
	}
	t.Logf("%d bearer requests with invalid tokens refused", n)
}
