package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"newsgloss/handlers"
	"newsgloss/models"
)

func TestSignInStartsAFreshSessionWithSafeCookies(t *testing.T) {
	site := newTestSite(t, handlers.Config{SecureCookies: true})
	c := site.client()
	c.get("/signin")
	// A session id planted before sign-in must not be the one used after it.
	planted := "planted-token-from-an-attacker"
	u, _ := url.Parse(site.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "ng_session", Value: planted, Path: "/"}})

	res := c.post("/signin", url.Values{"email": {"EDITOR@newsgloss.example"}, "password": {"demo-editor-pass"}, "next": {"/desk/articles"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/desk/articles" {
		t.Errorf("redirect to %q, want /desk/articles", loc)
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "ng_session" {
			session = ck
		}
	}
	if session == nil {
		t.Fatal("no session cookie set")
	}
	if session.Value == planted || len(session.Value) < 40 {
		t.Errorf("session token %q: want a new random token", session.Value)
	}
	if !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie flags: HttpOnly=%v Secure=%v SameSite=%v", session.HttpOnly, session.Secure, session.SameSite)
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("HSTS header %q with secure cookies on", hsts)
	}
}

func TestSignInFailureKeepsEmailAndSaysWhy(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	c.get("/signin")
	res := c.post("/signin", url.Values{"email": {"editor@newsgloss.example"}, "password": {"wrong password"}})
	wantStatus(t, res, http.StatusUnauthorized)
	if got := res.text(`[data-testid="signin-error"]`); got != "That email and password do not match an active account." {
		t.Errorf("error message %q", got)
	}
	if v, _ := res.doc.Find("#email").Attr("value"); v != "editor@newsgloss.example" {
		t.Errorf("email field kept %q", v)
	}
	if v, ok := res.doc.Find("#password").Attr("value"); ok && v != "" {
		t.Errorf("password echoed back: %q", v)
	}
}

func TestSignInNextCannotLeaveTheSite(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/ok\r\nSet-Cookie: x=y", "evil.example"} {
		c := site.client()
		c.get("/signin")
		res := c.post("/signin", url.Values{"email": {"reader@newsgloss.example"}, "password": {"demo-reader-pass"}, "next": {next}})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q, want /", next, loc)
		}
	}
}

func TestSignOutEndsTheSessionOnTheServer(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	c.signIn(models.RoleEditor)
	token := c.cookie("ng_session").Value
	wantStatus(t, c.post("/signout", nil), http.StatusSeeOther)

	// Replaying the old cookie must not work.
	replay := site.client()
	u, _ := url.Parse(site.srv.URL)
	replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: "ng_session", Value: token, Path: "/"}})
	res := replay.get("/desk/articles")
	wantStatus(t, res, http.StatusSeeOther)
}

func TestRoleChangeAndDisableEndSessions(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	wantStatus(t, editor.get("/desk/articles"), http.StatusOK)

	admin := site.client()
	admin.signIn(models.RoleAdmin)
	admin.get("/admin/users")
	u, err := site.store.UserByEmail(t.Context(), "editor@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	res := admin.post(fmt.Sprintf("/admin/users/%d/role", u.ID), url.Values{"role": {"reader"}})
	wantStatus(t, res, http.StatusSeeOther)
	// The editor's session is gone: the desk now sends them to sign in.
	wantStatus(t, editor.get("/desk/articles"), http.StatusSeeOther)

	res = admin.post(fmt.Sprintf("/admin/users/%d/status", u.ID), url.Values{"disabled": {"true"}})
	wantStatus(t, res, http.StatusSeeOther)
	editor.get("/signin")
	res = editor.post("/signin", url.Values{"email": {"editor@newsgloss.example"}, "password": {"demo-editor-pass"}})
	wantStatus(t, res, http.StatusUnauthorized)
}

func TestSignInIsRateLimitedPerClientAddress(t *testing.T) {
	site := newTestSite(t, handlers.Config{SignInRate: rate.Limit(0.001), SignInBurst: 3})
	c := site.client()
	c.get("/signin")
	statuses := []int{}
	for i := 0; i < 5; i++ {
		// A forged X-Forwarded-For must not give each attempt a new identity.
		res := c.postRaw("/signin", url.Values{"_csrf": {c.csrf}, "email": {"a@b.example"}, "password": {"x"}},
			map[string]string{"X-Forwarded-For": fmt.Sprintf("203.0.113.%d", i)})
		statuses = append(statuses, res.StatusCode)
	}
	want := []int{401, 401, 401, 429, 429}
	if fmt.Sprint(statuses) != fmt.Sprint(want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
}

func TestCSRF(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	c.signIn(models.RoleEditor)
	form := url.Values{"title": {"Forged"}, "new_outlet": {"X"}, "body": {"text"}, "status": {"published"}, "body_format": {"markdown"}}

	cases := []struct {
		name    string
		token   string
		headers map[string]string
		want    int
	}{
		{"missing token", "", nil, http.StatusForbidden},
		{"forged token", "not-the-token", nil, http.StatusForbidden},
		{"cross-site browser request", c.csrf, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same-site browser request without token", "", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
	}
	for _, tc := range cases {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if tc.token != "" {
			f.Set("_csrf", tc.token)
		}
		res := c.postRaw("/desk/articles", f, tc.headers)
		if res.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.want)
		}
	}
	articles, _, err := site.store.ListArticles(t.Context(), models.ArticleFilter{IncludeDrafts: true}, models.NewPage(1, 100))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range articles {
		if a.Title == "Forged" {
			t.Fatal("a forged request created an article")
		}
	}
	// With the token from the form, the same request goes through.
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	wantStatus(t, c.post("/desk/articles", f), http.StatusSeeOther)
}
