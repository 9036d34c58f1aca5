package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsgloss/handlers"
	"newsgloss/models"
)

func noteForm(quote, body string) url.Values {
	return url.Values{"scope": {"passage"}, "quote": {quote}, "motivation": {"commenting"}, "body": {body},
		"visibility": {"public"}, "replies_open": {"1"}}
}

// marked returns the text of the highlight pieces for a note id on an article page.
func marked(r *response, id string) string {
	var parts []string
	r.doc.Find("mark.hl").Each(func(_ int, s *goquery.Selection) {
		if ids, _ := s.Attr("data-marks"); strings.Contains(" "+ids+" ", " "+id+" ") {
			parts = append(parts, s.Text())
		}
	})
	return strings.Join(parts, "")
}

func createNote(t *testing.T, c *client, articleID uint, form url.Values) string {
	t.Helper()
	c.get(fmt.Sprintf("/articles/%d/notes/new", articleID))
	res := c.post(fmt.Sprintf("/articles/%d/notes", articleID), form)
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	_, id, ok := strings.Cut(loc, "#note-")
	if !ok {
		t.Fatalf("redirect %q has no note anchor", loc)
	}
	return id
}

func TestAnnotateWithoutJavaScriptAndReadersSeeTheHighlight(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker := site.client()
	checker.signIn(models.RoleFactChecker)
	id := createNote(t, checker, 2, noteForm("agreed on Wednesday to set up a direct telephone line", "Which day? The ministry said **Tuesday**."))

	page := site.client().get("/articles/2")
	wantStatus(t, page, http.StatusOK)
	if got := marked(page, id); got != "agreed on Wednesday to set up a direct telephone line" {
		t.Errorf("highlight covers %q", got)
	}
	note := page.doc.Find("#note-" + id)
	if !strings.Contains(note.Find(".note__body").Text(), "Which day? The ministry said Tuesday.") {
		t.Errorf("note body: %q", note.Find(".note__body").Text())
	}
	// Links both ways: the marker after the passage points to the note, the note's number back to the passage.
	if href, _ := page.doc.Find(`sup.note-ref a[href="#note-` + id + `"]`).Attr("href"); href == "" {
		t.Error("no link from the passage to the note")
	}
	if href, _ := note.Find(".note__number").Attr("href"); href != "#hl-"+id {
		t.Errorf("note links back to %q", href)
	}
	if page.doc.Find("#hl-"+id).Length() != 1 {
		t.Error("the passage has no anchor to link back to")
	}
}

func TestAnnotationInputErrors(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker := site.client()
	checker.signIn(models.RoleFactChecker)
	checker.get("/articles/2/notes/new")
	before, _ := site.store.CountRows(t.Context(), "audit_entries")

	cases := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"quote not in the article", noteForm("words that this article never printed", "x"), "#quote-error"},
		{"empty body", noteForm("agreed on Wednesday", ""), "#body-error"},
		{"javascript evidence", func() url.Values {
			f := noteForm("agreed on Wednesday", "See this.")
			f.Set("evidence_url", "javascript:alert(1)")
			return f
		}(), ".field-error"},
		{"huge body", noteForm("agreed on Wednesday", strings.Repeat("long ", 5000)), "#body-error"},
	}
	for _, tc := range cases {
		res := checker.post("/articles/2/notes", tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.name, res.StatusCode)
			continue
		}
		if res.text(tc.field) == "" {
			t.Errorf("%s: no message at %s", tc.name, tc.field)
		}
		if got := res.text("#body"); got != strings.TrimSpace(tc.form.Get("body")) && tc.name != "huge body" {
			t.Errorf("%s: the typed note was not kept: %q", tc.name, got)
		}
	}
	list, err := site.store.ListAnnotations(t.Context(), &models.User{ID: 1, Role: models.RoleEditor}, models.AnnotationFilter{ArticleID: 2})
	if err != nil || len(list) != 0 {
		t.Errorf("refused notes were stored: %d %v", len(list), err)
	}
	after, _ := site.store.CountRows(t.Context(), "audit_entries")
	if after != before {
		t.Errorf("audit entries changed from %d to %d", before, after)
	}
}

