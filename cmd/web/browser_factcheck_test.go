package main

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsgloss/models"
	"newsgloss/models/testdb"
)

// testDatabaseURL is a DATABASE_URL for a fresh database of this run's
// engine (testdb): a new SQLite file, or a new PostgreSQL schema.
func testDatabaseURL(t *testing.T) string {
	t.Helper()
	target := testdb.Target(t)
	if models.IsPostgresURL(target) {
		return target
	}
	return "sqlite:" + target
}

// testAppWithStore is testApp that also hands the test the application's store,
// for setting up accounts the demo does not have.
func testAppWithStore(t *testing.T) (*httptest.Server, *models.Store) {
	t.Helper()
	cfg := config{DatabaseURL: testDatabaseURL(t), MaxConns: 4, Demo: true, SiteName: "Newsgloss"}
	a, err := newApp(context.Background(), cfg, newLogger(io.Discard, "text", 0))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler)
	t.Cleanup(func() {
		srv.Close()
		a.store.Close()
	})
	return srv, a.store
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "sign out",
		chromedp.Click(chromedp.CSS(`.account form button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/signin"]`)),
	)
}

// clickAndLoad clicks and waits until a new page has replaced the current one
// and shows waitFor: the old page is marked first, so its own copy of waitFor
// (a flash message, say) cannot end the wait early.
func clickAndLoad(t *testing.T, ctx context.Context, step, click, waitFor string) {
	t.Helper()
	do(t, ctx, step,
		chromedp.WaitVisible(chromedp.CSS(click)),
		chromedp.Evaluate[chromedp.Void](`void (document.body.dataset.old = "1")`),
		chromedp.Click(chromedp.CSS(click)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-old]) `+waitFor)),
	)
}

// clickStep presses a workflow button on the verdict's desk page.
func clickStep(t *testing.T, ctx context.Context, action, waitFor string) {
	t.Helper()
	clickAndLoad(t, ctx, "step "+action, `[data-testid="step-`+action+`"] button`, waitFor)
}

func TestBrowserFactCheckIsReviewedPublishedAndSeenByReaders(t *testing.T) {
	srv, store := testAppWithStore(t)
	admin, err := store.UserByEmail(t.Context(), "admin@newsgloss.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateUser(t.Context(), admin, models.NewUser{Email: "bo@newsgloss.example", Name: "Bo Reviewer",
		Password: "bo-reviewer-pass", Role: models.RoleFactChecker}); err != nil {
		t.Fatal(err)
	}
	const claim = "The missile test broke the good faith the summit depended on."
	ctx := newBrowser(t)

	// Fact-checker A drafts a verdict from the desk's queue.
	signIn(t, ctx, srv.URL, "factchecker@newsgloss.example", "demo-factchecker-pass")
	do(t, ctx, "open the desk's unchecked claims",
		chromedp.Navigate(srv.URL+"/desk/factchecks?state=unchecked"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="queue-unchecked"]`)),
	)
	startLink := get(t, ctx, "find the claim's start link", chromedp.Evaluate[string](`(() => {
		for (const li of document.querySelectorAll('[data-testid="queue-unchecked"] [data-testid="queue-item"]')) {
			if (li.textContent.includes(`+"`"+claim+"`"+`)) return li.querySelector('a.button').getAttribute('href');
		}
		return '';
	})()`))
	if startLink == "" {
		t.Fatal("the claim is not in the unchecked queue")
	}
	screenshot(t, ctx, "factcheck-desk")
	do(t, ctx, "fill the verdict",
		chromedp.Navigate(srv.URL+startLink),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict-form"]`)),
		chromedp.Click(chromedp.CSS(`.rating-choice:nth-child(4) input`)), // Misleading
		chromedp.SendKeys(chromedp.CSS("#conclusion"), "The summit was promised only if talks went well."),
		chromedp.SendKeys(chromedp.CSS("#explanation"), "The March statement set **conditions** for the summit."),
		chromedp.SendKeys(chromedp.CSS("#source-url-0"), "https://presidency.aldervane.example/2025-03-02"),
		chromedp.SendKeys(chromedp.CSS("#source-title-0"), "Statement of 2 March"),
	)
	screenshot(t, ctx, "verdict-form")
	do(t, ctx, "save the draft",
		chromedp.Click(chromedp.CSS(`[data-testid="verdict-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict-state"]`)),
	)
	deskURL := get(t, ctx, "desk URL", chromedp.Location())
	clickStep(t, ctx, "submit", `[data-testid="flash"]`)
	if got := text(t, ctx, `[data-testid="verdict-state"]`); !strings.EqualFold(got, "In review") {
		t.Fatalf("after sending for review the verdict is %q", got)
	}
	// A cannot approve their own verdict: no button, and the page says why.
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="step-approve"]').length`); n != 0 {
		t.Error("the author is offered to approve their own verdict")
	}
	if got := text(t, ctx, `[data-testid="own-verdict-note"]`); !strings.Contains(got, "another fact-checker") {
		t.Errorf("own-verdict note %q", got)
	}
	signOut(t, ctx)

	// B returns it with a comment.
	signIn(t, ctx, srv.URL, "bo@newsgloss.example", "bo-reviewer-pass")
	do(t, ctx, "open the verdict",
		chromedp.Navigate(deskURL),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="step-return"]`)),
		chromedp.SendKeys(chromedp.CSS("#comment-return"), "Quote the statement's conditions word for word."),
	)
	clickStep(t, ctx, "return", `[data-testid="return-comment"]`)
	screenshot(t, ctx, "verdict-returned")
	signOut(t, ctx)

	// A sees the comment, revises and resubmits.
	signIn(t, ctx, srv.URL, "factchecker@newsgloss.example", "demo-factchecker-pass")
	do(t, ctx, "open the returned verdict", chromedp.Navigate(deskURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="return-comment"]`)))
	if got := text(t, ctx, `[data-testid="return-comment"]`); !strings.Contains(got, "word for word") {
		t.Errorf("the author sees %q", got)
	}
	do(t, ctx, "revise", chromedp.SetValue(chromedp.CSS("#explanation"), `The March statement said the summit would go ahead "if the talks keep their pace".`))
	clickAndLoad(t, ctx, "save the revision", `[data-testid="verdict-form"] button[type="submit"]`, `[data-testid="flash"]`)
	clickStep(t, ctx, "submit", `[data-testid="flash"]`)
	signOut(t, ctx)

	// B approves.
	signIn(t, ctx, srv.URL, "bo@newsgloss.example", "bo-reviewer-pass")
	do(t, ctx, "open the resubmitted verdict", chromedp.Navigate(deskURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict-state"]`)))
	clickStep(t, ctx, "approve", `[data-testid="flash"]`)
	if got := text(t, ctx, `[data-testid="verdict-state"]`); !strings.EqualFold(got, "Approved") {
		t.Fatalf("after approval the verdict is %q", got)
	}
	signOut(t, ctx)

	// An editor publishes.
	signIn(t, ctx, srv.URL, "editor@newsgloss.example", "demo-editor-pass")
	do(t, ctx, "open the approved verdict", chromedp.Navigate(deskURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict-state"]`)))
	clickStep(t, ctx, "publish", `[data-testid="factcheck"]`)
	factCheckURL := get(t, ctx, "fact-check URL", chromedp.Location())
	signOut(t, ctx)

	// A reader sees the badge on the article page and on the timeline, and opens the fact-check.
	do(t, ctx, "open the article that reports the claim",
		chromedp.Navigate(srv.URL+"/articles/5"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-body"]`)),
	)
	if got := text(t, ctx, `mark.hl--checked + sup.note-ref--item`); got != "Misleading" {
		t.Errorf("the highlighted passage's marker reads %q", got)
	}
	if got := text(t, ctx, `[data-testid="tagged-item"] [data-testid="verdict-badge"]`); !strings.Contains(got, "Misleading") {
		t.Errorf("the article's claim list badge reads %q", got)
	}
	screenshot(t, ctx, "article-with-verdict")
	do(t, ctx, "open the timeline", chromedp.Navigate(srv.URL+"/timelines/aldervane-kessari-talks-2025"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)))
	badgeHref := eval[string](t, ctx, `(() => {
		for (const e of document.querySelectorAll('[data-testid="timeline-entry"]')) {
			if (e.textContent.includes(`+"`"+claim+"`"+`)) { const b = e.querySelector('[data-testid="verdict-badge"]'); return b ? b.href : ''; }
		}
		return '';
	})()`)
	if badgeHref != factCheckURL {
		t.Fatalf("the timeline badge links to %q, want %q", badgeHref, factCheckURL)
	}
	screenshot(t, ctx, "timeline-with-verdict")
	// Click the visible pill inside the link: chromedp aims at the first box of
	// the element it is given, and the link's first box is its visually hidden
	// "Fact-check:" prefix, which a pointer cannot hit.
	do(t, ctx, "open the fact-check from the timeline badge",
		chromedp.Click(chromedp.CSS(`a[data-testid="verdict-badge"][href="`+strings.TrimPrefix(factCheckURL, srv.URL)+`"] .rating`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="factcheck"]`)),
	)
	if got := text(t, ctx, `[data-testid="conclusion"]`); got != "The summit was promised only if talks went well." {
		t.Errorf("conclusion %q", got)
	}
	if got := text(t, ctx, `[data-testid="signoff"]`); !strings.Contains(got, "Reviewed by Bo Reviewer") {
		t.Errorf("sign-off %q", got)
	}
	if got := text(t, ctx, `[data-testid="explanation"]`); !strings.Contains(got, "if the talks keep their pace") {
		t.Errorf("the revised explanation is not published: %q", got)
	}
	screenshot(t, ctx, "factcheck-page")

	// The desk and the admin's scale also work on a phone.
	signIn(t, ctx, srv.URL, "admin@newsgloss.example", "demo-admin-pass")
	for _, path := range []string{"/desk/factchecks", deskURL, "/admin/rating-scale"} {
		do(t, ctx, "open "+path+" on a phone",
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
			chromedp.Navigate(srv.URL+strings.TrimPrefix(path, srv.URL)),
			chromedp.WaitVisible(chromedp.CSS("main")),
		)
		if eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`) {
			t.Errorf("%s scrolls sideways on a 390 px wide screen", path)
		}
		screenshot(t, ctx, "phone"+strings.NewReplacer("/", "-").Replace(strings.TrimPrefix(path, srv.URL)))
	}
}
