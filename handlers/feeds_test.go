package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

func (c *client) getWith(path string, headers map[string]string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.site.srv.URL+path, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// conditional checks a representation's ETag: present, revalidated with a 304.
// Feeds and TimelineJS data may be kept five minutes; the JSON API is revalidated.
func conditional(t *testing.T, c *client, path string, res *response) {
	t.Helper()
	etag := res.Header.Get("ETag")
	wantCache := "no-cache"
	if p, _, _ := strings.Cut(path, "?"); strings.HasSuffix(p, ".atom") || strings.HasSuffix(p, ".json") {
		wantCache = "public, max-age=300"
	}
	if etag == "" || res.Header.Get("Cache-Control") != wantCache {
		t.Errorf("%s: ETag %q, Cache-Control %q", path, etag, res.Header.Get("Cache-Control"))
		return
	}
	again := c.getWith(path, map[string]string{"If-None-Match": etag})
	if again.StatusCode != http.StatusNotModified || again.body != "" {
		t.Errorf("%s with If-None-Match: status %d", path, again.StatusCode)
	}
	if other := c.getWith(path, map[string]string{"If-None-Match": `W/"something-else"`}); other.StatusCode != http.StatusOK {
		t.Errorf("%s with a stale ETag: status %d", path, other.StatusCode)
	}
}

func TestAtomFeedsParseAndCarryTheEntries(t *testing.T) {
	f := newTimelineFixture(t)
	c := f.site.client()
	base := f.site.srv.URL
	claimURL := func(id uint) string { return fmt.Sprintf("%s/claims/%d", base, id) }
	eventURL := func(id uint) string { return fmt.Sprintf("%s/events/%d", base, id) }

	cases := []struct {
		path string
		want []string // entry ids, newest first
	}{
		{"/timelines/" + fixtureTimeln + "/feed.atom", []string{eventURL(f.summit), claimURL(f.promise), eventURL(f.drafting), claimURL(f.frozen)}},
		{"/entities/" + fixtureWren + "/feed.atom", []string{claimURL(f.rumour), eventURL(f.summit), claimURL(f.promise)}},
		{"/tags/" + fixtureTag + "/feed.atom", []string{claimURL(f.rumour), eventURL(f.summit), claimURL(f.promise), eventURL(f.launch), eventURL(f.drafting), claimURL(f.frozen)}},
		{"/places/" + fixturePlace + "/feed.atom", []string{eventURL(f.summit)}},
		{"/timelines/" + fixtureTimeln + "/feed.atom?type=claim", []string{claimURL(f.promise), claimURL(f.frozen)}},
	}
	for _, tc := range cases {
		res := c.getWith(tc.path, nil)
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
			t.Errorf("%s: content type %q", tc.path, ct)
		}
		feed, err := gofeed.NewParser().ParseString(res.body)
		if err != nil {
			t.Fatalf("%s does not parse: %v", tc.path, err)
		}
		if feed.FeedType != "atom" || feed.Title == "" || feed.UpdatedParsed == nil {
			t.Errorf("%s: type %q, title %q, updated %v", tc.path, feed.FeedType, feed.Title, feed.UpdatedParsed)
		}
		if len(feed.Links) == 0 {
			t.Errorf("%s: no links", tc.path)
		}
		var ids []string
		for _, it := range feed.Items {
			ids = append(ids, it.GUID)
			if it.Title == "" || it.UpdatedParsed == nil || it.Link != it.GUID || it.Description == "" || it.Content == "" {
				t.Errorf("%s: entry %q: title %q, updated %v, link %q, summary %q", tc.path, it.GUID, it.Title, it.UpdatedParsed, it.Link, it.Description)
			}
		}
		if !sameList(ids, tc.want) {
			t.Errorf("%s: entries\n  %v\nwant\n  %v", tc.path, ids, tc.want)
		}
		conditional(t, c, tc.path, res)
	}

	// One entry in detail: the claim reported twice.
	res := c.getWith("/timelines/"+fixtureTimeln+"/feed.atom", nil)
	feed, _ := gofeed.NewParser().ParseString(res.body)
	var promise *gofeed.Item
	for _, it := range feed.Items {
		if it.GUID == claimURL(f.promise) {
			promise = it
		}
	}
	if promise == nil {
		t.Fatal("the promise is not in the timeline feed")
	}
	if !strings.Contains(promise.Title, "31 August 2025") || !strings.Contains(promise.Title, "The fixture promise was broken.") {
		t.Errorf("title %q", promise.Title)
	}
	for _, want := range []string{"That promise was broken on Friday morning.", fmt.Sprintf("%s/articles/%d", base, f.cancelArticle),
		fmt.Sprintf("%s/articles/%d", base, f.sidelinedArticle), "(first appearance)", "Wren Tollander"} {
		if !strings.Contains(promise.Content, want) {
			t.Errorf("the entry's content lacks %q:\n%s", want, promise.Content)
		}
	}
	if strings.Count(promise.Content, "(first appearance)") != 1 {
		t.Error("exactly one source is the first appearance")
	}
	// Published when first reported, updated when last reported.
	if promise.PublishedParsed == nil || !promise.PublishedParsed.Before(*promise.UpdatedParsed) {
		t.Errorf("published %v, updated %v", promise.PublishedParsed, promise.UpdatedParsed)
	}
	if len(promise.Categories) != 1 || promise.Categories[0] != fixtureTag {
		t.Errorf("categories %v", promise.Categories)
	}
	// The same entry has the same id in another feed.
	res = c.getWith("/entities/"+fixtureWren+"/feed.atom", nil)
	if !strings.Contains(res.body, "<id>"+claimURL(f.promise)+"</id>") {
		t.Error("the entry's id differs between feeds")
	}
	// Nothing from drafts.
	if strings.Contains(res.body, "secret plan") {
		t.Error("a draft's claim is in a feed")
	}

	for _, p := range []string{"/timelines/nope/feed.atom", "/entities/nope/feed.atom", "/tags/nope/feed.atom", "/places/nope/feed.atom", "/places/" + fixtureWren + "/feed.atom"} {
		wantStatus(t, c.getWith(p, nil), http.StatusNotFound)
	}
	wantStatus(t, c.getWith("/tags/"+fixtureTag+"/feed.atom?status=bogus", nil), http.StatusUnprocessableEntity)
}