func TestNotesFollowTheTextAcrossRevisions(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	res := editor.post("/desk/articles", articleForm("Summit called off",
		"The talks were held in Amberfeld on Monday.\n\nThe summit in Tiverne was cancelled after the missile test, officials said.\n\nNo new date was set.", "published"))
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	var articleID uint
	fmt.Sscanf(strings.TrimPrefix(path, "/articles/"), "%d", &articleID)
	id := createNote(t, editor, articleID, noteForm("The summit in Tiverne was cancelled after the missile test", "Check the date of the test."))

	save := func(version int, body string) {
		t.Helper()
		f := articleForm("Summit called off", body, "published")
		f.Set("base_version", fmt.Sprint(version))
		editor.get(path)
		wantStatus(t, editor.post(path[:0]+"/desk/articles/"+fmt.Sprint(articleID), f), http.StatusSeeOther)
	}
	// 1. A paragraph inserted above: the highlight stays on the same words.
	save(1, "A new opening paragraph about the region.\n\nThe talks were held in Amberfeld on Monday.\n\nThe summit in Tiverne was cancelled after the missile test, officials said.\n\nNo new date was set.")
	page := site.client().get(path)
	if got := marked(page, id); got != "The summit in Tiverne was cancelled after the missile test" {
		t.Fatalf("after an insertion the highlight covers %q", got)
	}
	// 2. Reworded: found approximately; readers are not shown it as certain.
	save(2, "A new opening paragraph about the region.\n\nThe talks were held in Amberfeld on Monday.\n\nThe planned summit at Tiverne was called off following the missile launch, officials said.\n\nNo new date was set.")
	page = site.client().get(path)
	if got := marked(page, id); got != "" {
		t.Errorf("readers see an unconfirmed passage highlighted as certain: %q", got)
	}
	if page.doc.Find(`[data-testid="unconfirmed-notes"] #note-`+id).Length() != 1 {
		t.Errorf("the reworded note is not listed for confirmation:\n%s", page.text(`[data-testid="notes"]`))
	}
	staffPage := editor.get(path)
	if staffPage.doc.Find(`mark.hl--unconfirmed[data-marks="`+id+`"]`).Length() == 0 {
		t.Error("staff do not see the approximate passage marked as unconfirmed")
	}
	// 3. Deleted: listed as orphaned with the original quote.
	save(3, "A new opening paragraph about the region.\n\nThe talks were held in Amberfeld on Monday.\n\nNo new date was set.")
	page = site.client().get(path)
	orphan := page.doc.Find(`[data-testid="orphan-notes"] #note-` + id)
	if orphan.Length() != 1 || !strings.Contains(orphan.Find(`[data-testid="original-quote"]`).Text(), "The summit in Tiverne was cancelled after the missile test") {
		t.Errorf("orphan listing: %q", page.text(`[data-testid="notes"]`))
	}
	// The anchor history records each revision's outcome.
	note := site.client().get("/annotations/" + id)
	if got := note.text(`[data-testid="anchor-history"] tbody`); !strings.Contains(got, "Moved") || !strings.Contains(got, "Not found") {
		t.Errorf("anchor history: %q", got)
	}
}

func TestVisibilityOfNotes(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker := site.client()
	checker.signIn(models.RoleFactChecker)
	staffForm := noteForm("agreed on Wednesday", "Internal: call the coast guard.")
	staffForm.Set("visibility", "staff")
	staffID := createNote(t, checker, 2, staffForm)
	privateForm := noteForm("the first concrete result of talks", "My own reminder.")
	privateForm.Set("visibility", "private")
	privateID := createNote(t, checker, 2, privateForm)

	anon := site.client().get("/articles/2")
	if anon.doc.Find("#note-"+staffID).Length()+anon.doc.Find("#note-"+privateID).Length() != 0 {
		t.Error("an anonymous reader sees staff or private notes")
	}
	wantStatus(t, site.client().get("/annotations/"+staffID), http.StatusNotFound)

	editor := site.client()
	editor.signIn(models.RoleEditor)
	page := editor.get("/articles/2")
	if page.doc.Find("#note-"+staffID).Length() != 1 || page.doc.Find("#note-"+privateID).Length() != 0 {
		t.Error("an editor should see the staff note and not the fact-checker's private note")
	}
	mine := checker.get("/articles/2")
	if mine.doc.Find("#note-"+privateID).Length() != 1 {
		t.Error("the author does not see their private note")
	}
}

