package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"newsgloss/handlers"
	"newsgloss/models"
)

// Demo content: fact-check 1 (the hotline claim) was published as Mostly true
// and corrected to Half true; fact-check 2 (the missile test) is published;
// fact-check 3 waits for review. Claim 4 (President Oder's) has no verdict.
const (
	demoCorrectedFactCheck = 1
	demoInReviewVerdict    = 3
	demoUncheckedClaim     = 4
)

// signInWith signs the client in with any account.
func (c *client) signInWith(email, password string) {
	c.t.Helper()
	c.get("/signin")
	res := c.post("/signin", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d", email, res.StatusCode)
	}
	c.get("/")
}

// secondFactChecker adds a fact-checker who is not the demo one and signs them in.
func (s *testSite) secondFactChecker() *client {
	s.t.Helper()
	admin, err := s.store.UserByEmail(s.t.Context(), "admin@newsgloss.example")
	if err != nil {
		s.t.Fatal(err)
	}
	_, err = s.store.CreateUser(s.t.Context(), admin, models.NewUser{Email: "second@newsgloss.example", Name: "Bo Reviewer",
		Password: "second-checker-pass", Role: models.RoleFactChecker})
	if err != nil {
		s.t.Fatal(err)
	}
	c := s.client()
	c.signInWith("second@newsgloss.example", "second-checker-pass")
	return c
}

func jsonLD(t *testing.T, r *response, id string) map[string]any {
	t.Helper()
	raw := r.doc.Find("script#" + id).Text()
	if raw == "" {
		t.Fatalf("%s: no script#%s", r.Request.URL.Path, id)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("%s: JSON-LD does not parse: %v\n%s", r.Request.URL.Path, err, raw)
	}
	return out
}

func TestClaimReviewJSONLDOfAPublishedFactCheck(t *testing.T) {
	site := newTestSite(t, handlers.Config{SiteName: "Newsgloss Test Desk"})
	reader := site.client()
	res := reader.get(fmt.Sprintf("/factchecks/%d", demoCorrectedFactCheck))
	wantStatus(t, res, http.StatusOK)
	ld := jsonLD(t, res, "claimreview-jsonld")

	str := func(m map[string]any, key string) string {
		t.Helper()
		v, ok := m[key].(string)
		if !ok || v == "" {
			t.Errorf("%s: %v, want a string", key, m[key])
		}
		return v
	}
	obj := func(m map[string]any, key string) map[string]any {
		t.Helper()
		v, ok := m[key].(map[string]any)
		if !ok {
			t.Fatalf("%s: %v, want an object", key, m[key])
		}
		return v
	}
	if ld["@context"] != "https://schema.org" || ld["@type"] != "ClaimReview" {
		t.Errorf("@context %v, @type %v", ld["@context"], ld["@type"])
	}
	if got := str(ld, "claimReviewed"); got != "The coast guard hotline has settled four encounters at sea since June 2." {
		t.Errorf("claimReviewed %q", got)
	}
	if got := str(ld, "url"); got != site.srv.URL+"/factchecks/1" {
		t.Errorf("url %q, want the page's absolute address", got)
	}
	if got := str(ld, "datePublished"); got != "2025-06-20T09:00:00Z" {
		t.Errorf("datePublished %q, want the first publication", got)
	}
	rating := obj(ld, "reviewRating")
	if rating["@type"] != "Rating" || rating["alternateName"] != "Half true" {
		t.Errorf("reviewRating %v, want the corrected rating Half true", rating)
	}
	// The default scale runs from 6 (True) to 1 (False); Half true is 4.
	if rating["ratingValue"] != 4.0 || rating["bestRating"] != 6.0 || rating["worstRating"] != 1.0 {
		t.Errorf("rating numbers %v / %v / %v, want 4 / 6 / 1", rating["ratingValue"], rating["bestRating"], rating["worstRating"])
	}
	author := obj(ld, "author")
	if author["@type"] != "Organization" || author["name"] != "Newsgloss Test Desk" {
		t.Errorf("author %v, want the site's organisation", author)
	}
	item := obj(ld, "itemReviewed")
	if item["@type"] != "Claim" || str(item, "datePublished") != "2025-06-17" {
		t.Errorf("itemReviewed %v", item)
	}
	if claimant := obj(item, "author"); claimant["@type"] != "Person" || claimant["name"] != "Ilse Vålund" {
		t.Errorf("claim author %v", claimant)
	}
	appearances, ok := item["appearance"].([]any)
	if !ok || len(appearances) == 0 {
		t.Fatalf("appearance %v, want the articles reporting the claim", item["appearance"])
	}
	first := obj(item, "firstAppearance")
	firstURL := str(first, "url")
	if a0, _ := appearances[0].(map[string]any); a0["url"] != firstURL || !strings.HasPrefix(firstURL, site.srv.URL+"/articles/") {
		t.Errorf("firstAppearance %q is not the earliest appearance %v", firstURL, a0["url"])
	}
	for _, a := range appearances {
		if m, _ := a.(map[string]any); m["url"] == nil || m["datePublished"] == nil {
			t.Errorf("appearance without url or date: %v", a)
		}
	}

	// The page says the same to people: rating and its definition, conclusion,
	// sign-off, sources, first appearance and the correction with its date.
	if got := res.text(`[data-testid="rating-definition"]`); !strings.Contains(got, "Half true:") || !strings.Contains(got, "partially accurate") {
		t.Errorf("definition %q", got)
	}
	if got := res.text(`[data-testid="signoff"]`); !strings.Contains(got, "Reviewed by Edda Editor") || !strings.Contains(got, "corrected 24 June 2025") {
		t.Errorf("sign-off %q", got)
	}
	if n := res.doc.Find(`[data-testid="verdict-sources"] li`).Length(); n != 2 {
		t.Errorf("%d sources listed, want 2", n)
	}
	if res.doc.Find(`[data-testid="first-appearance"]`).Length() != 1 {
		t.Error("the first appearance is not marked")
	}
	corr := res.text(`[data-testid="corrections"]`)
	for _, want := range []string{"24 June 2025", "revised its June log", "Rating changed from Mostly true to Half true", "20 June 2025", "First published, rated Mostly true"} {
		if !strings.Contains(corr, want) {
			t.Errorf("corrections section lacks %q:\n%s", want, corr)
		}
	}
}

