package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"newsgloss/handlers"
	"newsgloss/models"
	"newsgloss/views"
)

// The W3C Web Annotation working group's JSON Schemas (draft-04) live in
// shared/ beside the repository, not in it.

// w3cSchemaDir finds ../shared/w3c-annotation-schemas from the repository root.
func w3cSchemaDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("W3C schema checks: no go.mod above the test's directory, so the repository root is unknown")
		}
		dir = parent
	}
	schemas := filepath.Join(dir, "..", "shared", "w3c-annotation-schemas")
	for _, sub := range []string{"definitions", "annotations", "collections"} {
		if st, err := os.Stat(filepath.Join(schemas, sub)); err != nil || !st.IsDir() {
			t.Fatalf("W3C schema checks: %s is missing (want the W3C web-annotation-tests schemas in shared/ beside the repository, with definitions/, annotations/ and collections/)",
				filepath.Join(schemas, sub))
		}
	}
	return schemas
}

// mustSchema is one MUST assertion of the W3C test suite, compiled.
type mustSchema struct {
	name   string // path under the schema directory
	schema *jsonschema.Schema
}

// defsLoader serves the schema files. The assertions refer to the shared
// definitions by bare file name ("bodyTarget.json#/definitions/…"), which
// resolves next to the assertion; those names are mapped to definitions/.
type defsLoader struct{ defs string }

