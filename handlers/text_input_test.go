package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
	"newsgloss/views"
)

// TestTextInputIsCleanedBeforeHandlers checks what a handler receives when a
// request's parameters are not text: a null byte or a byte that is not UTF-8
// becomes U+FFFD wherever it comes from (query, form, path), so it reaches
// neither the database nor a page, on any engine, and marks where it was.
func TestTextInputIsCleanedBeforeHandlers(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	cases := []struct{ name, sent, want string }{
		{"null byte", "Harbour\x00Quay", "Harbour\uFFFDQuay"},
		{"invalid UTF-8", "Harbour\xffQuay", "Harbour\uFFFDQuay"},
		{"a cut-off sequence", "caf\xc3", "caf\uFFFD"},
		{"text is left alone", "Zürich «quay»", "Zürich «quay»"},
	}
	for _, tc := range cases {
		// The search box echoes its query: the page shows what the handler got.
		res := editor.get("/search?q=" + url.QueryEscape(tc.sent))
		if res.StatusCode >= 500 || res.doc == nil {
			t.Fatalf("%s in a query: status %d", tc.name, res.StatusCode)
		}
		if got, _ := res.doc.Find("#search-q").Attr("value"); got != tc.want {
			t.Errorf("%s in a query: the handler got %q, want %q", tc.name, got, tc.want)
		}
		// A form: the new article keeps the cleaned title.
		editor.get(views.RouteArticleNew)
		res = editor.post(views.RouteArticleCreate, url.Values{"title": {tc.sent}, "new_outlet": {"Clean Text Wire"},
			"body": {"The quay reopened."}, "status": {"draft"}, "body_format": {"markdown"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s in a form: status %d\n%s", tc.name, res.StatusCode, truncate(res.body, 300))
		}
		page := editor.get(res.Header.Get("Location"))
		if title := strings.TrimSpace(page.doc.Find("h1").First().Text()); title != tc.want {
			t.Errorf("%s in a form: stored title %q, want %q", tc.name, title, tc.want)
		}
	}
	// A path: an unknown slug with a null byte is simply not found.
	if res := editor.get("/entities/rask%00"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a null byte in a slug: status %d, want 404", res.StatusCode)
	}
}
