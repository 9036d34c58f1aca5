package handlers_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
)

// cspDirectives splits a Content-Security-Policy into its directives.
func cspDirectives(policy string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[strings.ToLower(f[0])] = f[1:]
		}
	}
	return out
}

// headerProblems lists what is wrong with a response's security headers.
func headerProblems(h http.Header, secure bool) []string {
	var out []string
	csp := cspDirectives(h.Get("Content-Security-Policy"))
	scripts, ok := csp["script-src"]
	if !ok {
		scripts, ok = csp["default-src"]
	}
	if !ok {
		out = append(out, "no script-src or default-src in the CSP")
	}
	for _, src := range scripts {
		switch strings.ToLower(strings.Trim(src, "'")) {
		case "unsafe-inline", "unsafe-eval", "unsafe-hashes", "*", "data:", "http:", "https:", "blob:", "wasm-unsafe-eval":
			out = append(out, "script-src allows "+src)
		}
	}
	for directive, want := range map[string]string{"default-src": "'self'", "object-src": "'none'", "base-uri": "'none'",
		"frame-ancestors": "'none'", "form-action": "'self'"} {
		if got := strings.Join(csp[directive], " "); got != want {
			out = append(out, fmt.Sprintf("CSP %s is %q, want %q", directive, got, want))
		}
	}
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Referrer-Policy": "strict-origin-when-cross-origin", "Cross-Origin-Opener-Policy": "same-origin"} {
		if got := h.Get(name); got != want {
			out = append(out, fmt.Sprintf("%s is %q, want %q", name, got, want))
		}
	}
	hsts := h.Get("Strict-Transport-Security")
	switch {
	case secure && !strings.Contains(hsts, "max-age=31536000"):
		out = append(out, fmt.Sprintf("HSTS %q over TLS, want a year's max-age", hsts))
	case !secure && hsts != "":
		out = append(out, fmt.Sprintf("HSTS %q sent without TLS (it would pin a plain-HTTP site)", hsts))
	}
	return out
}