// tljs is the part of a TimelineJS document the tests read.
type tljs struct {
	Title struct {
		Text struct{ Headline, Text string } `json:"text"`
	} `json:"title"`
	Events []struct {
		StartDate map[string]any `json:"start_date"`
		EndDate   map[string]any `json:"end_date"`
		Text      struct {
			Headline string `json:"headline"`
			Text     string `json:"text"`
		} `json:"text"`
		Group    string `json:"group"`
		UniqueID string `json:"unique_id"`
	} `json:"events"`
}

func TestTimelineJSONForTimelineJS(t *testing.T) {
	f := newTimelineFixture(t)
	c := f.site.client()
	for _, tc := range []struct {
		path string
		n    int
	}{
		{"/timelines/" + fixtureTimeln + "/timeline.json", 4},
		{"/entities/" + fixtureWren + "/timeline.json", 3},
		{"/tags/" + fixtureTag + "/timeline.json", 6},
		{"/places/" + fixturePlace + "/timeline.json", 1},
		{"/entities/" + url.PathEscape(fixtureKuhl) + "/timeline.json?type=event", 2},
	} {
		res := c.getWith(tc.path, nil)
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: content type %q", tc.path, ct)
		}
		var doc tljs
		if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if doc.Title.Text.Headline == "" {
			t.Errorf("%s: no title headline", tc.path)
		}
		if len(doc.Events) != tc.n {
			t.Errorf("%s: %d events, want %d", tc.path, len(doc.Events), tc.n)
		}
		for _, ev := range doc.Events {
			if _, ok := ev.StartDate["year"].(float64); !ok || ev.Text.Headline == "" || ev.UniqueID == "" {
				t.Errorf("%s: slide %q lacks start_date.year, text.headline or unique_id: %+v", tc.path, ev.UniqueID, ev)
			}
		}
		conditional(t, c, tc.path, res)
	}

	res := c.getWith("/tags/"+fixtureTag+"/timeline.json", nil)
	var doc tljs
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatal(err)
	}
	slides := map[string]int{}
	for i, ev := range doc.Events {
		slides[ev.UniqueID] = i
	}
	keys := func(m map[string]any) string {
		var out []string
		for _, k := range []string{"year", "month", "day", "hour", "minute"} {
			if _, ok := m[k]; ok {
				out = append(out, k)
			}
		}
		return strings.Join(out, ",")
	}
	// Only the parts of the date its precision has.
	for id, want := range map[string]string{
		anchorOf("claim", f.frozen):   "year",
		anchorOf("event", f.drafting): "year,month",
		anchorOf("event", f.summit):   "year,month,day",
		anchorOf("event", f.launch):   "year,month,day,hour,minute",
		anchorOf("claim", f.rumour):   "year,month,day", // no date: placed at its first report
	} {
		i, ok := slides[id]
		if !ok {
			t.Errorf("no slide %s", id)
			continue
		}
		if got := keys(doc.Events[i].StartDate); got != want {
			t.Errorf("%s: start_date has %s, want %s", id, got, want)
		}
	}
	launch := doc.Events[slides[anchorOf("event", f.launch)]].StartDate
	if launch["hour"] != 6.0 || launch["minute"] != 10.0 || launch["display_date"] != "29 August 2025, 06:10" {
		t.Errorf("launch date %v", launch)
	}
	drafting := doc.Events[slides[anchorOf("event", f.drafting)]]
	if drafting.StartDate["month"] != 7.0 || drafting.StartDate["display_date"] != "July 2025" || drafting.Group != "Events" {
		t.Errorf("drafting slide %+v", drafting)
	}
	if d := doc.Events[slides[anchorOf("claim", f.rumour)]].StartDate["display_date"]; d != "First reported 23 September 2025" {
		t.Errorf("undated claim display date %v", d)
	}
	// Text is escaped HTML.
	if h := doc.Events[slides[anchorOf("claim", f.rumour)]].Text.Headline; h != "Rask was &lt;sidelined&gt; &amp; silent" {
		t.Errorf("headline %q", h)
	}
	if text := doc.Events[slides[anchorOf("event", f.summit)]].Text.Text; !strings.Contains(text, `<a href="`+f.site.srv.URL+`/articles/`) ||
		!strings.Contains(text, "The leaders of Aldervane and the Kessari Islands will meet on Sept. 18 in Tiverne") {
		t.Errorf("the summit's text lacks its source: %s", text)
	}
	// Dates run in order.
	if slides[anchorOf("claim", f.frozen)] != 0 {
		t.Error("the slides are not in date order")
	}

	for _, p := range []string{"/timelines/nope/timeline.json", "/entities/nope/timeline.json", "/tags/nope/timeline.json", "/places/nope/timeline.json"} {
		res := c.getWith(p, nil)
		wantStatus(t, res, http.StatusNotFound)
		if !strings.Contains(res.body, `"code":"not_found"`) {
			t.Errorf("%s: %s", p, res.body)
		}
	}
	wantStatus(t, c.getWith("/timelines/"+fixtureTimeln+"/timeline.json?from=2025-99", nil), http.StatusUnprocessableEntity)
}