func (l defsLoader) Load(u string) (any, error) {
	path, err := jsonschema.FileLoader{}.ToFile(u)
	if err != nil {
		return nil, err
	}
	if def := filepath.Join(l.defs, filepath.Base(path)); fileExists(def) {
		path = def
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// loadMustSchemas compiles every file under dir/sub whose assertionType is
// "must" (recursively when deep), each with its own compiler: some assertion
// files share an id, so they cannot live in one registry.
func loadMustSchemas(t *testing.T, dir, sub string, deep bool) []mustSchema {
	t.Helper()
	root := filepath.Join(dir, sub)
	loader := defsLoader{defs: filepath.Join(dir, "definitions")}
	var out []mustSchema
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && !deep {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".json") {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var head struct {
			AssertionType string `json:"assertionType"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if head.AssertionType != "must" {
			return nil
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft4)
		c.AssertFormat()
		c.UseLoader(loader)
		sch, err := c.Compile((&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String())
		if err != nil {
			return fmt.Errorf("compile %s: %w", path, err)
		}
		rel, _ := filepath.Rel(dir, path)
		out = append(out, mustSchema{name: rel, schema: sch})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no MUST schemas under %s", root)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// w3cSchemas holds the three sets of MUST assertions.
type w3cSchemas struct {
	annotation, collection, page []mustSchema
}

func loadW3CSchemas(t *testing.T) w3cSchemas {
	dir := w3cSchemaDir(t)
	return w3cSchemas{
		annotation: loadMustSchemas(t, dir, "annotations", true),
		collection: loadMustSchemas(t, dir, "collections", false),
		page:       loadMustSchemas(t, dir, filepath.Join("collections", "pages"), false),
	}
}

// failures validates a JSON document against schemas and describes each
// failed assertion; passed counts the others.
func failures(doc []byte, schemas []mustSchema) (failed []string, passed int, err error) {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, 0, err
	}
	for _, s := range schemas {
		if verr := s.schema.Validate(inst); verr != nil {
			var ve *jsonschema.ValidationError
			msg := verr.Error()
			if errors.As(verr, &ve) {
				msg = fmt.Sprint(ve.BasicOutput().Errors)
			}
			if len(msg) > 400 {
				msg = msg[:400] + "…"
			}
			failed = append(failed, s.name+": "+msg)
			continue
		}
		passed++
	}
	return failed, passed, nil
}

// schemaTally counts the checks made by a test.
type schemaTally struct {
	t      *testing.T
	passed int
}

func (st *schemaTally) check(label string, doc []byte, schemas ...[]mustSchema) {
	st.t.Helper()
	for _, set := range schemas {
		failed, passed, err := failures(doc, set)
		if err != nil {
			st.t.Fatalf("%s: not JSON: %v", label, err)
		}
		st.passed += passed
		for _, f := range failed {
			st.t.Errorf("%s fails W3C MUST %s\n%s", label, f, truncate(string(doc), 1500))
		}
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// getLD fetches a resource as JSON-LD and checks the status.
func (c *client) getLD(path string, headers map[string]string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.site.srv.URL+path, nil)
	req.Header.Set("Accept", "application/ld+json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// TestW3CSchemasAnnotations makes every kind of annotation Newsgloss has and
// checks each one's JSON-LD, its article's container and pages and the
// exports against every MUST assertion of the W3C test suite.
func TestW3CSchemasAnnotations(t *testing.T) {
	schemas := loadW3CSchemas(t)
	t.Logf("MUST schemas: %d for annotations, %d for collections, %d for pages",
		len(schemas.annotation), len(schemas.collection), len(schemas.page))

	site := newTestSite(t, handlers.Config{})
	ctx := context.Background()
	checker, err := site.store.UserByEmail(ctx, "factchecker@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	editor, err := site.store.UserByEmail(ctx, "editor@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	art, err := site.store.ArticleByID(ctx, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	quotes := distinctQuotes(t, art.BodyText, 14)

	// Each motivation, on a passage and on the whole article, across the visibilities.
	var ids []uint
	visibilities := models.Visibilities()
	i := 0
	for _, m := range models.Motivations() {
		for _, onPassage := range []bool{true, false} {
			in := models.AnnotationInput{
				Motivation: string(m), Visibility: string(visibilities[i%len(visibilities)]), RepliesOpen: i%2 == 0,
			}
			switch m {
			case models.MotivationHighlighting:
				// no body at all
			case models.MotivationTagging:
				in.Tags = "ceasefire, Corran Shoals"
			case models.MotivationLinking:
				in.Body = "The ministry's *own* account."
				in.Evidence = []models.Evidence{{URL: "https://example.org/ministry/statement", Title: "Ministry statement"}, {URL: "https://example.org/map"}}
			default:
				in.Body = fmt.Sprintf("A %s note with **Markdown** and a [link](https://example.org/).", m)
			}
			if m == models.MotivationAssessing {
				in.Evidence = []models.Evidence{{URL: "https://example.org/records", Title: "Records"}}
			}
			if onPassage {
				in.Passage = &models.Passage{Quote: quotes[i]}
			}
			a, err := site.store.CreateAnnotation(ctx, checker, art.ID, in)
			if err != nil {
				t.Fatalf("create %s (passage %v): %v", m, onPassage, err)
			}
			ids = append(ids, a.ID)
			i++
		}
	}
	// A passage given by offsets, as the browser script sends it.
	start := len([]rune(art.BodyText[:strings.Index(art.BodyText, quotes[13])]))
	end := start + len([]rune(quotes[13]))
	a, err := site.store.CreateAnnotation(ctx, checker, art.ID, models.AnnotationInput{
		Motivation: "questioning", Body: "Which day?", Visibility: "public",
		Passage: &models.Passage{Quote: quotes[13], Start: &start, End: &end},
	})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, a.ID)
	// Replies, public and staff-only, and a note an editor hid.
	for _, parent := range ids[:2] {
		r, err := site.store.CreateReply(ctx, editor, parent, models.AnnotationInput{Body: "A reply from the desk."})
		if err != nil {
			t.Fatalf("reply to %d: %v", parent, err)
		}
		ids = append(ids, r.ID)
	}
	// Enough page notes for the container to need a second page.
	for n := 0; n < 12; n++ {
		a, err := site.store.CreateAnnotation(ctx, checker, art.ID, models.AnnotationInput{
			Motivation: "commenting", Body: fmt.Sprintf("Page note %d.", n), Visibility: "public"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if err := site.store.Moderate(ctx, editor, ids[0], true, "Testing the hidden state"); err != nil {
		t.Fatal(err)
	}

	tally := &schemaTally{t: t}
	author := site.client()
	author.signIn(models.RoleFactChecker)
	desk := site.client()
	desk.signIn(models.RoleEditor)

	// Every annotation, fetched alone. The author sees all but the hidden one,
	// which the editor sees.
	for _, id := range ids {
		c := author
		if id == ids[0] {
			c = desk
		}
		res := c.getLD(views.AnnotationURL(id), nil)
		wantStatus(t, res, http.StatusOK)
		tally.check(fmt.Sprintf("annotation %d", id), []byte(res.body), schemas.annotation)
	}
	// The demonstration notes: replies by readers, passages found again (or
	// lost) in later revisions of their articles.
	demo, err := site.store.ListAnnotations(ctx, editor, models.AnnotationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	demoChecked := 0
	for _, d := range demo {
		if d.ArticleID == art.ID && d.ID >= ids[0] {
			continue
		}
		res := desk.getLD(views.AnnotationURL(d.ID), nil)
		wantStatus(t, res, http.StatusOK)
		tally.check(fmt.Sprintf("demo annotation %d (%s)", d.ID, d.AnchorStatus), []byte(res.body), schemas.annotation)
		demoChecked++
	}
	if demoChecked == 0 {
		t.Error("the demonstration data has no annotations to check")
	}

	// Containers and pages, as different people see them, in every form.
	container := views.AnnotationContainerURL(art.ID)
	for _, c := range []*client{site.client(), author, desk} {
		for _, prefer := range []string{"", containerPrefer("oa#PreferContainedIRIs"), containerPrefer("oa#PreferContainedDescriptions"),
			containerPrefer("ldp#PreferMinimalContainer")} {
			res := c.getLD(container, map[string]string{"Prefer": prefer})
			wantStatus(t, res, http.StatusOK)
			sets := [][]mustSchema{schemas.collection}
			if !strings.Contains(prefer, "Minimal") {
				sets = append(sets, schemas.page) // the first page is embedded
			}
			tally.check("container (Prefer "+prefer+")", []byte(res.body), sets...)
		}
		res := c.getLD(container, nil)
		var coll struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(res.body), &coll); err != nil {
			t.Fatal(err)
		}
		for n := 0; n < (coll.Total+19)/20; n++ {
			for _, iris := range []string{"", "&iris=1"} {
				res := c.getLD(fmt.Sprintf("%s?page=%d%s", container, n, iris), nil)
				wantStatus(t, res, http.StatusOK)
				tally.check(fmt.Sprintf("page %d%s", n, iris), []byte(res.body), schemas.page)
			}
		}
	}
	if res := desk.getLD(container, nil); !strings.Contains(res.body, `"next"`) {
		t.Errorf("the container's first page should link a next page (more than 20 notes):\n%s", truncate(res.body, 500))
	}
	// An empty container (an article without notes) is a collection too.
	empty := findArticleWithoutNotes(t, site)
	res := site.client().getLD(views.AnnotationContainerURL(empty), nil)
	wantStatus(t, res, http.StatusOK)
	tally.check("empty container", []byte(res.body), schemas.collection)

	// The exports are collections with everything embedded.
	for _, path := range []string{views.ArticleExportURL(art.ID, "jsonld"), views.UserExportURL(checker.ID, "jsonld")} {
		res := desk.get(path)
		wantStatus(t, res, http.StatusOK)
		tally.check("export "+path, []byte(res.body), schemas.collection, schemas.page)
	}

	t.Logf("W3C schema checks passed: %d (%d annotations of ours, %d demonstration annotations, containers, pages and exports)",
		tally.passed, len(ids), demoChecked)
	t.Log(fmt.Sprintf("W3C schema checks passed: %d", tally.passed))
}

func containerPrefer(term string) string {
	ns := "http://www.w3.org/ns/"
	return `return=representation;include="` + ns + term + `"`
}

// distinctQuotes picks n passages of the text that each occur once, for notes.
func distinctQuotes(t *testing.T, text string, n int) []string {
	t.Helper()
	var out []string
	words := strings.Fields(text)
	for i := 0; i+4 < len(words) && len(out) < n; i += 7 {
		q := strings.Join(words[i:i+4], " ")
		if strings.Count(text, q) == 1 {
			out = append(out, q)
		}
	}
	if len(out) < n {
		t.Fatalf("found only %d unique quotes in the article", len(out))
	}
	return out
}

func findArticleWithoutNotes(t *testing.T, site *testSite) uint {
	t.Helper()
	ctx := context.Background()
	editor, err := site.store.UserByEmail(ctx, "editor@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	for id := uint(1); id < 50; id++ {
		if _, err := site.store.ArticleByID(ctx, id, false); err != nil {
			continue
		}
		list, err := site.store.ListAnnotations(ctx, editor, models.AnnotationFilter{ArticleID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			return id
		}
	}
	t.Fatal("every demonstration article has notes")
	return 0
}

// TestW3CSchemasRejectBrokenAnnotations is the negative control: documents
// that break the model must fail at least one MUST assertion, or the checks
// above prove nothing.
func TestW3CSchemasRejectBrokenAnnotations(t *testing.T) {
	schemas := loadW3CSchemas(t)
	good := map[string]any{
		"@context":   "http://www.w3.org/ns/anno.jsonld",
		"id":         "http://example.org/annotations/1",
		"type":       "Annotation",
		"motivation": "commenting",
		"body":       map[string]any{"type": "TextualBody", "value": "A note", "format": "text/markdown"},
		"target": map[string]any{"type": "SpecificResource", "source": "http://example.org/articles/1",
			"selector": map[string]any{"type": "TextQuoteSelector", "exact": "words"}},
	}
	encode := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if failed, _, _ := failures(encode(good), schemas.annotation); len(failed) > 0 {
		t.Fatalf("the control annotation should pass: %v", failed)
	}
	broken := map[string]func(m map[string]any){
		"no target":      func(m map[string]any) { delete(m, "target") },
		"wrong @context": func(m map[string]any) { m["@context"] = "http://example.org/context.jsonld" },
		"not Annotation": func(m map[string]any) { m["type"] = "Note" },
		"id not an IRI":  func(m map[string]any) { m["id"] = "not an iri" },
		"bad created":    func(m map[string]any) { m["created"] = "yesterday" },
		"body+bodyValue": func(m map[string]any) { m["bodyValue"] = "text" },
		"negative offset": func(m map[string]any) {
			m["target"] = map[string]any{"source": "http://example.org/a", "selector": map[string]any{"type": "TextPositionSelector", "start": -1, "end": 4}}
		},
		"quote without exact": func(m map[string]any) {
			m["target"] = map[string]any{"source": "http://example.org/a", "selector": map[string]any{"type": "TextQuoteSelector", "prefix": "x"}}
		},
	}
	for name, breakIt := range broken {
		doc := map[string]any{}
		for k, v := range good {
			doc[k] = v
		}
		breakIt(doc)
		failed, _, err := failures(encode(doc), schemas.annotation)
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) == 0 {
			t.Errorf("%s: a broken annotation passed every MUST schema", name)
		} else {
			t.Logf("%s: rejected by %d MUST schemas, e.g. %s", name, len(failed), truncate(failed[0], 120))
		}
	}

	// A page without items and a collection with items but no first page.
	page := encode(map[string]any{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://example.org/p0", "type": "AnnotationPage"})
	if failed, _, _ := failures(page, schemas.page); len(failed) == 0 {
		t.Error("a page without items passed every page MUST schema")
	}
	coll := encode(map[string]any{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://example.org/c", "type": "AnnotationCollection", "total": 3})
	if failed, _, _ := failures(coll, schemas.collection); len(failed) == 0 {
		t.Error("a collection of 3 without a first page passed every collection MUST schema")
	}
}
