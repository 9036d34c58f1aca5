package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsgloss/models"
)

// apiGet fetches an API resource as a program would and decodes its JSON.
func (c *client) apiGet(path string, want int, into any) *response {
	c.t.Helper()
	res := c.getWith(path, map[string]string{"Accept": "application/json"})
	wantStatus(c.t, res, want)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		c.t.Errorf("%s: content type %q", path, ct)
	}
	if into != nil {
		if err := json.Unmarshal([]byte(res.body), into); err != nil {
			c.t.Fatalf("%s: %v\n%s", path, err, res.body)
		}
	}
	return res
}

type apiListPage struct {
	Items   []map[string]any `json:"items"`
	Page    int              `json:"page"`
	PerPage int              `json:"per_page"`
	Count   int              `json:"count"`
	HasMore bool             `json:"has_more"`
	Self    string           `json:"self"`
	Next    string           `json:"next"`
	Prev    string           `json:"prev"`
}

func TestAPIListsPaginate(t *testing.T) {
	f := newTimelineFixture(t)
	ctx := context.Background()
	editor, _ := f.site.store.UserByEmail(ctx, "editor@newsgloss.example")
	quote := "Nobody schedules a test like this by accident three weeks before a summit"
	article := articleWith(t, f.site, quote)
	for i := 1; i <= 53; i++ {
		if _, _, err := f.site.store.TagPassage(ctx, editor, article, models.TagRequest{Passage: models.Passage{Quote: quote},
			Claim: &models.ClaimInput{ClaimantName: "Wren Tollander", SaidOn: fmt.Sprintf("2025-08-%02d", i%28+1), Stance: "asserts",
				Restatement: fmt.Sprintf("Bulk claim number %d.", i), Tags: "tl-bulk"}}); err != nil {
			t.Fatal(err)
		}
	}
	c := f.site.client()
	var page apiListPage
	c.apiGet("/api/claims?tag=tl-bulk", http.StatusOK, &page)
	if page.Page != 1 || page.PerPage != 50 || page.Count != 50 || len(page.Items) != 50 || !page.HasMore || page.Prev != "" {
		t.Fatalf("page 1: page %d per_page %d count %d has_more %v prev %q", page.Page, page.PerPage, page.Count, page.HasMore, page.Prev)
	}
	next, err := url.Parse(page.Next)
	if err != nil || next.Query().Get("page") != "2" || next.Query().Get("tag") != "tl-bulk" || !strings.HasPrefix(page.Next, f.site.srv.URL) {
		t.Fatalf("next %q: the filters and an absolute URL are kept", page.Next)
	}
	seen := map[float64]bool{}
	for _, it := range page.Items {
		seen[it["id"].(float64)] = true
	}
	var page2 apiListPage
	c.apiGet(next.RequestURI(), http.StatusOK, &page2)
	if page2.Count != 3 || page2.HasMore || page2.Next != "" || page2.Prev == "" {
		t.Fatalf("page 2: count %d has_more %v next %q prev %q", page2.Count, page2.HasMore, page2.Next, page2.Prev)
	}
	for _, it := range page2.Items {
		if seen[it["id"].(float64)] {
			t.Errorf("claim %v is on both pages", it["id"])
		}
	}
	var beyond apiListPage
	c.apiGet("/api/claims?tag=tl-bulk&page=9", http.StatusOK, &beyond)
	if beyond.Count != 0 || beyond.Items == nil || beyond.HasMore {
		t.Errorf("a page past the end: %+v", beyond)
	}
	for _, bad := range []string{"/api/claims?page=0", "/api/claims?page=x", "/api/claims?page=99999999", "/api/claims?status=bogus",
		"/api/claims?status=cancelled", "/api/events?type=claim", "/api/events?from=2025-13", "/api/entities?kind=planet"} {
		res := c.apiGet(bad, http.StatusUnprocessableEntity, nil)
		if !strings.Contains(res.body, `"code":"invalid"`) {
			t.Errorf("%s: %s", bad, res.body)
		}
	}

	// Events, filtered like a timeline.
	var events apiListPage
	c.apiGet("/api/events?tag="+fixtureTag, http.StatusOK, &events)
	if events.Count != 3 {
		t.Errorf("%d events tagged, want 3", events.Count)
	}
	for _, it := range events.Items {
		if it["type"] != "event" {
			t.Errorf("an event list item of type %v", it["type"])
		}
	}
	c.apiGet("/api/events?tag="+fixtureTag+"&status=cancelled", http.StatusOK, &events)
	if events.Count != 1 || events.Items[0]["title"] != "Fixture summit" {
		t.Errorf("cancelled events %+v", events.Items)
	}
	// Claims from drafts are not listed.
	var claims apiListPage
	c.apiGet("/api/claims?entity="+fixtureWren, http.StatusOK, &claims)
	for _, it := range claims.Items {
		if it["id"].(float64) == float64(f.secret) {
			t.Error("a draft's claim is in the API")
		}
	}

	// Entities and timelines.
	var entities apiListPage
	c.apiGet("/api/entities?kind=person", http.StatusOK, &entities)
	found := false
	for _, e := range entities.Items {
		if e["kind"] != "person" {
			t.Errorf("kind=person lists a %v", e["kind"])
		}
		found = found || e["slug"] == fixtureWren
	}
	if !found {
		t.Error("Wren Tollander is not among the people")
	}
	var timelines apiListPage
	c.apiGet("/api/timelines", http.StatusOK, &timelines)
	slugs := map[any]bool{}
	for _, tl := range timelines.Items {
		slugs[tl["slug"]] = true
		if _, ok := tl["entries"]; ok {
			t.Error("a timeline listing carries entries")
		}
	}
	if !slugs[fixtureTimeln] || !slugs[fixtureRuleTln] {
		t.Errorf("timelines %v", slugs)
	}
	conditional(t, c, "/api/claims?tag=tl-bulk", c.apiGet("/api/claims?tag=tl-bulk", http.StatusOK, nil))
}

