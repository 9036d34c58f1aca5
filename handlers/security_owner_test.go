package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
)

// The access matrix's owner dimension: routes that act on something a person
// owns (their annotations, their API tokens) are tried by each role on an
// object of their own and on someone else's. accessTable() covers every route
// by role; this table adds ownership for the routes where it matters.

// ownerRow gives the expected statuses for anonymous, reader, fact-checker,
// editor, admin; anonymous owns nothing, so its owner status is unused.
type ownerRow struct {
	route  string // as in accessTable(): "METHOD pattern"
	object string // "note", "private note" or "token"
	// read rows disclose rather than change: the object's text must reach its
	// owner only.
	read         bool
	owner, other [5]int
}

var ownerRoles = []string{"anonymous", "reader", "factchecker", "editor", "admin"}

func ownerTable() []ownerRow {
	const (
		na        = 0 // anonymous owns nothing
		ok        = http.StatusOK
		noContent = http.StatusNoContent
		redirect  = http.StatusSeeOther
		unauth    = http.StatusUnauthorized
		forbidden = http.StatusForbidden
		notFound  = http.StatusNotFound
	)
	return []ownerRow{
		// A reader's own note is a reply they wrote: readers cannot start notes.
		{"GET /annotations/:id/edit", "note", true, [5]int{na, ok, ok, ok, ok}, [5]int{redirect, forbidden, forbidden, forbidden, forbidden}},
		{"POST /annotations/:id/edit", "note", false, [5]int{na, redirect, redirect, redirect, redirect}, [5]int{unauth, forbidden, forbidden, forbidden, forbidden}},
		{"POST /annotations/:id/delete", "note", false, [5]int{na, redirect, redirect, redirect, redirect}, [5]int{unauth, forbidden, forbidden, forbidden, forbidden}},
		{"PUT /annotations/:id", "note", false, [5]int{na, ok, ok, ok, ok}, [5]int{unauth, forbidden, forbidden, forbidden, forbidden}},
		{"DELETE /annotations/:id", "note", false, [5]int{na, noContent, noContent, noContent, noContent}, [5]int{unauth, forbidden, forbidden, forbidden, forbidden}},
		// Replying and reporting are open to anyone who can see the note; a
		// reply takes no replies, so a reader's own reply refuses one, and an
		// author cannot report their own note.
		{"POST /annotations/:id/replies", "note", false, [5]int{na, forbidden, redirect, redirect, redirect}, [5]int{unauth, redirect, redirect, redirect, redirect}},
		{"POST /annotations/:id/flags", "note", false, [5]int{na, forbidden, forbidden, forbidden, forbidden}, [5]int{unauth, redirect, redirect, redirect, redirect}},
		// Someone else's private note does not exist for anyone but its author.
		{"GET /annotations/:id", "private note", true, [5]int{na, na, ok, ok, ok}, [5]int{notFound, notFound, notFound, notFound, notFound}},
		{"GET /annotations/:id/edit", "private note", true, [5]int{na, na, ok, ok, ok}, [5]int{redirect, notFound, notFound, notFound, notFound}},
		{"POST /annotations/:id/edit", "private note", false, [5]int{na, na, redirect, redirect, redirect}, [5]int{unauth, notFound, notFound, notFound, notFound}},
		{"POST /annotations/:id/delete", "private note", false, [5]int{na, na, redirect, redirect, redirect}, [5]int{unauth, notFound, notFound, notFound, notFound}},
		{"PUT /annotations/:id", "private note", false, [5]int{na, na, ok, ok, ok}, [5]int{unauth, notFound, notFound, notFound, notFound}},
		{"DELETE /annotations/:id", "private note", false, [5]int{na, na, noContent, noContent, noContent}, [5]int{unauth, notFound, notFound, notFound, notFound}},
		{"POST /annotations/:id/replies", "private note", false, [5]int{na, na, forbidden, forbidden, forbidden}, [5]int{unauth, notFound, notFound, notFound, notFound}},
		{"POST /annotations/:id/flags", "private note", false, [5]int{na, na, forbidden, forbidden, forbidden}, [5]int{unauth, notFound, notFound, notFound, notFound}},
		// Listings and exports answer everyone, with the private note for its author only.
		{"GET /articles/:id", "private note", true, [5]int{na, na, ok, ok, ok}, [5]int{ok, ok, ok, ok, ok}},
		{"GET /users/:id", "private note", true, [5]int{na, na, ok, ok, ok}, [5]int{ok, ok, ok, ok, ok}},
		{"GET /users/:id/annotations.csv", "private note", true, [5]int{na, na, ok, ok, ok}, [5]int{ok, ok, ok, ok, ok}},
		{"GET /users/:id/annotations.jsonld", "private note", true, [5]int{na, na, ok, ok, ok}, [5]int{ok, ok, ok, ok, ok}},
		{"GET /articles/:id/annotations/", "private note", true, [5]int{na, na, ok, ok, ok}, [5]int{ok, ok, ok, ok, ok}},
		// Tokens: the page is for staff; someone else's token is not found.
		{"POST /settings/tokens/:id/revoke", "token", false, [5]int{na, forbidden, redirect, redirect, redirect}, [5]int{unauth, forbidden, notFound, notFound, notFound}},
		{"GET /settings/tokens", "token", true, [5]int{na, forbidden, ok, ok, ok}, [5]int{redirect, forbidden, ok, ok, ok}},
	}
}

