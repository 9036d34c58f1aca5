package handlers_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
	"newsgloss/views"
)

const (
	ldContentType = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`
	preferNS      = "http://www.w3.org/ns/"
)

// apiRequest sends a protocol request: JSON-LD in and out, the CSRF token of
// the last page the client loaded, and any extra headers ("" removes one).
func (c *client) apiRequest(method, path, body string, headers map[string]string) *response {
	c.t.Helper()
	var req *http.Request
	if body != "" {
		req, _ = http.NewRequest(method, c.site.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ldContentType)
	} else {
		req, _ = http.NewRequest(method, c.site.srv.URL+path, nil)
	}
	req.Header.Set("Accept", ldContentType)
	if c.csrf != "" && method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return c.do(req)
}

// jsonBody decodes a JSON response.
func (r *response) jsonBody(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v\n%s", r.Request.Method, r.Request.URL.Path, err, truncate(r.body, 500))
	}
	return m
}

// apiFixture is a site with the demo content and the people who use it.
type apiFixture struct {
	site                    *testSite
	checker, editor, reader *models.User
	article                 *models.Article
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	site := newTestSite(t, handlers.Config{})
	ctx := context.Background()
	f := &apiFixture{site: site}
	var err error
	for _, p := range []struct {
		email string
		user  **models.User
	}{{"factchecker@newsgloss.example", &f.checker}, {"editor@newsgloss.example", &f.editor}, {"reader@newsgloss.example", &f.reader}} {
		if *p.user, err = site.store.UserByEmail(ctx, p.email); err != nil {
			t.Fatal(err)
		}
	}
	if f.article, err = site.store.ArticleByID(ctx, 1, false); err != nil {
		t.Fatal(err)
	}
	return f
}

// note adds an annotation by the fact-checker straight through the store.
func (f *apiFixture) note(t *testing.T, in models.AnnotationInput) *models.Annotation {
	t.Helper()
	if in.Motivation == "" {
		in.Motivation = "commenting"
	}
	if in.Visibility == "" {
		in.Visibility = "public"
	}
	a, err := f.site.store.CreateAnnotation(context.Background(), f.checker, f.article.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// count is how many annotations the editor can see on the article.
func (f *apiFixture) count(t *testing.T) int {
	t.Helper()
	list, err := f.site.store.ListAnnotations(context.Background(), f.editor, models.AnnotationFilter{ArticleID: f.article.ID})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// quote is a passage of the article that occurs exactly once.
func (f *apiFixture) quote(t *testing.T, n int) string {
	t.Helper()
	return distinctQuotes(t, f.article.BodyText, n+1)[n]
}

func (f *apiFixture) abs(path string) string { return f.site.srv.URL + path }

// w3cNote is a W3C annotation of a passage of the fixture's article.
func (f *apiFixture) w3cNote(quote, text string) string {
	doc := map[string]any{
		"@context":   "http://www.w3.org/ns/anno.jsonld",
		"type":       "Annotation",
		"motivation": "commenting",
		"body":       map[string]any{"type": "TextualBody", "value": text, "format": "text/markdown"},
		"target": map[string]any{
			"source":   f.abs(views.ArticleURL(f.article.ID)),
			"selector": map[string]any{"type": "TextQuoteSelector", "exact": quote},
		},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

func headerValues(r *response, name string) string {
	return strings.Join(r.Header.Values(name), ", ")
}

func wantHeader(t *testing.T, r *response, name, want string) {
	t.Helper()
	if got := headerValues(r, name); !strings.Contains(got, want) {
		t.Errorf("%s %s: header %s = %q, want it to contain %q", r.Request.Method, r.Request.URL.Path, name, got, want)
	}
}

func TestAPIContainerHeadersAndPrefer(t *testing.T) {
	f := newAPIFixture(t)
	f.note(t, models.AnnotationInput{Body: "Page note", Visibility: "public"})
	f.note(t, models.AnnotationInput{Body: "On a passage", Passage: &models.Passage{Quote: f.quote(t, 0)}})
	anon := f.site.client()
	path := views.AnnotationContainerURL(f.article.ID)
	containerIRI := f.abs(path)

	res := anon.apiRequest(http.MethodGet, path, "", nil)
	wantStatus(t, res, http.StatusOK)
	wantHeader(t, res, "Content-Type", ldContentType)
	wantHeader(t, res, "Link", `<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"`)
	wantHeader(t, res, "Link", `<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"`)
	wantHeader(t, res, "Allow", "POST")
	wantHeader(t, res, "Accept-Post", "application/ld+json")
	wantHeader(t, res, "Vary", "Prefer")
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("the container has no ETag")
	}
	doc := res.jsonBody(t)
	if doc["id"] != containerIRI || doc["total"] != float64(3) { // with the demo's page note
		t.Errorf("container id %v total %v, want %s and 3", doc["id"], doc["total"], containerIRI)
	}
	if types := fmt.Sprint(doc["type"]); !strings.Contains(types, "BasicContainer") || !strings.Contains(types, "AnnotationCollection") {
		t.Errorf("container type %s", types)
	}
	first, ok := doc["first"].(map[string]any)
	if !ok {
		t.Fatalf("by default the first page is embedded: %v", doc["first"])
	}
	if items := first["items"].([]any); len(items) != 3 {
		t.Fatalf("first page has %d items, want 3", len(items))
	} else if _, ok := items[0].(map[string]any); !ok {
		t.Errorf("by default the items are full descriptions, got %v", items[0])
	}
	if got := res.Header.Get("Content-Location"); got != containerIRI+"?iris=0" {
		t.Errorf("Content-Location %q", got)
	}

	// A second GET with the ETag: 304. HEAD: headers only.
	wantStatus(t, anon.apiRequest(http.MethodGet, path, "", map[string]string{"If-None-Match": etag}), http.StatusNotModified)
	head := anon.apiRequest(http.MethodHead, path, "", nil)
	wantStatus(t, head, http.StatusOK)
	if head.body != "" || head.Header.Get("ETag") != etag {
		t.Errorf("HEAD: body %q, ETag %q (GET had %q)", head.body, head.Header.Get("ETag"), etag)
	}

	// Prefer: contained IRIs.
	res = anon.apiRequest(http.MethodGet, path, "", map[string]string{"Prefer": `return=representation;include="` + preferNS + `oa#PreferContainedIRIs"`})
	wantStatus(t, res, http.StatusOK)
	items := res.jsonBody(t)["first"].(map[string]any)["items"].([]any)
	if iri, ok := items[0].(string); !ok || !strings.HasPrefix(iri, f.abs("/annotations/")) {
		t.Errorf("with PreferContainedIRIs the items are IRIs, got %v", items[0])
	}
	if res.Header.Get("Content-Location") != containerIRI+"?iris=1" || res.Header.Get("Preference-Applied") == "" {
		t.Errorf("Content-Location %q, Preference-Applied %q", res.Header.Get("Content-Location"), res.Header.Get("Preference-Applied"))
	}
	if res.Header.Get("ETag") == etag {
		t.Error("another representation must have another ETag")
	}
	// Prefer: contained descriptions.
	res = anon.apiRequest(http.MethodGet, path, "", map[string]string{"Prefer": `return=representation;include="` + preferNS + `oa#PreferContainedDescriptions"`})
	items = res.jsonBody(t)["first"].(map[string]any)["items"].([]any)
	if _, ok := items[0].(map[string]any); !ok {
		t.Errorf("with PreferContainedDescriptions the items are objects, got %v", items[0])
	}
	// Prefer: minimal container, which links its pages without embedding them.
	res = anon.apiRequest(http.MethodGet, path, "", map[string]string{"Prefer": `return=representation;include="` + preferNS + `ldp#PreferMinimalContainer ` + preferNS + `oa#PreferContainedIRIs"`})
	doc = res.jsonBody(t)
	if doc["first"] != containerIRI+"?page=0&iris=1" || doc["last"] != containerIRI+"?page=0&iris=1" {
		t.Errorf("minimal container: first %v last %v", doc["first"], doc["last"])
	}
	if doc["total"] != float64(3) {
		t.Errorf("minimal container total %v", doc["total"])
	}

	// JSON without the profile and no Accept at all are fine; CSV is not.
	wantStatus(t, anon.apiRequest(http.MethodGet, path, "", map[string]string{"Accept": "application/json"}), http.StatusOK)
	wantStatus(t, anon.apiRequest(http.MethodGet, path, "", map[string]string{"Accept": ""}), http.StatusOK)
	res = anon.apiRequest(http.MethodGet, path, "", map[string]string{"Accept": "text/csv"})
	wantStatus(t, res, http.StatusNotAcceptable)

	// OPTIONS.
	res = anon.apiRequest(http.MethodOptions, path, "", nil)
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNoContent {
		t.Fatalf("OPTIONS: status %d", res.StatusCode)
	}
	wantHeader(t, res, "Allow", "GET,POST,HEAD,OPTIONS")

	// Unknown and unreadable articles.
	wantStatus(t, anon.apiRequest(http.MethodGet, views.AnnotationContainerURL(99999), "", nil), http.StatusNotFound)
	ctx := context.Background()
	draft, err := f.site.store.CreateArticle(ctx, f.editor, models.ArticleInput{
		Title: "Unpublished draft", NewOutlet: "Draft Desk", Status: "draft", BodyFormat: "markdown", Body: "Nothing yet.", Summary: "First version",
	})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, anon.apiRequest(http.MethodGet, views.AnnotationContainerURL(draft.ID), "", nil), http.StatusNotFound)
	desk := f.site.client()
	desk.signIn(models.RoleEditor)
	wantStatus(t, desk.apiRequest(http.MethodGet, views.AnnotationContainerURL(draft.ID), "", nil), http.StatusOK)
}

