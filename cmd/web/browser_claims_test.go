package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserTagAClaimAndFollowItOnTheTimeline(t *testing.T) {
	srv := testApp(t)
	editor := newBrowser(t)
	signIn(t, editor, srv.URL, "editor@newsgloss.example", "demo-editor-pass")

	// The editor selects a sentence of the second article and tags it as a claim.
	sentence := "This removes one of those risks."
	do(t, editor, "open the article", chromedp.Navigate(srv.URL+"/articles/2"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-body"]`)))
	selectWithMouse(t, editor, sentence)
	do(t, editor, "open the tagging page",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="tag-button"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="tag-button"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="claim-form"]`)),
	)
	if got := text(t, editor, `[data-testid="tag-quote"]`); got != sentence {
		t.Fatalf("the tagging page quotes %q", got)
	}
	do(t, editor, "fill the claim with a new claimant",
		chromedp.SendKeys(chromedp.CSS("#claimant"), "Priya Castellan"),
		chromedp.SetValue(chromedp.CSS("#claimant_kind"), "person"),
		chromedp.SendKeys(chromedp.CSS("#said_on"), "2025-04-09"),
		chromedp.SendKeys(chromedp.CSS("#restatement"), "The hotline removes a main cause of dangerous encounters at sea."),
		chromedp.SendKeys(chromedp.CSS("#claim-tags"), "hotline"),
	)
	screenshot(t, editor, "tag-claim-form")
	do(t, editor, "save the claim",
		chromedp.Click(chromedp.CSS(`[data-testid="save-claim"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="claim-restatement"]`)),
	)
	claimURL := get(t, editor, "claim URL", chromedp.Location())
	claimPath := strings.TrimPrefix(claimURL, srv.URL)

	// It goes on the story timeline.
	do(t, editor, "add it to the story timeline",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="add-to-timeline"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="add-to-timeline"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)),
	)
	storyURL := get(t, editor, "timeline URL", chromedp.Location())
	anchor := "claim-" + claimPath[strings.LastIndex(claimPath, "/")+1:]

	reader := newBrowser(t)
	do(t, reader, "open the story timeline", chromedp.Navigate(storyURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)))
	if got := text(t, reader, "#"+anchor); !strings.Contains(got, "The hotline removes a main cause of dangerous encounters at sea.") {
		t.Errorf("the timeline entry reads %q", got)
	}
	screenshot(t, reader, "story-timeline")

	// On the new entity's page, and in its feed.
	do(t, reader, "open the claimant's page", chromedp.Navigate(srv.URL+"/entities/priya-castellan"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="entity-name"]`)))
	if got := text(t, reader, "#"+anchor); !strings.Contains(got, "The hotline removes") {
		t.Errorf("the entity page lists %q", got)
	}
	feed := get(t, reader, "fetch the feed", chromedp.Evaluate[string](`fetch("/entities/priya-castellan/feed.atom").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if !strings.Contains(feed, "The hotline removes a main cause of dangerous encounters at sea.") {
		t.Errorf("the entity's feed lacks the claim:\n%.500s", feed)
	}

	// A reader filters the story by entity and by status; the URL reproduces the view.
	// (The filters sit in a <details> that opens with a click.)
	do(t, reader, "open the story", chromedp.Navigate(storyURL), chromedp.WaitVisible(chromedp.CSS(".tl-filters summary")))
	do(t, reader, "filter by entity and status",
		chromedp.Click(chromedp.CSS(".tl-filters summary")),
		chromedp.WaitVisible(chromedp.CSS("#tl-f-entity")),
		chromedp.SetValue(chromedp.CSS("#tl-f-entity"), "ilse-vålund"),
		chromedp.SetValue(chromedp.CSS("#tl-f-status"), "held"),
		chromedp.Submit(chromedp.CSS(`[data-testid="timeline-filters"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)),
	)
	filtered := get(t, reader, "filtered URL", chromedp.Location())
	u, err := url.Parse(filtered)
	if err != nil || u.Query().Get("entity") != "ilse-vålund" || u.Query().Get("status") != "held" {
		t.Fatalf("the filters are not in the URL: %s", filtered)
	}
	titles := eval[[]string](t, reader, `[...document.querySelectorAll('[data-testid="timeline-entry"]')].map(e => e.id)`)
	// Ilse Vålund took part in the four rounds of talks, all held.
	if strings.Join(titles, " ") != "event-1 event-2 event-3 event-6" {
		t.Errorf("filtered entries %v, want the four rounds of talks", titles)
	}
	screenshot(t, reader, "timeline-filtered")
	other := newBrowser(t)
	do(t, other, "open the filtered URL afresh", chromedp.Navigate(filtered), chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)))
	again := eval[[]string](t, other, `[...document.querySelectorAll('[data-testid="timeline-entry"]')].map(e => e.id)`)
	if strings.Join(again, " ") != strings.Join(titles, " ") {
		t.Errorf("the URL gives %v, the filtered page showed %v", again, titles)
	}
	do(t, other, "the story on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(storyURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)))
	if eval[bool](t, other, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`) {
		t.Error("the story timeline scrolls sideways on a phone")
	}
	screenshot(t, other, "phone-story-timeline")
}