// TestEveryResponseCarriesTheSecurityHeaders walks every route as a reader
// and as an admin, and adds the responses no route gives (unknown address,
// wrong method, oversized body, static file, 304, redirect): each carries the
// same headers, with HSTS exactly when the site is served over TLS. The same
// two sites' cookies are checked too.
func TestEveryResponseCarriesTheSecurityHeaders(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		site := newTestSite(t, handlers.Config{SecureCookies: secure})
		reader, admin := site.client(), site.client()
		reader.signIn(models.RoleReader)
		admin.signIn(models.RoleAdmin)
		checked := 0
		check := func(label string, res *response) {
			t.Helper()
			checked++
			for _, p := range headerProblems(res.Header, secure) {
				t.Errorf("secure=%v %s (status %d): %s", secure, label, res.StatusCode, p)
			}
		}
		for _, r := range site.routes() {
			for _, c := range []*client{reader, admin} {
				if r.pattern == "/signout" {
					continue
				}
				req, _ := http.NewRequest(r.method, site.srv.URL+r.path, strings.NewReader(url.Values{"_csrf": {c.csrf}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				check(r.key(), c.do(req))
			}
		}
		anon := site.client()
		home := anon.get("/")
		check("home as anonymous", home)
		css, _ := home.doc.Find(`link[rel="stylesheet"]`).Attr("href")
		check("static file", anon.get(css))
		req, _ := http.NewRequest(http.MethodGet, site.srv.URL+css, nil)
		req.Header.Set("If-None-Match", anon.get(css).Header.Get("ETag"))
		check("304 Not Modified", anon.do(req))
		check("unknown address", anon.get("/no/such/page"))
		check("trailing slash redirect", anon.get("/timelines/"))
		req, _ = http.NewRequest(http.MethodPatch, site.srv.URL+"/articles/1", nil)
		check("wrong method", anon.do(req))
		check("oversized body", admin.postRaw("/desk/articles", url.Values{"body": {strings.Repeat("x", 2<<20)}}, nil))
		check("JSON error", admin.apiRequest(http.MethodGet, "/annotations/99999", "", nil))
		if checked < 150 {
			t.Errorf("only %d responses checked", checked)
		}
		checkCookieFlags(t, site, secure)
	}
}

// checkCookieFlags checks every cookie the site sets (session, CSRF, flash,
// and the expired ones that clear them): HttpOnly, SameSite, Secure exactly
// when the site is configured for TLS.
func checkCookieFlags(t *testing.T, site *testSite, secure bool) {
	t.Helper()
	c := site.client()
	var cookies []*http.Cookie
	res := c.get("/signin")
	cookies = append(cookies, res.Cookies()...)
	res = c.post("/signin", url.Values{"email": {"editor@newsgloss.example"}, "password": {"demo-editor-pass"}})
	wantStatus(t, res, http.StatusSeeOther)
	cookies = append(cookies, res.Cookies()...)
	res = c.get("/")
	cookies = append(cookies, res.Cookies()...) // the flash read and cleared
	res = c.post("/signout", nil)
	cookies = append(cookies, res.Cookies()...)
	seen := map[string]bool{}
	for _, ck := range cookies {
		seen[ck.Name] = true
		if !ck.HttpOnly {
			t.Errorf("secure=%v: cookie %s is not HttpOnly", secure, ck.Name)
		}
		if ck.SameSite != http.SameSiteLaxMode && ck.SameSite != http.SameSiteStrictMode {
			t.Errorf("secure=%v: cookie %s has SameSite %v", secure, ck.Name, ck.SameSite)
		}
		if ck.Secure != secure {
			t.Errorf("secure=%v: cookie %s has Secure=%v", secure, ck.Name, ck.Secure)
		}
		if ck.Path != "/" {
			t.Errorf("secure=%v: cookie %s has path %q", secure, ck.Name, ck.Path)
		}
	}
	for _, name := range []string{"ng_session", "ng_csrf", "ng_flash"} {
		if !seen[name] {
			t.Errorf("secure=%v: cookie %s was never set", secure, name)
		}
	}
	if ck := findCookie(cookies, "ng_csrf"); ck != nil && ck.SameSite != http.SameSiteStrictMode {
		t.Errorf("the CSRF cookie is SameSite=%v, want Strict", ck.SameSite)
	}
}

func findCookie(cookies []*http.Cookie, name string) *http.Cookie {
	for _, ck := range cookies {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// replay is a new browser holding only the given session token.
func replay(site *testSite, token string) *client {
	c := site.client()
	u, _ := url.Parse(site.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "ng_session", Value: token, Path: "/"}})
	return c
}

// TestSessionsEndWhenTheyShould: signing in again replaces the session (the
// old token stops working), a password change ends every session of that
// account and no other, a role change or disabling ends the account's own
// sessions only, and a forged or malformed cookie is just an anonymous visit.
func TestSessionsEndWhenTheyShould(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{})
	ctx := t.Context()

	// Signing in on a browser that is already signed in starts a new session.
	c := site.client()
	c.signIn(models.RoleEditor)
	first := c.cookie("ng_session").Value
	c.signIn(models.RoleEditor)
	second := c.cookie("ng_session").Value
	if first == second {
		t.Fatal("signing in again kept the session token")
	}
	wantStatus(t, replay(site, first).get("/desk/articles"), http.StatusSeeOther)
	wantStatus(t, replay(site, second).get("/desk/articles"), http.StatusOK)

	// A password change ends all the account's sessions, and nobody else's.
	laptop, phone, other := site.client(), site.client(), site.client()
	laptop.signIn(models.RoleFactChecker)
	phone.signIn(models.RoleFactChecker)
	other.signIn(models.RoleEditor)
	checker, err := site.store.UserByEmail(ctx, "factchecker@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := site.store.SetPassword(ctx, nil, checker.ID, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]*client{"laptop": laptop, "phone": phone} {
		if b.signedInAs(models.RoleFactChecker) {
			t.Errorf("the %s is still signed in after the password changed", name)
		}
	}
	if !other.signedInAs(models.RoleEditor) {
		t.Error("another account's session ended with the password change")
	}
	if n, _ := site.store.SessionCount(ctx, checker.ID); n != 0 {
		t.Errorf("%d sessions left after the password change", n)
	}

	// A role change ends the changed account's sessions, not the admin's.
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	reader := site.client()
	reader.signIn(models.RoleReader)
	readerUser, _ := site.store.UserByEmail(ctx, "reader@newsgloss.example")
	admin.get("/admin/users")
	wantStatus(t, admin.post(fmt.Sprintf("/admin/users/%d/role", readerUser.ID), url.Values{"role": {"factchecker"}}), http.StatusSeeOther)
	if reader.signedInAs(models.RoleReader) || reader.signedInAs(models.RoleFactChecker) {
		t.Error("the promoted reader's old session still works (its permissions were fixed at sign-in)")
	}
	if !admin.signedInAs(models.RoleAdmin) || !other.signedInAs(models.RoleEditor) {
		t.Error("a role change ended sessions of other accounts")
	}

	// Forged, malformed and over-long cookies are anonymous visits, not errors.
	for _, token := range []string{"", "x", strings.Repeat("A", 43), strings.Repeat("A", 4000), "' OR 1=1 --", "%00", first + "x"} {
		res := replay(site, token).get("/desk/articles")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
			t.Errorf("session cookie %q: status %d, Location %q; want the sign-in page", describe(token), res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// landsOnSite resolves a Location header the way a browser does (tabs and
// newlines dropped, backslashes read as slashes, leading spaces and controls
// trimmed) and reports whether it stays on the site.
func landsOnSite(site *testSite, loc string) bool {
	loc = strings.TrimLeft(loc, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(loc)
	base, _ := url.Parse(site.srv.URL + "/signin")
	ref, err := url.Parse(loc)
	if err != nil {
		return true // a browser would not follow it anywhere either
	}
	to := base.ResolveReference(ref)
	return to.Scheme == base.Scheme && to.Host == base.Host
}

// TestNoOpenRedirect tries the known ways to make a "return to" address leave
// the site, after signing in and on the sign-in page of a signed-in person,
// and the trailing-slash redirect with a path that starts like a host.
func TestNoOpenRedirect(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{SignInBurst: 1000})
	u, _ := url.Parse(site.srv.URL)
	nexts := []string{
		// The first dozen also go through a real sign-in (below).
		"//evil.example", `/\evil.example`, "https:evil.example", "/%2F%2Fevil.example", "javascript:alert(1)",
		"/\t/evil.example", "https://evil.example", `\\evil.example`, "///evil.example", "/ok\r\nLocation: //evil.example",
		"/\x00/evil.example", "//evil.example@" + u.Host,
		"////evil.example/x", `\/evil.example`, "/\n/evil.example", "/%09/evil.example", "%2F%2Fevil.example",
		"http:/evil.example", "HTTPS://evil.example/x", "hTtP://evil.example", "//" + u.Host + "@evil.example",
		"/@evil.example", "@evil.example", "evil.example", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
		" //evil.example", "\x00//evil.example", "//%65vil.example", "/%0d%0aLocation:%20//evil.example",
		"/.." + `\` + "evil.example", "//evil%E3%80%82example", "/\u3000/evil.example",
	}
	reader := site.client()
	reader.signIn(models.RoleReader)
	signIn := site.client()
	signIn.get("/signin")
	for i, next := range nexts {
		// Signing in costs a password hash: the first dozen values go through
		// it; every value goes through the signed-in redirect, which reads
		// next the same way.
		if i < 12 {
			res := signIn.post("/signin", url.Values{"email": {"reader@newsgloss.example"}, "password": {"demo-reader-pass"}, "next": {next}})
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !landsOnSite(site, loc) {
				t.Errorf("sign in with next=%q: status %d, Location %q", next, res.StatusCode, loc)
			}
		}
		req, err := http.NewRequest(http.MethodGet, site.srv.URL+"/signin?next="+url.QueryEscape(next), nil)
		if err != nil {
			t.Fatal(err)
		}
		res := reader.do(req)
		if loc := res.Header.Get("Location"); !landsOnSite(site, loc) {
			t.Errorf("signed-in GET /signin?next=%q: Location %q", next, loc)
		}
		if res := site.client().get("/signin?next=" + url.QueryEscape(next)); res.doc != nil {
			if v, _ := res.doc.Find(`input[name="next"]`).Attr("value"); !landsOnSite(site, v) {
				t.Errorf("the sign-in form keeps next=%q as %q", next, v)
			}
		}
	}
	// Echo's trailing-slash redirect must not turn "//host/" into a link to host.
	for _, path := range []string{"//evil.example/", "///evil.example/", `/\evil.example/`, "/%2Fevil.example/", "/%5Cevil.example/"} {
		req, _ := http.NewRequest(http.MethodGet, site.srv.URL, nil)
		req.URL.Opaque = path // sent as typed, not cleaned by the client
		res := reader.do(req)
		if loc := res.Header.Get("Location"); loc != "" && !landsOnSite(site, loc) {
			t.Errorf("GET %s redirects off the site to %q", path, loc)
		}
	}
}

// TestBodySizeLimits posts 2 MB to every state-changing route (the bulk-import
// upload, which has its own limit, gets more than that limit): each is refused
// with 413 before anything is stored, whether the size is declared or the
// body is streamed without a length.
func TestBodySizeLimits(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{})
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	before := site.snapshot()
	checked := 0
	for _, r := range site.routes() {
		if !isStateChanging(r.method) {
			continue
		}
		size := 2 << 20
		if r.key() == "POST /admin/import" {
			size = handlers.MaxUploadBytes + 1<<20
		}
		var body []byte
		contentType := "application/x-www-form-urlencoded"
		if isAPIRoute(r) {
			contentType = ldContentType
			body = []byte(`{"type":"Annotation","body":{"type":"TextualBody","value":"` + strings.Repeat("x", size) + `"}}`)
		} else {
			body = []byte("_csrf=" + url.QueryEscape(admin.csrf) + "&title=x&body=" + strings.Repeat("x", size))
		}
		for _, streamed := range []bool{false, true} {
			var reader io.Reader = bytes.NewReader(body)
			if streamed {
				reader = io.MultiReader(reader) // hides the length: sent chunked
			}
			req, _ := http.NewRequest(r.method, site.srv.URL+r.path, reader)
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("X-CSRF-Token", admin.csrf)
			res := admin.do(req)
			checked++
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s with %d bytes (streamed=%v): status %d, want 413", r.key(), len(body), streamed, res.StatusCode)
			}
		}
	}
	if changed := before.changes(site.snapshot()); len(changed) > 0 {
		t.Errorf("oversized requests changed the database: %v", changed)
	}
	t.Logf("%d oversized requests refused", checked)
}
