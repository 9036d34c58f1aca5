package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"newsgloss/handlers"
	"newsgloss/models"
)

// timelineFixture is a small story of its own on top of the demo content:
// new entities and a tag no demo entry has, so the counts are the test's.
type timelineFixture struct {
	site *testSite
	// Claims and events (ids).
	promise  uint // claim, asserts, 2025-08-31, by Wren Tollander, reported twice
	summit   uint // event, cancelled, 2025-09-18, at Quessly Harbour, with Wren Tollander and Ĳsbrand Kühl
	drafting uint // event, held, 2025-07 (month precision), with Ĳsbrand Kühl
	frozen   uint // claim, denies, 2024 (year precision), by Ĳsbrand Kühl
	rumour   uint // claim, rumour, no date (first reported 2025-09-23), by Wren Tollander; not on the curated timeline
	launch   uint // event, held, 2025-08-29T06:10 (time precision); not on the curated timeline
	secret   uint // claim tagged only in a draft article: never public
	// Articles the passages come from.
	cancelArticle, sidelinedArticle uint
	timeline                        *models.Timeline // curated: promise, summit, drafting, frozen
	ruleTimeline                    *models.Timeline // every entry tagged tl-fixture
}

const (
	fixtureTag     = "tl-fixture"
	fixtureWren    = "wren-tollander"
	fixtureKuhl    = "ĳsbrand-kühl"
	fixturePlace   = "quessly-harbour"
	fixtureRumour  = "Rask was <sidelined> & silent"
	fixtureTimeln  = "fixture-story-of-the-talks"
	fixtureRuleTln = "everything-in-the-fixture"
)

// articleWith finds the demo article whose text has the quote.
func articleWith(t *testing.T, site *testSite, quote string) uint {
	t.Helper()
	for id := uint(1); id <= 30; id++ {
		a, err := site.store.ArticleByID(context.Background(), id, false)
		if err != nil {
			continue
		}
		if strings.Contains(a.BodyText, quote) {
			return a.ID
		}
	}
	t.Fatalf("no demo article says %q", quote)
	return 0
}