func TestAPIContainerPaging(t *testing.T) {
	f := newAPIFixture(t)
	for i := 0; i < 24; i++ { // with the demo's note: 25
		f.note(t, models.AnnotationInput{Body: fmt.Sprintf("Note %d", i)})
	}
	anon := f.site.client()
	path := views.AnnotationContainerURL(f.article.ID)
	iri := f.abs(path)

	doc := anon.apiRequest(http.MethodGet, path, "", nil).jsonBody(t)
	if doc["total"] != float64(25) || doc["last"] != iri+"?page=1" {
		t.Fatalf("total %v last %v", doc["total"], doc["last"])
	}
	first := doc["first"].(map[string]any)
	if len(first["items"].([]any)) != 20 || first["next"] != iri+"?page=1" {
		t.Errorf("first page: %d items, next %v", len(first["items"].([]any)), first["next"])
	}

	res := anon.apiRequest(http.MethodGet, path+"?page=1", "", nil)
	wantStatus(t, res, http.StatusOK)
	wantHeader(t, res, "Content-Type", ldContentType)
	if res.Header.Get("ETag") == "" {
		t.Error("a page has no ETag")
	}
	page := res.jsonBody(t)
	if page["type"] != "AnnotationPage" || page["id"] != iri+"?page=1" || page["startIndex"] != float64(20) ||
		page["prev"] != iri+"?page=0" || page["next"] != nil {
		t.Errorf("page 1: type %v id %v startIndex %v prev %v next %v", page["type"], page["id"], page["startIndex"], page["prev"], page["next"])
	}
	if partOf, _ := page["partOf"].(map[string]any); partOf["id"] != iri || partOf["total"] != float64(25) {
		t.Errorf("page 1 partOf %v", page["partOf"])
	}
	if items := page["items"].([]any); len(items) != 5 {
		t.Errorf("page 1 has %d items, want 5", len(items))
	}
	// The same page as IRIs.
	page = anon.apiRequest(http.MethodGet, path+"?page=0&iris=1", "", nil).jsonBody(t)
	items := page["items"].([]any)
	if len(items) != 20 || page["next"] != iri+"?page=1&iris=1" {
		t.Errorf("IRI page: %d items, next %v", len(items), page["next"])
	}
	if s, ok := items[0].(string); !ok || !strings.HasPrefix(s, f.abs("/annotations/")) {
		t.Errorf("IRI page item %v", items[0])
	}
	// Past the end, or nonsense.
	wantStatus(t, anon.apiRequest(http.MethodGet, path+"?page=2", "", nil), http.StatusNotFound)
	wantStatus(t, anon.apiRequest(http.MethodGet, path+"?page=-1", "", nil), http.StatusNotFound)
	wantStatus(t, anon.apiRequest(http.MethodGet, path+"?page=x", "", nil), http.StatusNotFound)
}

