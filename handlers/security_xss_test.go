package handlers_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsgloss/handlers"
	"newsgloss/models"
	"newsgloss/views"
)

// xssPayloads are well-known cross-site scripting vectors: script tags, event
// handlers, executable URL schemes (in mixed case, entity-encoded, with
// controls inside), attribute break-outs, SVG and MathML, Markdown link and
// image tricks, pasted HTML with frames, styles, objects, forms and meta
// refreshes, parser-confusion (mXSS) strings and template syntax.
func xssPayloads() []string {
	return []string{
		`<script>alert(1)</script>`,
		`<ScRiPt src=//evil.example/x.js></sCrIpT>`,
		`</script><script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<svg onload=alert(1)>`,
		`<svg><script>alert(1)</script></svg>`,
		`"><svg onload=alert(1)>`,
		`'><img src=x onerror=alert(1)>`,
		`" onmouseover="alert(1)" x="`,
		`' autofocus onfocus='alert(1)`,
		`<a href="javascript:alert(1)">click</a>`,
		`<a href="JaVaScRiPt:alert(1)">click</a>`,
		`<a href="&#106;&#97;vascript:alert(1)">click</a>`,
		`<a href="&#x6A;avascript&colon;alert(1)">click</a>`,
		`<a href="  javascript:alert(1)">click</a>`,
		`<a href="java&#x09;script:alert(1)">click</a>`,
		`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>`,
		`<a href="vbscript:msgbox(1)">click</a>`,
		`[click](javascript:alert(1))`,
		`[click](javas&#99;ript:alert(1))`,
		`![pic](javascript:alert(1))`,
		`![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
		`<javascript:alert(1)>`,
		`<http://x.example/"onmouseover="alert(1)>`,
		`[click](https://x.example/"onclick="alert(1))`,
		"[click][r]\n\n[r]: javascript:alert(1)",
		`<iframe src="https://evil.example/"></iframe>`,
		`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
		`<style>body{background:url("javascript:alert(1)")}</style>`,
		`<div style="background:url(javascript:alert(1))">styled</div>`,
		`<object data="javascript:alert(1)"></object>`,
		`<embed src="javascript:alert(1)">`,
		`<form action="javascript:alert(1)"><button>go</button></form>`,
		`<button formaction="javascript:alert(1)">go</button>`,
		`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
		`<base href="https://evil.example/">`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
		`<!--<img src="--><img src=x onerror=alert(1)//">`,
		`<img srcset="javascript:alert(1) 1x">`,
		`<svg><a xlink:href="javascript:alert(1)"><text x="0" y="9">x</text></a></svg>`,
		`<details open ontoggle=alert(1)>`,
		"${alert(1)} {{constructor.constructor('alert(1)')()}} `${alert(1)}`",
		`<template><script>alert(1)</script></template>`,
		`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	}
}

// collapse normalises white space, as the site does for one-line fields.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// xssCheck fetches pages and fails on anything executable in them.
type xssCheck struct {
	t       *testing.T
	pages   int
	reached map[string]int // field → payloads whose text reached a page
}

// inert checks a response of any kind: HTML pages are parsed and searched,
// Atom feeds and TimelineJS data have their HTML fields checked, other JSON
// must be valid JSON with a JSON content type (so it is never sniffed as HTML).
func (x *xssCheck) inert(label string, res *response) {
	x.t.Helper()
	x.pages++
	if res.StatusCode >= 500 {
		x.t.Errorf("%s: %s %s: status %d", label, res.Request.Method, res.Request.URL, res.StatusCode)
	}
	ct := res.Header.Get("Content-Type")
	if res.body != "" && ct == "" {
		x.t.Errorf("%s: %s has a body but no Content-Type", label, res.Request.URL.Path)
	}
	switch {
	case res.body == "" || res.StatusCode == http.StatusNotModified:
	case strings.HasPrefix(ct, "text/html"):
		for _, p := range unsafeMarkup(res.body) {
			x.t.Errorf("%s: %s: %s", label, res.Request.URL.Path, p)
		}
	case strings.Contains(ct, "atom+xml"):
		for _, frag := range atomHTML(x.t, res.body) {
			for _, p := range unsafeFragment(frag) {
				x.t.Errorf("%s: feed %s: %s", label, res.Request.URL.Path, p)
			}
		}
	case strings.Contains(ct, "json"):
		if !json.Valid([]byte(res.body)) {
			x.t.Errorf("%s: %s is not valid JSON", label, res.Request.URL.Path)
		}
		if strings.HasSuffix(res.Request.URL.Path, "/timeline.json") {
			for _, frag := range timelineJSHTML(x.t, res.body) {
				for _, p := range unsafeFragment(frag) {
					x.t.Errorf("%s: TimelineJS %s: %s", label, res.Request.URL.Path, p)
				}
			}
		}
	case strings.HasPrefix(ct, "text/csv"):
	default:
		x.t.Errorf("%s: %s served as %q", label, res.Request.URL.Path, ct)
	}
}

// shows records whether the page's visible text holds the value as typed:
// stored text is shown as text, not interpreted.
func (x *xssCheck) shows(field string, res *response, value string) bool {
	if res.doc == nil {
		return false
	}
	doc := goquery.CloneDocument(res.doc)
	doc.Find("script, head").Remove()
	if !strings.Contains(collapse(doc.Text()), collapse(value)) {
		return false
	}
	x.reached[field]++
	return true
}

// atomHTML returns the HTML carried by an Atom feed's text constructs.
func atomHTML(t *testing.T, body string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(body))
	var out []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		isHTML := false
		for _, a := range se.Attr {
			if a.Name.Local == "type" && (a.Value == "html" || a.Value == "xhtml" || a.Value == "text/html") {
				isHTML = true
			}
		}
		if !isHTML {
			continue
		}
		var s string
		if err := dec.DecodeElement(&s, &se); err != nil {
			t.Errorf("feed element %s: %v", se.Name.Local, err)
			continue
		}
		out = append(out, s)
	}
	if err := xml.Unmarshal([]byte(body), new(struct{})); err != nil {
		t.Errorf("feed is not well-formed XML: %v", err)
	}
	return out
}

// timelineJSHTML returns the HTML fields of a TimelineJS document (its
// headlines and texts are rendered as HTML by the TimelineJS library).
func timelineJSHTML(t *testing.T, body string) []string {
	t.Helper()
	var doc struct {
		Title struct {
			Text struct{ Headline, Text string }
		}
		Events []struct {
			Text      struct{ Headline, Text string }
			StartDate *struct {
				DisplayDate string `json:"display_date"`
			} `json:"start_date"`
			Group string
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Errorf("TimelineJS: %v", err)
		return nil
	}
	out := []string{doc.Title.Text.Headline, doc.Title.Text.Text}
	for _, e := range doc.Events {
		out = append(out, e.Text.Headline, e.Text.Text, e.Group)
		if e.StartDate != nil {
			out = append(out, e.StartDate.DisplayDate)
		}
	}
	return out
}

// follow follows a redirect once (showing the flash message it set).
func (c *client) follow(res *response) *response {
	c.t.Helper()
	loc := res.Header.Get("Location")
	if loc == "" {
		c.t.Fatalf("%s %s: no Location (status %d)", res.Request.Method, res.Request.URL.Path, res.StatusCode)
	}
	return c.get(loc)
}

func locationID(t *testing.T, res *response, prefix string) string {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s %s: status %d, Location %q, want a redirect to %s…\n%s", res.Request.Method, res.Request.URL.Path,
			res.StatusCode, loc, prefix, truncate(res.body, 400))
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(loc, prefix), "#")
	id, _, _ = strings.Cut(id, "?")
	return id
}

// userName is a display name made of several payloads.
type userName struct {
	name  string
	marks []string
}

// userNames packs the payloads, each with its mark, into names of at most the
// 120 characters a name may have.
func userNames(payloads []string) []userName {
	var out []userName
	for i, p := range payloads {
		part := fmt.Sprintf("XSS%02d %s", i, collapse(p))
		if n := len(out); n > 0 && len([]rune(out[n-1].name+" | "+part)) <= 120 {
			out[n-1].name += " | " + part
			out[n-1].marks = append(out[n-1].marks, fmt.Sprintf("XSS%02d", i))
			continue
		}
		out = append(out, userName{name: part, marks: []string{fmt.Sprintf("XSS%02d", i)}})
	}
	return out
}

// TestStoredXSSIsInert sends every payload through every text field a person
// can fill in (article, outlet, note, evidence, tags, reply, claim, event,
// entity, alias, role, timeline, user name, import and feed addresses), then
// parses every page, feed and data file that shows them: each payload is
// shown as text and nothing in it runs.
func TestStoredXSSIsInert(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{})
	admin, anon := site.client(), site.client()
	admin.signIn(models.RoleAdmin) // its CSRF token holds for the whole session
	x := &xssCheck{t: t, reached: map[string]int{}}
	ctx := t.Context()
	payloads := xssPayloads()
	var later []string                // listing pages, checked once everything exists
	notedArticle := map[string]uint{} // payload mark → the article its notes are on

	for i, p := range payloads {
		mark := fmt.Sprintf("XSS%02d", i)
		v := mark + " " + p
		label := fmt.Sprintf("payload %d %q", i, p)

		// An article in Markdown: title, byline, new outlet and body.
		md := articleForm(v, v, "published")
		md.Set("byline", "By "+v)
		md.Set("new_outlet", v)
		res := admin.post("/desk/articles", md)
		x.inert(label, res)
		mdID := locationID(t, res, "/articles/")
		page := admin.follow(res)
		x.inert(label, page)
		x.shows("article title", page, v)
		x.shows("article byline", page, "By "+v)
		x.shows("article body (Markdown)", page, mark)
		if href, ok := page.doc.Find(`a[href^="/outlets/"]`).First().Attr("href"); ok {
			outlet := admin.get(href)
			x.inert(label, outlet)
			x.shows("outlet name", outlet, v)
		} else {
			t.Errorf("%s: the article page links to no outlet", label)
		}
		edit := admin.get("/desk/articles/" + mdID + "/edit")
		x.inert(label, edit)
		if got, _ := edit.doc.Find(`input[name="title"]`).Attr("value"); collapse(got) == collapse(v) {
			x.reached["article title (form value)"]++
		} else {
			t.Errorf("%s: the edit form's title is %q, want the stored text", label, got)
		}
		// A second revision, so the history, the word diff and the old
		// revision show the payload too.
		md.Set("body", v+" edited")
		md.Set("title", v+" edited")
		md.Set("base_version", "1")
		md.Del("new_outlet")
		if id, ok := edit.doc.Find(`select[name="outlet_id"] option[selected]`).Attr("value"); ok {
			md.Set("outlet_id", id)
		}
		res = admin.post("/desk/articles/"+mdID, md)
		x.inert(label, res)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: editing the article: status %d\n%s", label, res.StatusCode, truncate(res.body, 400))
		}
		x.inert(label, admin.get("/articles/"+mdID+"/history"))
		diff := anon.get("/articles/" + mdID + "/diff?from=1&to=2")
		x.inert(label, diff)
		x.shows("article body (word diff)", diff, mark)
		x.inert(label, anon.get("/articles/"+mdID+"/revisions/1"))

		// An article in HTML: the payload pasted as HTML, and quoted as text
		// in a paragraph that the claim, event and note below quote.
		hf := articleForm(mark+" pasted HTML", "", "published")
		hf.Set("new_outlet", mark+" pasted outlet")
		hf.Set("body_format", "html")
		hf.Set("body", "<p>Carrier "+mark+" "+html.EscapeString(p)+" end.</p>\n"+p+"\n<p>Closing paragraph of "+mark+".</p>")
		res = admin.post("/desk/articles", hf)
		htmlID := locationID(t, res, "/articles/")
		page = admin.follow(res)
		x.inert(label, page)
		x.shows("article body (HTML)", page, "Carrier "+v+" end.")
		x.inert(label, admin.get("/desk/articles/"+htmlID+"/edit"))
		var articleID uint
		fmt.Sscan(htmlID, &articleID)
		art, err := site.store.ArticleByID(ctx, articleID, true)
		if err != nil {
			t.Fatal(err)
		}
		start := strings.Index(art.BodyText, "Carrier "+mark)
		end := strings.Index(art.BodyText[max(start, 0):], " end.")
		if start < 0 || end < 0 {
			t.Fatalf("%s: the quoted paragraph is not in the article's text %q", label, art.BodyText)
		}
		quote := art.BodyText[start : start+end]

		// The source address.
		src := articleForm(mark+" with a source", "Text.", "published")
		src.Set("new_outlet", mark+" source outlet")
		src.Set("source_url", p)
		res = admin.post("/desk/articles", src)
		x.inert(label, res)
		if res.StatusCode == http.StatusSeeOther {
			x.inert(label, admin.follow(res))
		}

		// A note on the quoted passage: body, tags, evidence title; then one
		// with the payload as its evidence address; then a reply.
		nf := noteForm(quote, v)
		nf.Set("tags", v)
		nf.Set("evidence_url", "https://example.org/"+mark)
		nf.Set("evidence_title", v)
		res = admin.post("/articles/"+htmlID+"/notes", nf)
		x.inert(label, res)
		noteID := locationID(t, res, "/articles/"+htmlID+"#note-")
		note := admin.get("/annotations/" + noteID)
		x.inert(label, note)
		x.shows("note body", note, mark)
		x.shows("note evidence title", note, v)
		x.inert(label, admin.apiRequest(http.MethodGet, "/annotations/"+noteID, "", nil))
		ef := noteForm(quote, mark+" evidence address")
		ef.Set("evidence_url", p)
		ef.Set("evidence_title", "evidence")
		res = admin.post("/articles/"+htmlID+"/notes", ef)
		x.inert(label, res)
		if res.StatusCode == http.StatusSeeOther {
			x.inert(label, admin.follow(res))
		}
		res = admin.post("/annotations/"+noteID+"/replies", url.Values{"body": {v}})
		x.inert(label, res)
		reply := admin.follow(res)
		x.inert(label, reply)
		x.shows("reply body", reply, mark)

		// A claim with the payload as claimant (a new entity), restatement and
		// tags, quoting the passage; an event with it as title, place and
		// participants.
		res = admin.post("/articles/"+htmlID+"/tag", url.Values{"kind": {"claim"}, "quote": {quote}, "claimant": {v},
			"claimant_kind": {"person"}, "said_on": {"2025-02-12"}, "restatement": {v}, "stance": {"asserts"}, "tags": {v}})
		x.inert(label, res)
		claimID := locationID(t, res, "/claims/")
		claim := admin.follow(res)
		x.inert(label, claim)
		x.shows("claim restatement", claim, v)
		x.shows("claim quote", claim, quote)
		x.shows("claimant (entity name)", claim, v)
		x.inert(label, anon.get("/api/claims/"+claimID))
		entityHref, ok := claim.doc.Find(`[data-testid="claimant"]`).Attr("href")
		if !ok {
			t.Fatalf("%s: the claim page has no claimant link", label)
		}
		claim.doc.Find(`a[href^="/tags/"], a[href^="/places/"]`).Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			later = append(later, href, href+"/feed.atom", href+"/timeline.json")
		})
		later = append(later, "/articles/"+htmlID)

		res = admin.post("/articles/"+htmlID+"/tag", url.Values{"kind": {"event"}, "quote": {quote}, "title": {v},
			"starts_on": {"2025-03-04"}, "status": {"held"}, "place": {v}, "participants": {v}, "tags": {v}})
		x.inert(label, res)
		eventID := locationID(t, res, "/events/")
		event := admin.follow(res)
		x.inert(label, event)
		x.shows("event title", event, v)
		x.inert(label, anon.get("/api/events/"+eventID))
		event.doc.Find(`a[href^="/tags/"], a[href^="/places/"], a[href^="/entities/"]`).Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			later = append(later, href)
		})

		// The claimant entity: an alias and a role.
		x.inert(label, admin.post(entityHref+"/aliases", url.Values{"alias": {mark + " alias " + p}}))
		x.inert(label, admin.post(entityHref+"/roles", url.Values{"title": {mark + " role " + p}, "starts_on": {"2024"}}))
		entity := anon.get(entityHref)
		x.inert(label, entity)
		x.shows("entity name", entity, v)
		x.shows("entity alias", entity, mark+" alias "+p)
		x.shows("entity role", entity, mark+" role "+p)
		x.inert(label, anon.get(entityHref+"/feed.atom"))
		x.inert(label, anon.get(entityHref+"/timeline.json"))

		// A timeline following the entity: title and description.
		res = admin.post("/desk/timelines", url.Values{"title": {v}, "description": {v}, "rule_kind": {"entity"},
			"rule_value": {strings.TrimPrefix(entityHref, "/entities/")}})
		x.inert(label, res)
		timeline := admin.follow(res)
		x.inert(label, timeline)
		x.shows("timeline title", timeline, v)
		x.shows("timeline description", timeline, v)
		tl := timeline.Request.URL.Path
		x.inert(label, anon.get(tl+"/feed.atom"))
		x.inert(label, anon.get(tl+"/timeline.json"))
		x.inert(label, anon.get("/api/timelines/"+strings.TrimPrefix(tl, "/timelines/")))

		// A user's display name, as typed into a form that is refused (the
		// stored names are checked below, several payloads to an account).
		res = admin.post("/admin/users", url.Values{"name": {v}, "email": {"not an address"}, "password": {"a long enough password"}, "role": {"factchecker"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		x.inert(label, res)
		if got, _ := res.doc.Find(`input[name="name"]`).Attr("value"); got == v {
			x.reached["user name (form value)"]++
		}
		notedArticle[mark] = articleID

		// Addresses to import from: refused, and the form that says so is inert.
		x.inert(label, admin.post("/desk/import", url.Values{"url": {p}}))
		x.inert(label, admin.post("/admin/feeds", url.Values{"url": {p}, "new_outlet": {v}}))
	}

	// Display names, stored: accounts named with as many payloads as fit (the
	// password hash makes each account costly), each with a note.
	for n, names := 0, userNames(payloads); n < len(names); n++ {
		name, marks := names[n].name, names[n].marks
		label := fmt.Sprintf("user name %q", name)
		email := fmt.Sprintf("xss-user-%02d@newsgloss.example", n)
		res := admin.post("/admin/users", url.Values{"name": {name}, "email": {email}, "password": {"a long enough password"}, "role": {"factchecker"}})
		x.inert(label, res)
		x.inert(label, admin.follow(res))
		u, err := site.store.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("%s: the account was not created: %v", label, err)
		}
		for _, mark := range marks {
			if _, err := site.store.CreateAnnotation(ctx, u, notedArticle[mark], models.AnnotationInput{Motivation: "commenting", Body: "A note by " + mark, Visibility: "public"}); err != nil {
				t.Fatal(err)
			}
		}
		profile := anon.get(fmt.Sprintf("/users/%d", u.ID))
		x.inert(label, profile)
		for range marks {
			x.shows("user name", profile, name)
		}
		x.inert(label, anon.get(views.ArticleURL(notedArticle[marks[0]])))
		x.inert(label, anon.get(fmt.Sprintf("/users/%d/annotations.jsonld", u.ID)))
		x.inert(label, anon.get(fmt.Sprintf("/users/%d/annotations.csv", u.ID)))
	}

	// Listings that now hold every payload at once.
	seen := map[string]bool{}
	for _, path := range later {
		if !seen[path] {
			seen[path] = true
			x.inert("listing", anon.get(path))
		}
	}
	for _, path := range []string{"/", "/desk/articles", "/timelines", "/admin/users", "/admin/audit", "/desk/moderation",
		"/admin/feeds", "/api/claims", "/api/events", "/api/entities", "/api/timelines"} {
		x.inert("listing", admin.get(path))
		x.inert("listing", anon.get(path))
	}

	// Search results quote the stored text around the words found.
	if matchRoute(site.routes(), http.MethodGet, "/search") != "" {
		for i := range payloads {
			mark := fmt.Sprintf("XSS%02d", i)
			x.inert("search", anon.get("/search?q="+mark))
			res := admin.get("/search?q=" + mark)
			x.inert("search", res)
			x.shows("search results", res, mark)
		}
		x.inert("search", anon.get("/search?q=alert"))
		x.inert("search", admin.get("/search?q=alert+onerror+javascript"))
	}

	// Every field must have shown every payload as text: a field that drops
	// or rewrites its input would make the checks above vacuous.
	var fields []string
	for f := range x.reached {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if x.reached[f] != len(payloads) {
			t.Errorf("%s showed %d of %d payloads as text", f, x.reached[f], len(payloads))
		}
	}
	// The fields filled in above: article title, byline, outlet, Markdown
	// body, HTML body, source address; note body, tags, evidence address and
	// title; reply; claim quote, claimant, restatement, tags; event title,
	// place, participants, tags; entity alias, role; timeline title,
	// description; user name; import and feed addresses.
	const textFields = 26
	t.Logf("%d payloads through %d text fields; shown as text in %d places (%s); %d responses parsed",
		len(payloads), textFields, len(fields), strings.Join(fields, ", "), x.pages)
}

// canary is a value that appears in a response only when the request's
// value is reflected into it. It is not a host name, so that an address field
// holding it is refused without a look-up.
const canary = "zqx~reflected"

// payloadGroups joins the payloads into values of at most 180 bytes (fields
// such as a quote's prefix keep 200): a page that echoes its input gets every
// payload in a dozen requests rather than one each. Escaping works character
// by character, so a payload next to another is no less dangerous.
func payloadGroups(payloads []string) []string {
	var out []string
	for _, p := range payloads {
		if n := len(out); n > 0 && len(out[n-1])+1+len(p) <= 180 {
			out[n-1] += " " + p
			continue
		}
		out = append(out, p)
	}
	return out
}

// discoverFields collects, from the site's own pages, the query parameters of
// its links and GET forms and the field names of its POST forms, so that new
// parameters and fields are covered without listing them here.
func discoverFields(site *testSite, c *client) (query, form []string) {
	site.t.Helper()
	q := map[string]bool{"page": true, "q": true, "next": true, "from": true, "to": true, "outlet": true, "status": true,
		"quote": true, "prefix": true, "suffix": true, "scope": true, "claimant": true, "stance": true, "said_on": true,
		"entity": true, "place": true, "tag": true, "type": true, "by": true, "kind": true, "state": true, "iris": true, "minimal": true}
	f := map[string]bool{}
	for _, r := range site.routes() {
		if r.method != http.MethodGet || strings.HasPrefix(r.pattern, "/static") {
			continue
		}
		res := c.get(r.path)
		if res.doc == nil {
			continue
		}
		res.doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			if u, err := url.Parse(href); err == nil && u.Host == "" {
				for k := range u.Query() {
					q[k] = true
				}
			}
		})
		res.doc.Find("form").Each(func(_ int, s *goquery.Selection) {
			method, _ := s.Attr("method")
			s.Find("input[name], textarea[name], select[name]").Each(func(_ int, in *goquery.Selection) {
				name, _ := in.Attr("name")
				switch {
				case name == "_csrf":
				case strings.EqualFold(method, "post"):
					f[name] = true
				default:
					q[name] = true
				}
			})
		})
	}
	for k := range q {
		query = append(query, k)
	}
	for k := range f {
		form = append(form, k)
	}
	sort.Strings(query)
	sort.Strings(form)
	return query, form
}

// withParams adds every parameter, set to value, to a concrete path.
func withParams(path string, params []string, value string) string {
	u, _ := url.Parse(path)
	q := u.Query()
	for _, p := range params {
		q.Set(p, value)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// withPathValue replaces the route's parameters in the concrete path by value.
func withPathValue(r route, value string) string {
	pat := strings.Split(r.pattern, "/")
	path, query, _ := strings.Cut(r.path, "?")
	got := strings.Split(path, "/")
	if len(pat) != len(got) {
		return ""
	}
	changed := false
	for i, seg := range pat {
		if strings.HasPrefix(seg, ":") || seg == "*" {
			got[i] = url.PathEscape(value)
			changed = true
		}
	}
	if !changed {
		return ""
	}
	out := strings.Join(got, "/")
	if query != "" {
		out += "?" + query
	}
	return out
}

// TestReflectedXSSIsInert sends every payload in every query parameter the
// site's pages use (to every GET route, as an admin and as an anonymous
// visitor) and in every form field (to every POST route, as an admin). Each
// route is first probed with a marker: where the request's value comes back in
// the page, the payloads are sent (a few to a request, see payloadGroups) and
// the pages parsed; every probe's response is parsed too.
func TestReflectedXSSIsInert(t *testing.T) {
	t.Parallel()
	site := newTestSite(t, handlers.Config{SignInBurst: 40}) // the sign-in form echoes its email too
	admin, anon := site.client(), site.client()
	admin.signIn(models.RoleAdmin)
	anon.get("/signin")
	x := &xssCheck{t: t, reached: map[string]int{}}
	params, fields := discoverFields(site, admin)
	payloads := xssPayloads()
	groups := payloadGroups(payloads)
	reflecting := 0

	for _, r := range site.routes() {
		if strings.HasPrefix(r.pattern, "/static") || r.pattern == "/healthz" || r.pattern == "/signout" {
			continue
		}
		for _, c := range []*client{admin, anon} {
			who := map[*client]string{admin: "admin", anon: "anonymous"}[c]
			var send func(value string) *response
			switch {
			case r.method == http.MethodGet:
				send = func(value string) *response { return c.get(withParams(r.path, params, value)) }
			case r.method == http.MethodPost && !isAPIRoute(r) && c == admin: // anonymous posts stop at the role check
				send = func(value string) *response {
					c.get("/")
					form := url.Values{}
					for _, f := range fields {
						form.Set(f, value)
					}
					return c.post(r.path, form)
				}
			default:
				continue
			}
			probes := []func(string) *response{send}
			if r.method == http.MethodGet {
				if p := withPathValue(r, canary); p != "" {
					probes = append(probes, func(value string) *response {
						return c.get(withParams(withPathValue(r, value), params, value))
					})
				}
			}
			for _, probe := range probes {
				res := probe(canary)
				x.inert(r.key()+" as "+who, res)
				if !strings.Contains(res.body, canary) {
					continue
				}
				reflecting++
				for _, p := range groups {
					x.inert(fmt.Sprintf("%s as %s, payloads %q", r.key(), who, p), probe(p))
				}
			}
		}
	}
	if reflecting < 10 {
		t.Errorf("only %d routes reflect their input; the probe is broken", reflecting)
	}
	t.Logf("%d query parameters and %d form fields; %d route/viewer pairs reflect input, each tested with %d payloads (in %d requests); %d responses parsed",
		len(params), len(fields), reflecting, len(payloads), len(groups), x.pages)
}

// TestTheMarkupCheckerCatchesActiveContent proves the checker the XSS tests
// rely on: every payload pasted raw into a page (in text and in an attribute)
// that a browser would run is reported, and an ordinary page of ours is not.
func TestTheMarkupCheckerCatchesActiveContent(t *testing.T) {
	t.Parallel()
	page := func(inner string) string {
		return `<!doctype html><html><head><script src="/static/js/annotate.js" defer></script>` +
			`<script type="application/ld+json">{"@type":"NewsArticle"}</script></head><body>` + inner + `</body></html>`
	}
	if problems := unsafeMarkup(page(`<p><a href="/articles/1">ok</a> <svg viewBox="0 0 1 1"><rect width="1" height="1"></rect></svg></p>` +
		`<form method="post" action="/signout"><button>Sign out</button></form><meta http-equiv="refresh" content="2">`)); len(problems) > 0 {
		t.Fatalf("a safe page is reported: %v", problems)
	}
	// Some payloads are inert pasted raw into HTML: Markdown and template
	// syntax, autolinks, a filter-evasion string, and attribute break-outs,
	// which are checked inside an attribute instead.
	for _, p := range xssPayloads() {
		breakout := strings.HasPrefix(p, `"`) || strings.HasPrefix(p, `'`)
		inert := strings.HasPrefix(p, "[") || strings.HasPrefix(p, "![") || strings.HasPrefix(p, "${") ||
			strings.HasPrefix(p, "<http") || strings.HasPrefix(p, "<javascript") || strings.HasPrefix(p, "<scr<")
		switch {
		case breakout:
			if len(unsafeMarkup(page(`<input value="`+p+`"><input value='`+p+`'>`))) == 0 {
				t.Errorf("payload %q breaking out of an attribute is not caught", p)
			}
		case inert:
		case len(unsafeMarkup(page("<div>"+p+"</div>"))) == 0:
			t.Errorf("payload %q pasted raw is not caught", p)
		}
	}
	for _, p := range []string{`<script>{"x":1}</script>`, `<script type="application/ld+json">{"a":"</script><script>alert(1)</script>"}</script>`,
		`<script type="application/ld+json">not json</script>`, `<script src="//evil.example/x.js"></script>`, `<a href="java&#x0A;script:x">`,
		`<img srcset="x 1x, javascript:alert(1) 2x">`, `<link rel="stylesheet" href="https://evil.example/x.css">`,
		`<meta http-equiv="refresh" content="0;url=https://evil.example">`, `<form action="//evil.example/"></form>`} {
		if len(unsafeMarkup(page(p))) == 0 {
			t.Errorf("%q is not caught", p)
		}
	}
}