// ownedObject is a fresh object for one request, so every row starts clean.
type ownedObject struct {
	id      uint
	owner   *models.User
	ownerC  *client // signed in as the owner, to read the object's ETag
	secret  string  // text only the object holds
	article uint
}

type ownerFixture struct {
	site    *testSite
	users   map[string]*models.User
	clients map[string]*client
	other   *models.User // the author of everything "not owned"
	otherC  *client
	parent  uint // a public note by other that readers reply to
	n       int
}

func newOwnerFixture(t *testing.T) *ownerFixture {
	site := newTestSite(t, handlers.Config{})
	f := &ownerFixture{site: site, users: map[string]*models.User{}, clients: map[string]*client{}}
	ctx := t.Context()
	for _, a := range models.DemoAccounts() {
		u, err := site.store.UserByEmail(ctx, a.Email)
		if err != nil {
			t.Fatal(err)
		}
		f.users[string(a.Role)] = u
		c := site.client()
		c.signIn(a.Role)
		f.clients[string(a.Role)] = c
	}
	anon := site.client()
	anon.get("/signin") // a CSRF token for its posts
	f.clients["anonymous"] = anon

	const password = "another fact-checker's password"
	other, err := site.store.CreateUser(ctx, nil, models.NewUser{Email: "other@newsgloss.example", Name: "Olive Other", Password: password, Role: models.RoleFactChecker})
	if err != nil {
		t.Fatal(err)
	}
	f.other = other
	f.otherC = site.client()
	f.otherC.get("/signin")
	wantStatus(t, f.otherC.post("/signin", url.Values{"email": {other.Email}, "password": {password}}), http.StatusSeeOther)
	f.otherC.get("/")
	parent, err := site.store.CreateAnnotation(ctx, other, 2, models.AnnotationInput{Motivation: "commenting", Body: "Open for replies.", Visibility: "public", RepliesOpen: true})
	if err != nil {
		t.Fatal(err)
	}
	f.parent = parent.ID
	return f
}

