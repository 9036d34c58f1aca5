package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
)

func claimForm(quote string) url.Values {
	return url.Values{"kind": {"claim"}, "quote": {quote}, "claimant": {"Hedda Marrow"}, "claimant_kind": {"person"},
		"said_on": {"2025-02-12"}, "restatement": {"Osmund will host further talks as long as they are useful."},
		"stance": {"asserts"}, "tags": {"hosting, talks"}}
}

func TestTagAClaimAndAttachASecondReport(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	editor.get("/articles/1/tag")
	before, _ := site.store.CountRows(t.Context(), "audit_entries")

	res := editor.post("/articles/1/tag", claimForm("said her country was ready to host further meetings"))
	wantStatus(t, res, http.StatusSeeOther)
	claimPath := res.Header.Get("Location")
	if !strings.HasPrefix(claimPath, "/claims/") {
		t.Fatalf("redirected to %q", claimPath)
	}
	page := site.client().get(claimPath)
	wantStatus(t, page, http.StatusOK)
	if got := page.text(`[data-testid="claim-restatement"]`); got != "Osmund will host further talks as long as they are useful." {
		t.Errorf("restatement %q", got)
	}
	if href, _ := page.doc.Find(`[data-testid="claimant"]`).Attr("href"); href != "/entities/hedda-marrow" {
		t.Errorf("claimant link %q: a new claimant entity should have been created", href)
	}
	if page.doc.Find(`[data-testid="sources"] li`).Length() != 1 || page.doc.Find(`[data-testid="first-appearance"]`).Length() != 1 {
		t.Errorf("sources: %q", page.text(`[data-testid="sources"]`))
	}

	// A second outlet reports it: attach a passage of article 3 to the same claim.
	editor.get("/articles/3/tag")
	quote := "Marisca, which has close trade ties with both, offered to host it"
	id := strings.TrimPrefix(claimPath, "/claims/")
	res = editor.post("/articles/3/tag", url.Values{"quote": {quote}, "existing_claim": {id}})
	wantStatus(t, res, http.StatusSeeOther)
	page = site.client().get(claimPath)
	if n := page.doc.Find(`[data-testid="sources"] > li`).Length(); n != 2 {
		t.Fatalf("the claim has %d sources, want 2", n)
	}
	first := page.doc.Find(`[data-testid="sources"] > li`).First()
	if first.Find(`[data-testid="first-appearance"]`).Length() != 1 || !strings.Contains(first.Text(), "first ministerial talks") {
		t.Errorf("the earliest report is not marked first: %q", page.text(`[data-testid="sources"]`))
	}
	after, _ := site.store.CountRows(t.Context(), "audit_entries")
	if after <= before {
		t.Error("tagging left no audit trail")
	}
}

func TestSimilarClaimsAreOffered(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	// The demo already records the claim that the missile test was routine.
	res := editor.get("/articles/4/tag?quote=" + url.QueryEscape("called it “a routine test planned many months ago.”"))
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.text(`[data-testid="similar"]`), "The missile test was routine and planned months in advance.") {
		t.Errorf("similar list: %q", res.text(`[data-testid="similar"]`))
	}
}

func TestTaggingRefusesBadInput(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	editor.get("/articles/1/tag")
	claims, _ := site.store.CountRows(t.Context(), "audit_entries")

	bad := claimForm("said her country was ready to host further meetings")
	bad.Set("said_on", "2025-02-30")
	res := editor.post("/articles/1/tag", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if res.text("#said_on-error") == "" {
		t.Error("no message for an impossible date")
	}
	if v, _ := res.doc.Find("#restatement").Attr("value"); v != bad.Get("restatement") {
		t.Errorf("restatement not kept: %q", v)
	}

	event := url.Values{"kind": {"event"}, "quote": {"said her country was ready to host further meetings"}, "title": {"Talks"},
		"starts_on": {"2025-03-10"}, "ends_on": {"2025-03-01"}, "status": {"held"}}
	res = editor.post("/articles/1/tag", event)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text("#ends_on-error"), "cannot end before it starts") {
		t.Errorf("end before start: %q", res.text("#ends_on-error"))
	}

	res = editor.post("/articles/1/tag", claimForm("words this article never printed"))
	wantStatus(t, res, http.StatusUnprocessableEntity)

	after, _ := site.store.CountRows(t.Context(), "audit_entries")
	if after != claims {
		t.Errorf("refused tagging changed the record: %d → %d audit entries", claims, after)
	}
}

func TestSuggestionsCanBeDismissed(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	page := editor.get("/articles/2/tag")
	wantStatus(t, page, http.StatusOK)
	items := page.doc.Find(`[data-testid="claim-suggestions"] > li`)
	if items.Length() == 0 {
		t.Fatal("no claim suggestions for an article full of attributed quotes")
	}
	if page.doc.Find(`[data-testid="date-suggestions"] tbody tr`).Length() == 0 {
		t.Error("no date suggestions")
	}
	if !strings.Contains(page.text(`[data-testid="entity-suggestions"]`), "Ilse Vålund") {
		t.Errorf("known entities: %q", page.text(`[data-testid="entity-suggestions"]`))
	}
	sentence := items.First().Find("blockquote").Text()
	key, _ := items.First().Find(`input[name="key"]`).Attr("value")
	wantStatus(t, editor.post("/articles/2/suggestions/dismiss", url.Values{"key": {key}}), http.StatusSeeOther)
	again := editor.get("/articles/2/tag")
	if strings.Contains(again.text(`[data-testid="claim-suggestions"]`), sentence) {
		t.Error("a dismissed suggestion is offered again")
	}
}

