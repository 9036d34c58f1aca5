package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestBrowserSearchFromTheHeader(t *testing.T) {
	srv := testApp(t)
	ctx := newBrowser(t)

	// The box in the header works without JavaScript: a GET form.
	do(t, ctx, "search from the home page",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#site-search-q`)),
		chromedp.SendKeys(chromedp.CSS(`#site-search-q`), `"missile test" -postpones`+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="search-results"]`)),
	)
	if loc := get(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "/search?q=") {
		t.Errorf("the header search went to %s", loc)
	}
	kinds := eval[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="search-result"]')].map(li => li.dataset.kind)`)
	if len(kinds) < 3 {
		t.Fatalf("results of kinds %v, want articles, claims and an event", kinds)
	}
	marked := eval[[]string](t, ctx, `[...new Set([...document.querySelectorAll('[data-testid="search-result"] mark')].map(m => m.textContent.toLowerCase()))].sort()`)
	if strings.Join(marked, ",") != "missile test" && strings.Join(marked, ",") != "missile,test" {
		t.Errorf("marked words %v, want the phrase's", marked)
	}
	if got := get(t, ctx, "read the box", chromedp.Value(chromedp.CSS("#search-q"))); got != `"missile test" -postpones` {
		t.Errorf("the results page's box holds %q", got)
	}
	screenshot(t, ctx, "search-results")

	// Filters open without JavaScript (details) and narrow the results.
	do(t, ctx, "open the filters and keep only claims",
		chromedp.Click(chromedp.CSS(`details.search-filters summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#search-type`)),
		chromedp.SetValue(chromedp.CSS(`#search-type`), "claim"),
	)
	// The old results stay visible until the new page replaces them.
	clickAndLoad(t, ctx, "apply the filters", `.search-filters__actions button`, `[data-testid="search-results"]`)
	kinds = eval[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="search-result"]')].map(li => li.dataset.kind)`)
	if len(kinds) == 0 || strings.Trim(strings.Join(kinds, ""), "claim") != "" {
		t.Errorf("with the claim filter the kinds are %v", kinds)
	}
	screenshot(t, ctx, "search-filtered")

	do(t, ctx, "a search that is refused",
		chromedp.Navigate(srv.URL+"/search?q=-summit"),
		chromedp.WaitVisible(chromedp.CSS(`#search-q-error`)),
	)
	if got := text(t, ctx, "#search-q-error"); !strings.Contains(got, "not only words to leave out") {
		t.Errorf("the refused search says %q", got)
	}
	screenshot(t, ctx, "search-refused")

	// On a phone: nothing scrolls sideways, the header box fits.
	for _, path := range []string{"/search?q=summit+tiverne", "/search?q=xylophone", "/"} {
		do(t, ctx, "open "+path+" on a phone",
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
			chromedp.Navigate(srv.URL+path),
			chromedp.WaitVisible(chromedp.CSS("main")),
		)
		if eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`) {
			t.Errorf("%s scrolls sideways on a 390 px wide screen", path)
		}
		if w := eval[float64](t, ctx, `document.querySelector('#site-search-q').getBoundingClientRect().width`); w < 150 {
			t.Errorf("%s: the header search box is %.0f px wide on a phone", path, w)
		}
		name := "phone-search"
		if path == "/search?q=xylophone" {
			name = "phone-search-empty"
		} else if path == "/" {
			name = "phone-home-with-search"
		}
		screenshot(t, ctx, name)
	}
}
