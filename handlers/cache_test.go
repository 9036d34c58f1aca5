package handlers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"newsgloss/handlers"
	"newsgloss/models"
)

// TestPublicPagesConditionalGET checks the validators anonymous readers get
// and the 304s they earn, that any write makes them stale, and that signed-in
// pages carry none.
func TestPublicPagesConditionalGET(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	anon := site.client()
	ctx := context.Background()
	articleID := articleWith(t, site, "")

	for _, tc := range []struct{ path, cache string }{
		{"/", "public, no-cache"},
		{fmt.Sprintf("/articles/%d", articleID), "public, no-cache"},
		{"/factchecks", "public, no-cache"},
		{"/timelines", "public, no-cache"},
		{fmt.Sprintf("/articles/%d/revisions/1", articleID), "public, max-age=300"},
		{"/factchecks/feed.atom", "public, max-age=300"},
	} {
		res := anon.get(tc.path)
		wantStatus(t, res, http.StatusOK)
		etag, modified := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
		if !strings.HasPrefix(etag, `W/"`) || modified == "" || res.Header.Get("Cache-Control") != tc.cache ||
			!strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Cookie") {
			t.Errorf("%s: ETag %q, Last-Modified %q, Cache-Control %q, Vary %q", tc.path, etag, modified,
				res.Header.Get("Cache-Control"), res.Header.Values("Vary"))
			continue
		}
		again := anon.getWith(tc.path, map[string]string{"If-None-Match": etag})
		if again.StatusCode != http.StatusNotModified || again.body != "" || again.Header.Get("ETag") != etag {
			t.Errorf("%s with If-None-Match: status %d, ETag %q, %d bytes", tc.path, again.StatusCode, again.Header.Get("ETag"), len(again.body))
		}
		since := anon.getWith(tc.path, map[string]string{"If-Modified-Since": modified})
		if since.StatusCode != http.StatusNotModified {
			t.Errorf("%s with If-Modified-Since its own date: status %d", tc.path, since.StatusCode)
		}
		mt, _ := http.ParseTime(modified)
		before := anon.getWith(tc.path, map[string]string{"If-Modified-Since": mt.Add(-time.Hour).Format(http.TimeFormat)})
		if before.StatusCode != http.StatusOK {
			t.Errorf("%s modified since an hour before: status %d", tc.path, before.StatusCode)
		}
		// If-None-Match wins over If-Modified-Since (RFC 9110).
		both := anon.getWith(tc.path, map[string]string{"If-None-Match": `W/"other"`, "If-Modified-Since": modified})
		if both.StatusCode != http.StatusOK {
			t.Errorf("%s with a stale ETag and a current date: status %d", tc.path, both.StatusCode)
		}
	}

	// Any write makes every validator stale.
	path := fmt.Sprintf("/articles/%d", articleID)
	first := anon.get(path)
	etag, modified := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	checker, err := site.store.UserByEmail(ctx, "factchecker@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.store.CreateAnnotation(ctx, checker, articleID, models.AnnotationInput{Motivation: "commenting",
		Body: "A note written while the page was cached.", Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	after := anon.getWith(path, map[string]string{"If-None-Match": etag})
	if after.StatusCode != http.StatusOK || after.Header.Get("ETag") == etag || !strings.Contains(after.body, "A note written while the page was cached.") {
		t.Errorf("after a write, the old ETag got status %d and ETag %q (was %q)", after.StatusCode, after.Header.Get("ETag"), etag)
	}
	if r := anon.getWith(path, map[string]string{"If-Modified-Since": modified}); r.StatusCode != http.StatusOK {
		t.Errorf("after a write, If-Modified-Since the old date: status %d", r.StatusCode)
	}

	// Signed-in pages are never stored, whatever the reader sends.
	editor := site.client()
	editor.signIn(models.RoleEditor)
	res := editor.getWith(path, map[string]string{"If-None-Match": after.Header.Get("ETag")})
	if res.StatusCode != http.StatusOK || res.Header.Get("ETag") != "" || res.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("signed in: status %d, ETag %q, Cache-Control %q", res.StatusCode, res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
	}

	// Errors carry no validator.
	missing := anon.get("/articles/999999")
	if missing.StatusCode != http.StatusNotFound || missing.Header.Get("ETag") != "" {
		t.Errorf("missing article: status %d, ETag %q", missing.StatusCode, missing.Header.Get("ETag"))
	}
}

