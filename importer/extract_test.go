package importer

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsgloss/richtext"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestExtractFindsTheArticleInEachShape(t *testing.T) {
	r := richtext.NewRenderer()
	cases := []struct {
		name, page                    string
		title, byline, outlet, source string
		published                     time.Time
		mustHave                      []string // phrases of the story
		mustNotHave                   []string // navigation, ads, scripts
	}{
		{
			name: "article element", page: pageArticleTag,
			title: "Boats return as storm warning lifts", byline: "By Ilse Marrow", outlet: "Coastline Courier",
			published: time.Date(2025, 2, 13, 7, 45, 0, 0, time.UTC),
			mustHave:  []string{"Fishing crews in the northern bays", "review the warning system", `href="https://coastline.example/weather"`},
			mustNotHave: []string{"Sport", "Opinion", "All rights reserved", "Privacy", "injected by script", "tracking",
				"javascript:", "onclick", "13 February 2025"},
		},
		{
			name: "nested divs with navigation and ads", page: pageNestedDivs,
			title: "Ferry timetable cut for winter", byline: "By Tove Brandt", outlet: "Islands Daily",
			published: time.Date(2025, 11, 2, 0, 0, 0, 0, time.UTC),
			mustHave:  []string{"four crossings a day", "hospital transfers", "community hall"},
			mustNotHave: []string{"ADVERTISEMENT", "sunglasses", "Sponsored", "mattress", "Most read", "Council row",
				"chess cup", "Contact", "Jobs", "Letters"},
		},
		{
			name: "JSON-LD NewsArticle", page: pageJSONLD, source: "JSON-LD",
			title: "Orchard growers count frost damage", byline: "By Pia Lund and Omar Seddik", outlet: "The Valley Herald",
			published:   time.Date(2025, 4, 9, 16, 20, 0, 0, time.UTC), // 18:20 at +02:00
			mustHave:    []string{"two nights of hard frost", "emergency fund"},
			mustNotHave: []string{"Home page of the Valley Herald", "Valley Herald site"},
		},
		{
			name: "Open Graph only", page: pageOpenGraph, source: "Open Graph",
			title: "City library reopens after two-year renovation", byline: "By Rhea Castellan", outlet: "Metro Evening News",
			published:   time.Date(2025, 9, 20, 10, 0, 0, 0, time.UTC),
			mustHave:    []string{"two years after it closed", "sealed basement room"},
			mustNotHave: []string{"Front page", "Culture"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Extract([]byte(tc.page), mustURL(t, "https://news.example/2025/story?id=7#top"), r)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Title != tc.title || a.Byline != tc.byline || a.Outlet != tc.outlet {
				t.Errorf("title/byline/outlet = %q / %q / %q, want %q / %q / %q", a.Title, a.Byline, a.Outlet, tc.title, tc.byline, tc.outlet)
			}
			if a.Published == nil || !a.Published.Equal(tc.published) {
				t.Errorf("published = %v, want %v", a.Published, tc.published)
			}
			if tc.source != "" {
				for _, f := range []string{"title", "byline", "published", "outlet"} {
					if a.Sources[f] != tc.source {
						t.Errorf("%s came from %q, want %q", f, a.Sources[f], tc.source)
					}
				}
			}
			if len(a.Missing) != 0 {
				t.Errorf("missing %v", a.Missing)
			}
			if a.URL != "https://news.example/2025/story?id=7" {
				t.Errorf("URL = %q", a.URL)
			}
			for _, s := range tc.mustHave {
				if !strings.Contains(a.BodyHTML, s) {
					t.Errorf("body lacks %q:\n%s", s, a.BodyHTML)
				}
			}
			for _, s := range append(tc.mustNotHave, "<script", "<div", "<nav", "style=", "class=") {
				if strings.Contains(a.BodyHTML, s) {
					t.Errorf("body contains %q:\n%s", s, a.BodyHTML)
				}
			}
			// The body is already in the stored safe subset: cleaning it again changes nothing.
			again, err := r.Render(richtext.FormatHTML, a.BodyHTML)
			if err != nil || richtext.PlainText(again) != richtext.PlainText(a.BodyHTML) {
				t.Errorf("body is not stable under the cleaner (err %v)", err)
			}
		})
	}
}

func TestExtractRefusesAPageWithoutArticleText(t *testing.T) {
	_, err := Extract([]byte(pageNoArticle), mustURL(t, "https://news.example/"), richtext.NewRenderer())
	if !errors.Is(err, ErrNoArticle) || !strings.Contains(err.Error(), "no article text") {
		t.Fatalf("err = %v, want ErrNoArticle with a clear message", err)
	}
}

func TestExtractReportsMissingMetadata(t *testing.T) {
	page := `<html><body><div>` + storyParagraphs + `</div></body></html>`
	a, err := Extract([]byte(page), mustURL(t, "https://www.coast.example/x"), richtext.NewRenderer())
	if err != nil {
		t.Fatal(err)
	}
	if a.Outlet != "coast.example" || a.Sources["outlet"] != "address" {
		t.Errorf("outlet %q from %q, want the host", a.Outlet, a.Sources["outlet"])
	}
	want := "headline byline publication date"
	if got := strings.Join(a.Missing, " "); got != want {
		t.Errorf("missing = %q, want %q", got, want)
	}
}

func TestParseDateFormats(t *testing.T) {
	want := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	for _, s := range []string{"2025-03-14T09:30:00Z", "2025-03-14T10:30:00+01:00", "2025-03-14T09:30", "Fri, 14 Mar 2025 09:30:00 GMT", "2025-03-14 09:30:00"} {
		if got, ok := ParseDate(s); !ok || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "yesterday", "0001-01-01", "2025-13-45"} {
		if _, ok := ParseDate(s); ok {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	cases := map[string]string{
		"HTTPS://News.Example/a/b?utm_source=x&id=3&UTM_Campaign=y#frag": "https://news.example/a/b?id=3",
		"http://news.example:80":             "http://news.example/",
		"https://news.example:443/x?b=2&a=1": "https://news.example/x?a=1&b=2",
		"https://news.example/x?fbclid=abc":  "https://news.example/x",
		"https://news.example:8443/x":        "https://news.example:8443/x",
		"ftp://news.example/x":               "",
		"/relative/path":                     "",
		"  https://news.example/padded  ":    "https://news.example/padded",
	}
	for in, want := range cases {
		if got := NormalizeURL(in); got != want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", in, got, want)
		}
	}
	if !SameSite("news.coast.example", "coast.example") || SameSite("badcoast.example", "coast.example") {
		t.Error("SameSite")
	}
}
