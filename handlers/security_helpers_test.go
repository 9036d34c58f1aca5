package handlers_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsgloss/models"
	"newsgloss/models/testdb"
)

// Helpers shared by the security_*_test.go files: a snapshot of every row in
// the database (to prove a refused request changed nothing), the list of the
// router's routes with the concrete URLs of the access table, and an HTML
// checker that finds anything executable in a rendered page.
//
// The security tests send thousands of requests; each has a site and a
// database of its own, so they run in parallel with each other.

// dbSnapshot holds the sorted hashes of every table's rows.
type dbSnapshot struct {
	rows map[string][]string
	// derived tables are maintained by triggers (search indexes): a change to
	// a record rewrites its rows there, so they are not records themselves.
	derived map[string]bool
}

// volatileTables change on any request by design (signing in creates a
// session, and every sign-in attempt counts against the rate limit; on
// PostgreSQL either moves the data_version counter).
var volatileTables = map[string]bool{"sessions": true, "data_version": true, "rate_limits": true}

// snapshot reads every row of every table straight from the database,
// through a connection of its own.
func (s *testSite) snapshot() dbSnapshot {
	s.t.Helper()
	if testdb.Postgres() {
		return s.postgresSnapshot()
	}
	// Read-only and without the app's connection settings: setting the journal
	// mode would wait for the writer's lock.
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(s.target)+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'trigger') AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		s.t.Fatal(err)
	}
	var tables []string
	virtual := map[string]bool{}
	var triggers []string
	for rows.Next() {
		var typ, name string
		var ddl sql.NullString
		if err := rows.Scan(&typ, &name, &ddl); err != nil {
			s.t.Fatal(err)
		}
		switch {
		case typ == "trigger":
			triggers = append(triggers, ddl.String)
		case strings.HasPrefix(strings.ToUpper(ddl.String), "CREATE VIRTUAL TABLE"):
			virtual[name] = true
			tables = append(tables, name)
		default:
			tables = append(tables, name)
		}
	}
	rows.Close()
	return readSnapshot(s.t, db, tables, virtual, triggerTargets(triggers))
}

// postgresSnapshot is snapshot on PostgreSQL: the tables of the test's
// schema, with the tables its trigger functions write marked derived.
func (s *testSite) postgresSnapshot() dbSnapshot {
	s.t.Helper()
	db, err := sql.Open("pgx", s.target)
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	var tables, bodies []string
	for q, into := range map[string]*[]string{
		"SELECT tablename FROM pg_tables WHERE schemaname = current_schema()": &tables,
		`SELECT DISTINCT p.prosrc FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
			JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND NOT g.tgisinternal`: &bodies,
	} {
		rows, err := db.Query(q)
		if err != nil {
			s.t.Fatal(err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				s.t.Fatal(err)
			}
			*into = append(*into, v)
		}
		rows.Close()
	}
	return readSnapshot(s.t, db, tables, nil, triggerTargets(bodies))
}

// readSnapshot hashes the rows of tables, leaving out volatile tables and
// full-text shadow tables, and marking what triggers write as derived.
func readSnapshot(t *testing.T, db *sql.DB, tables []string, virtual, written map[string]bool) dbSnapshot {
	snap := dbSnapshot{rows: map[string][]string{}, derived: map[string]bool{}}
	for _, table := range tables {
		if volatileTables[table] || isShadowTable(table, virtual) {
			continue
		}
		snap.rows[table] = tableRows(t, db, table)
		if virtual[table] || written[strings.ToLower(table)] {
			snap.derived[table] = true
		}
	}
	return snap
}

// triggerWrite finds the tables a trigger's body writes to.
var triggerWrite = regexp.MustCompile("(?is)\\b(?:INSERT(?:\\s+OR\\s+\\w+)?\\s+INTO|REPLACE\\s+INTO|UPDATE(?:\\s+OR\\s+\\w+)?|DELETE\\s+FROM)\\s+[\"`]?(\\w+)")

// triggerTargets lists the tables that triggers insert into, update or delete from.
func triggerTargets(triggers []string) map[string]bool {
	out := map[string]bool{}
	for _, ddl := range triggers {
		if i := strings.Index(strings.ToUpper(ddl), "BEGIN"); i >= 0 {
			for _, m := range triggerWrite.FindAllStringSubmatch(ddl[i:], -1) {
				out[strings.ToLower(m[1])] = true
			}
		}
	}
	return out
}