func TestRepliesEditsAndPermissions(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker, reader, editor := site.client(), site.client(), site.client()
	checker.signIn(models.RoleFactChecker)
	reader.signIn(models.RoleReader)
	editor.signIn(models.RoleEditor)
	id := createNote(t, checker, 2, noteForm("agreed on Wednesday", "First thought."))

	reader.get("/annotations/" + id)
	res := reader.post("/annotations/"+id+"/replies", url.Values{"body": {"A reader's reply."}})
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.Contains(site.client().get("/annotations/"+id).text(`[data-testid="replies"]`), "A reader's reply.") {
		t.Error("the reply is not in the thread")
	}

	// Someone else's note cannot be edited or deleted.
	wantStatus(t, editor.get("/annotations/"+id+"/edit"), http.StatusForbidden)
	wantStatus(t, editor.post("/annotations/"+id+"/edit", url.Values{"body": {"Hijacked"}, "version": {"1"}}), http.StatusForbidden)
	wantStatus(t, reader.post("/annotations/"+id+"/delete", url.Values{"version": {"1"}}), http.StatusForbidden)

	// The author edits; the history keeps both versions. A stale form is refused and keeps the text.
	checker.get("/annotations/" + id + "/edit")
	f := url.Values{"motivation": {"assessing"}, "body": {"Second thought."}, "visibility": {"public"}, "replies_open": {""}, "version": {"1"}}
	wantStatus(t, checker.post("/annotations/"+id+"/edit", f), http.StatusSeeOther)
	res = checker.post("/annotations/"+id+"/edit", url.Values{"motivation": {"assessing"}, "body": {"Stale text."}, "visibility": {"public"}, "version": {"1"}})
	wantStatus(t, res, http.StatusConflict)
	if res.text("#body") != "Stale text." {
		t.Errorf("conflict lost the text: %q", res.text("#body"))
	}
	edits, err := site.store.AnnotationEdits(t.Context(), mustUint(id))
	if err != nil || len(edits) != 2 || edits[0].BodySource != "Second thought." || edits[1].BodySource != "First thought." {
		t.Errorf("edit history: %+v %v", edits, err)
	}
	// Replies are now closed for readers.
	res = reader.post("/annotations/"+id+"/replies", url.Values{"body": {"Another."}})
	wantStatus(t, res, http.StatusForbidden)
}

