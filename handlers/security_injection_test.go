package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsgloss/handlers"
	"newsgloss/importer"
	"newsgloss/models"
)

// hostileValues are inputs that break programs which build SQL, full-text
// queries, paths, headers or numbers from text: quotes, SQL fragments, FTS5
// syntax, path traversal, null bytes (escaped and raw), an over-long value,
// invalid UTF-8, numbers out of range, LIKE wildcards and control characters.
func hostileValues() []string {
	return []string{
		`'`,
		`' OR 1=1 --`,
		`" OR ""="`,
		`'; DROP TABLE articles; --`,
		`1 UNION SELECT email, password_hash FROM users --`,
		`"unterminated`,
		`NEAR(`,
		`*`,
		`^`,
		`title:secret OR body:* NOT`,
		`a AND OR NOT ( ) { } : + -`,
		`../../etc/passwd`,
		`..%2F..%2F..%2Fetc%2Fpasswd`,
		`%00`,
		"before\x00after",
		strings.Repeat("A", 100_000),
		"\xff\xfe\xfd",
		"caf\xc3\x28 \xed\xa0\x80",
		`-1`,
		`0`,
		`99999999999999999999999999`,
		`1e309`,
		`NaN`,
		`%_%`,
		`\`,
		"line\r\nSet-Cookie: injected=1",
		`9999-99-99`,
		"\u202e\ufeff\U0001F600",
	}
}

// describe shortens a hostile value for messages.
func describe(v string) string {
	if len(v) > 40 {
		return fmt.Sprintf("%q… (%d bytes)", v[:20], len(v))
	}
	return fmt.Sprintf("%q", v)
}

// formsByRoute finds, on the site's own pages, the POST forms and their
// fields, grouped by the route their action matches.
func formsByRoute(site *testSite, c *client) map[string][]string {
	site.t.Helper()
	routes := site.routes()
	fields := map[string]map[string]bool{}
	for _, r := range routes {
		if r.method != http.MethodGet || strings.HasPrefix(r.pattern, "/static") {
			continue
		}
		res := c.get(r.path)
		if res.doc == nil {
			continue
		}
		res.doc.Find(`form[method="post"]`).Each(func(_ int, s *goquery.Selection) {
			action, _ := s.Attr("action")
			key := matchRoute(routes, http.MethodPost, action)
			if key == "" {
				return
			}
			if fields[key] == nil {
				fields[key] = map[string]bool{}
			}
			s.Find("input[name], textarea[name], select[name]").Each(func(_ int, in *goquery.Selection) {
				if name, _ := in.Attr("name"); name != "_csrf" {
					fields[key][name] = true
				}
			})
		})
	}
	out := map[string][]string{}
	for key, set := range fields {
		for f := range set {
			out[key] = append(out[key], f)
		}
		sort.Strings(out[key])
	}
	return out
}

// matchRoute finds the route whose pattern matches a concrete path.
func matchRoute(routes []route, method, path string) string {
	path, _, _ = strings.Cut(path, "?")
	got := strings.Split(path, "/")
	var best string
	bestParams := 99
	for _, r := range routes {
		if r.method != method {
			continue
		}
		pat := strings.Split(r.pattern, "/")
		if len(pat) != len(got) {
			continue
		}
		params, ok := 0, true
		for i := range pat {
			switch {
			case strings.HasPrefix(pat[i], ":"):
				params++
			case pat[i] != got[i]:
				ok = false
			}
		}
		if ok && params < bestParams { // a literal segment beats a parameter
			best, bestParams = r.key(), params
		}
	}
	return best
}

// fieldBatches splits the fields so that a request with each set to value
// stays under the site's 1 MB body limit (the over-long value would otherwise
// be refused whole, before any handler saw it).
func fieldBatches(fields []string, value string) [][]string {
	per := max(1, 900_000/(len(url.QueryEscape(value))+32))
	var out [][]string
	for len(fields) > per {
		out = append(out, fields[:per])
		fields = fields[per:]
	}
	return append(out, fields)
}

// headerInjected reports a response that let a value write a header.
func headerInjected(res *response) bool {
	for _, ck := range res.Cookies() {
		if ck.Name == "injected" {
			return true
		}
	}
	return res.Header.Get("injected") != ""
}

// TestHostileQueryParametersAndPaths sends every hostile value in every query
// parameter the site's pages use, to every GET route, and in place of every
// route's path parameters: never a server error, never a forged header, and
// the database is the same afterwards.
func TestHostileQueryParametersAndPaths(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{})
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	params, _ := discoverFields(site, admin)
	values := hostileValues()
	before := site.snapshot()
	requests, pathRoutes := 0, 0
	for _, r := range site.routes() {
		if r.method != http.MethodGet {
			continue
		}
		pathParams := withPathValue(r, "x") != ""
		if pathParams {
			pathRoutes++
		}
		for _, v := range values {
			var targets []string
			// URLs are bounded too (1 MB of headers): the over-long value goes
			// to a few parameters at a time.
			for _, batch := range fieldBatches(params, v) {
				targets = append(targets, withParams(r.path, batch, v))
			}
			if pathParams {
				targets = append(targets, withPathValue(r, v))
			}
			for _, target := range targets {
				req, err := http.NewRequest(http.MethodGet, site.srv.URL+target, nil)
				if err != nil {
					t.Fatalf("%s: %v", target, err)
				}
				req.Header.Set("Accept", "text/html")
				res := admin.do(req)
				requests++
				if res.StatusCode >= 500 {
					t.Errorf("%s with %s: status %d", r.key(), describe(v), res.StatusCode)
				}
				if headerInjected(res) {
					t.Errorf("%s with %s: a header was injected", r.key(), describe(v))
				}
			}
		}
	}
	if changed := before.changes(site.snapshot()); len(changed) > 0 {
		t.Errorf("GET requests with hostile values changed the database: %v", changed)
	}
	t.Logf("%d hostile values × %d query parameters on every GET route, and in the path of %d routes: %d requests",
		len(values), len(params), pathRoutes, requests)
}

// TestHostileFormFields sends every hostile value in every field of every
// state-changing route (the fields of the route's own forms, or every field
// the site uses where no page shows its form), as an admin with a valid
// token. Never a server error; a refused request changes nothing; an accepted
// one (a token may well be named "' OR 1=1 --") only adds records, and leaves
// every existing one as it was.
func TestHostileFormFields(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{SignInBurst: 40}) // every value reaches the sign-in handler
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	_, allFields := discoverFields(site, admin)
	forms := formsByRoute(site, admin)
	values := hostileValues()
	pairs, requests := 0, 0
	cur := site.snapshot()
	for _, r := range site.routes() {
		if !isStateChanging(r.method) || r.pattern == "/signout" {
			continue
		}
		fields := forms[r.key()]
		if len(fields) == 0 {
			fields = allFields
		}
		if isAPIRoute(r) {
			fields = []string{"motivation", "body.value", "body.format", "target.source", "target.selector.exact", "id"}
		}
		pairs += len(fields)
		refusedOnly := true
		for _, v := range values {
			for _, batch := range fieldBatches(fields, v) {
				var res *response
				if isAPIRoute(r) {
					res = admin.apiRequest(r.method, r.path, hostileAnnotation(site, batch, v), map[string]string{"If-Match": `"1-000000000000"`})
				} else {
					form := url.Values{}
					for _, f := range batch {
						form.Set(f, v)
						// An address the importer would fetch goes behind a blocked
						// address instead: the test must not reach a resolver.
						if _, err := importer.ParseWebURL(v); f == "url" && err == nil {
							form.Set(f, "http://127.0.0.1/?v="+url.QueryEscape(v))
						}
					}
					res = admin.post(r.path, form)
					if r.method != http.MethodPost {
						t.Fatalf("%s: form routes are POST only", r.key())
					}
				}
				requests++
				label := fmt.Sprintf("%s (%s) with %s in %d fields", r.key(), r.path, describe(v), len(batch))
				if res.StatusCode >= 500 {
					t.Errorf("%s: status %d\n%s", label, res.StatusCode, truncate(res.body, 300))
				}
				if headerInjected(res) {
					t.Errorf("%s: a header was injected", label)
				}
				if res.StatusCode < 400 {
					refusedOnly = false
					next := site.snapshot()
					for _, table := range mayAlter[r.key()] {
						delete(cur.rows, table)
					}
					if lost := cur.lost(next); len(lost) > 0 {
						t.Errorf("%s: accepted (%d) and altered existing records: %v", label, res.StatusCode, lost)
					}
					cur = next
				}
			}
		}
		next := site.snapshot()
		if refusedOnly {
			if changed := cur.changes(next); len(changed) > 0 {
				t.Errorf("%s: every request was refused but the database changed: %v", r.key(), changed)
			}
		}
		cur = next
	}
	if !admin.signedInAs(models.RoleAdmin) {
		t.Error("the hostile requests ended the admin's session")
	}
	t.Logf("%d hostile values × %d route fields = %d combinations, in %d requests", len(values), pairs, len(values)*pairs, requests)
}

// mayAlter lists, for the routes whose purpose is to update existing
// records whatever the form says, the tables they update.
var mayAlter = map[string][]string{
	"POST /desk/import/refresh": {"feeds", "feed_items"}, // checking feeds stamps each one
}

// hostileAnnotation is a W3C annotation with the value in the named fields
// (encoded as JSON, so invalid UTF-8 arrives as U+FFFD, as any JSON would).
func hostileAnnotation(site *testSite, fields []string, v string) string {
	doc := map[string]any{
		"@context":   "http://www.w3.org/ns/anno.jsonld",
		"type":       "Annotation",
		"motivation": "commenting",
		"body":       map[string]any{"type": "TextualBody", "value": "text", "format": "text/plain"},
		"target": map[string]any{"source": site.srv.URL + "/articles/1",
			"selector": map[string]any{"type": "TextQuoteSelector", "exact": "Kessari"}},
	}
	for _, f := range fields {
		m := doc
		parts := strings.Split(f, ".")
		for _, p := range parts[:len(parts)-1] {
			m = m[p].(map[string]any)
		}
		m[parts[len(parts)-1]] = v
	}
	b, _ := json.Marshal(doc)
	return string(b)
}