func TestAPIContainerShowsOnlyWhatTheViewerMaySee(t *testing.T) {
	f := newAPIFixture(t)
	staff := f.note(t, models.AnnotationInput{Body: "Staff only", Visibility: "staff"})
	private := f.note(t, models.AnnotationInput{Body: "Mine", Visibility: "private"})
	path := views.AnnotationContainerURL(f.article.ID) + "?page=0&iris=1"
	ids := func(c *client) string {
		return fmt.Sprint(c.apiRequest(http.MethodGet, path, "", nil).jsonBody(t)["items"])
	}
	author := f.site.client()
	author.signIn(models.RoleFactChecker)
	desk := f.site.client()
	desk.signIn(models.RoleEditor)
	reader := f.site.client()
	reader.signIn(models.RoleReader)
	staffIRI, privateIRI := f.abs(views.AnnotationURL(staff.ID)), f.abs(views.AnnotationURL(private.ID))
	for _, tc := range []struct {
		who                  string
		c                    *client
		seeStaff, seePrivate bool
	}{
		{"anonymous", f.site.client(), false, false},
		{"reader", reader, false, false},
		{"author", author, true, true},
		{"editor", desk, true, false},
	} {
		got := ids(tc.c)
		if strings.Contains(got, staffIRI) != tc.seeStaff || strings.Contains(got, privateIRI) != tc.seePrivate {
			t.Errorf("%s sees %s (staff note %v, private note %v)", tc.who, got, tc.seeStaff, tc.seePrivate)
		}
	}
}

func TestAPICreate(t *testing.T) {
	f := newAPIFixture(t)
	author := f.site.client()
	author.signIn(models.RoleFactChecker)
	quote := f.quote(t, 2)
	before := f.count(t)

	doc := map[string]any{
		"@context":   "http://www.w3.org/ns/anno.jsonld",
		"id":         "http://elsewhere.example/anno/7", // the server assigns its own
		"type":       "Annotation",
		"motivation": "assessing",
		"body": []any{
			map[string]any{"type": "TextualBody", "value": "Checked against the **record**.", "format": "text/markdown", "purpose": "assessing"},
			map[string]any{"type": "SpecificResource", "purpose": "linking", "source": map[string]any{"id": "https://example.org/record", "label": "The record"}},
			"https://example.org/second-source",
			map[string]any{"type": "TextualBody", "value": "treaty", "purpose": "tagging"},
		},
		"target": map[string]any{
			"type":   "SpecificResource",
			"source": f.abs(views.ArticleURL(f.article.ID)),
			"selector": []any{
				map[string]any{"type": "TextQuoteSelector", "exact": quote},
			},
		},
		"newsgloss:visibility": "staff",
	}
	body, _ := json.Marshal(doc)
	res := author.apiRequest(http.MethodPost, views.AnnotationContainerURL(f.article.ID), string(body), nil)
	wantStatus(t, res, http.StatusCreated)
	wantHeader(t, res, "Content-Type", ldContentType)
	wantHeader(t, res, "Link", `<http://www.w3.org/ns/ldp#Resource>; rel="type"`)
	location := res.Header.Get("Location")
	if !strings.HasPrefix(location, f.abs("/annotations/")) {
		t.Fatalf("Location %q", location)
	}
	created := res.jsonBody(t)
	if created["id"] != location || created["motivation"] != "assessing" || created["newsgloss:visibility"] != "staff" {
		t.Errorf("created: id %v (Location %s), motivation %v, visibility %v", created["id"], location, created["motivation"], created["newsgloss:visibility"])
	}
	target := created["target"].(map[string]any)
	selectors := fmt.Sprint(target["selector"])
	if !strings.Contains(selectors, "TextPositionSelector") || !strings.Contains(selectors, quote) {
		t.Errorf("the stored passage should come back with both selectors: %s", selectors)
	}
	if f.count(t) != before+1 {
		t.Errorf("%d annotations, want %d", f.count(t), before+1)
	}

	// The Location resolves, with the same ETag.
	path := strings.TrimPrefix(location, f.site.srv.URL)
	got := author.apiRequest(http.MethodGet, path, "", nil)
	wantStatus(t, got, http.StatusOK)
	if got.Header.Get("ETag") != res.Header.Get("ETag") || got.Header.Get("ETag") == "" {
		t.Errorf("ETag after POST %q, on GET %q", res.Header.Get("ETag"), got.Header.Get("ETag"))
	}
	stored := got.jsonBody(t)
	bodies := fmt.Sprint(stored["body"])
	for _, want := range []string{"Checked against the **record**.", "https://example.org/record", "The record", "https://example.org/second-source", "treaty"} {
		if !strings.Contains(bodies, want) {
			t.Errorf("stored bodies lack %q: %s", want, bodies)
		}
	}

	// A page note given as a plain IRI, by offsets only, and a reply.
	page := fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","bodyValue":"Whole article.","target":%q}`,
		f.abs(views.ArticleURL(f.article.ID)))
	res = author.apiRequest(http.MethodPost, views.AnnotationContainerURL(f.article.ID), page, map[string]string{"Content-Type": "application/json"})
	wantStatus(t, res, http.StatusCreated)
	if m := res.jsonBody(t); m["target"] != f.abs(views.ArticleURL(f.article.ID)) || m["motivation"] != "commenting" {
		t.Errorf("page note: target %v motivation %v", m["target"], m["motivation"])
	}
	q := f.quote(t, 3)
	start := len([]rune(f.article.BodyText[:strings.Index(f.article.BodyText, q)]))
	byOffsets := fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"highlighting",
		"target":{"source":%q,"selector":{"type":"TextPositionSelector","start":%d,"end":%d}}}`,
		f.abs(views.ArticleURL(f.article.ID)), start, start+len([]rune(q)))
	res = author.apiRequest(http.MethodPost, views.AnnotationContainerURL(f.article.ID), byOffsets, nil)
	wantStatus(t, res, http.StatusCreated)
	if sel := fmt.Sprint(res.jsonBody(t)["target"]); !strings.Contains(sel, q) {
		t.Errorf("a passage given by offsets should be quoted back: %s", sel)
	}
	reply := fmt.Sprintf(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","motivation":"replying",
		"body":{"type":"TextualBody","value":"Agreed."},"target":%q}`, location)
	res = author.apiRequest(http.MethodPost, views.AnnotationContainerURL(f.article.ID), reply, nil)
	wantStatus(t, res, http.StatusCreated)
	if m := res.jsonBody(t); m["target"] != location || m["motivation"] != "replying" {
		t.Errorf("reply: target %v motivation %v", m["target"], m["motivation"])
	}
}

