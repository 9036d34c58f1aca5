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
		ok         = http.StatusOK
		redirect   = http.StatusSeeOther // anonymous GET: sent to sign in
		unauth     = http.StatusUnauthorized
		forbidden  = http.StatusForbidden
		notFound   = http.StatusNotFound
		invalid    = http.StatusUnprocessableEntity
		badRequest = http.StatusBadRequest
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
		"GET /search":                         {"/search?q=summit", ok, ok, ok, ok, ok},
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

		// Annotation pages and forms. Demo note 1 is the fact-checker's public note on article 1.
		"GET /articles/:id/notes/new":         {"/articles/2/notes/new", redirect, forbidden, ok, ok, ok},
		"POST /articles/:id/notes":            {"/articles/2/notes", unauth, forbidden, invalid, invalid, invalid},
		"GET /annotations/:id":                {"/annotations/1", ok, ok, ok, ok, ok},
		"GET /annotations/:id/edit":           {"/annotations/1/edit", redirect, forbidden, ok, forbidden, forbidden},
		"POST /annotations/:id/edit":          {"/annotations/99999/edit", unauth, notFound, notFound, notFound, notFound},
		"POST /annotations/:id/delete":        {"/annotations/99999/delete", unauth, notFound, notFound, notFound, notFound},
		"POST /annotations/:id/replies":       {"/annotations/99999/replies", unauth, notFound, notFound, notFound, notFound},
		"POST /annotations/:id/flags":         {"/annotations/99999/flags", unauth, notFound, notFound, notFound, notFound},
		"POST /annotations/:id/flags/dismiss": {"/annotations/99999/flags/dismiss", unauth, forbidden, forbidden, notFound, notFound},
		"POST /annotations/:id/moderation":    {"/annotations/99999/moderation", unauth, forbidden, forbidden, invalid, invalid},
		"POST /annotations/:id/restore":       {"/annotations/99999/restore", unauth, notFound, notFound, notFound, notFound},
		"POST /annotations/:id/confirm":       {"/annotations/99999/confirm", unauth, forbidden, notFound, notFound, notFound},
		"POST /annotations/:id/replace":       {"/annotations/99999/replace", unauth, forbidden, notFound, notFound, notFound},
		"GET /desk/moderation":                {"/desk/moderation", redirect, forbidden, forbidden, ok, ok},
		"GET /users/:id":                      {"/users/2", ok, ok, ok, ok, ok},
		"GET /settings/tokens":                {"/settings/tokens", redirect, forbidden, ok, ok, ok},
		"POST /settings/tokens":               {"/settings/tokens", unauth, forbidden, invalid, invalid, invalid},
		"POST /settings/tokens/:id/revoke":    {"/settings/tokens/99999/revoke", unauth, forbidden, notFound, notFound, notFound},

		// The W3C Web Annotation Protocol and exports.
		"GET /articles/:id/annotations/":       {"/articles/1/annotations/", ok, ok, ok, ok, ok},
		"HEAD /articles/:id/annotations/":      {"/articles/1/annotations/", ok, ok, ok, ok, ok},
		"OPTIONS /articles/:id/annotations/":   {"/articles/1/annotations/", ok, ok, ok, ok, ok},
		"POST /articles/:id/annotations/":      {"/articles/1/annotations/", unauth, forbidden, badRequest, badRequest, badRequest},
		"HEAD /annotations/:id":                {"/annotations/1", ok, ok, ok, ok, ok},
		"OPTIONS /annotations/:id":             {"/annotations/1", ok, ok, ok, ok, ok},
		"PUT /annotations/:id":                 {"/annotations/99999", unauth, notFound, notFound, notFound, notFound},
		"DELETE /annotations/:id":              {"/annotations/99999", unauth, notFound, notFound, notFound, notFound},
		"GET /articles/:id/annotations.jsonld": {"/articles/1/annotations.jsonld", ok, ok, ok, ok, ok},
		"GET /articles/:id/annotations.csv":    {"/articles/1/annotations.csv", ok, ok, ok, ok, ok},
		"GET /users/:id/annotations.jsonld":    {"/users/2/annotations.jsonld", ok, ok, ok, ok, ok},
		"GET /users/:id/annotations.csv":       {"/users/2/annotations.csv", ok, ok, ok, ok, ok},

		// Importing articles. The demo has no feeds, so "check feeds now" changes nothing.
		"GET /desk/import":                         {"/desk/import", redirect, forbidden, forbidden, ok, ok},
		"POST /desk/import":                        {"/desk/import", unauth, forbidden, forbidden, invalid, invalid},
		"GET /desk/import/candidates":              {"/desk/import/candidates", redirect, forbidden, forbidden, ok, ok},
		"POST /desk/import/candidates/:id/import":  {"/desk/import/candidates/99999/import", unauth, forbidden, forbidden, notFound, notFound},
		"POST /desk/import/candidates/:id/dismiss": {"/desk/import/candidates/99999/dismiss", unauth, forbidden, forbidden, notFound, notFound},
		"POST /desk/import/candidates/:id/restore": {"/desk/import/candidates/99999/restore", unauth, forbidden, forbidden, notFound, notFound},
		"POST /desk/import/refresh":                {"/desk/import/refresh", unauth, forbidden, forbidden, redirect, redirect},
		"GET /admin/feeds":                         {"/admin/feeds", redirect, forbidden, forbidden, forbidden, ok},
		"POST /admin/feeds":                        {"/admin/feeds", unauth, forbidden, forbidden, forbidden, invalid},
		"POST /admin/feeds/:id/delete":             {"/admin/feeds/99999/delete", unauth, forbidden, forbidden, forbidden, notFound},
		"GET /admin/import":                        {"/admin/import", redirect, forbidden, forbidden, forbidden, ok},
		"POST /admin/import":                       {"/admin/import", unauth, forbidden, forbidden, forbidden, invalid},
		"GET /admin/import/jobs/:id":               {"/admin/import/jobs/99999", redirect, forbidden, forbidden, forbidden, notFound},
		"POST /admin/import/settings":              {"/admin/import/settings", unauth, forbidden, forbidden, forbidden, redirect},

		// Tagging claims and events, their pages, curated timelines.
		"GET /articles/:id/tag":                  {"/articles/2/tag", redirect, forbidden, forbidden, ok, ok},
		"POST /articles/:id/tag":                 {"/articles/2/tag", unauth, forbidden, forbidden, invalid, invalid},
		"POST /articles/:id/suggestions/dismiss": {"/articles/2/suggestions/dismiss", unauth, forbidden, forbidden, invalid, invalid},
		"GET /claims/:id":                        {"/claims/1", ok, ok, ok, ok, ok},
		"POST /claims/:id/stance":                {"/claims/99999/stance", unauth, forbidden, forbidden, invalid, invalid},
		"GET /events/:id":                        {"/events/1", ok, ok, ok, ok, ok},
		"POST /events/:id/status":                {"/events/99999/status", unauth, forbidden, forbidden, invalid, invalid},
		"GET /desk/timelines/new":                {"/desk/timelines/new", redirect, forbidden, forbidden, ok, ok},
		"POST /desk/timelines":                   {"/desk/timelines", unauth, forbidden, forbidden, invalid, invalid},
		"POST /entities/:slug/aliases":           {"/entities/teodor-rask/aliases", unauth, forbidden, forbidden, invalid, invalid},
		"POST /entities/:slug/roles":             {"/entities/teodor-rask/roles", unauth, forbidden, forbidden, invalid, invalid},
		"POST /desk/timelines/entries":           {"/desk/timelines/entries", unauth, forbidden, forbidden, notFound, notFound},

		// Fact-checks. Demo fact-check 1 is published (and corrected); claim 1 has no verdict.
		"GET /factchecks":                      {"/factchecks", ok, ok, ok, ok, ok},
		"GET /factchecks/feed.atom":            {"/factchecks/feed.atom", ok, ok, ok, ok, ok},
		"GET /factchecks/:id":                  {"/factchecks/1", ok, ok, ok, ok, ok},
		"GET /desk/factchecks":                 {"/desk/factchecks", redirect, forbidden, ok, ok, ok},
		"GET /desk/factchecks/new":             {"/desk/factchecks/new?claim=1", redirect, forbidden, ok, ok, ok},
		"POST /desk/factchecks":                {"/desk/factchecks", unauth, forbidden, invalid, invalid, invalid},
		"GET /desk/factchecks/:id":             {"/desk/factchecks/1", redirect, forbidden, ok, ok, ok},
		"POST /desk/factchecks/:id":            {"/desk/factchecks/99999", unauth, forbidden, notFound, notFound, notFound},
		"POST /desk/factchecks/:id/steps":      {"/desk/factchecks/99999/steps", unauth, forbidden, notFound, notFound, notFound},
		"POST /claims/:id/assign":              {"/claims/99999/assign", unauth, forbidden, invalid, invalid, invalid},
		"GET /admin/rating-scale":              {"/admin/rating-scale", redirect, forbidden, forbidden, forbidden, ok},
		"POST /admin/rating-scale":             {"/admin/rating-scale", unauth, forbidden, forbidden, forbidden, invalid},
		"POST /admin/rating-scale/:id":         {"/admin/rating-scale/99999", unauth, forbidden, forbidden, forbidden, invalid},
		"POST /admin/rating-scale/:id/retired": {"/admin/rating-scale/99999/retired", unauth, forbidden, forbidden, forbidden, notFound},
		"POST /admin/rating-scale/:id/delete":  {"/admin/rating-scale/99999/delete", unauth, forbidden, forbidden, forbidden, notFound},
		"POST /admin/rating-scale/:id/restore": {"/admin/rating-scale/99999/restore", unauth, forbidden, forbidden, forbidden, notFound},
		"GET /admin/settings":                  {"/admin/settings", redirect, forbidden, forbidden, forbidden, ok},
		"POST /admin/settings":                 {"/admin/settings", unauth, forbidden, forbidden, forbidden, invalid},

		// Timelines, entity, tag and place pages, their feeds and TimelineJS data, and the JSON API (public).
		"GET /timelines":                     {"/timelines", ok, ok, ok, ok, ok},
		"GET /timelines/:slug":               {"/timelines/aldervane-kessari-talks-2025", ok, ok, ok, ok, ok},
		"GET /timelines/:slug/feed.atom":     {"/timelines/aldervane-kessari-talks-2025/feed.atom", ok, ok, ok, ok, ok},
		"GET /timelines/:slug/timeline.json": {"/timelines/aldervane-kessari-talks-2025/timeline.json", ok, ok, ok, ok, ok},
		"GET /entities/:slug":                {"/entities/teodor-rask", ok, ok, ok, ok, ok},
		"GET /entities/:slug/feed.atom":      {"/entities/teodor-rask/feed.atom", ok, ok, ok, ok, ok},
		"GET /entities/:slug/timeline.json":  {"/entities/teodor-rask/timeline.json", ok, ok, ok, ok, ok},
		"GET /tags/:slug":                    {"/tags/summit", ok, ok, ok, ok, ok},
		"GET /tags/:slug/feed.atom":          {"/tags/summit/feed.atom", ok, ok, ok, ok, ok},
		"GET /tags/:slug/timeline.json":      {"/tags/summit/timeline.json", ok, ok, ok, ok, ok},
		"GET /places/:slug":                  {"/places/tiverne", ok, ok, ok, ok, ok},
		"GET /places/:slug/feed.atom":        {"/places/tiverne/feed.atom", ok, ok, ok, ok, ok},
		"GET /places/:slug/timeline.json":    {"/places/tiverne/timeline.json", ok, ok, ok, ok, ok},
		"GET /api/claims":                    {"/api/claims", ok, ok, ok, ok, ok},
		"GET /api/claims/:id":                {"/api/claims/1", ok, ok, ok, ok, ok},
		"GET /api/events":                    {"/api/events", ok, ok, ok, ok, ok},
		"GET /api/events/:id":                {"/api/events/1", ok, ok, ok, ok, ok},
		"GET /api/entities":                  {"/api/entities", ok, ok, ok, ok, ok},
		"GET /api/entities/:slug":            {"/api/entities/teodor-rask", ok, ok, ok, ok, ok},
		"GET /api/timelines":                 {"/api/timelines", ok, ok, ok, ok, ok},
		"GET /api/timelines/:slug":           {"/api/timelines/aldervane-kessari-talks-2025", ok, ok, ok, ok, ok},
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
			// The annotation protocol's own routes are called as an API client would.
			api := strings.HasSuffix(want.path, "/annotations/") ||
				(strings.HasPrefix(want.path, "/annotations/") && method != http.MethodGet && method != http.MethodPost)
			switch {
			case api:
				req, _ := http.NewRequest(method, site.srv.URL+want.path, strings.NewReader("{}"))
				req.Header.Set("Accept", "application/ld+json")
				req.Header.Set("Content-Type", "application/ld+json")
				req.Header.Set("X-CSRF-Token", c.csrf)
				res = c.do(req)
			case method == http.MethodGet:
				res = c.get(want.path)
			default:
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