func TestAPIDetailsHaveSources(t *testing.T) {
	f := newTimelineFixture(t)
	c := f.site.client()
	base := f.site.srv.URL

	var claim struct {
		Type, URL, APIURL, Restatement, Stance string
		SaidOn                                 *string `json:"said_on"`
		DatePrecision                          *string `json:"date_precision"`
		Claimant                               *struct{ Name, Slug, URL string }
		Tags                                   []struct{ Name, Slug, URL string }
		Sources                                []struct {
			ArticleID       uint   `json:"article_id"`
			ArticleURL      string `json:"article_url"`
			ArticleTitle    string `json:"article_title"`
			Quote           string
			FirstAppearance bool    `json:"first_appearance"`
			PublishedAt     *string `json:"published_at"`
			Outlet          struct{ Name, Slug, URL string }
		}
	}
	res := c.apiGet(fmt.Sprintf("/api/claims/%d", f.promise), http.StatusOK, &claim)
	if claim.Type != "claim" || claim.Stance != "asserts" || claim.SaidOn == nil || *claim.SaidOn != "2025-08-31" || *claim.DatePrecision != "day" {
		t.Errorf("claim %+v", claim)
	}
	if claim.Claimant == nil || claim.Claimant.Slug != fixtureWren || claim.Claimant.URL != base+"/entities/"+fixtureWren {
		t.Errorf("claimant %+v", claim.Claimant)
	}
	if len(claim.Tags) != 1 || claim.Tags[0].URL != base+"/tags/"+fixtureTag {
		t.Errorf("tags %+v", claim.Tags)
	}
	if len(claim.Sources) != 2 || !claim.Sources[0].FirstAppearance || claim.Sources[1].FirstAppearance ||
		claim.Sources[0].ArticleID != f.cancelArticle || claim.Sources[0].Quote != "That promise was broken on Friday morning." ||
		claim.Sources[0].ArticleURL != fmt.Sprintf("%s/articles/%d", base, f.cancelArticle) || claim.Sources[0].Outlet.Name == "" ||
		claim.Sources[0].PublishedAt == nil {
		t.Errorf("sources %+v", claim.Sources)
	}
	conditional(t, c, fmt.Sprintf("/api/claims/%d", f.promise), res)

	var frozen map[string]any
	c.apiGet(fmt.Sprintf("/api/claims/%d", f.frozen), http.StatusOK, &frozen)
	if frozen["said_on"] != "2024" || frozen["date_precision"] != "year" || frozen["stance"] != "denies" {
		t.Errorf("year-precision claim %v", frozen)
	}
	var rumour map[string]any
	c.apiGet(fmt.Sprintf("/api/claims/%d", f.rumour), http.StatusOK, &rumour)
	if rumour["said_on"] != nil || rumour["first_reported"] == nil || rumour["restatement"] != fixtureRumour {
		t.Errorf("undated claim %v", rumour)
	}

	var event struct {
		Type, Title, Status string
		StartsOn            string  `json:"starts_on"`
		EndsOn              *string `json:"ends_on"`
		DatePrecision       string  `json:"date_precision"`
		Place               *struct{ Slug, URL string }
		Participants        []struct{ Name, Slug string }
		Sources             []struct {
			Quote           string
			FirstAppearance bool `json:"first_appearance"`
		}
	}
	c.apiGet(fmt.Sprintf("/api/events/%d", f.summit), http.StatusOK, &event)
	if event.Type != "event" || event.Status != "cancelled" || event.StartsOn != "2025-09-18" || event.EndsOn != nil || event.DatePrecision != "day" {
		t.Errorf("event %+v", event)
	}
	if event.Place == nil || event.Place.URL != base+"/places/"+fixturePlace || len(event.Participants) != 2 {
		t.Errorf("place %+v participants %+v", event.Place, event.Participants)
	}
	if len(event.Sources) != 1 || !event.Sources[0].FirstAppearance || !strings.Contains(event.Sources[0].Quote, "Sept. 18 in Tiverne") {
		t.Errorf("event sources %+v", event.Sources)
	}

	var entity struct {
		Name, Kind, Slug, Description string
		Aliases                       []string
		Roles                         []struct {
			Title    string
			StartsOn *string `json:"starts_on"`
			EndsOn   *string `json:"ends_on"`
		}
		FeedURL          string           `json:"feed_url"`
		TimelineJSURL    string           `json:"timelinejs_url"`
		Entries          []map[string]any `json:"entries"`
		EntriesTruncated *bool            `json:"entries_truncated"`
	}
	c.apiGet("/api/entities/"+fixtureWren, http.StatusOK, &entity)
	if entity.Name != "Wren Tollander" || entity.Kind != "person" || len(entity.Aliases) != 2 || len(entity.Roles) != 2 {
		t.Errorf("entity %+v", entity)
	}
	if entity.Roles[1].Title != "Special envoy" || *entity.Roles[1].StartsOn != "2024-03" || entity.Roles[1].EndsOn != nil {
		t.Errorf("roles %+v", entity.Roles)
	}
	if len(entity.Entries) != 3 || entity.EntriesTruncated == nil || *entity.EntriesTruncated {
		t.Errorf("%d entries", len(entity.Entries))
	}
	if entity.FeedURL != base+"/entities/"+fixtureWren+"/feed.atom" || entity.TimelineJSURL != base+"/entities/"+fixtureWren+"/timeline.json" {
		t.Errorf("outputs %q %q", entity.FeedURL, entity.TimelineJSURL)
	}

	var timeline struct {
		Title, Slug string
		RuleKind    string           `json:"rule_kind"`
		Entries     []map[string]any `json:"entries"`
	}
	c.apiGet("/api/timelines/"+fixtureTimeln, http.StatusOK, &timeline)
	if timeline.Title != "Fixture story of the talks" || timeline.RuleKind != "manual" || len(timeline.Entries) != 4 {
		t.Fatalf("timeline %+v", timeline)
	}
	for _, e := range timeline.Entries {
		if srcs, _ := e["sources"].([]any); len(srcs) == 0 {
			t.Errorf("entry %v has no sources", e["id"])
		}
	}
	c.apiGet("/api/timelines/"+fixtureRuleTln, http.StatusOK, &timeline)
	if timeline.RuleKind != "tag" || len(timeline.Entries) != 6 {
		t.Errorf("rule timeline: %s with %d entries", timeline.RuleKind, len(timeline.Entries))
	}

	for _, p := range []string{"/api/claims/999999", "/api/claims/abc", "/api/events/999999", "/api/entities/nobody", "/api/timelines/nothing",
		fmt.Sprintf("/api/claims/%d", f.secret), fmt.Sprintf("/api/claims/%d", f.summit+1000)} {
		res := c.apiGet(p, http.StatusNotFound, nil)
		if !strings.Contains(res.body, `"code":"not_found"`) {
			t.Errorf("%s: %s", p, res.body)
		}
	}
	// Even a client that asks for HTML gets JSON errors from the API.
	res = c.getWith("/api/claims/999999", map[string]string{"Accept": "text/html"})
	if res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("HTML client: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