func TestAPICreateNeedsAnAnnotator(t *testing.T) {
	f := newAPIFixture(t)
	path := views.AnnotationContainerURL(f.article.ID)
	note := f.w3cNote(f.quote(t, 0), "From a program.")
	before := f.count(t)

	// Anonymous, with a valid CSRF token so only the missing sign-in counts.
	anon := f.site.client()
	anon.get("/signin")
	res := anon.apiRequest(http.MethodPost, path, note, nil)
	wantStatus(t, res, http.StatusUnauthorized)
	if m := res.jsonBody(t); m["code"] == "" || m["error"] == "" {
		t.Errorf("401 body %v", m)
	}
	reader := f.site.client()
	reader.signIn(models.RoleReader)
	wantStatus(t, reader.apiRequest(http.MethodPost, path, note, nil), http.StatusForbidden)
	// A session without the CSRF token is refused.
	author := f.site.client()
	author.signIn(models.RoleFactChecker)
	wantStatus(t, author.apiRequest(http.MethodPost, path, note, map[string]string{"X-CSRF-Token": ""}), http.StatusForbidden)
	if f.count(t) != before {
		t.Fatalf("refused requests stored annotations: %d, want %d", f.count(t), before)
	}

	// An API token needs no session and no CSRF token.
	ctx := context.Background()
	token, err := f.site.store.CreateAPIToken(ctx, f.checker, "test script")
	if err != nil {
		t.Fatal(err)
	}
	program := f.site.client()
	res = program.apiRequest(http.MethodPost, path, note, map[string]string{"Authorization": "Bearer " + token})
	wantStatus(t, res, http.StatusCreated)
	if creator := fmt.Sprint(res.jsonBody(t)["creator"]); !strings.Contains(creator, f.checker.Name) {
		t.Errorf("creator %s, want %s", creator, f.checker.Name)
	}
	// A reader's token is a reader.
	readerToken, err := f.site.store.CreateAPIToken(ctx, f.reader, "reader script")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, program.apiRequest(http.MethodPost, path, note, map[string]string{"Authorization": "Bearer " + readerToken}), http.StatusForbidden)
	// Unknown and revoked tokens.
	wantStatus(t, program.apiRequest(http.MethodPost, path, note, map[string]string{"Authorization": "Bearer ngt_nosuchtoken"}), http.StatusUnauthorized)
	tokens, err := f.site.store.ListAPITokens(ctx, f.checker)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v, %v", tokens, err)
	}
	if err := f.site.store.RevokeAPIToken(ctx, f.checker, tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, program.apiRequest(http.MethodPost, path, note, map[string]string{"Authorization": "Bearer " + token}), http.StatusUnauthorized)
	if f.count(t) != before+1 {
		t.Errorf("%d annotations, want %d", f.count(t), before+1)
	}
}