func newTimelineFixture(t *testing.T) *timelineFixture {
	t.Helper()
	site := newTestSite(t, handlers.Config{})
	ctx := context.Background()
	editor, err := site.store.UserByEmail(ctx, "editor@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	f := &timelineFixture{site: site}

	wren, err := site.store.CreateEntity(ctx, editor, models.EntityInput{Kind: "person", Name: "Wren Tollander",
		Aliases: []string{"W. Tollander", "Рен Толландер"}, Description: "A fictional envoy made up for these tests."})
	if err != nil {
		t.Fatal(err)
	}
	if err := site.store.AddEntityRole(ctx, editor, wren.ID, "Special envoy", "2024-03", ""); err != nil {
		t.Fatal(err)
	}
	if err := site.store.AddEntityRole(ctx, editor, wren.ID, "Trade attaché", "2021", "2024-02"); err != nil {
		t.Fatal(err)
	}

	tag := func(quote string, req models.TagRequest) (uint, uint) {
		t.Helper()
		req.Passage = models.Passage{Quote: quote}
		claimID, eventID, err := site.store.TagPassage(ctx, editor, articleWith(t, site, quote), req)
		if err != nil {
			t.Fatalf("tag %q: %v", quote, err)
		}
		return claimID, eventID
	}
	f.cancelArticle = articleWith(t, site, "That promise was broken on Friday morning.")
	f.promise, _ = tag("That promise was broken on Friday morning.", models.TagRequest{Claim: &models.ClaimInput{
		ClaimantName: "Wren Tollander", SaidOn: "2025-08-31", Stance: "asserts",
		Restatement: "The fixture promise was broken.", Tags: fixtureTag}})
	// A later report of the same claim: a second source, not the first appearance.
	f.sidelinedArticle = articleWith(t, site, "The reports have circulated in Dunmere for about two weeks")
	tag("less than a week after President Mattias Oder called off the Sept. 18 summit in Tiverne", models.TagRequest{ExistingClaimID: f.promise})
	_, f.summit = tag("The leaders of Aldervane and the Kessari Islands will meet on Sept. 18 in Tiverne", models.TagRequest{Event: &models.EventInput{
		Title: "Fixture summit", StartsOn: "2025-09-18", Status: "cancelled", PlaceName: "Quessly Harbour",
		Participants: "Wren Tollander, Ĳsbrand Kühl", Tags: fixtureTag}})
	_, f.drafting = tag("who are due to meet at least twice in July", models.TagRequest{Event: &models.EventInput{
		Title: "Fixture drafting work", StartsOn: "2025-07", Status: "held", Participants: "Ĳsbrand Kühl", Tags: fixtureTag}})
	f.frozen, _ = tag("Relations between the two countries have been largely frozen since the 2019 standoff", models.TagRequest{Claim: &models.ClaimInput{
		ClaimantName: "Ĳsbrand Kühl", SaidOn: "2024", Stance: "denies",
		Restatement: "Relations were never frozen, says the fixture.", Tags: fixtureTag}})
	f.rumour, _ = tag("The reports have circulated in Dunmere for about two weeks", models.TagRequest{Claim: &models.ClaimInput{
		ClaimantName: "Wren Tollander", Stance: "rumour", Restatement: fixtureRumour, Tags: fixtureTag}})
	_, f.launch = tag("was launched from the island of Varrow at 6:10 a.m. local time", models.TagRequest{Event: &models.EventInput{
		Title: "Fixture launch", StartsOn: "2025-08-29T06:10", Status: "held", Tags: fixtureTag}})

	// A claim tagged in a draft only.
	draft, err := site.store.CreateArticle(ctx, editor, models.ArticleInput{Title: "Fixture draft", OutletID: 1, Status: "draft",
		BodyFormat: "markdown", Body: "The fixture minister said the secret plan was ready."})
	if err != nil {
		t.Fatal(err)
	}
	f.secret, _, err = site.store.TagPassage(ctx, editor, draft.ID, models.TagRequest{Passage: models.Passage{Quote: "the secret plan was ready"},
		Claim: &models.ClaimInput{ClaimantName: "Wren Tollander", SaidOn: "2025-10-01", Stance: "asserts", Restatement: "The secret plan is ready.", Tags: fixtureTag}})
	if err != nil {
		t.Fatal(err)
	}

	f.timeline, err = site.store.CreateTimeline(ctx, editor, models.TimelineInput{Title: "Fixture story of the talks",
		Description: "Four entries chosen by hand for the tests."})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct{ claim, event uint }{{f.promise, 0}, {0, f.summit}, {0, f.drafting}, {f.frozen, 0}} {
		if err := site.store.AddToTimeline(ctx, editor, f.timeline.ID, e.claim, e.event); err != nil {
			t.Fatal(err)
		}
	}
	f.ruleTimeline, err = site.store.CreateTimeline(ctx, editor, models.TimelineInput{Title: "Everything in the fixture",
		RuleKind: "tag", RuleValue: fixtureTag})
	if err != nil {
		t.Fatal(err)
	}
	if f.timeline.Slug != fixtureTimeln || f.ruleTimeline.Slug != fixtureRuleTln {
		t.Fatalf("timeline slugs %q and %q", f.timeline.Slug, f.ruleTimeline.Slug)
	}
	return f
}

func anchorOf(kind string, id uint) string { return fmt.Sprintf("%s-%d", kind, id) }

// entryIDs lists the anchors of a timeline page's entries, in order.
func entryIDs(r *response) []string {
	var ids []string
	r.doc.Find(`li[data-testid="timeline-entry"]`).Each(func(_ int, s *goquery.Selection) {
		ids = append(ids, s.AttrOr("id", ""))
	})
	return ids
}

func headings(r *response, sel string) []string {
	var out []string
	r.doc.Find(`[data-testid="timeline"] ` + sel).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

func sameList(a, b []string) bool { return strings.Join(a, "|") == strings.Join(b, "|") }

func TestTimelinePageGroupsEntriesByZoom(t *testing.T) {
	f := newTimelineFixture(t)
	c := f.site.client()
	path := "/timelines/" + fixtureTimeln
	claim := func(id uint) string { return anchorOf("claim", id) }
	event := func(id uint) string { return anchorOf("event", id) }

	res := c.get(path)
	wantStatus(t, res, http.StatusOK)
	if got := res.text("h1"); got != "Fixture story of the talks" {
		t.Errorf("h1 %q", got)
	}
	if !strings.Contains(res.body, "Four entries chosen by hand") {
		t.Error("the description is missing")
	}
	// Default zoom: years, then months; the year-only claim gets its own group.
	want := []string{claim(f.frozen), event(f.drafting), claim(f.promise), event(f.summit)}
	if got := entryIDs(res); !sameList(got, want) {
		t.Errorf("entries %v, want %v in date order", got, want)
	}
	if got := headings(res, "h2"); !sameList(got, []string{"2024", "2025"}) {
		t.Errorf("month zoom h2 %v", got)
	}
	if got := headings(res, "h3"); !sameList(got, []string{"Sometime in 2024", "July 2025", "August 2025", "September 2025"}) {
		t.Errorf("month zoom h3 %v", got)
	}
	if res.doc.Find(`.tl-zoom a[aria-current="page"]`).Text() != "Month" {
		t.Error("the month zoom is not marked current")
	}

	// Dates at their precision, machine-readable.
	for id, want := range map[string][2]string{
		claim(f.frozen):   {"2024", "2024"},
		event(f.drafting): {"2025-07", "July 2025"},
		event(f.summit):   {"2025-09-18", "18 September 2025"},
	} {
		tm := res.doc.Find("#" + id + " time.tl-date")
		if dt, _ := tm.Attr("datetime"); dt != want[0] || strings.TrimSpace(tm.Text()) != want[1] {
			t.Errorf("%s: <time datetime=%q>%s, want %q / %q", id, dt, tm.Text(), want[0], want[1])
		}
	}

	// Status badges are text.
	for id, want := range map[string]string{event(f.summit): "Cancelled", claim(f.frozen): "Denies", event(f.drafting): "Held", claim(f.promise): "Asserts"} {
		if got := strings.TrimSpace(res.doc.Find("#" + id + ` [data-testid="status-badge"]`).Text()); got != want {
			t.Errorf("%s badge %q, want %q", id, got, want)
		}
	}

	// Entities, tags and every source linked; the first report marked.
	summit := res.doc.Find("#" + event(f.summit))
	for _, href := range []string{"/places/" + fixturePlace, "/entities/" + fixtureWren, "/entities/" + url.PathEscape(fixtureKuhl), "/tags/" + fixtureTag, fmt.Sprintf("/events/%d", f.summit)} {
		if summit.Find(`a[href="`+href+`"]`).Length() == 0 {
			t.Errorf("the summit entry has no link to %s", href)
		}
	}
	promise := res.doc.Find("#" + claim(f.promise))
	sources := promise.Find(`[data-testid="sources"] > li`)
	if sources.Length() != 2 {
		t.Fatalf("the promise has %d sources, want 2", sources.Length())
	}
	if sources.Eq(0).Find(`[data-testid="first-appearance"]`).Length() != 1 || sources.Eq(1).Find(`[data-testid="first-appearance"]`).Length() != 0 {
		t.Error("only the earliest report is the first appearance")
	}
	if sources.Eq(0).Find(fmt.Sprintf(`a[href="/articles/%d"]`, f.cancelArticle)).Length() != 1 ||
		sources.Eq(1).Find(fmt.Sprintf(`a[href="/articles/%d"]`, f.sidelinedArticle)).Length() != 1 {
		t.Error("the sources do not link their articles, earliest first")
	}
	if !strings.Contains(sources.Eq(0).Text(), "That promise was broken on Friday morning.") || sources.Eq(0).Find(`a[href^="/outlets/"]`).Length() != 1 {
		t.Error("a source shows its quote and outlet")
	}
	if promise.Find(`a[href="/entities/`+fixtureWren+`"]`).Length() != 1 {
		t.Error("the claimant is not linked")
	}

	// Year zoom: one heading level.
	res = c.get(path + "?by=year")
	wantStatus(t, res, http.StatusOK)
	if got := headings(res, "h2"); !sameList(got, []string{"2024", "2025"}) {
		t.Errorf("year zoom h2 %v", got)
	}
	if got := headings(res, "h3"); len(got) != 0 {
		t.Errorf("year zoom has h3 %v", got)
	}
	// Day zoom: months, then days; vaguer dates get "sometime" groups.
	res = c.get(path + "?by=day")
	wantStatus(t, res, http.StatusOK)
	if got := headings(res, "h2"); !sameList(got, []string{"Sometime in 2024", "July 2025", "August 2025", "September 2025"}) {
		t.Errorf("day zoom h2 %v", got)
	}
	if got := headings(res, "h3"); !sameList(got, []string{"Sometime in July 2025", "31 August 2025", "18 September 2025"}) {
		t.Errorf("day zoom h3 %v", got)
	}
	if dt := res.doc.Find(`h3 time`).Last().AttrOr("datetime", ""); dt != "2025-09-18" {
		t.Errorf("day heading datetime %q", dt)
	}
	// The default zoom spelt out is the same view at its one URL.
	res = c.get(path + "?by=month")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != path {
		t.Errorf("?by=month redirects to %q", loc)
	}
}

func TestTimelineFiltersNarrowAndTheURLReproducesTheView(t *testing.T) {
	f := newTimelineFixture(t)
	c := f.site.client()
	path := "/timelines/" + fixtureTimeln
	claim := func(id uint) string { return anchorOf("claim", id) }
	event := func(id uint) string { return anchorOf("event", id) }

	cases := []struct {
		query string
		want  []string
	}{
		{"type=event", []string{event(f.drafting), event(f.summit)}},
		{"type=claim", []string{claim(f.frozen), claim(f.promise)}},
		{"status=cancelled", []string{event(f.summit)}},
		{"status=denies", []string{claim(f.frozen)}},
		{"entity=" + fixtureWren, []string{claim(f.promise), event(f.summit)}},
		{"entity=" + url.QueryEscape(fixtureKuhl), []string{claim(f.frozen), event(f.drafting), event(f.summit)}},
		{"place=" + fixturePlace, []string{event(f.summit)}},
		{"tag=" + fixtureTag, []string{claim(f.frozen), event(f.drafting), claim(f.promise), event(f.summit)}},
		{"from=2025-08&to=2025-09", []string{claim(f.promise), event(f.summit)}},
		{"from=2025-08-31&to=2025-08-31", []string{claim(f.promise)}},
		{"to=2025", []string{claim(f.frozen), event(f.drafting), claim(f.promise), event(f.summit)}},
		{"to=2024-12", []string{claim(f.frozen)}},
		{"from=2026", nil},
		{"from=0001&to=9999", []string{claim(f.frozen), event(f.drafting), claim(f.promise), event(f.summit)}},
		{"entity=" + fixtureWren + "&type=event&status=cancelled", []string{event(f.summit)}},
	}
	for _, tc := range cases {
		res := c.get(path + "?" + tc.query)
		wantStatus(t, res, http.StatusOK)
		if got := entryIDs(res); !sameList(got, tc.want) {
			t.Errorf("?%s: entries %v, want %v", tc.query, got, tc.want)
		}
		if len(tc.want) == 0 && res.doc.Find(`[data-testid="timeline-empty"]`).Length() != 1 {
			t.Errorf("?%s: no message for an empty result", tc.query)
		}
	}

	// The tag page fixes its tag; another tag narrows further (after the fact).
	res := c.get("/tags/" + fixtureTag + "?entity=" + fixtureWren)
	wantStatus(t, res, http.StatusOK)
	if got := entryIDs(res); !sameList(got, []string{claim(f.promise), event(f.summit), claim(f.rumour)}) {
		t.Errorf("tag page by entity: %v", got)
	}
	// The rule timeline (everything tagged) filtered by status.
	res = c.get("/timelines/" + fixtureRuleTln + "?status=rumour")
	wantStatus(t, res, http.StatusOK)
	if got := entryIDs(res); !sameList(got, []string{claim(f.rumour)}) {
		t.Errorf("rule timeline by status: %v", got)
	}

	// The form shows the current values, and submitting it as a browser does
	// (every field, blanks included) lands on the view's one URL.
	res = c.get(path + "?entity=" + fixtureWren + "&status=cancelled&from=2025-09")
	wantStatus(t, res, http.StatusOK)
	form := res.doc.Find(`form[data-testid="timeline-filters"]`)
	if form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != path {
		t.Fatalf("filter form method %q action %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
	}
	if v := form.Find(`select[name="entity"] option[selected]`).AttrOr("value", ""); v != fixtureWren {
		t.Errorf("entity selected %q", v)
	}
	if v := form.Find(`select[name="status"] option[selected]`).AttrOr("value", ""); v != "cancelled" {
		t.Errorf("status selected %q", v)
	}
	if v := form.Find(`input[name="from"]`).AttrOr("value", ""); v != "2025-09" {
		t.Errorf("from value %q", v)
	}
	form.Find("select, input").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if form.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("filter control %s has no label", id)
		}
	})
	values := url.Values{}
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) { values.Add(s.AttrOr("name", ""), s.AttrOr("value", "")) })
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		opt := s.Find("option[selected]")
		values.Add(s.AttrOr("name", ""), opt.AttrOr("value", ""))
	})
	values.Set("type", "event")
	submitted := c.get(path + "?" + values.Encode())
	wantStatus(t, submitted, http.StatusSeeOther)
	canonical := submitted.Header.Get("Location")
	if canonical != path+"?entity="+fixtureWren+"&status=cancelled&type=event&from=2025-09" {
		t.Fatalf("the form lands on %q", canonical)
	}
	shared := f.site.client().get(canonical) // someone the link was shared with
	wantStatus(t, shared, http.StatusOK)
	if got := entryIDs(shared); !sameList(got, []string{event(f.summit)}) {
		t.Errorf("the shared URL shows %v", got)
	}
	if got := shared.text(`[data-testid="timeline-count"]`); !strings.Contains(got, "Showing 1 entry of 4") {
		t.Errorf("count %q", got)
	}
	// Zoom links keep the filters.
	if href := shared.doc.Find(`.tl-zoom a`).First().AttrOr("href", ""); href != canonical+"&by=year" {
		t.Errorf("year zoom link %q", href)
	}
	// The feed link carries the filters too.
	if href := shared.doc.Find(`[data-testid="feed-link"]`).AttrOr("href", ""); href != "/timelines/"+fixtureTimeln+"/feed.atom?entity="+fixtureWren+"&status=cancelled&type=event&from=2025-09" {
		t.Errorf("feed link %q", href)
	}
}