// isShadowTable tells the internal tables of a full-text index (name_data,
// name_idx, …): their pages are rewritten by merges, so they are compared
// through the virtual table itself.
func isShadowTable(table string, virtual map[string]bool) bool {
	for v := range virtual {
		if strings.HasPrefix(table, v+"_") {
			return true
		}
	}
	return false
}

func tableRows(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		out = append(out, rowHash(vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	sort.Strings(out)
	return out
}

// rowHash hashes a row's values with their types, so "1" and 1 differ.
func rowHash(vals []any) string {
	h := sha256.New()
	var buf [8]byte
	for _, v := range vals {
		var b []byte
		switch x := v.(type) {
		case nil:
			b = []byte{0}
		case []byte:
			b = append([]byte{1}, x...)
		case string:
			b = append([]byte{2}, x...)
		case int64:
			binary.LittleEndian.PutUint64(buf[:], uint64(x))
			b = append([]byte{3}, buf[:]...)
		case float64:
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
			b = append([]byte{4}, buf[:]...)
		case time.Time:
			b = append([]byte{5}, x.UTC().Format(time.RFC3339Nano)...)
		default:
			b = fmt.Appendf([]byte{6}, "%v", x)
		}
		binary.LittleEndian.PutUint64(buf[:], uint64(len(b)))
		h.Write(buf[:])
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// changes lists the tables whose rows differ between two snapshots.
func (before dbSnapshot) changes(after dbSnapshot) []string {
	var out []string
	for table, rows := range before.rows {
		if !slices.Equal(rows, after.rows[table]) {
			out = append(out, fmt.Sprintf("%s (%d rows, now %d)", table, len(rows), len(after.rows[table])))
		}
	}
	for table := range after.rows {
		if _, ok := before.rows[table]; !ok {
			out = append(out, table+" (new table)")
		}
	}
	sort.Strings(out)
	return out
}

// lost lists the tables where a row that existed before is gone or altered:
// requests that may add records must still leave every other one alone.
// Derived tables (search indexes) follow the records and are left out.
func (before dbSnapshot) lost(after dbSnapshot) []string {
	var out []string
	for table, rows := range before.rows {
		if before.derived[table] {
			continue
		}
		have := map[string]int{}
		for _, r := range after.rows[table] {
			have[r]++
		}
		missing := 0
		for _, r := range rows {
			if have[r] == 0 {
				missing++
			} else {
				have[r]--
			}
		}
		if missing > 0 {
			out = append(out, fmt.Sprintf("%s (%d of %d rows gone or altered)", table, missing, len(rows)))
		}
	}
	sort.Strings(out)
	return out
}

// route is one route of the router with the concrete URL the access table gives it.
type route struct {
	method, pattern, path string
}

func (r route) key() string { return r.method + " " + r.pattern }

// routes lists the router's own routes (not Echo's internal ones), sorted,
// each with its URL from accessTable(); a route missing from the table fails
// TestEveryRouteIsInTheAccessTable and is skipped here.
func (s *testSite) routes() []route {
	table := accessTable()
	var out []route
	for _, r := range s.echo.Routes() {
		if strings.HasPrefix(r.Name, "github.com/labstack/echo") {
			continue
		}
		a, ok := table[r.Method+" "+r.Path]
		if !ok {
			continue
		}
		out = append(out, route{method: r.Method, pattern: r.Path, path: a.path})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out
}

func isStateChanging(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}

// isAPIRoute tells the annotation protocol's routes, which take JSON-LD rather
// than forms.
func isAPIRoute(r route) bool {
	return strings.HasSuffix(r.pattern, "/annotations/") ||
		(r.pattern == "/annotations/:id" && r.method != http.MethodGet && r.method != http.MethodPost)
}

// unsafeMarkup parses an HTML page and returns everything in it that could
// run script or load active content: script elements other than our own
// external scripts and JSON-LD data, event-handler attributes, URLs with an
// executable scheme, frames, objects, style elements, <base>, and meta
// refreshes that go anywhere. The parser decodes entities exactly as a browser
// does, so encoded schemes are caught too.
func unsafeMarkup(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"unparseable HTML: " + err.Error()}
	}
	return unsafeNodes(doc)
}

// unsafeFragment checks an HTML fragment (a feed entry, a TimelineJS slide).
func unsafeFragment(fragment string) []string {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return []string{"unparseable HTML: " + err.Error()}
	}
	var out []string
	for _, n := range nodes {
		out = append(out, unsafeNodes(n)...)
	}
	return out
}

// urlAttributes are the attributes that browsers load or navigate to.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "data": true, "poster": true,
	"background": true, "cite": true, "ping": true, "srcset": true, "xlink:href": true, "lowsrc": true,
	"dynsrc": true, "codebase": true, "longdesc": true, "manifest": true, "icon": true,
}

var bannedElements = map[string]bool{
	"iframe": true, "frame": true, "frameset": true, "object": true, "embed": true, "applet": true,
	"style": true, "base": true, "math": true, "isindex": true, "portal": true, "template": true,
	// Our pages draw charts in inline SVG; these SVG elements could load or
	// animate a link into something executable.
	"foreignobject": true, "animate": true, "set": true, "animatemotion": true, "animatetransform": true,
	"use": true, "handler": true, "listener": true, "image": true,
}

func unsafeNodes(root *html.Node) []string {
	var out []string
	report := func(n *html.Node, why string) {
		var b strings.Builder
		_ = html.Render(&b, &html.Node{Type: n.Type, Data: n.Data, Attr: n.Attr, Namespace: n.Namespace})
		out = append(out, why+": "+truncate(b.String(), 160))
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := strings.ToLower(n.Data)
			switch {
			case name == "script":
				checkScript(n, report)
			case bannedElements[name]:
				report(n, "active element <"+name+">")
			case name == "meta":
				for _, a := range n.Attr {
					if strings.EqualFold(a.Key, "http-equiv") && !strings.EqualFold(a.Val, "refresh") {
						report(n, "meta http-equiv")
					}
					if strings.EqualFold(a.Key, "http-equiv") && strings.EqualFold(a.Val, "refresh") && !isDigits(attrValue(n, "content")) {
						report(n, "meta refresh to an address")
					}
				}
			case name == "link":
				if rel := strings.ToLower(attrValue(n, "rel")); rel == "import" || strings.Contains(rel, "stylesheet") && !strings.HasPrefix(attrValue(n, "href"), "/static/") {
					report(n, "foreign stylesheet or import")
				}
			case name == "form":
				if a := attrValue(n, "action"); a != "" && (!strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") || strings.HasPrefix(a, "/\\")) {
					report(n, "form posting off the site")
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if a.Namespace != "" {
					key = a.Namespace + ":" + key
				}
				if strings.HasPrefix(key, "on") {
					report(n, "event handler attribute "+key)
				}
				if key == "style" {
					report(n, "inline style attribute")
				}
				if urlAttributes[key] || strings.HasSuffix(key, ":href") {
					for _, u := range splitSrcset(key, a.Val) {
						if s := executableScheme(u); s != "" {
							report(n, s+" URL in "+key)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

// checkScript allows our own external scripts and JSON-LD data blocks only.
func checkScript(n *html.Node, report func(*html.Node, string)) {
	typ := strings.ToLower(strings.TrimSpace(attrValue(n, "type")))
	src, hasSrc := attrOK(n, "src")
	var text strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		text.WriteString(c.Data)
	}
	switch {
	case hasSrc && strings.HasPrefix(src, "/static/") && !strings.HasPrefix(src, "//") && strings.TrimSpace(text.String()) == "" && typ == "":
	case !hasSrc && typ == "application/ld+json":
		body := text.String()
		if strings.Contains(strings.ToLower(body), "</script") || strings.Contains(strings.ToLower(body), "<!--") {
			report(n, "JSON-LD with markup that ends the script")
		}
		if !json.Valid([]byte(body)) {
			report(n, "JSON-LD that is not JSON")
		}
	default:
		report(n, "script element")
	}
}

func splitSrcset(key, val string) []string {
	if key != "srcset" {
		return []string{val}
	}
	var out []string
	for _, part := range strings.Split(val, ",") {
		if f := strings.Fields(part); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}

// executableScheme returns the scheme of a URL a browser would run or render
// as a document ("javascript", "data", "vbscript"), after the clean-up a
// browser's URL parser does: leading and trailing controls and spaces go,
// tabs and newlines anywhere are dropped, case is ignored.
func executableScheme(u string) string {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	scheme, _, ok := strings.Cut(strings.ToLower(u), ":")
	if !ok {
		return ""
	}
	switch scheme {
	case "javascript", "data", "vbscript", "livescript", "mocha":
		return scheme
	}
	return ""
}

func attrValue(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func isDigits(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// signedInAs checks that the client's session still works (a refused request
// must not have signed it out).
func (c *client) signedInAs(role models.Role) bool {
	c.t.Helper()
	res := c.get("/")
	return res.doc != nil && res.doc.Find(`form[action="/signout"]`).Length() > 0 && res.text(".role-badge") == role.Label()
}