func TestAPICreateRejectsBadAnnotations(t *testing.T) {
	f := newAPIFixture(t)
	author := f.site.client()
	author.signIn(models.RoleFactChecker)
	path := views.AnnotationContainerURL(f.article.ID)
	articleIRI := f.abs(views.ArticleURL(f.article.ID))
	before := f.count(t)
	cases := []struct {
		name, body string
		headers    map[string]string
		status     int
	}{
		{"malformed JSON", `{"type": "Annotation", "target":`, nil, http.StatusBadRequest},
		{"not an object", `["Annotation"]`, nil, http.StatusBadRequest},
		{"two JSON values", `{"type":"Annotation"} {}`, nil, http.StatusBadRequest},
		{"wrong type", fmt.Sprintf(`{"type":"Note","bodyValue":"x","target":%q}`, articleIRI), nil, http.StatusBadRequest},
		{"wrong context", fmt.Sprintf(`{"@context":"https://schema.org","type":"Annotation","bodyValue":"x","target":%q}`, articleIRI), nil, http.StatusBadRequest},
		{"no target", `{"type":"Annotation","bodyValue":"x"}`, nil, http.StatusBadRequest},
		{"another article", fmt.Sprintf(`{"type":"Annotation","bodyValue":"x","target":%q}`, f.abs(views.ArticleURL(2))), nil, http.StatusBadRequest},
		{"another site", `{"type":"Annotation","bodyValue":"x","target":"https://elsewhere.example/articles/1"}`, nil, http.StatusBadRequest},
		{"body and bodyValue", fmt.Sprintf(`{"type":"Annotation","bodyValue":"x","body":"https://example.org/","target":%q}`, articleIRI), nil, http.StatusBadRequest},
		{"unknown selector only", fmt.Sprintf(`{"type":"Annotation","bodyValue":"x","target":{"source":%q,"selector":{"type":"CssSelector","value":"p"}}}`, articleIRI), nil, http.StatusBadRequest},
		{"selector that does not match", f.w3cNote("words that are nowhere in this article at all", "x"), nil, http.StatusUnprocessableEntity},
		{"offsets that do not match the quote", fmt.Sprintf(`{"type":"Annotation","bodyValue":"x","target":{"source":%q,"selector":[{"type":"TextQuoteSelector","exact":%q},{"type":"TextPositionSelector","start":0,"end":5}]}}`, articleIRI, f.quote(t, 1)), nil, http.StatusUnprocessableEntity},
		{"empty comment", fmt.Sprintf(`{"type":"Annotation","motivation":"commenting","target":%q}`, articleIRI), nil, http.StatusUnprocessableEntity},
		{"unknown visibility", fmt.Sprintf(`{"type":"Annotation","bodyValue":"x","target":%q,"newsgloss:visibility":"everyone"}`, articleIRI), nil, http.StatusUnprocessableEntity},
		{"not JSON at all", "motivation=commenting", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"too large", `{"type":"Annotation","bodyValue":"` + strings.Repeat("x", 300<<10) + `"}`, nil, http.StatusRequestEntityTooLarge},
	}
	for _, tc := range cases {
		res := author.apiRequest(http.MethodPost, path, tc.body, tc.headers)
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d\n%s", tc.name, res.StatusCode, tc.status, truncate(res.body, 300))
			continue
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: error Content-Type %q", tc.name, res.Header.Get("Content-Type"))
			continue
		}
		if m := res.jsonBody(t); m["error"] == "" || m["code"] == "" {
			t.Errorf("%s: error body %v", tc.name, m)
		}
	}
	if f.count(t) != before {
		t.Errorf("refused annotations were stored: %d annotations, want %d", f.count(t), before)
	}
}

func TestAPIGetAnnotation(t *testing.T) {
	f := newAPIFixture(t)
	public := f.note(t, models.AnnotationInput{Body: "Public", Passage: &models.Passage{Quote: f.quote(t, 0)}})
	staff := f.note(t, models.AnnotationInput{Body: "Staff only", Visibility: "staff"})
	anon := f.site.client()
	path := views.AnnotationURL(public.ID)

	res := anon.apiRequest(http.MethodGet, path, "", nil)
	wantStatus(t, res, http.StatusOK)
	wantHeader(t, res, "Content-Type", ldContentType)
	wantHeader(t, res, "Link", `<http://www.w3.org/ns/ldp#Resource>; rel="type"`)
	wantHeader(t, res, "Allow", "GET,PUT,DELETE,HEAD,OPTIONS")
	wantHeader(t, res, "Vary", "Accept")
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	doc := res.jsonBody(t)
	if doc["@context"] != "http://www.w3.org/ns/anno.jsonld" || doc["id"] != f.abs(path) || doc["type"] != "Annotation" {
		t.Errorf("annotation: @context %v id %v type %v", doc["@context"], doc["id"], doc["type"])
	}
	if created, _ := doc["created"].(string); !strings.HasSuffix(created, "Z") {
		t.Errorf("created %q is not in UTC", created)
	}
	wantStatus(t, anon.apiRequest(http.MethodGet, path, "", map[string]string{"If-None-Match": etag}), http.StatusNotModified)
	wantStatus(t, anon.apiRequest(http.MethodGet, path, "", map[string]string{"If-None-Match": `"0-000000000000"`}), http.StatusOK)
	head := anon.apiRequest(http.MethodHead, path, "", nil)
	wantStatus(t, head, http.StatusOK)
	if head.body != "" || head.Header.Get("ETag") != etag {
		t.Errorf("HEAD: body %q ETag %q", head.body, head.Header.Get("ETag"))
	}
	// A client that sends no Accept gets JSON-LD; a browser gets the page.
	res = anon.apiRequest(http.MethodGet, path, "", map[string]string{"Accept": ""})
	wantStatus(t, res, http.StatusOK)
	wantHeader(t, res, "Content-Type", "application/ld+json")
	for accept, wantJSON := range map[string]bool{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": false,
		"application/ld+json;q=0.5, text/html":                            false,
		"text/html;q=0.5, application/ld+json":                            true,
		"application/json":                                                true,
	} {
		res := anon.apiRequest(http.MethodGet, path, "", map[string]string{"Accept": accept})
		isJSON := strings.HasPrefix(res.Header.Get("Content-Type"), "application/ld+json") ||
			strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && res.StatusCode == http.StatusOK
		if isJSON != wantJSON {
			t.Errorf("Accept %q: status %d, Content-Type %q; want JSON %v", accept, res.StatusCode, res.Header.Get("Content-Type"), wantJSON)
		}
	}
	// Plain JSON clients get the same document.
	res = anon.apiRequest(http.MethodGet, path, "", map[string]string{"Accept": "application/json"})
	wantStatus(t, res, http.StatusOK)
	if res.jsonBody(t)["id"] != f.abs(path) {
		t.Error("application/json: not the annotation")
	}
	res = anon.apiRequest(http.MethodOptions, path, "", nil)
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNoContent {
		t.Fatalf("OPTIONS: status %d", res.StatusCode)
	}
	wantHeader(t, res, "Allow", "PUT")

	// Staff-only notes are not there for the public; unknown ids neither.
	wantStatus(t, anon.apiRequest(http.MethodGet, views.AnnotationURL(staff.ID), "", nil), http.StatusNotFound)
	wantStatus(t, anon.apiRequest(http.MethodHead, views.AnnotationURL(staff.ID), "", nil), http.StatusNotFound)
	reader := f.site.client()
	reader.signIn(models.RoleReader)
	wantStatus(t, reader.apiRequest(http.MethodGet, views.AnnotationURL(staff.ID), "", nil), http.StatusNotFound)
	desk := f.site.client()
	desk.signIn(models.RoleEditor)
	wantStatus(t, desk.apiRequest(http.MethodGet, views.AnnotationURL(staff.ID), "", nil), http.StatusOK)
	res = anon.apiRequest(http.MethodGet, views.AnnotationURL(99999), "", nil)
	wantStatus(t, res, http.StatusNotFound)
	if m := res.jsonBody(t); m["code"] == "" {
		t.Errorf("404 body %v", m)
	}
}