func TestTimelineBadFiltersSayWhatIsWrong(t *testing.T) {
	f := newTimelineFixture(t)
	c := f.site.client()
	path := "/timelines/" + fixtureTimeln
	for query, want := range map[string]string{
		"status=bogus":                       "Unknown status “bogus”",
		"type=rumour":                        "Unknown type “rumour”",
		"type=claim&status=cancelled":        "is a status of events",
		"type=event&status=denies":           "is a stance of claims",
		"from=2025-13":                       "“2025-13” is not a date",
		"to=2025-02-30":                      "“2025-02-30” is not a date",
		"from=yesterday":                     "“yesterday” is not a date",
		"from=2025-10&to=2025-09":            "before the From date",
		"entity=nobody-at-all":               "no person, organisation or place",
		"place=" + fixtureWren:               "Wren Tollander is not a place",
		"place=nowhere-at-all":               "no place with the address",
		"tag=no-such-tag":                    "There is no tag “no-such-tag”",
		"by=week":                            "year, month or day",
		"entity=" + strings.Repeat("x", 300): "too long",
	} {
		res := c.get(path + "?" + query)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		msg := res.text(`[data-testid="filter-problems"]`)
		if !strings.Contains(msg, want) {
			t.Errorf("?%s: message %q, want it to say %q", query, msg, want)
		}
		if len(entryIDs(res)) != 0 {
			t.Errorf("?%s: entries shown beside the error", query)
		}
		if res.doc.Find(`form[data-testid="timeline-filters"]`).Length() != 1 {
			t.Errorf("?%s: the filter form is gone", query)
		}
	}
	// The same on the derived pages; unknown subjects are 404s.
	wantStatus(t, c.get("/entities/"+fixtureWren+"?from=soon"), http.StatusUnprocessableEntity)
	wantStatus(t, c.get("/tags/"+fixtureTag+"?type=x"), http.StatusUnprocessableEntity)
	wantStatus(t, c.get("/places/"+fixturePlace+"?status=x"), http.StatusUnprocessableEntity)
	for _, p := range []string{"/timelines/no-such-story", "/entities/no-such-person", "/tags/no-such-tag", "/places/no-such-place",
		"/places/" + fixtureWren} {
		wantStatus(t, c.get(p), http.StatusNotFound)
	}
}