// TestPublicPageCache checks that a page rendered for an anonymous reader is
// served again without a query, gzipped, until the next write; that the host
// is part of what is kept; and that no anonymous page has a form token the
// cache could hand to another reader.
func TestPublicPageCache(t *testing.T) {
	site := newSizedSite(t, 3)
	for _, p := range site.pages() {
		first, queries := site.get(t, p.path, nil)
		if first.Code != http.StatusOK || len(queries) == 0 {
			t.Fatalf("%s: status %d after %d queries", p.name, first.Code, len(queries))
		}
		if strings.Contains(first.Body.String(), `name="_csrf"`) {
			t.Errorf("%s carries a form token for an anonymous reader; the page cache would share it", p.name)
		}
		second, queries := site.get(t, p.path, nil)
		if second.Code != http.StatusOK || len(queries) != 0 || second.Body.String() != first.Body.String() {
			t.Errorf("%s again: status %d after %d queries (%q), same body %v", p.name, second.Code, len(queries), queries,
				second.Body.String() == first.Body.String())
		}
		zipped, _ := site.get(t, p.path, map[string]string{"Accept-Encoding": "gzip"})
		if zipped.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(zipped.Body)
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := io.ReadAll(zr)
			if !bytes.Equal(plain, first.Body.Bytes()) {
				t.Errorf("%s: the gzipped page differs from the page", p.name)
			}
		} else if first.Body.Len() > 2000 {
			t.Errorf("%s (%d bytes) was not gzipped for a reader who accepts it", p.name, first.Body.Len())
		}
	}

	// A write anywhere: the next view renders again, with the change.
	article := fmt.Sprintf("/articles/%d", site.fx.BusyArticles[0])
	if _, err := site.store.CreateAnnotation(context.Background(), site.fx.Staff, site.fx.BusyArticles[0], models.AnnotationInput{
		Motivation: "commenting", Body: "Written after the page was kept.", Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	res, queries := site.get(t, article, nil)
	if len(queries) == 0 || !strings.Contains(res.Body.String(), "Written after the page was kept.") {
		t.Errorf("after a write: %d queries, note shown %v", len(queries), strings.Contains(res.Body.String(), "Written after the page was kept."))
	}

	// Another Host header gets a page of its own, and cannot change ours.
	evil, _ := site.get(t, article, map[string]string{"Host": "evil.example"})
	if !strings.Contains(evil.Body.String(), "evil.example") {
		t.Fatalf("the article's absolute links do not use the request's host; the test needs another page")
	}
	if ours, _ := site.get(t, article, nil); strings.Contains(ours.Body.String(), "evil.example") {
		t.Errorf("a request with another Host header changed the page kept for this one")
	}

	// Signed-in pages are not kept, and a session cookie skips the cache.
	token, err := site.store.CreateSession(context.Background(), site.fx.Editor.ID)
	if err != nil {
		t.Fatal(err)
	}
	cookie := map[string]string{"Cookie": "ng_session=" + token}
	for range 2 {
		res, queries := site.get(t, article, cookie)
		if res.Code != http.StatusOK || len(queries) == 0 || res.Header().Get("Cache-Control") != "private, no-store" ||
			!strings.Contains(res.Body.String(), "Load editor") {
			t.Errorf("signed in: status %d after %d queries, Cache-Control %q", res.Code, len(queries), res.Header().Get("Cache-Control"))
		}
	}
	if res, _ := site.get(t, article, nil); strings.Contains(res.Body.String(), "Load editor") {
		t.Errorf("an anonymous reader got a page with the editor's name")
	}
}

// TestPublicPageRenderedOnceForABurst sends many readers at once to a page
// nobody has seen in this epoch: it is rendered once, and all get it.
func TestPublicPageRenderedOnceForABurst(t *testing.T) {
	site := newSizedSite(t, 10)
	path := "/timelines/" + site.fx.Timelines[10]
	_, one := site.get(t, path+"?first=1", nil) // what one render runs
	site.mu.Lock()
	site.queries = nil
	site.mu.Unlock()
	var wg sync.WaitGroup
	bodies := make([]string, 12)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			rec := httptest.NewRecorder()
			site.handler.ServeHTTP(rec, req)
			if rec.Code == http.StatusOK {
				bodies[i] = rec.Body.String()
			}
		}()
	}
	wg.Wait()
	site.mu.Lock()
	ran := len(site.queries)
	site.mu.Unlock()
	if ran != len(one) {
		t.Errorf("12 readers at once ran %d statements; one render runs %d", ran, len(one))
	}
	for i, b := range bodies {
		if b == "" || b != bodies[0] {
			t.Errorf("reader %d got a different page (%d bytes, first %d)", i, len(b), len(bodies[0]))
		}
	}
}
