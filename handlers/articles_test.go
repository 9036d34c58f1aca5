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

func articleForm(title, body, status string) url.Values {
	return url.Values{
		"title": {title}, "new_outlet": {"The Test Gazette"}, "byline": {"By Tess Ting"},
		"published_at": {"2025-10-01T09:30"}, "status": {status}, "body_format": {"markdown"}, "body": {body},
	}
}

func TestInvalidArticleKeepsEverythingTyped(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	c.signIn(models.RoleEditor)
	c.get("/desk/articles/new")
	form := articleForm("", "A long body the editor typed with care.", "published")
	form.Set("published_at", "2025-13-45 99:99")
	form.Set("source_url", "javascript:alert(1)")
	res := c.post("/desk/articles", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)

	for id, want := range map[string]string{
		"title-error":        "Enter a headline.",
		"published_at-error": "Enter the date and time as YYYY-MM-DD HH:MM, e.g. 2025-03-14 09:30.",
		"source_url-error":   "Enter a full web address starting with https:// or http://.",
	} {
		if got := res.text("#" + id); got != want {
			t.Errorf("#%s = %q, want %q", id, got, want)
		}
	}
	if got := res.text("#body"); got != "A long body the editor typed with care." {
		t.Errorf("body kept as %q", got)
	}
	if v, _ := res.doc.Find("#source_url").Attr("value"); v != "javascript:alert(1)" {
		t.Errorf("source URL kept as %q", v)
	}
	if v, _ := res.doc.Find("#title").Attr("aria-invalid"); v != "true" {
		t.Errorf("title aria-invalid = %q", v)
	}
}

func TestEditConflictKeepsTheEditorsText(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	first, second := site.client(), site.client()
	first.signIn(models.RoleEditor)
	second.signIn(models.RoleAdmin)

	res := first.post("/desk/articles", articleForm("Talks resume", "The talks resumed on Monday.", "published"))
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location") // /articles/N
	id := strings.TrimPrefix(path, "/articles/")

	// Both open the edit form at version 1.
	first.get("/desk/articles/" + id + "/edit")
	second.get("/desk/articles/" + id + "/edit")

	f1 := articleForm("Talks resume", "The talks resumed on Tuesday.", "published")
	f1.Set("base_version", "1")
	wantStatus(t, first.post("/desk/articles/"+id, f1), http.StatusSeeOther)

	f2 := articleForm("Talks resume in Amberfeld", "The talks resumed on Monday in Amberfeld.", "published")
	f2.Set("base_version", "1")
	res = second.post("/desk/articles/"+id, f2)
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.text(`[data-testid="conflict"]`), "not saved") {
		t.Errorf("conflict notice: %q", res.text(`[data-testid="conflict"]`))
	}
	if got := res.text("#body"); got != "The talks resumed on Monday in Amberfeld." {
		t.Errorf("the second editor's text was not kept: %q", got)
	}
	if got, _ := res.doc.Find(`input[name="base_version"]`).Attr("value"); got != "2" {
		t.Errorf("rebased form version %q, want 2", got)
	}
	if del, ins := res.text(".diff del"), res.text(".diff ins"); del != "Monday" || ins != "Tuesday" {
		t.Errorf("diff since base: del %q ins %q", del, ins)
	}
	// The first editor's save is intact and only two revisions exist.
	n := 0
	fmt.Sscan(id, &n)
	revs, err := site.store.Revisions(t.Context(), uint(n))
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].BodyText != "The talks resumed on Tuesday." {
		t.Fatalf("revisions after conflict: %d, newest %q", len(revs), revs[0].BodyText)
	}
	// Saving the rebased form now succeeds as version 3.
	f2.Set("base_version", "2")
	wantStatus(t, second.post("/desk/articles/"+id, f2), http.StatusSeeOther)
}

func TestDraftsAreHiddenFromReaders(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	res := editor.post("/desk/articles", articleForm("Embargoed story", "Not yet.", "draft"))
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	wantStatus(t, editor.get(path), http.StatusOK)

	reader := site.client()
	res = reader.get(path)
	wantStatus(t, res, http.StatusNotFound)
	if strings.Contains(reader.get("/").body, "Embargoed story") {
		t.Error("draft listed on the home page")
	}
	reader.signIn(models.RoleReader)
	wantStatus(t, reader.get(path), http.StatusNotFound)
	wantStatus(t, reader.get(path+"/history"), http.StatusNotFound)
}

func TestRetractionShowsNoticeAndKeepsText(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	c.signIn(models.RoleEditor)
	res := c.post("/desk/articles", articleForm("Minister resigns", "The minister resigned, sources said.", "published"))
	path := res.Header.Get("Location")
	id := strings.TrimPrefix(path, "/articles/")

	f := articleForm("Minister resigns", "The minister resigned, sources said.", "retracted")
	f.Set("base_version", "1")
	res = c.post("/desk/articles/"+id, f)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := res.text("#retraction_note-error"); got != "Explain to readers why the article is retracted." {
		t.Errorf("retraction without note: %q", got)
	}
	f.Set("retraction_note", "The sources withdrew their account.")
	wantStatus(t, c.post("/desk/articles/"+id, f), http.StatusSeeOther)

	page := site.client().get(path)
	wantStatus(t, page, http.StatusOK)
	if got := page.text(`[data-testid="retraction-notice"]`); !strings.Contains(got, "The sources withdrew their account.") {
		t.Errorf("retraction notice %q", got)
	}
	if got := page.text(`[data-testid="article-body"]`); got != "The minister resigned, sources said." {
		t.Errorf("retracted article body %q", got)
	}
}