func TestClaimReviewWithoutNumbersAndWithdrawal(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	ctx := t.Context()
	site.secondFactChecker()
	editor, _ := site.store.UserByEmail(ctx, "editor@newsgloss.example")
	second, _ := site.store.UserByEmail(ctx, "second@newsgloss.example")
	scale, _ := site.store.RatingScale(ctx)
	var unproven uint
	for _, l := range scale.Labels {
		if l.Name == "Unproven" {
			unproven = l.ID
		}
	}
	v, err := site.store.CreateVerdict(ctx, second, models.VerdictInput{ClaimID: demoUncheckedClaim, RatingLabelID: fmt.Sprint(unproven),
		Conclusion: "No record either way.", Explanation: "Nothing published.", Sources: []models.VerdictSource{{URL: "https://a.example", Title: "A"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range []models.VerdictAction{models.ActionSubmit, models.ActionApproveAndPublish} {
		actor := editor
		if i == 0 {
			actor = second
		}
		if err := site.store.Transition(ctx, actor, v.ID, a, "", i+1); err != nil {
			t.Fatal(err)
		}
	}
	reader := site.client()
	res := reader.get(fmt.Sprintf("/factchecks/%d", v.ID))
	wantStatus(t, res, http.StatusOK)
	rating := jsonLD(t, res, "claimreview-jsonld")["reviewRating"].(map[string]any)
	if rating["alternateName"] != "Unproven" {
		t.Errorf("rating %v", rating)
	}
	for _, k := range []string{"ratingValue", "bestRating", "worstRating"} {
		if _, ok := rating[k]; ok {
			t.Errorf("%s given for a label without a number: %v", k, rating)
		}
	}
	// Withdrawn: the page stays with a notice, the structured data goes, the badge goes.
	if err := site.store.Transition(ctx, editor, v.ID, models.ActionWithdraw, "The claim was misattributed.", 3); err != nil {
		t.Fatal(err)
	}
	res = reader.get(fmt.Sprintf("/factchecks/%d", v.ID))
	wantStatus(t, res, http.StatusOK)
	if got := res.text(`[data-testid="withdrawn-notice"]`); !strings.Contains(got, "withdrawn") || !strings.Contains(got, "misattributed") {
		t.Errorf("withdrawal notice %q", got)
	}
	if res.doc.Find("script#claimreview-jsonld").Length() != 0 {
		t.Error("a withdrawn fact-check still publishes ClaimReview data")
	}
	if res := reader.get(fmt.Sprintf("/claims/%d", demoUncheckedClaim)); res.doc.Find(`[data-testid="verdict-badge"]`).Length() != 0 {
		t.Error("the claim page still shows the withdrawn rating")
	}
	// Unpublished verdicts have no public page.
	wantStatus(t, reader.get(fmt.Sprintf("/factchecks/%d", demoInReviewVerdict)), http.StatusNotFound)
}

// verdictForm is a complete verdict form.
func verdictForm(rating uint, conclusion string) url.Values {
	return url.Values{
		"rating": {fmt.Sprint(rating)}, "conclusion": {conclusion},
		"explanation":      {"The president's own statement in **March** promised a summit *whatever happened*."},
		"source_url":       {"https://presidency.aldervane.example/2025-03-02", "", ""},
		"source_title":     {"Statement of 2 March", "", ""},
		"source_publisher": {"Office of the President", "", ""},
		"source_accessed":  {"2025-09-01", "", ""},
	}
}

func labelID(t *testing.T, s *models.Store, name string) uint {
	t.Helper()
	scale, err := s.RatingScale(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range scale.Labels {
		if l.Name == name {
			return l.ID
		}
	}
	t.Fatalf("no label %q", name)
	return 0
}

func lockOf(t *testing.T, r *response) string {
	t.Helper()
	v, ok := r.doc.Find(`input[name="lock_version"]`).First().Attr("value")
	if !ok {
		t.Fatalf("%s: no lock_version in the page", r.Request.URL.Path)
	}
	return v
}

func TestFactCheckWorkflowOverHTTP(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	author := site.client()
	author.signIn(models.RoleFactChecker)
	reviewer := site.secondFactChecker()
	editor := site.client()
	editor.signIn(models.RoleEditor)
	misleading := labelID(t, site.store, "Misleading")

	// The queue offers the unchecked claim; bad input keeps everything typed.
	res := author.get("/desk/factchecks?state=unchecked")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.text(`[data-testid="queue-unchecked"]`), "broke the good faith") {
		t.Fatalf("unchecked claim not in the queue:\n%s", res.text(`[data-testid="queue-unchecked"]`))
	}
	author.get(fmt.Sprintf("/desk/factchecks/new?claim=%d", demoUncheckedClaim))
	bad := verdictForm(0, "")
	bad.Set("claim", fmt.Sprint(demoUncheckedClaim))
	bad.Set("rating", "99999")
	res = author.post("/desk/factchecks", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "not on the site") || !strings.Contains(res.body, "Write the conclusion") {
		t.Errorf("messages missing: %s", res.text(".field-error"))
	}
	if got := res.doc.Find("#explanation").Text(); !strings.Contains(got, "whatever happened") {
		t.Errorf("explanation not kept: %q", got)
	}
	if got, _ := res.doc.Find("#source-url-0").Attr("value"); got != "https://presidency.aldervane.example/2025-03-02" {
		t.Errorf("source not kept: %q", got)
	}

	good := verdictForm(misleading, "The summit was promised with conditions the president now omits.")
	good.Set("claim", fmt.Sprint(demoUncheckedClaim))
	res = author.post("/desk/factchecks", good)
	wantStatus(t, res, http.StatusSeeOther)
	deskURL := res.Header.Get("Location")
	res = author.get(deskURL)
	wantStatus(t, res, http.StatusOK)
	staleLock := lockOf(t, res)
	res = author.post(deskURL+"/steps", url.Values{"action": {"submit"}, "lock_version": {lockOf(t, res)}})
	wantStatus(t, res, http.StatusSeeOther)

	// The author cannot approve their own verdict: not offered, and refused if forced.
	res = author.get(deskURL)
	if res.doc.Find(`[data-testid="step-approve"]`).Length() != 0 {
		t.Error("the author is offered to approve their own verdict")
	}
	if !strings.Contains(res.text(`[data-testid="own-verdict-note"]`), "another fact-checker") {
		t.Error("the author is not told who reviews")
	}
	res = author.post(deskURL+"/steps", url.Values{"action": {"approve"}, "lock_version": {"2"}})
	wantStatus(t, res, http.StatusForbidden)
	if !strings.Contains(res.body, "you cannot approve it") {
		t.Errorf("refusal does not say why: %s", res.text("main"))
	}

	// The reviewer returns it: without a comment it is refused, and the page says so.
	res = reviewer.get(deskURL)
	lock := lockOf(t, res)
	res = reviewer.post(deskURL+"/steps", url.Values{"action": {"return"}, "lock_version": {lock}, "comment": {"  "}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(`[data-testid="form-error"]`), "only with a comment") {
		t.Errorf("no message for a return without comment: %q", res.text(`[data-testid="form-error"]`))
	}
	res = reviewer.post(deskURL+"/steps", url.Values{"action": {"return"}, "lock_version": {lock}, "comment": {"Quote the March statement itself."}})
	wantStatus(t, res, http.StatusSeeOther)

	// The author sees the comment in the queue and on the page, then revises.
	res = author.get("/desk/factchecks?mine=1&state=returned")
	if !strings.Contains(res.text(`[data-testid="queue-returned"]`), "Quote the March statement itself.") {
		t.Error("the return comment is not in the author's queue")
	}
	res = author.get(deskURL)
	if !strings.Contains(res.text(`[data-testid="return-comment"]`), "Quote the March statement itself.") {
		t.Error("the return comment is not on the verdict page")
	}
	// A save from a page opened before the return is stale: refused, text kept.
	stale := verdictForm(misleading, "Stale conclusion.")
	stale.Set("lock_version", staleLock)
	res = author.post(deskURL, stale)
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.text(`[data-testid="form-error"]`), "changed by someone else") {
		t.Errorf("stale save message %q", res.text(`[data-testid="form-error"]`))
	}
	if got, _ := res.doc.Find("#conclusion").Attr("value"); got != "Stale conclusion." {
		t.Errorf("the stale form lost its text: %q", got)
	}
	revised := verdictForm(misleading, "The March statement promised a summit only if talks went well.")
	revised.Set("lock_version", lockOf(t, res))
	wantStatus(t, author.post(deskURL, revised), http.StatusSeeOther)
	res = author.get(deskURL)
	wantStatus(t, author.post(deskURL+"/steps", url.Values{"action": {"submit"}, "lock_version": {lockOf(t, res)}}), http.StatusSeeOther)

	// Publishing without an approval is refused; the reviewer approves; the reviewer (not an editor) cannot publish.
	res = editor.get(deskURL)
	res = editor.post(deskURL+"/steps", url.Values{"action": {"publish"}, "lock_version": {lockOf(t, res)}})
	wantStatus(t, res, http.StatusConflict)
	res = reviewer.get(deskURL)
	wantStatus(t, reviewer.post(deskURL+"/steps", url.Values{"action": {"approve"}, "lock_version": {lockOf(t, res)}}), http.StatusSeeOther)
	res = reviewer.get(deskURL)
	if res.doc.Find(`[data-testid="step-publish"]`).Length() != 0 {
		t.Error("a fact-checker is offered to publish")
	}
	res = editor.get(deskURL)
	res = editor.post(deskURL+"/steps", url.Values{"action": {"publish"}, "lock_version": {lockOf(t, res)}})
	wantStatus(t, res, http.StatusSeeOther)
	publicURL := res.Header.Get("Location")

	// Readers see it, with the reviewer's sign-off, and the badge wherever the claim appears.
	reader := site.client()
	res = reader.get(publicURL)
	wantStatus(t, res, http.StatusOK)
	if got := res.text(`[data-testid="signoff"]`); !strings.Contains(got, "Reviewed by Bo Reviewer") {
		t.Errorf("sign-off %q", got)
	}
	claimPage := reader.get(fmt.Sprintf("/claims/%d", demoUncheckedClaim))
	if got := claimPage.text(`[data-testid="verdict-badge"]`); !strings.Contains(got, "Misleading") {
		t.Errorf("claim page badge %q", got)
	}
	articleURL, _ := claimPage.doc.Find(`[data-testid="sources"] a`).First().Attr("href")
	article := reader.get(articleURL)
	if got := article.text(`[data-testid="tagged-item"] [data-testid="verdict-badge"]`); !strings.Contains(got, "Misleading") {
		t.Errorf("article list badge %q", got)
	}
	marker := article.doc.Find(`mark.hl--checked`)
	if marker.Length() == 0 || !strings.Contains(article.text(".note-ref--item"), "Misleading") {
		t.Errorf("the claim's passage is not highlighted with its rating")
	}
	timeline := reader.get("/timelines/aldervane-kessari-talks-2025")
	entry := timeline.doc.Find(fmt.Sprintf("#claim-%d", demoUncheckedClaim))
	if !strings.Contains(entry.Find(`[data-testid="verdict-badge"]`).Text(), "Misleading") {
		t.Errorf("timeline entry badge %q", strings.TrimSpace(entry.Text()))
	}
	entityURL, _ := claimPage.doc.Find(`[data-testid="claimant"]`).Attr("href")
	entity := reader.get(entityURL)
	if !strings.Contains(entity.doc.Find(fmt.Sprintf("#claim-%d", demoUncheckedClaim)).Find(`[data-testid="verdict-badge"]`).Text(), "Misleading") {
		t.Errorf("entity page %s has no badge", entityURL)
	}

	// A correction needs a note, and only an editor makes it.
	res = editor.get(deskURL)
	corr := verdictForm(labelID(t, site.store, "Mostly false"), "The March statement promised no summit at all.")
	corr.Set("lock_version", lockOf(t, res))
	res = editor.post(deskURL, corr)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(".field-error"), "public correction note") {
		t.Errorf("no message for the missing note: %q", res.text(".field-error"))
	}
	corr.Set("correction_note", "We misread the date of the statement.")
	wantStatus(t, editor.post(deskURL, corr), http.StatusSeeOther)
	res = reader.get(publicURL)
	if !strings.Contains(res.text(`[data-testid="corrections"]`), "We misread the date") || !strings.Contains(res.text(`[data-testid="rating-definition"]`), "Mostly false") {
		t.Errorf("correction not shown: %q", res.text(`[data-testid="corrections"]`))
	}

	// Every step is in the admin's audit log.
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	audit := admin.get("/admin/audit").text("main")
	for _, action := range []string{"verdict.create", "verdict.submit", "verdict.return", "verdict.edit", "verdict.approve", "verdict.publish", "verdict.correct"} {
		if !strings.Contains(audit, action) {
			t.Errorf("audit log lacks %s", action)
		}
	}
}

func TestRatingScaleAdministration(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	res := admin.get("/admin/rating-scale")
	wantStatus(t, res, http.StatusOK)
	if n := res.doc.Find(`[data-testid="rating-label"]`).Length(); n != 7 {
		t.Errorf("%d labels listed, want the 7 of the default scale", n)
	}

	res = admin.post("/admin/rating-scale", url.Values{"name": {"Pants on fire"}, "colour": {"#fffff0"}, "definition": {"Absurdly false."}, "value": {"0"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got, _ := res.doc.Find("#new-name").Attr("value"); got != "Pants on fire" {
		t.Errorf("typed name lost: %q", got)
	}
	if !strings.Contains(res.text("#new-colour-error"), "too pale") {
		t.Errorf("colour message %q", res.text("#new-colour-error"))
	}
	wantStatus(t, admin.post("/admin/rating-scale", url.Values{"name": {"Pants on fire"}, "colour": {"#7f1d1d"}, "definition": {"Absurdly false."}, "value": {"0"}}), http.StatusSeeOther)
	pants := labelID(t, site.store, "Pants on fire")
	wantStatus(t, admin.post(fmt.Sprintf("/admin/rating-scale/%d/delete", pants), nil), http.StatusSeeOther)
	res = admin.get("/admin/rating-scale")
	if !strings.Contains(res.text(`[data-testid="deleted-labels"]`), "Pants on fire") {
		t.Error("the deleted label is not offered for restoring")
	}
	wantStatus(t, admin.post(fmt.Sprintf("/admin/rating-scale/%d/restore", pants), nil), http.StatusSeeOther)

	// A label in use: deleting is refused with the way out; retiring hides it from new verdicts.
	mostlyTrue := labelID(t, site.store, "Mostly true")
	res = admin.post(fmt.Sprintf("/admin/rating-scale/%d/delete", mostlyTrue), nil)
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.text(`[data-testid="form-error"]`), "retire it instead") {
		t.Errorf("refusal %q", res.text(`[data-testid="form-error"]`))
	}
	wantStatus(t, admin.post(fmt.Sprintf("/admin/rating-scale/%d/retired", mostlyTrue), url.Values{"retired": {"true"}}), http.StatusSeeOther)
	checker := site.client()
	checker.signIn(models.RoleFactChecker)
	form := checker.get(fmt.Sprintf("/desk/factchecks/new?claim=%d", demoUncheckedClaim))
	if form.doc.Find(fmt.Sprintf(`input[name="rating"][value="%d"]`, mostlyTrue)).Length() != 0 {
		t.Error("a retired label is offered for a new verdict")
	}
	if form.doc.Find(`input[name="rating"]`).Length() != 7 {
		t.Errorf("%d ratings offered, want 7 (6 active defaults + the new one)", form.doc.Find(`input[name="rating"]`).Length())
	}
	// The published fact-check rated with it keeps it.
	if got := site.client().get("/factchecks").text(`[data-testid="factcheck-list"]`); !strings.Contains(got, "Half true") {
		t.Errorf("list lost its ratings: %q", got)
	}

	// Site settings name the organisation in ClaimReview.
	admin.get("/admin/settings")
	res = admin.post("/admin/settings", url.Values{"organisation_name": {"Harbour Fact Desk"}, "organisation_url": {"ftp://nope"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantStatus(t, admin.post("/admin/settings", url.Values{"organisation_name": {"Harbour Fact Desk"}, "organisation_url": {"https://factdesk.example"}}), http.StatusSeeOther)
	ld := jsonLD(t, site.client().get("/factchecks/1"), "claimreview-jsonld")
	if a := ld["author"].(map[string]any); a["name"] != "Harbour Fact Desk" || a["url"] != "https://factdesk.example" {
		t.Errorf("author %v", a)
	}
}

func TestFactCheckListAndFeed(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	reader := site.client()
	res := reader.get("/factchecks")
	wantStatus(t, res, http.StatusOK)
	items := res.doc.Find(`[data-testid="factcheck-item"]`)
	if items.Length() != 2 {
		t.Fatalf("%d fact-checks listed, want the 2 published demo ones", items.Length())
	}
	var corrected bool
	items.Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "Corrected") && strings.Contains(s.Text(), "Half true") {
			corrected = true
		}
	})
	if !corrected {
		t.Error("the corrected fact-check is not marked")
	}
	res = reader.get(fmt.Sprintf("/factchecks?rating=%d", labelID(t, site.store, "Mostly false")))
	if n := res.doc.Find(`[data-testid="factcheck-item"]`).Length(); n != 1 {
		t.Errorf("rating filter: %d items, want 1", n)
	}
	for _, bad := range []string{"abc", "99999", "1 OR 1=1", "%00"} {
		res := reader.get("/factchecks?rating=" + url.QueryEscape(bad))
		wantStatus(t, res, http.StatusUnprocessableEntity)
	}
	home := reader.get("/")
	if n := home.doc.Find(`[data-testid="home-factchecks"] li`).Length(); n != 2 {
		t.Errorf("home page lists %d recent fact-checks, want 2", n)
	}

	res = reader.get("/factchecks/feed.atom")
	wantStatus(t, res, http.StatusOK)
	feed, err := gofeed.NewParser().ParseString(res.body)
	if err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	if feed.FeedType != "atom" || len(feed.Items) != 2 {
		t.Fatalf("feed %s with %d items", feed.FeedType, len(feed.Items))
	}
	newest := feed.Items[0]
	if !strings.HasPrefix(newest.Title, "Mostly false:") || newest.Link != site.srv.URL+"/factchecks/2" {
		t.Errorf("newest entry %q → %s", newest.Title, newest.Link)
	}
	if old := feed.Items[1]; !strings.HasPrefix(old.Title, "Half true:") || !strings.HasPrefix(old.Description, "Corrected.") {
		t.Errorf("corrected entry %q / %q", old.Title, old.Description)
	}
}

func TestVerdictAnnotationsMustBeOnTheClaimsArticles(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	author := site.client()
	author.signIn(models.RoleFactChecker)
	const denialClaim = 6 // reported in articles 6 and 7; demo notes 4 and 5 are on article 6, note 1 on article 1
	form := author.get(fmt.Sprintf("/desk/factchecks/new?claim=%d", denialClaim))
	offered := map[string]bool{}
	form.doc.Find(`input[name="annotation"]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		offered[v] = true
	})
	if !offered["4"] || offered["1"] {
		t.Errorf("annotations offered %v, want those on the claim's articles (4) and not others (1)", offered)
	}
	in := verdictForm(labelID(t, site.store, "True"), "The ministry did deny it on that day.")
	in.Set("claim", fmt.Sprint(denialClaim))
	in.Set("annotation", "1")
	res := author.post("/desk/factchecks", in)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(".field-error"), "articles that report this claim") {
		t.Errorf("message %q", res.text(".field-error"))
	}
	in.Set("annotation", "4")
	res = author.post("/desk/factchecks", in)
	wantStatus(t, res, http.StatusSeeOther)
	var id uint
	fmt.Sscanf(res.Header.Get("Location"), "/desk/factchecks/%d", &id)

	ctx := t.Context()
	checker, _ := site.store.UserByEmail(ctx, "factchecker@newsgloss.example")
	editor, _ := site.store.UserByEmail(ctx, "editor@newsgloss.example")
	if err := site.store.Transition(ctx, checker, id, models.ActionSubmit, "", 1); err != nil {
		t.Fatal(err)
	}
	if err := site.store.Transition(ctx, editor, id, models.ActionApproveAndPublish, "", 2); err != nil {
		t.Fatal(err)
	}
	page := site.client().get(fmt.Sprintf("/factchecks/%d", id))
	if page.doc.Find(`a[href="/annotations/4"]`).Length() != 1 {
		t.Errorf("the public page does not link the annotation the verdict relies on")
	}
}

func TestClaimAPIGivesThePublishedRating(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	for _, path := range []string{"/api/claims/2", "/api/claims?page=1"} {
		req, _ := http.NewRequest(http.MethodGet, site.srv.URL+path, nil)
		req.Header.Set("Accept", "application/json")
		res := c.do(req)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.body, `"fact_check":{"url":"`+site.srv.URL+`/factchecks/1","rating":"Half true"}`) {
			t.Errorf("%s: no published rating for the hotline claim:\n%.600s", path, res.body)
		}
	}
}

func TestSearchByFactCheckRatingShowsBadges(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	reader := site.client()
	kinds := func(r *response) map[string]int {
		out := map[string]int{}
		r.doc.Find(`[data-testid="search-result"]`).Each(func(_ int, s *goquery.Selection) {
			k, _ := s.Attr("data-kind")
			out[k]++
		})
		return out
	}
	res := reader.get("/search?q=hotline&verdict=" + url.QueryEscape("Half true"))
	wantStatus(t, res, http.StatusOK)
	got := kinds(res)
	if got["claim"] != 1 || got["article"] == 0 || got["event"]+got["entity"]+got["annotation"] != 0 {
		t.Errorf("results by kind %v, want the rated claim and the articles reporting it only", got)
	}
	if badge := res.text(`[data-kind="claim"] [data-testid="verdict-badge"]`); !strings.Contains(badge, "Half true") {
		t.Errorf("the claim result's badge reads %q", badge)
	}
	// The rating is the current version's: before its correction it was Mostly true.
	res = reader.get("/search?q=hotline&verdict=" + url.QueryEscape("Mostly true"))
	wantStatus(t, res, http.StatusOK)
	if got := kinds(res); len(got) != 0 {
		t.Errorf("a superseded rating still finds %v", got)
	}
	res = reader.get("/search?q=hotline&verdict=nonsense")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text("#search-verdict-error"), "no rating called") {
		t.Errorf("message %q", res.text("#search-verdict-error"))
	}
}

func TestClaimPageOffersAFactCheckOnlyWhenNoneIsUnderWay(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	checker := site.client()
	checker.signIn(models.RoleFactChecker)
	// Claim 5 has demo verdict 3 in review: staff are sent to it, not offered a second one.
	res := checker.get("/claims/5")
	if href, _ := res.doc.Find(`[data-testid="verdict-in-progress"] a`).Attr("href"); href != fmt.Sprintf("/desk/factchecks/%d", demoInReviewVerdict) {
		t.Errorf("in-progress link %q", href)
	}
	if strings.Contains(res.body, "Start a fact-check") {
		t.Error("a second fact-check is offered while one is in review")
	}
	res = checker.get(fmt.Sprintf("/claims/%d", demoUncheckedClaim))
	if !strings.Contains(res.body, "Start a fact-check") || res.doc.Find(`[data-testid="verdict-in-progress"]`).Length() != 0 {
		t.Error("an unchecked claim does not offer a fact-check")
	}
	// Readers see neither.
	if body := site.client().get("/claims/5").body; strings.Contains(body, "under way") || strings.Contains(body, "Start a fact-check") {
		t.Error("readers see the desk's work")
	}
}