// hostileArticlePage is a page a hostile site could serve to the importer,
// with scripts and handlers in its metadata as well as in its text.
const hostileArticlePage = `<!doctype html><html><head>
<title>Storm warning lifted &lt;script&gt;alert(1)&lt;/script&gt; | Evil Outlet</title>
<meta property="og:title" content="Storm warning lifted &quot;&gt;&lt;svg onload=alert(2)&gt;">
<meta property="og:site_name" content="Evil &lt;img src=x onerror=alert(3)&gt; Outlet">
<meta name="author" content="&lt;script&gt;alert(4)&lt;/script&gt;">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Storm warning lifted </script><script>alert(5)</script>","datePublished":"2025-02-13T07:45:00Z"}</script>
<script>alert(6)</script><style>body{display:none}</style><base href="https://evil.example/">
</head><body onload="alert(7)"><article>
<h1 onclick="alert(8)">Storm warning lifted</h1>
<p>Fishing crews in the northern bays returned to harbour on Thursday as the storm warning was lifted by the coast guard.</p>
<p>The harbour master said <a href="javascript:alert(9)">the warning system</a> would be reviewed <a href=" JaVaScRiPt:alert(10)">before</a>
the next <a href="data:text/html,&lt;script&gt;alert(11)&lt;/script&gt;">storm season</a>. <img src="x" onerror="alert(12)"></p>
<iframe src="https://evil.example/"></iframe><object data="x.swf"></object>
<form action="https://evil.example/"><input name="password"><button formaction="javascript:alert(13)">go</button></form>
<svg><script>alert(14)</script><a xlink:href="javascript:alert(15)"><text>x</text></a></svg>
<p style="color:red" onmouseover="alert(16)">Boats that stayed out were told to head for the nearest port until the wind dropped.</p>
</article></body></html>`