func TestDeleteAndRestore(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor, admin := site.client(), site.client()
	editor.signIn(models.RoleEditor)
	admin.signIn(models.RoleAdmin)
	editor.get("/desk/articles/1/edit")
	wantStatus(t, editor.post("/desk/articles/1/delete", nil), http.StatusSeeOther)
	wantStatus(t, site.client().get("/articles/1"), http.StatusNotFound)

	res := admin.get("/admin/articles/deleted")
	if !strings.Contains(res.text(`[data-testid="deleted-articles"]`), "first ministerial talks") {
		t.Errorf("deleted list: %q", res.text(`[data-testid="deleted-articles"]`))
	}
	wantStatus(t, admin.post("/admin/articles/1/restore", nil), http.StatusSeeOther)
	wantStatus(t, site.client().get("/articles/1"), http.StatusOK)
}

func TestArticlePageHasNewsArticleJSONLD(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	res := site.client().get("/articles/6")
	wantStatus(t, res, http.StatusOK)
	raw := res.doc.Find(`script[type="application/ld+json"]`).Text()
	var ld map[string]any
	if err := json.Unmarshal([]byte(raw), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, raw)
	}
	if ld["@type"] != "NewsArticle" || ld["headline"] != res.text("h1") || ld["datePublished"] == nil {
		t.Errorf("JSON-LD: %v", ld)
	}
	if pub, _ := ld["publisher"].(map[string]any); pub["name"] != "Northgate Post" {
		t.Errorf("publisher %v", ld["publisher"])
	}
	if !strings.Contains(res.text(".article__history"), "Updated") {
		t.Errorf("revised article does not say it was updated: %q", res.text(".article__history"))
	}
}

func TestSecurityHeadersAndErrorPages(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	res := c.get("/articles/424242")
	wantStatus(t, res, http.StatusNotFound)
	if res.text("h1") != "Page not found" {
		t.Errorf("404 heading %q", res.text("h1"))
	}
	h := res.Header
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"} {
		if h.Get(name) != want {
			t.Errorf("%s = %q, want %q", name, h.Get(name), want)
		}
	}
	if h.Get("X-Request-Id") == "" {
		t.Error("no request id header")
	}

	req, _ := http.NewRequest(http.MethodGet, site.srv.URL+"/articles/424242", nil)
	req.Header.Set("Accept", "application/json")
	jres := c.do(req)
	var body map[string]any
	if err := json.Unmarshal([]byte(jres.body), &body); err != nil || jres.StatusCode != 404 || body["code"] != "not_found" {
		t.Errorf("JSON 404: %d %s", jres.StatusCode, jres.body)
	}
	for _, path := range []string{"/articles/abc", "/articles/-1", "/articles/1/revisions/0", "/articles/1/diff?from=x", "/outlets/nope", "/?page=999"} {
		res := c.get(path)
		if res.StatusCode != 404 && res.StatusCode != 422 {
			t.Errorf("%s: status %d, want 404 or 422", path, res.StatusCode)
		}
	}
}

func TestOversizedFormIsRefused(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	c.signIn(models.RoleEditor)
	res := c.post("/desk/articles", articleForm("Big", strings.Repeat("word ", 300_000), "draft"))
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
}

func TestStaticAssetsAreFingerprintedAndCompressed(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	home := c.get("/")
	href, _ := home.doc.Find(`link[rel="stylesheet"]`).Attr("href")
	if !strings.HasPrefix(href, "/static/css/site.") || len(href) < len("/static/css/site.123456789012.css") {
		t.Fatalf("stylesheet href %q is not fingerprinted", href)
	}
	req, _ := http.NewRequest(http.MethodGet, site.srv.URL+href, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("asset: %d encoding=%q cache=%q", res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Cache-Control"))
	}
}

func TestServerFaultsGetAFriendlyPageWithAReference(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	wantStatus(t, c.get("/"), http.StatusOK)
	site.store.Close() // the database goes away under the running server

	res := c.get("/")
	wantStatus(t, res, http.StatusInternalServerError)
	if res.text("h1") != "Something went wrong" {
		t.Errorf("500 heading %q", res.text("h1"))
	}
	ref := res.text(".error-page code")
	if ref == "" || ref != res.Header.Get("X-Request-Id") {
		t.Errorf("reference %q, request id %q", ref, res.Header.Get("X-Request-Id"))
	}
	if strings.Contains(res.body, "sql") || strings.Contains(res.body, "database is closed") {
		t.Error("the 500 page leaks the internal error")
	}
	req, _ := http.NewRequest(http.MethodGet, site.srv.URL+"/healthz", nil)
	if h := c.do(req); h.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database gone: %d", h.StatusCode)
	}
}
