package main

// Browser tests: the main journeys in real headless Chromium against the real
// application on a temporary SQLite file. They never skip: without Chromium
// they fail and say how to install it (`make test` does it for you).

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium, or the one named by $CHROMIUM.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Fatal("Chromium not found: install Debian's chromium (apt-get install chromium) or set $CHROMIUM; `make test` installs it")
	return ""
}

// testApp starts the whole application on a fresh database with the demo content.
func testApp(t *testing.T) *httptest.Server {
	t.Helper()
	srv, _ := testAppWithStore(t)
	return srv
}

// newBrowser starts a headless Chromium for one test and returns a tab context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 180*time.Second) // generous: CI machines are shared and slow
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// do runs browser steps and fails the test with the step's name on error.
func do(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// get runs one browser action that returns a value.
func get[T any](t *testing.T, ctx context.Context, step string, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return get(t, ctx, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// screenshot saves a full-page PNG when $NEWSGLOSS_SCREENSHOTS names a directory,
// so people can look at what the tests saw.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("NEWSGLOSS_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(get(t, ctx, "read "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

func signIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	do(t, ctx, "sign in as "+email,
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	if got := text(t, ctx, `[data-testid="flash"]`); !strings.HasPrefix(got, "Signed in as") {
		t.Fatalf("after signing in the page says %q", got)
	}
}

func TestBrowserReaderReadsHomeArticleAndHistory(t *testing.T) {
	srv := testApp(t)
	ctx := newBrowser(t)

	do(t, ctx, "open home",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-list"]`)),
	)
	titles := eval[[]string](t, ctx, `[...document.querySelectorAll('.article-summary__title a')].map(a => a.textContent)`)
	if len(titles) < 6 {
		t.Fatalf("home lists %d articles, want at least 6 from the demo", len(titles))
	}
	screenshot(t, ctx, "home")

	// Keyboard users reach the skip link first.
	do(t, ctx, "tab to skip link", chromedp.KeyEvent("\t"))
	focused := eval[string](t, ctx, `document.activeElement.textContent`)
	if focused != "Skip to content" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}

	do(t, ctx, "open the newest article",
		chromedp.Click(chromedp.CSS(`.article-summary__title a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-body"]`)),
	)
	if got := text(t, ctx, "h1"); got != titles[0] {
		t.Errorf("article page heading %q, want %q", got, titles[0])
	}
	if body := text(t, ctx, `[data-testid="article-body"]`); len(body) < 500 {
		t.Errorf("article body has %d characters", len(body))
	}
	screenshot(t, ctx, "article")

	// An article with corrections: history, then a word diff.
	do(t, ctx, "open a corrected article's history",
		chromedp.Navigate(srv.URL+"/articles/6"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="history-link"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="history-link"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="revisions"]`)),
	)
	rows := eval[int](t, ctx, `document.querySelectorAll('[data-testid="revision-row"]').length`)
	if rows != 3 {
		t.Errorf("history shows %d revisions, want 3", rows)
	}
	screenshot(t, ctx, "history")
	do(t, ctx, "compare",
		chromedp.Click(chromedp.CSS(`.history-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="diff"]`)),
	)
	if ins := text(t, ctx, `[data-testid="diff"] ins`); ins == "" {
		t.Error("the diff of the last correction shows no added words")
	}
	screenshot(t, ctx, "diff")
}

func TestBrowserEditorPublishesEditsAndComparesRevisions(t *testing.T) {
	srv := testApp(t)
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, "editor@newsgloss.example", "demo-editor-pass")

	headline := "Ferry link between Amberfeld and Port Sallow to reopen"
	do(t, ctx, "write a new article",
		chromedp.Navigate(srv.URL+"/desk/articles"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-article"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="new-article"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-form"]`)),
		chromedp.SendKeys(chromedp.CSS("#title"), headline),
		chromedp.SendKeys(chromedp.CSS("#new_outlet"), "Coastal Courier"),
		chromedp.SendKeys(chromedp.CSS("#byline"), "By Lena Marsh"),
		chromedp.SetValue(chromedp.CSS("#published_at"), "2025-11-20T10:00"),
		chromedp.SendKeys(chromedp.CSS("#body"), "The ferry will run twice a week from March.\n\nOfficials said tickets go on sale in February."),
		chromedp.Click(chromedp.CSS(`input[name="status"][value="published"]`)),
	)
	screenshot(t, ctx, "article-form")
	do(t, ctx, "publish",
		chromedp.Click(chromedp.CSS(`[data-testid="save-article"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-body"]`)),
	)
	if got := text(t, ctx, `[data-testid="flash"]`); got != "Article saved as Published." {
		t.Errorf("flash after publishing: %q", got)
	}
	articleURL := get(t, ctx, "note the article URL", chromedp.Location())

	do(t, ctx, "see it on the home page",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-list"]`)),
	)
	first := text(t, ctx, `.article-summary__title a`)
	if first != headline {
		t.Errorf("newest article on the home page is %q, want the one just published", first)
	}

	do(t, ctx, "edit it",
		chromedp.Navigate(articleURL),
		chromedp.WaitVisible(chromedp.CSS(`.staff-actions a`)),
		chromedp.Click(chromedp.CSS(`.staff-actions a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-form"]`)),
		chromedp.SetValue(chromedp.CSS("#body"), "The ferry will run three times a week from March.\n\nOfficials said tickets go on sale in February."),
		chromedp.SendKeys(chromedp.CSS("#summary"), "Corrected the number of crossings"),
		chromedp.Click(chromedp.CSS(`[data-testid="save-article"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-body"]`)),
	)
	if got := text(t, ctx, `[data-testid="flash"]`); got != "Saved version 2." {
		t.Errorf("flash after editing: %q", got)
	}
	if got := text(t, ctx, `[data-testid="history-link"]`); got != "2 versions" {
		t.Errorf("history link says %q", got)
	}
	do(t, ctx, "open history",
		chromedp.Click(chromedp.CSS(`[data-testid="history-link"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="revisions"]`)),
	)
	summaries := eval[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="revision-row"] td:last-child')].map(td => td.textContent)`)
	if fmt.Sprint(summaries) != "[Corrected the number of crossings First version]" {
		t.Errorf("revision summaries %v", summaries)
	}
	do(t, ctx, "compare the two",
		chromedp.Click(chromedp.CSS(`.history-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="diff"]`)),
	)
	if del, ins := text(t, ctx, `[data-testid="diff"] del`), text(t, ctx, `[data-testid="diff"] ins`); del != "twice" || ins != "three times" {
		t.Errorf("diff shows del %q ins %q, want twice → three times", del, ins)
	}
	screenshot(t, ctx, "editor-diff")
}

