package handlers_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
)

// Expected statuses per role. For allowed roles the requests are chosen to
// change nothing (unknown ids, empty forms), so the status shows the request
// got past the role check and was then judged on its content.
type access struct {
	path                                          string // a concrete URL for the route
	anonymous, reader, factchecker, editor, admin int
}

// accessTable lists every route of the router. TestEveryRouteIsInTheAccessTable
// fails when a route is added without a row here.
func accessTable() map[string]access {
	const (
		ok        = http.StatusOK
		redirect  = http.StatusSeeOther // anonymous GET: sent to sign in
		unauth    = http.StatusUnauthorized
		forbidden = http.StatusForbidden
		notFound  = http.StatusNotFound
		invalid   = http.StatusUnprocessableEntity
	)
	return map[string]access{
		"GET /healthz":                        {"/healthz", ok, ok, ok, ok, ok},
		"GET /static/*":                       {"/static/nothing.css", notFound, notFound, notFound, notFound, notFound},
		"GET /":                               {"/", ok, ok, ok, ok, ok},
		"GET /articles/:id":                   {"/articles/1", ok, ok, ok, ok, ok},
		"GET /articles/:id/history":           {"/articles/1/history", ok, ok, ok, ok, ok},
		"GET /articles/:id/diff":              {"/articles/6/diff?from=1&to=2", ok, ok, ok, ok, ok},
		"GET /articles/:id/revisions/:number": {"/articles/6/revisions/1", ok, ok, ok, ok, ok},
		"GET /outlets/:slug":                  {"/outlets/meridian-wire", ok, ok, ok, ok, ok},
		"GET /signin":                         {"/signin", ok, redirect, redirect, redirect, redirect},
		"POST /signin":                        {"/signin", unauth, unauth, unauth, unauth, unauth},
		"POST /signout":                       {"/signout", redirect, redirect, redirect, redirect, redirect},
		"GET /desk/articles":                  {"/desk/articles", redirect, forbidden, forbidden, ok, ok},
		"GET /desk/articles/new":              {"/desk/articles/new", redirect, forbidden, forbidden, ok, ok},
		"POST /desk/articles":                 {"/desk/articles", unauth, forbidden, forbidden, invalid, invalid},
		"GET /desk/articles/:id/edit":         {"/desk/articles/1/edit", redirect, forbidden, forbidden, ok, ok},
		"POST /desk/articles/:id":             {"/desk/articles/1", unauth, forbidden, forbidden, invalid, invalid},
		"POST /desk/articles/:id/delete":      {"/desk/articles/99999/delete", unauth, forbidden, forbidden, notFound, notFound},
		"GET /admin/users":                    {"/admin/users", redirect, forbidden, forbidden, forbidden, ok},
		"GET /admin/users/new":                {"/admin/users/new", redirect, forbidden, forbidden, forbidden, ok},
		"POST /admin/users":                   {"/admin/users", unauth, forbidden, forbidden, forbidden, invalid},
		"POST /admin/users/:id/role":          {"/admin/users/99999/role", unauth, forbidden, forbidden, forbidden, invalid},
		"POST /admin/users/:id/status":        {"/admin/users/99999/status", unauth, forbidden, forbidden, forbidden, notFound},
		"GET /admin/articles/deleted":         {"/admin/articles/deleted", redirect, forbidden, forbidden, forbidden, ok},
		"POST /admin/articles/:id/restore":    {"/admin/articles/99999/restore", unauth, forbidden, forbidden, forbidden, notFound},
		"GET /admin/audit":                    {"/admin/audit", redirect, forbidden, forbidden, forbidden, ok},
	}
}

func TestEveryRouteIsInTheAccessTable(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	table := accessTable()
	var missing []string
	for _, r := range site.echo.Routes() {
		if strings.HasPrefix(r.Name, "github.com/labstack/echo") { // Echo's own 404/405 helpers
			continue
		}
		key := r.Method + " " + r.Path
		if _, ok := table[key]; !ok {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("routes missing from the access table:\n  %s", strings.Join(missing, "\n  "))
	}
}

func TestAccessMatrix(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	clients := map[string]*client{"anonymous": site.client()}
	for _, role := range models.Roles() {
		c := site.client()
		c.signIn(role)
		clients[string(role)] = c
	}
	clients["anonymous"].get("/signin") // the sign-in form gives it a CSRF token for its posts

	for key, want := range accessTable() {
		method, _, _ := strings.Cut(key, " ")
		expected := map[string]int{
			"anonymous": want.anonymous, "reader": want.reader, "factchecker": want.factchecker,
			"editor": want.editor, "admin": want.admin,
		}
		for _, who := range []string{"anonymous", "reader", "factchecker", "editor", "admin"} {
			if key == "POST /signout" && who != "anonymous" {
				continue // signing out would end the session the other rows need; covered in auth tests
			}
			c := clients[who]
			var res *response
			if method == http.MethodGet {
				res = c.get(want.path)
			} else {
				res = c.post(want.path, nil)
			}
			if res.StatusCode != expected[who] {
				t.Errorf("%s (%s) as %s: status %d, want %d", key, want.path, who, res.StatusCode, expected[who])
			}
			if expected[who] == http.StatusSeeOther && strings.HasPrefix(key, "GET /desk") || strings.HasPrefix(key, "GET /admin") && who == "anonymous" {
				if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/signin?next=") {
					t.Errorf("%s as %s: redirected to %q, want the sign-in page", key, who, loc)
				}
			}
			if expected[who] == http.StatusForbidden && res.doc != nil {
				if got := res.text("h1"); got != "You don’t have access to this page" {
					t.Errorf("%s as %s: 403 page heading %q", key, who, got)
				}
			}
		}
	}
}
