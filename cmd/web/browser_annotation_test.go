package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// leftHeld marks a mouse event as happening with the left button down.
func leftHeld(p *input.DispatchMouseEventParams) {
	p.Button = input.MouseButtonLeft
	p.Buttons = 1
}

// selectWithMouse drags the mouse across a phrase of the article body, as a
// person selecting it would: press before its first letter, release over its last.
func selectWithMouse(t *testing.T, ctx context.Context, phrase string) {
	t.Helper()
	pos := eval[[]float64](t, ctx, fmt.Sprintf(`(() => {
		const body = document.querySelector('[data-testid="article-body"]');
		const phrase = %q;
		const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const i = n.data.indexOf(phrase);
			if (i < 0) continue;
			n.parentElement.scrollIntoView({block: "center"});
			const first = document.createRange(); first.setStart(n, i); first.setEnd(n, i + 1);
			const last = document.createRange(); last.setStart(n, i + phrase.length - 1); last.setEnd(n, i + phrase.length);
			const a = first.getBoundingClientRect(), b = last.getBoundingClientRect();
			return [a.left + 1, (a.top + a.bottom) / 2, b.right - 1, (b.top + b.bottom) / 2];
		}
		return [];
	})()`, phrase))
	if len(pos) != 4 {
		t.Fatalf("the phrase %q is not in the article body", phrase)
	}
	x1, y1, x2, y2 := pos[0], pos[1], pos[2], pos[3]
	do(t, ctx, "drag across "+phrase,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x1, y1),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x1, y1, leftHeld, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, (x1+x2)/2, (y1+y2)/2, leftHeld),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x2, y2, leftHeld),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x2, y2, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	)
	if got := eval[string](t, ctx, `window.getSelection().toString()`); got != phrase {
		t.Fatalf("the mouse selected %q, want %q", got, phrase)
	}
}

// highlighted returns the text highlighted for notes on the page, in order.
func highlighted(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="article-body"] mark.hl:not(.hl--unconfirmed)')].map(m => m.textContent)`)
}

func TestBrowserAnnotationSurvivesEdits(t *testing.T) {
	srv := testApp(t)

	// An editor publishes an article to annotate.
	editor := newBrowser(t)
	signIn(t, editor, srv.URL, "editor@newsgloss.example", "demo-editor-pass")
	first := "Negotiators met in Amberfeld on Monday to discuss fishing quotas."
	passage := "The summit in Tiverne was cancelled after the missile test"
	last := "No new date was set for the leaders' meeting."
	do(t, editor, "publish an article",
		chromedp.Navigate(srv.URL+"/desk/articles/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), "Summit called off after missile test"),
		chromedp.SendKeys(chromedp.CSS("#new_outlet"), "Coastal Courier"),
		chromedp.SetValue(chromedp.CSS("#body"), first+"\n\n"+passage+", officials said on Tuesday.\n\n"+last),
		chromedp.Click(chromedp.CSS(`input[name="status"][value="published"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="save-article"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-body"]`)),
	)
	articleURL := get(t, editor, "article URL", chromedp.Location())

	// A fact-checker selects the passage with the mouse and annotates it.
	checker := newBrowser(t)
	signIn(t, checker, srv.URL, "factchecker@newsgloss.example", "demo-factchecker-pass")
	do(t, checker, "open the article", chromedp.Navigate(articleURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-body"]`)))
	selectWithMouse(t, checker, passage)
	do(t, checker, "annotate the selection",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="annotate-button"]`)),
	)
	screenshot(t, checker, "annotate-selection")
	do(t, checker, "open the note form",
		chromedp.Click(chromedp.CSS(`[data-testid="annotate-button"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="note-form"]`)),
	)
	if quote := get(t, checker, "read the quote", chromedp.Value(chromedp.CSS("#quote"))); quote != passage {
		t.Fatalf("the form's quote is %q, want the selected passage", quote)
	}
	do(t, checker, "write and save the note",
		chromedp.SetValue(chromedp.CSS("#motivation"), "questioning"),
		chromedp.SendKeys(chromedp.CSS("#body"), "Which officials? The article names none."),
		chromedp.Click(chromedp.CSS(`[data-testid="note-save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="notes"]`)),
	)
	if got := text(t, checker, `[data-testid="flash"]`); got != "Note saved." {
		t.Errorf("after saving the note the page says %q", got)
	}

	// A reader sees the highlight on those words and the note below.
	reader := newBrowser(t)
	do(t, reader, "open as a reader", chromedp.Navigate(articleURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="notes"]`)))
	if got := highlighted(t, reader); fmt.Sprint(got) != fmt.Sprint([]string{passage}) {
		t.Fatalf("the reader sees highlights %q, want the passage", got)
	}
	if got := text(t, reader, `[data-testid="passage-notes"]`); !strings.Contains(got, "Which officials? The article names none.") {
		t.Errorf("the note is not listed: %q", got)
	}
	screenshot(t, reader, "annotated-article")

	edit := func(step, body string) {
		t.Helper()
		do(t, editor, step,
			chromedp.Navigate(articleURL),
			chromedp.WaitVisible(chromedp.CSS(`.staff-actions a`)),
			chromedp.Click(chromedp.CSS(`.staff-actions a`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-form"]`)),
			chromedp.SetValue(chromedp.CSS("#body"), body),
			chromedp.Click(chromedp.CSS(`[data-testid="save-article"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
		)
	}

	// A paragraph inserted above: the highlight stays on the same words.
	edit("insert a paragraph above", "Tension had been rising for weeks along the coast.\n\n"+first+"\n\n"+passage+", officials said on Tuesday.\n\n"+last)
	do(t, reader, "reload", chromedp.Navigate(articleURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="notes"]`)))
	if got := highlighted(t, reader); fmt.Sprint(got) != fmt.Sprint([]string{passage}) {
		t.Fatalf("after an insertion above, the highlight covers %q", got)
	}

	// The passage lightly reworded: the note is flagged for confirmation.
	reworded := "The summit at Tiverne was called off after the missile launch"
	edit("reword the passage", "Tension had been rising for weeks along the coast.\n\n"+first+"\n\n"+reworded+", officials said on Tuesday.\n\n"+last)
	do(t, editor, "reload as staff", chromedp.Navigate(articleURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="unconfirmed-notes"]`)))
	if got := text(t, editor, `[data-testid="unconfirmed-notes"]`); !strings.Contains(got, passage) || !strings.Contains(got, reworded) {
		t.Errorf("the note to confirm shows %q", got)
	}
	screenshot(t, editor, "needs-confirmation")
	do(t, reader, "reload", chromedp.Navigate(articleURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="notes"]`)))
	if got := highlighted(t, reader); len(got) != 0 {
		t.Errorf("a reader sees an unconfirmed passage highlighted as certain: %q", got)
	}

	// The passage deleted: the note is listed as orphaned with its original quote.
	edit("delete the passage", "Tension had been rising for weeks along the coast.\n\n"+first+"\n\n"+last)
	do(t, reader, "reload", chromedp.Navigate(articleURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="orphan-notes"]`)))
	if got := text(t, reader, `[data-testid="orphan-notes"] [data-testid="original-quote"]`); got != passage {
		t.Errorf("the orphaned note quotes %q", got)
	}
	screenshot(t, reader, "orphaned-note")
}