func TestFlagHideRestore(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker, reader, editor := site.client(), site.client(), site.client()
	checker.signIn(models.RoleFactChecker)
	reader.signIn(models.RoleReader)
	editor.signIn(models.RoleEditor)
	id := createNote(t, checker, 2, noteForm("agreed on Wednesday", "A note someone dislikes."))

	reader.get("/annotations/" + id)
	wantStatus(t, reader.post("/annotations/"+id+"/flags", url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
	wantStatus(t, reader.post("/annotations/"+id+"/flags", url.Values{"reason": {"Insulting."}}), http.StatusSeeOther)
	wantStatus(t, reader.post("/annotations/"+id+"/flags", url.Values{"reason": {"Again."}}), http.StatusConflict)

	queue := editor.get("/desk/moderation")
	if !strings.Contains(queue.text(`[data-testid="moderation-queue"]`), "Insulting.") {
		t.Fatalf("queue: %q", queue.text(`[data-testid="moderation-queue"]`))
	}
	wantStatus(t, editor.post("/annotations/"+id+"/moderation", url.Values{"action": {"hide"}, "reason": {""}}), http.StatusUnprocessableEntity)
	wantStatus(t, editor.post("/annotations/"+id+"/moderation", url.Values{"action": {"hide"}, "reason": {"Breaks the rules."}}), http.StatusSeeOther)
	if site.client().get("/articles/2").doc.Find("#note-"+id).Length() != 0 {
		t.Error("a hidden note is still shown to readers")
	}
	wantStatus(t, site.client().get("/annotations/"+id), http.StatusNotFound)
	if editor.get("/articles/2").doc.Find("#note-"+id).Length() != 1 {
		t.Error("editors no longer see the hidden note")
	}
	wantStatus(t, editor.post("/annotations/"+id+"/moderation", url.Values{"action": {"restore"}, "reason": {"On reflection, fine."}}), http.StatusSeeOther)
	log := editor.get("/desk/moderation").text(`[data-testid="moderation-log"]`)
	if !strings.Contains(log, "Breaks the rules.") || !strings.Contains(log, "On reflection, fine.") {
		t.Errorf("moderation log: %q", log)
	}
	wantStatus(t, site.client().get("/annotations/"+id), http.StatusOK)
}

func TestNoteMarkdownIsInert(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker := site.client()
	checker.signIn(models.RoleFactChecker)
	body := "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> <a href=\"data:text/html,x\">d</a>"
	id := createNote(t, checker, 2, noteForm("agreed on Wednesday", body))
	page := site.client().get("/annotations/" + id)
	wantStatus(t, page, http.StatusOK)
	note := page.doc.Find(`[data-testid="annotation"]`)
	if note.Find("script, img, iframe").Length() != 0 {
		t.Error("active elements survived in the note")
	}
	note.Find("a").Each(func(_ int, a *goquery.Selection) {
		if href, _ := a.Attr("href"); strings.HasPrefix(strings.ToLower(href), "javascript:") || strings.HasPrefix(href, "data:") {
			t.Errorf("dangerous link kept: %q", href)
		}
	})
}

func TestAPITokensPage(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker := site.client()
	checker.signIn(models.RoleFactChecker)
	checker.get("/settings/tokens")
	res := checker.post("/settings/tokens", url.Values{"name": {"My script"}})
	wantStatus(t, res, http.StatusOK)
	token := res.text(`[data-testid="new-token"]`)
	if !strings.HasPrefix(token, "ngt_") {
		t.Fatalf("token shown: %q", token)
	}
	if strings.Contains(checker.get("/settings/tokens").body, token) {
		t.Error("the token is shown again after creation")
	}
	u, err := site.store.UserForAPIToken(t.Context(), token)
	if err != nil || u == nil || u.Email != "factchecker@newsgloss.example" {
		t.Errorf("token does not identify its user: %v %v", u, err)
	}
	wantStatus(t, checker.post("/settings/tokens", url.Values{"name": {""}}), http.StatusUnprocessableEntity)
}

func mustUint(s string) uint {
	var n uint
	fmt.Sscan(s, &n)
	return n
}

func TestConfirmAndReplaceAnApproximatePassage(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	res := editor.post("/desk/articles", articleForm("Ferry talks",
		"Officials said the ferry between the two ports would restart in March after repairs.\n\nTickets go on sale soon.", "published"))
	path := res.Header.Get("Location")
	var articleID uint
	fmt.Sscanf(strings.TrimPrefix(path, "/articles/"), "%d", &articleID)
	id := createNote(t, editor, articleID, noteForm("the ferry between the two ports would restart in March after repairs", "Which ports?"))

	f := articleForm("Ferry talks", "Officials said the ferry between both ports would resume in March after repairs.\n\nTickets go on sale soon.", "published")
	f.Set("base_version", "1")
	wantStatus(t, editor.post(fmt.Sprintf("/desk/articles/%d", articleID), f), http.StatusSeeOther)
	note := editor.get("/annotations/" + id)
	if note.doc.Find(`[data-testid="confirm-passage"]`).Length() != 1 {
		t.Fatalf("no confirm button for an approximate passage: %s", note.text(`[data-testid="anchor-status"]`))
	}
	wantStatus(t, editor.post("/annotations/"+id+"/confirm", nil), http.StatusSeeOther)
	if got := marked(site.client().get(path), id); !strings.Contains(got, "ferry between both ports would resume in March") {
		t.Errorf("after confirmation readers see the highlight on %q", got)
	}
	// A second confirmation is refused: the passage is no longer approximate.
	wantStatus(t, editor.post("/annotations/"+id+"/confirm", nil), http.StatusUnprocessableEntity)

	// Re-placing puts the note on another passage, quoted by hand.
	editor.get("/annotations/" + id)
	wantStatus(t, editor.post("/annotations/"+id+"/replace", url.Values{"quote": {"Tickets go on sale soon."}}), http.StatusSeeOther)
	if got := marked(site.client().get(path), id); got != "Tickets go on sale soon." {
		t.Errorf("after re-placing the highlight covers %q", got)
	}
	wantStatus(t, editor.post("/annotations/"+id+"/replace", url.Values{"quote": {"not in the text at all"}}), http.StatusUnprocessableEntity)
}

func TestTokensOfAnotherUserCannotBeRevoked(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker, editor := site.client(), site.client()
	checker.signIn(models.RoleFactChecker)
	editor.signIn(models.RoleEditor)
	owner, err := site.store.UserByEmail(t.Context(), "factchecker@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	token, err := site.store.CreateAPIToken(t.Context(), owner, "script")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := site.store.ListAPITokens(t.Context(), owner)
	if err != nil || len(tokens) != 1 {
		t.Fatal(tokens, err)
	}
	editor.get("/settings/tokens")
	wantStatus(t, editor.post(fmt.Sprintf("/settings/tokens/%d/revoke", tokens[0].ID), nil), http.StatusNotFound)
	if u, _ := site.store.UserForAPIToken(t.Context(), token); u == nil {
		t.Fatal("another user's request revoked the token")
	}
	checker.get("/settings/tokens")
	wantStatus(t, checker.post(fmt.Sprintf("/settings/tokens/%d/revoke", tokens[0].ID), nil), http.StatusSeeOther)
	if u, _ := site.store.UserForAPIToken(t.Context(), token); u != nil {
		t.Error("the owner's revocation did not take")
	}
}