func TestAPIUpdate(t *testing.T) {
	f := newAPIFixture(t)
	quote := f.quote(t, 0)
	a := f.note(t, models.AnnotationInput{Body: "First words", Passage: &models.Passage{Quote: quote}})
	path := views.AnnotationURL(a.ID)
	author := f.site.client()
	author.signIn(models.RoleFactChecker)

	got := author.apiRequest(http.MethodGet, path, "", nil)
	wantStatus(t, got, http.StatusOK)
	etag := got.Header.Get("ETag")
	doc := got.jsonBody(t)
	doc["body"] = []any{map[string]any{"type": "TextualBody", "value": "Second words", "format": "text/markdown"}}
	doc["motivation"] = "questioning"
	edited, _ := json.Marshal(doc)

	wantStatus(t, author.apiRequest(http.MethodPut, path, string(edited), nil), http.StatusPreconditionRequired)
	wantStatus(t, author.apiRequest(http.MethodPut, path, string(edited), map[string]string{"If-Match": `"7-000000000000"`}), http.StatusPreconditionFailed)
	if stored, err := f.site.store.AnnotationByID(context.Background(), f.checker, a.ID); err != nil || stored.BodySource != "First words" || stored.Version != 1 {
		t.Fatalf("a refused PUT changed the note: %+v, %v", stored, err)
	}
	// Someone else may not edit it, even with the right ETag.
	desk := f.site.client()
	desk.signIn(models.RoleEditor)
	wantStatus(t, desk.apiRequest(http.MethodPut, path, string(edited), map[string]string{"If-Match": etag}), http.StatusForbidden)
	anon := f.site.client()
	anon.get("/signin")
	wantStatus(t, anon.apiRequest(http.MethodPut, path, string(edited), map[string]string{"If-Match": etag}), http.StatusUnauthorized)

	res := author.apiRequest(http.MethodPut, path, string(edited), map[string]string{"If-Match": etag})
	wantStatus(t, res, http.StatusOK)
	newTag := res.Header.Get("ETag")
	if newTag == "" || newTag == etag {
		t.Errorf("ETag after PUT %q (before %q)", newTag, etag)
	}
	updated := res.jsonBody(t)
	if updated["motivation"] != "questioning" || !strings.Contains(fmt.Sprint(updated["body"]), "Second words") {
		t.Errorf("after PUT: motivation %v body %v", updated["motivation"], updated["body"])
	}
	if check := author.apiRequest(http.MethodGet, path, "", nil); check.Header.Get("ETag") != newTag {
		t.Errorf("GET after PUT: ETag %q, PUT said %q", check.Header.Get("ETag"), newTag)
	}
	// The old ETag is now stale.
	wantStatus(t, author.apiRequest(http.MethodPut, path, string(edited), map[string]string{"If-Match": etag}), http.StatusPreconditionFailed)

	// The passage cannot move through PUT, nor the id change.
	moved := map[string]any{}
	for k, v := range updated {
		moved[k] = v
	}
	moved["target"] = map[string]any{"source": f.abs(views.ArticleURL(f.article.ID)),
		"selector": map[string]any{"type": "TextQuoteSelector", "exact": f.quote(t, 1)}}
	b, _ := json.Marshal(moved)
	wantStatus(t, author.apiRequest(http.MethodPut, path, string(b), map[string]string{"If-Match": newTag}), http.StatusBadRequest)
	moved["target"] = updated["target"]
	moved["id"] = f.abs(views.AnnotationURL(a.ID + 1000))
	b, _ = json.Marshal(moved)
	wantStatus(t, author.apiRequest(http.MethodPut, path, string(b), map[string]string{"If-Match": newTag}), http.StatusBadRequest)
	if stored, _ := f.site.store.AnnotationByID(context.Background(), f.checker, a.ID); stored.Version != 2 || stored.QuoteExact != quote {
		t.Errorf("refused PUTs changed the note: version %d, quote %q", stored.Version, stored.QuoteExact)
	}
	wantStatus(t, author.apiRequest(http.MethodPut, views.AnnotationURL(99999), string(edited), map[string]string{"If-Match": newTag}), http.StatusNotFound)

	// A client that knows nothing of Newsgloss's extensions cannot publish a
	// private note by leaving them out; it can change them by sending them.
	private := f.note(t, models.AnnotationInput{Body: "Only me", Visibility: "private", RepliesOpen: true})
	privPath := views.AnnotationURL(private.ID)
	got = author.apiRequest(http.MethodGet, privPath, "", nil)
	plain := got.jsonBody(t)
	delete(plain, "newsgloss:visibility")
	delete(plain, "newsgloss:repliesOpen")
	b, _ = json.Marshal(plain)
	res = author.apiRequest(http.MethodPut, privPath, string(b), map[string]string{"If-Match": got.Header.Get("ETag")})
	wantStatus(t, res, http.StatusOK)
	if m := res.jsonBody(t); m["newsgloss:visibility"] != "private" || m["newsgloss:repliesOpen"] != true {
		t.Errorf("a PUT without the extensions changed them: visibility %v, replies open %v", m["newsgloss:visibility"], m["newsgloss:repliesOpen"])
	}
	plain["newsgloss:visibility"] = "staff"
	b, _ = json.Marshal(plain)
	res = author.apiRequest(http.MethodPut, privPath, string(b), map[string]string{"If-Match": res.Header.Get("ETag")})
	wantStatus(t, res, http.StatusOK)
	if m := res.jsonBody(t); m["newsgloss:visibility"] != "staff" {
		t.Errorf("visibility after PUT %v, want staff", m["newsgloss:visibility"])
	}
}