func TestTimelineOverviewIsDrawnWithATextEquivalent(t *testing.T) {
	f := newTimelineFixture(t)
	c := f.site.client()
	res := c.get("/timelines/" + fixtureTimeln)
	wantStatus(t, res, http.StatusOK)
	svg := res.doc.Find(`[data-testid="timeline-overview"] svg`)
	if svg.Length() != 1 || svg.AttrOr("role", "") != "img" {
		t.Fatalf("no overview svg with role=img")
	}
	for _, id := range strings.Fields(svg.AttrOr("aria-labelledby", "")) {
		if svg.Find("#"+id).Length() != 1 {
			t.Errorf("aria-labelledby names %q, which is not in the chart", id)
		}
	}
	if svg.ChildrenFiltered("title").Length() != 1 || svg.ChildrenFiltered("desc").Length() != 1 {
		t.Error("the chart needs a <title> and a <desc>")
	}
	summary := res.text(`[data-testid="overview-summary"]`)
	// 2024 (year only) to September 2025: yearly periods would hide the story; months it is.
	if summary != "4 entries from January 2024 to September 2025." {
		t.Errorf("summary %q", summary)
	}
	if svg.Find("rect.tl-overview__shown").Length() != 4 || svg.Find("rect.tl-overview__range").Length() != 0 {
		t.Errorf("the unfiltered chart has %d bars and %d range marks", svg.Find("rect.tl-overview__shown").Length(), svg.Find("rect.tl-overview__range").Length())
	}

	res = c.get("/timelines/" + fixtureTimeln + "?from=2025-08&to=2025-09")
	wantStatus(t, res, http.StatusOK)
	svg = res.doc.Find(`[data-testid="timeline-overview"] svg`)
	if svg.Find("rect.tl-overview__range").Length() != 1 {
		t.Error("the chosen range is not marked")
	}
	if got := res.text(`[data-testid="overview-summary"]`); !strings.HasSuffix(got, "This view shows 2 of them, from August 2025 to September 2025.") {
		t.Errorf("filtered summary %q", got)
	}
	if desc := svg.ChildrenFiltered("desc").Text(); !strings.Contains(desc, "one bar per month") || !strings.Contains(desc, "shaded band") {
		t.Errorf("desc %q", desc)
	}

	// A busier timeline: the tag page has six entries over two years.
	res = c.get("/tags/" + fixtureTag)
	wantStatus(t, res, http.StatusOK)
	if got := res.text(`[data-testid="overview-summary"]`); got != "6 entries from January 2024 to September 2025, most in August 2025 and September 2025 (2 each)." {
		t.Errorf("tag summary %q", got)
	}
}