// object makes a fresh object of the kind for its owner; ok is false when the
// owner's role cannot have one (readers write no private notes).
func (f *ownerFixture) object(t *testing.T, kind string, owner *models.User, ownerC *client) (ownedObject, bool) {
	t.Helper()
	ctx := t.Context()
	f.n++
	o := ownedObject{owner: owner, ownerC: ownerC, secret: fmt.Sprintf("owned-secret-%04d", f.n), article: 2}
	switch kind {
	case "note", "private note":
		visibility := "public"
		if kind == "private note" {
			visibility = "private"
		}
		if !owner.Has(models.RoleFactChecker) {
			if kind == "private note" {
				return o, false
			}
			a, err := f.site.store.CreateReply(ctx, owner, f.parent, models.AnnotationInput{Body: o.secret})
			if err != nil {
				t.Fatal(err)
			}
			o.id = a.ID
			return o, true
		}
		a, err := f.site.store.CreateAnnotation(ctx, owner, o.article, models.AnnotationInput{Motivation: "commenting", Body: o.secret, Visibility: visibility, RepliesOpen: true})
		if err != nil {
			t.Fatal(err)
		}
		o.id = a.ID
	case "token":
		if _, err := f.site.store.CreateAPIToken(ctx, owner, o.secret); err != nil {
			t.Fatal(err)
		}
		tokens, err := f.site.store.ListAPITokens(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range tokens {
			if tk.Name == o.secret {
				o.id = tk.ID
			}
		}
	default:
		t.Fatalf("unknown object kind %q", kind)
	}
	return o, true
}

// send makes the row's request on the object as c.
func (f *ownerFixture) send(t *testing.T, c *client, row ownerRow, o ownedObject) *response {
	t.Helper()
	method, pattern, _ := strings.Cut(row.route, " ")
	id := o.id
	switch {
	case strings.HasPrefix(pattern, "/articles/:id"):
		id = o.article
	case strings.HasPrefix(pattern, "/users/:id"):
		id = o.owner.ID
	}
	path := strings.Replace(pattern, ":id", fmt.Sprint(id), 1)
	switch {
	case method == http.MethodGet && strings.HasSuffix(pattern, "/annotations/"):
		// Every page of the container, as one body.
		first := c.apiRequest(method, path+"?page=0", "", nil)
		for n := 1; n < 100; n++ {
			next := c.apiRequest(method, fmt.Sprintf("%s?page=%d", path, n), "", nil)
			if next.StatusCode != http.StatusOK {
				break
			}
			first.body += next.body
		}
		return first
	case method == http.MethodGet:
		return c.get(path)
	case method == http.MethodPut:
		// The owner's current representation with a new body, and its ETag.
		cur := o.ownerC.apiRequest(http.MethodGet, path, "", nil)
		wantStatus(t, cur, http.StatusOK)
		doc := cur.jsonBody(t)
		doc["body"] = map[string]any{"type": "TextualBody", "value": "Rewritten by a PUT.", "format": "text/markdown"}
		b, _ := json.Marshal(doc)
		return c.apiRequest(method, path, string(b), map[string]string{"If-Match": cur.Header.Get("ETag")})
	case method == http.MethodDelete:
		return c.apiRequest(method, path, "", nil)
	}
	var form url.Values
	switch {
	case strings.HasSuffix(pattern, "/edit"):
		form = url.Values{"motivation": {"commenting"}, "body": {"Rewritten by the form."}, "visibility": {"public"}, "replies_open": {"1"}, "version": {"1"}}
	case strings.HasSuffix(pattern, "/delete"):
		form = url.Values{"version": {"1"}}
	case strings.HasSuffix(pattern, "/replies"):
		form = url.Values{"body": {"A reply."}}
	case strings.HasSuffix(pattern, "/flags"):
		form = url.Values{"reason": {"Off topic."}}
	}
	return c.post(path, form)
}

func TestOwnerAccessMatrix(t *testing.T) {
	t.Parallel()
	f := newOwnerFixture(t)
	rows := ownerTable()
	table := accessTable()
	checked := 0
	for _, row := range rows {
		if _, ok := table[row.route]; !ok {
			t.Errorf("%s is not a route in the access table", row.route)
			continue
		}
		for i, who := range ownerRoles {
			for _, mine := range []bool{true, false} {
				want := row.other[i]
				owner, ownerC := f.other, f.otherC
				if mine {
					if who == "anonymous" {
						continue
					}
					want, owner, ownerC = row.owner[i], f.users[who], f.clients[who]
				}
				o, exists := f.object(t, row.object, owner, ownerC)
				if !exists {
					if want != 0 {
						t.Errorf("%s on a %s as %s: the table expects %d but a %s has no %s", row.route, row.object, who, want, who, row.object)
					}
					continue
				}
				checked++
				label := fmt.Sprintf("%s on %s %s as %s", row.route, map[bool]string{true: "their own", false: "someone else's"}[mine], row.object, who)
				before := f.site.snapshot()
				res := f.send(t, f.clients[who], row, o)
				if res.StatusCode != want {
					t.Errorf("%s: status %d, want %d\n%s", label, res.StatusCode, want, truncate(res.body, 200))
				}
				success := res.StatusCode < 400
				if row.read {
					disclosed := strings.Contains(res.body, o.secret)
					if disclosed != (mine && success) {
						t.Errorf("%s: the object's text shown=%v, want %v", label, disclosed, mine && success)
					}
					continue
				}
				changed := before.changes(f.site.snapshot())
				if success && len(changed) == 0 {
					t.Errorf("%s: status %d but nothing changed", label, res.StatusCode)
				}
				if !success && len(changed) > 0 {
					t.Errorf("%s: refused with %d but the database changed: %v", label, res.StatusCode, changed)
				}
			}
		}
	}
	t.Logf("owner matrix: %d rows over %d routes, %d requests", len(rows), countRoutes(rows), checked)
}

func countRoutes(rows []ownerRow) int {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.route] = true
	}
	return len(seen)
}