func TestAPIDelete(t *testing.T) {
	f := newAPIFixture(t)
	a := f.note(t, models.AnnotationInput{Body: "Soon gone"})
	path := views.AnnotationURL(a.ID)
	author := f.site.client()
	author.signIn(models.RoleFactChecker)
	desk := f.site.client()
	desk.signIn(models.RoleEditor)

	wantStatus(t, desk.apiRequest(http.MethodDelete, path, "", nil), http.StatusForbidden)
	wantStatus(t, author.apiRequest(http.MethodDelete, path, "", map[string]string{"If-Match": `"9-000000000000"`}), http.StatusPreconditionFailed)
	wantStatus(t, author.apiRequest(http.MethodGet, path, "", nil), http.StatusOK)

	etag := author.apiRequest(http.MethodGet, path, "", nil).Header.Get("ETag")
	res := author.apiRequest(http.MethodDelete, path, "", map[string]string{"If-Match": etag})
	wantStatus(t, res, http.StatusNoContent)
	res = author.apiRequest(http.MethodGet, path, "", nil)
	wantStatus(t, res, http.StatusGone)
	if m := res.jsonBody(t); m["code"] == "" {
		t.Errorf("410 body %v", m)
	}
	wantStatus(t, f.site.client().apiRequest(http.MethodGet, path, "", nil), http.StatusGone)
	wantStatus(t, author.apiRequest(http.MethodDelete, path, "", nil), http.StatusGone)
	// And it left the container.
	items := fmt.Sprint(author.apiRequest(http.MethodGet, views.AnnotationContainerURL(f.article.ID)+"?page=0&iris=1", "", nil).jsonBody(t)["items"])
	if strings.Contains(items, f.abs(path)+" ") || strings.HasSuffix(items, f.abs(path)+"]") {
		t.Errorf("the deleted note is still listed: %s", items)
	}
	// Without If-Match, DELETE works too.
	b := f.note(t, models.AnnotationInput{Body: "Also gone"})
	wantStatus(t, author.apiRequest(http.MethodDelete, views.AnnotationURL(b.ID), "", nil), http.StatusNoContent)
	wantStatus(t, author.apiRequest(http.MethodDelete, views.AnnotationURL(99999), "", nil), http.StatusNotFound)
}

func TestExportCSV(t *testing.T) {
	f := newAPIFixture(t)
	quote := f.quote(t, 0)
	f.note(t, models.AnnotationInput{Body: "=HYPERLINK(\"https://evil.example\",\"click\")", Passage: &models.Passage{Quote: quote},
		Evidence: []models.Evidence{{URL: "https://example.org/a"}, {URL: "https://example.org/b"}}, Tags: "one, two"})
	f.note(t, models.AnnotationInput{Body: "@SUM(A1:A2)", Visibility: "staff"})
	f.note(t, models.AnnotationInput{Body: "+1 and -1"})

	res := f.site.client().get(views.ArticleExportURL(f.article.ID, "csv"))
	wantStatus(t, res, http.StatusOK)
	wantHeader(t, res, "Content-Type", "text/csv")
	wantHeader(t, res, "Content-Disposition", "attachment")
	wantHeader(t, res, "Content-Disposition", ".csv")
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantCols := "id,url,article_id,article_url,author,motivation,visibility,created,modified,quote,prefix,suffix,start,end," +
		"anchor_status,anchor_start,anchor_end,anchor_score,body,evidence,tags"
	if got := strings.Join(rows[0], ","); got != wantCols {
		t.Fatalf("header row\n%s\nwant\n%s", got, wantCols)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	if len(rows) != 1+3 { // the demo's page note and two of ours; the staff note is not public
		t.Fatalf("%d rows, want 4:\n%s", len(rows), res.body)
	}
	var found bool
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q could run as a formula", cell)
			}
		}
		if strings.Contains(row[col["body"]], "HYPERLINK") {
			found = true
			if row[col["body"]] != `'=HYPERLINK("https://evil.example","click")` {
				t.Errorf("body cell %q", row[col["body"]])
			}
			if row[col["quote"]] != quote || row[col["anchor_status"]] != "exact" || row[col["start"]] == "" {
				t.Errorf("passage cells: quote %q status %q start %q", row[col["quote"]], row[col["anchor_status"]], row[col["start"]])
			}
			if row[col["evidence"]] != "https://example.org/a https://example.org/b" || row[col["tags"]] != "one, two" {
				t.Errorf("evidence %q tags %q", row[col["evidence"]], row[col["tags"]])
			}
		}
	}
	if !found {
		t.Error("the note with the formula is missing from the export")
	}
	// Staff see the staff note.
	desk := f.site.client()
	desk.signIn(models.RoleEditor)
	if !strings.Contains(desk.get(views.ArticleExportURL(f.article.ID, "csv")).body, "'@SUM(A1:A2)") {
		t.Error("the editor's export lacks the staff note (neutralised)")
	}
	// A person's notes.
	res = desk.get(views.UserExportURL(f.checker.ID, "csv"))
	wantStatus(t, res, http.StatusOK)
	if rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll(); err != nil || len(rows) < 4 {
		t.Errorf("user export: %d rows, %v", len(rows), err)
	}
	wantStatus(t, f.site.client().get(views.ArticleExportURL(99999, "csv")), http.StatusNotFound)
	wantStatus(t, f.site.client().get(views.UserExportURL(99999, "csv")), http.StatusNotFound)
}