// TestImportedHostilePageIsInert imports a hostile page by its address: the
// review form and, once saved, the article page hold nothing executable.
func TestImportedHostilePageIsInert(t *testing.T) {
	t.Parallel()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, hostileArticlePage)
	}))
	defer page.Close()
	site := newTestSite(t, handlers.Config{ImportAllowPrivate: true})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	x := &xssCheck{t: t, reached: map[string]int{}}

	editor.get("/desk/import")
	review := editor.post("/desk/import", url.Values{"url": {page.URL + "/2025/02/13/storm"}})
	wantStatus(t, review, http.StatusOK)
	x.inert("import review", review)
	form := review.doc.Find(`form[data-testid="article-form"]`)
	if form.Length() != 1 {
		t.Fatalf("no article form on the review page:\n%s", truncate(review.body, 600))
	}
	values := url.Values{}
	form.Find("input[name], textarea[name], select[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		switch {
		case goquery.NodeName(s) == "textarea":
			values.Set(name, s.Text())
		case goquery.NodeName(s) == "select":
			if v, ok := s.Find("option[selected]").Attr("value"); ok {
				values.Set(name, v)
			}
		default:
			typ, _ := s.Attr("type")
			if _, checked := s.Attr("checked"); (typ == "radio" || typ == "checkbox") && !checked {
				return
			}
			v, _ := s.Attr("value")
			values.Set(name, v)
		}
	})
	values.Set("status", "published")
	action, _ := form.Attr("action")
	res := editor.post(action, values)
	id := locationID(t, res, "/articles/")
	article := site.client().get("/articles/" + id)
	x.inert("imported article", article)
	if !strings.Contains(article.text("article"), "Boats that stayed out were told") {
		t.Errorf("the article's text did not survive the import: %q", article.text("article"))
	}
	// The page's metadata is shown as text (the headline holds what the page
	// said); its body keeps the story and none of the script.
	if body := article.text(`[data-testid="article-body"]`); strings.Contains(body, "alert(") {
		t.Errorf("script text from the page reached the article's body: %q", body)
	}
	x.inert("imported article", editor.get("/desk/articles/"+id+"/edit"))
}