func TestEntityTagAndPlacePages(t *testing.T) {
	f := newTimelineFixture(t)
	c := f.site.client()
	claim := func(id uint) string { return anchorOf("claim", id) }
	event := func(id uint) string { return anchorOf("event", id) }

	res := c.get("/entities/" + fixtureWren)
	wantStatus(t, res, http.StatusOK)
	if got := res.text(`[data-testid="entity-name"]`); got != "Wren Tollander" {
		t.Errorf("entity h1 %q", got)
	}
	if aliases := res.text(`[data-testid="aliases"]`); !strings.Contains(aliases, "W. Tollander") || !strings.Contains(aliases, "Рен Толландер") {
		t.Errorf("aliases %q", aliases)
	}
	roles := res.doc.Find(`[data-testid="roles"] li`)
	if roles.Length() != 2 {
		t.Fatalf("%d roles", roles.Length())
	}
	if got := strings.Join(strings.Fields(roles.Text()), " "); !strings.Contains(got, "Trade attaché (2021 – February 2024)") || !strings.Contains(got, "Special envoy (since March 2024)") {
		t.Errorf("roles %q", got)
	}
	// Claims the entity made and events it took part in; not the draft's claim.
	if got := entryIDs(res); !sameList(got, []string{claim(f.promise), event(f.summit), claim(f.rumour)}) {
		t.Errorf("entity entries %v", got)
	}
	if strings.Contains(res.body, "secret plan") {
		t.Error("a claim reported only in a draft is on a public page")
	}
	// Markup in a restatement is text.
	if !strings.Contains(res.body, "Rask was &lt;sidelined&gt; &amp; silent") {
		t.Error("the restatement is not escaped")
	}
	// A claim with no date is placed at its first report.
	if got := strings.Join(strings.Fields(res.doc.Find("#"+claim(f.rumour)+" .tl-entry__when").Text()), " "); !strings.HasPrefix(got, "Date not stated; first reported 23 September 2025") {
		t.Errorf("undated claim shows %q", got)
	}

	res = c.get("/entities/" + url.PathEscape(fixtureKuhl))
	wantStatus(t, res, http.StatusOK)
	if got := entryIDs(res); !sameList(got, []string{claim(f.frozen), event(f.drafting), event(f.summit)}) {
		t.Errorf("Kühl entries %v", got)
	}

	res = c.get("/tags/" + fixtureTag)
	wantStatus(t, res, http.StatusOK)
	if got := res.text("h1"); got != fixtureTag {
		t.Errorf("tag h1 %q", got)
	}
	if got := entryIDs(res); len(got) != 6 {
		t.Errorf("tag entries %v, want the six public ones", got)
	}

	res = c.get("/places/" + fixturePlace)
	wantStatus(t, res, http.StatusOK)
	if got := entryIDs(res); !sameList(got, []string{event(f.summit)}) {
		t.Errorf("place entries %v", got)
	}
	if res.doc.Find(`select[name="place"]`).Length() != 0 {
		t.Error("the place page offers to filter by another place")
	}
	if res.doc.Find(`a[href="/entities/`+fixturePlace+`"]`).Length() == 0 {
		t.Error("the place page does not link to everything involving the place")
	}
	// The entity page of a place includes events where it is the place.
	res = c.get("/entities/" + fixturePlace)
	wantStatus(t, res, http.StatusOK)
	if got := entryIDs(res); !sameList(got, []string{event(f.summit)}) {
		t.Errorf("place as entity: %v", got)
	}

	// The list of timelines links the curated ones and the entities.
	res = c.get("/timelines")
	wantStatus(t, res, http.StatusOK)
	for _, href := range []string{"/timelines/" + fixtureTimeln, "/timelines/" + fixtureRuleTln, "/entities/" + fixtureWren, "/places/" + fixturePlace} {
		if res.doc.Find(`main a[href="`+href+`"]`).Length() == 0 {
			t.Errorf("/timelines has no link to %s", href)
		}
	}
}