func TestExportJSONLD(t *testing.T) {
	f := newAPIFixture(t)
	f.note(t, models.AnnotationInput{Body: "Public"})
	f.note(t, models.AnnotationInput{Body: "Staff", Visibility: "staff"})
	f.note(t, models.AnnotationInput{Body: "Private", Visibility: "private"})

	for _, tc := range []struct {
		who   string
		role  models.Role
		total int
	}{{"anonymous", "", 2}, {"author", models.RoleFactChecker, 4}, {"editor", models.RoleEditor, 3}} {
		c := f.site.client()
		if tc.role != "" {
			c.signIn(tc.role)
		}
		res := c.get(views.ArticleExportURL(f.article.ID, "jsonld"))
		wantStatus(t, res, http.StatusOK)
		wantHeader(t, res, "Content-Type", "application/ld+json")
		wantHeader(t, res, "Content-Disposition", ".jsonld")
		var doc struct {
			Context string `json:"@context"`
			Type    string `json:"type"`
			Total   int    `json:"total"`
			First   struct {
				Items []map[string]any `json:"items"`
			} `json:"first"`
		}
		if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
			t.Fatalf("%s: export is not JSON: %v", tc.who, err)
		}
		if doc.Type != "AnnotationCollection" || doc.Total != tc.total || len(doc.First.Items) != tc.total {
			t.Errorf("%s: type %q total %d with %d items, want %d", tc.who, doc.Type, doc.Total, len(doc.First.Items), tc.total)
		}
	}

	// A person's notes: the demo's and ours, as the public sees them.
	res := f.site.client().get(views.UserExportURL(f.checker.ID, "jsonld"))
	wantStatus(t, res, http.StatusOK)
	var doc struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatal(err)
	}
	public, err := f.site.store.ListAnnotations(context.Background(), nil, models.AnnotationFilter{AuthorID: f.checker.ID})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Total != len(public) || doc.Total < 2 {
		t.Errorf("user export total %d, want %d", doc.Total, len(public))
	}
	wantStatus(t, f.site.client().get(views.UserExportURL(99999, "jsonld")), http.StatusNotFound)
	wantStatus(t, f.site.client().get(views.ArticleExportURL(99999, "jsonld")), http.StatusNotFound)
}

// TestAPINullBytesAreRefused sends JSON whose strings hold a null byte (an
// escaped \u0000: JSON allows it, no text field does) in each place a note
// keeps text. Each is refused with a message, never a server error (on
// PostgreSQL a null byte cannot even be stored), and nothing is stored.
func TestAPINullBytesAreRefused(t *testing.T) {
	f := newAPIFixture(t)
	author := f.site.client()
	author.signIn(models.RoleFactChecker)
	quote := f.quote(t, 2)
	before := f.count(t)
	doc := func(body, tag, exact, label string) string {
		b, _ := json.Marshal(map[string]any{
			"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "motivation": "commenting",
			"body": []any{
				map[string]any{"type": "TextualBody", "value": body, "format": "text/markdown"},
				map[string]any{"type": "TextualBody", "value": tag, "purpose": "tagging"},
				map[string]any{"type": "SpecificResource", "purpose": "linking", "source": map[string]any{"id": "https://example.org/r", "label": label}},
			},
			"target": map[string]any{"source": f.abs(views.ArticleURL(f.article.ID)),
				"selector": map[string]any{"type": "TextQuoteSelector", "exact": exact}},
		})
		return string(b)
	}
	for name, body := range map[string]string{
		"body":  doc("before\x00after", "tag", quote, "label"),
		"tag":   doc("text", "ta\x00g", quote, "label"),
		"quote": doc("text", "tag", quote+"\x00", "label"),
		"label": doc("text", "tag", quote, "la\x00bel"),
	} {
		res := author.apiRequest(http.MethodPost, views.AnnotationContainerURL(f.article.ID), body, nil)
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("null byte in the %s: status %d, want a refusal\n%s", name, res.StatusCode, truncate(res.body, 300))
		}
	}
	if after := f.count(t); after != before {
		t.Errorf("%d notes after the refusals, %d before", after, before)
	}
}
