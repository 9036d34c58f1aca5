package importer

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseRSS(t *testing.T) {
	f, err := ParseFeed([]byte(feedRSS), mustURL(t, "https://coastline.example/feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Coastline Courier" || len(f.Items) != 2 {
		t.Fatalf("feed %+v", f)
	}
	first := f.Items[0]
	if first.URL != "https://coastline.example/news/boats-return" {
		t.Errorf("item URL %q (tracking parameters must go)", first.URL)
	}
	if first.Title != "Boats return as storm warning lifts" || first.Byline != "By Ilse Marrow" {
		t.Errorf("item %+v", first)
	}
	if first.Published == nil || !first.Published.Equal(time.Date(2025, 2, 13, 7, 45, 0, 0, time.UTC)) {
		t.Errorf("published %v", first.Published)
	}
	if !strings.Contains(first.ContentHTML, "Fishing crews") {
		t.Errorf("content %q", first.ContentHTML)
	}
	if f.Items[1].URL != "https://coastline.example/news/dredging" {
		t.Errorf("relative link resolved to %q", f.Items[1].URL)
	}
}

func TestParseAtom(t *testing.T) {
	f, err := ParseFeed([]byte(feedAtom), nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Valley Herald" || f.Link != "https://valley.example/" || len(f.Items) != 1 {
		t.Fatalf("feed %+v", f)
	}
	it := f.Items[0]
	if it.URL != "https://valley.example/2025/04/frost" || it.Byline != "By Pia Lund and Omar Seddik" ||
		it.Published == nil || !it.Published.Equal(time.Date(2025, 4, 9, 16, 20, 0, 0, time.UTC)) ||
		!strings.Contains(it.ContentHTML, "<p>Apple and pear growers") {
		t.Errorf("entry %+v", it)
	}
}

func TestParseFeedRefusesWhatIsNotAFeed(t *testing.T) {
	for name, body := range map[string]string{
		"web page":   pageArticleTag,
		"empty":      "  \n",
		"plain text": "just some words",
		"broken XML": `<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off`,
		"other XML":  `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>`,
	} {
		_, err := ParseFeed([]byte(body), nil)
		if !errors.Is(err, ErrNotFeed) {
			t.Errorf("%s: %v, want ErrNotFeed", name, err)
		}
	}
}