func TestEventPageStatusHistoryAndJSONLD(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	page := site.client().get("/events/4") // the demo's summit, planned then cancelled
	wantStatus(t, page, http.StatusOK)
	if got := page.text(`[data-testid="event-status"]`); got != "Cancelled" {
		t.Errorf("status badge %q", got)
	}
	if got := page.text(`[data-testid="history"]`); !strings.Contains(got, "status changed from planned to cancelled") {
		t.Errorf("history: %q", got)
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(page.doc.Find(`script[type="application/ld+json"]`).Text()), &ld); err != nil {
		t.Fatal(err)
	}
	if ld["@type"] != "Event" || ld["name"] != "Leaders' summit in Tiverne" || ld["startDate"] != "2025-09-18" ||
		ld["eventStatus"] != "https://schema.org/EventCancelled" {
		t.Errorf("Event JSON-LD: %v", ld)
	}
	if loc, _ := ld["location"].(map[string]any); loc["name"] != "Tiverne" {
		t.Errorf("location %v", ld["location"])
	}
	if n := page.doc.Find(`[data-testid="sources"] > li`).Length(); n != 2 {
		t.Errorf("the summit should have two reports, has %d", n)
	}
}

func TestCuratingATimeline(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	editor.get("/desk/timelines/new")
	wantStatus(t, editor.post("/desk/timelines", url.Values{"title": {""}}), http.StatusUnprocessableEntity)
	res := editor.post("/desk/timelines", url.Values{"title": {"Rask affair"}, "rule_kind": {"manual"}})
	wantStatus(t, res, http.StatusSeeOther)
	editor.get("/claims/5")
	wantStatus(t, editor.post("/desk/timelines/entries", url.Values{"timeline": {"rask-affair"}, "claim": {"5"}}), http.StatusSeeOther)
	items, _, err := site.store.TimelineItems(t.Context(), models.TimelineFilter{TimelineID: 2})
	if err != nil || len(items) != 1 || items[0].ID != 5 {
		t.Errorf("timeline entries: %+v %v", items, err)
	}
}

func TestEditorsAddAliasesAndRoles(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	editor.get("/entities/teodor-rask")
	wantStatus(t, editor.post("/entities/teodor-rask/aliases", url.Values{"alias": {"Теодор Раск"}}), http.StatusSeeOther)
	// The same alias again, in another letter case, is refused.
	wantStatus(t, editor.post("/entities/teodor-rask/aliases", url.Values{"alias": {"теодор раск"}}), http.StatusUnprocessableEntity)
	wantStatus(t, editor.post("/entities/teodor-rask/roles", url.Values{"title": {"Envoy"}, "starts_on": {"2026-03"}, "ends_on": {"2026-01"}}),
		http.StatusUnprocessableEntity)
	wantStatus(t, editor.post("/entities/teodor-rask/roles", url.Values{"title": {"Envoy"}, "starts_on": {"2026-01"}}), http.StatusSeeOther)
	page := site.client().get("/entities/teodor-rask")
	if !strings.Contains(page.text(`[data-testid="aliases"]`), "Теодор Раск") || !strings.Contains(page.text(`[data-testid="roles"]`), "Envoy") {
		t.Errorf("aliases %q, roles %q", page.text(`[data-testid="aliases"]`), page.text(`[data-testid="roles"]`))
	}
	// A reader cannot add one.
	reader := site.client()
	reader.signIn(models.RoleReader)
	wantStatus(t, reader.post("/entities/teodor-rask/aliases", url.Values{"alias": {"Rask"}}), http.StatusForbidden)
}

func TestMentionsFollowTheTextAcrossRevisions(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	editor := site.client()
	editor.signIn(models.RoleEditor)
	res := editor.post("/desk/articles", articleForm("Ferry deal", "The minister said the ferry would restart in March.\n\nNothing else was agreed.", "published"))
	path := res.Header.Get("Location")
	id := strings.TrimPrefix(path, "/articles/")
	editor.get("/articles/" + id + "/tag")
	f := claimForm("the ferry would restart in March")
	f.Set("restatement", "The ferry will restart in March.")
	res = editor.post("/articles/"+id+"/tag", f)
	wantStatus(t, res, http.StatusSeeOther)
	claimPath := res.Header.Get("Location")

	edit := articleForm("Ferry deal", "A new first paragraph.\n\nThe minister said the ferry would restart in March.\n\nNothing else was agreed.", "published")
	edit.Set("base_version", "1")
	wantStatus(t, editor.post("/desk/articles/"+id, edit), http.StatusSeeOther)
	if got := site.client().get(claimPath).text(`[data-testid="sources"] blockquote`); got != "the ferry would restart in March" {
		t.Errorf("after an insertion the source quotes %q", got)
	}
	var articleID uint
	for _, r := range id {
		articleID = articleID*10 + uint(r-'0')
	}
	mentions, err := site.store.ArticleMentions(t.Context(), articleID)
	if err != nil || len(mentions) != 1 || mentions[0].AnchorStatus != models.AnchorMoved || mentions[0].AnchorRevision != 2 {
		t.Fatalf("mention after the edit: %+v %v", mentions, err)
	}
	edit = articleForm("Ferry deal", "A new first paragraph.\n\nNothing else was agreed.", "published")
	edit.Set("base_version", "2")
	wantStatus(t, editor.post("/desk/articles/"+id, edit), http.StatusSeeOther)
	mentions, _ = site.store.ArticleMentions(t.Context(), articleID)
	if mentions[0].AnchorStatus != models.AnchorOrphan {
		t.Errorf("a deleted passage's mention is %s, want orphan", mentions[0].AnchorStatus)
	}
	// The claim keeps its source, quoting the words as they were.
	if got := site.client().get(claimPath).text(`[data-testid="sources"] blockquote`); got != "the ferry would restart in March" {
		t.Errorf("an orphaned source quotes %q", got)
	}
}