func TestBrowserStaleEditShowsConflictAndKeepsText(t *testing.T) {
	srv := testApp(t)
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, "editor@newsgloss.example", "demo-editor-pass")

	// A second tab in the same browser: the same editor, an older copy of the form.
	other, cancel := chromedp.NewContext(ctx)
	defer cancel()
	edit := srv.URL + "/desk/articles/2/edit"
	do(t, ctx, "open the form in tab one", chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS("#body")))
	do(t, other, "open the form in tab two", chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS("#body")))

	do(t, ctx, "save in tab one",
		chromedp.SetValue(chromedp.CSS("#title"), "Coast guard hotline agreed at Port Sallow talks"),
		chromedp.Click(chromedp.CSS(`[data-testid="save-article"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="article-body"]`)),
	)
	mine := "My careful rewrite that must not be lost."
	do(t, other, "save the stale form in tab two",
		chromedp.SetValue(chromedp.CSS("#body"), mine),
		chromedp.Click(chromedp.CSS(`[data-testid="save-article"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="conflict"]`)),
	)
	if got := text(t, other, "h1"); got != "Someone else saved this article first" {
		t.Errorf("conflict page heading %q", got)
	}
	kept := get(t, other, "read the kept text", chromedp.Value(chromedp.CSS("#body")))
	if kept != mine {
		t.Errorf("the textarea holds %q, want the editor's own text", kept)
	}
	if got := text(t, other, `[data-testid="field-changes"]`); !strings.Contains(got, "Coast guard hotline agreed at Port Sallow talks") {
		t.Errorf("the conflict page does not show the other save's headline: %q", got)
	}
	screenshot(t, other, "conflict")
}

func TestBrowserReaderIsRefusedEditorAndAdminPages(t *testing.T) {
	srv := testApp(t)
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, "reader@newsgloss.example", "demo-reader-pass")
	for _, path := range []string{"/desk/articles", "/desk/articles/new", "/desk/articles/1/edit", "/admin/users"} {
		do(t, ctx, "open "+path,
			chromedp.Navigate(srv.URL+path),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-page"]`)),
		)
		if got := text(t, ctx, "h1"); got != "You don’t have access to this page" {
			t.Errorf("%s shows %q", path, got)
		}
	}
	deskLinks := eval[int](t, ctx, `document.querySelectorAll('a[href="/desk/articles"]').length`)
	if deskLinks != 0 {
		t.Error("a reader sees a link to the desk")
	}
	screenshot(t, ctx, "forbidden")
}

func TestBrowserPagesFitAPhone(t *testing.T) {
	srv := testApp(t)
	ctx := newBrowser(t)
	for _, path := range []string{"/", "/articles/6", "/articles/6/history", "/articles/6/diff?from=1&to=3", "/signin",
		"/factchecks", "/factchecks/1", "/articles/5"} {
		do(t, ctx, "open "+path+" on a phone",
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
			chromedp.Navigate(srv.URL+path),
			chromedp.WaitVisible(chromedp.CSS("main")),
		)
		overflow := eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`)
		if overflow {
			t.Errorf("%s scrolls sideways on a 390 px wide screen", path)
		}
		name := strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "").Replace(strings.Trim(path, "/"))
		if name == "" {
			name = "home"
		}
		screenshot(t, ctx, "phone-"+name)
	}
}
