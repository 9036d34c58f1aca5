package main

// Page quality checks on every kind of page: valid HTML (the W3C Nu checker)
// and WCAG 2.1 AA (axe-core in Chromium). Both checkers come from
// .ci/tools (npm ci), which `make test` installs.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const toolsDir = "../../.ci/tools/node_modules"

func toolFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(toolsDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is missing: run `npm ci --prefix .ci/tools` (make test does)", p)
	}
	return p
}

// pageSet fetches one of each kind of page as an admin, including pages that
// only appear after a failed form or a conflicting edit.
func pageSet(t *testing.T, base string) map[string]string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	var token string
	fetch := func(method, path string, form url.Values) string {
		t.Helper()
		var res *http.Response
		var err error
		var req *http.Request
		if method == http.MethodGet {
			req, _ = http.NewRequest(method, base+path, nil)
		} else {
			form.Set("_csrf", token)
			req, _ = http.NewRequest(method, base+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8") // as a browser sends
		res, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if m := csrf.FindSubmatch(b); m != nil {
			token = string(m[1])
		}
		return string(b)
	}
	pages := map[string]string{}
	for _, p := range []string{"/", "/articles/6", "/articles/6/history", "/articles/6/diff?from=1&to=3",
		"/articles/6/revisions/1", "/outlets/meridian-wire", "/signin", "/nothing-here", "/annotations/2", "/annotations/1", "/users/2",
		"/timelines", "/timelines/aldervane-kessari-talks-2025", "/timelines/aldervane-kessari-talks-2025?by=day&type=event",
		"/timelines/aldervane-kessari-talks-2025?status=nonsense", "/entities/teodor-rask", "/tags/summit", "/places/tiverne",
		"/search", "/search?q=%22missile+test%22+-postpones", "/search?q=xylophone", "/search?q=-summit&from=soon",
		"/articles/3", "/articles/5", "/factchecks", "/factchecks/1", "/factchecks/2", "/claims/2"} {
		pages["anonymous "+p] = fetch(http.MethodGet, p, nil)
	}
	fetch(http.MethodGet, "/signin", nil)
	fetch(http.MethodPost, "/signin", url.Values{"email": {"admin@newsgloss.example"}, "password": {"demo-admin-pass"}})
	for _, p := range []string{"/", "/articles/6", "/desk/articles", "/desk/articles/new", "/desk/articles/2/edit",
		"/admin/users", "/admin/users/new", "/admin/articles/deleted", "/admin/audit",
		"/articles/2/notes/new?quote=agreed+on+Wednesday", "/annotations/5", "/desk/moderation", "/settings/tokens",
		"/articles/2/tag", "/articles/4/tag?quote=a+routine+test+planned+many+months+ago", "/claims/1", "/events/4", "/desk/timelines/new",
		"/desk/import", "/desk/import/candidates", "/admin/import", "/admin/feeds", "/search?q=summit&outlet=meridian-wire&from=2025-01-01",
		"/desk/factchecks", "/desk/factchecks/new?claim=4", "/desk/factchecks/1", "/desk/factchecks/3", "/factchecks/1", "/admin/rating-scale", "/admin/settings"} {
		pages["admin "+p] = fetch(http.MethodGet, p, nil)
	}
	pages["admin invalid claim form"] = fetch(http.MethodPost, "/articles/2/tag", url.Values{"kind": {"claim"}, "quote": {"never printed"}, "said_on": {"2025-02-30"}})
	pages["admin invalid note form"] = fetch(http.MethodPost, "/articles/2/notes", url.Values{"scope": {"passage"}, "quote": {"never printed"}, "body": {""}})
	pages["admin invalid article form"] = fetch(http.MethodPost, "/desk/articles", url.Values{"title": {""}, "published_at": {"soon"}})
	pages["admin invalid user form"] = fetch(http.MethodPost, "/admin/users", url.Values{"email": {"nope"}})
	pages["admin invalid verdict form"] = fetch(http.MethodPost, "/desk/factchecks", url.Values{"claim": {"4"}, "rating": {"nope"}, "source_url": {"javascript:x"}, "source_title": {""}})
	pages["admin invalid rating label"] = fetch(http.MethodPost, "/admin/rating-scale", url.Values{"name": {""}, "colour": {"#ffffff"}})
	pages["admin refused return"] = fetch(http.MethodPost, "/desk/factchecks/3/steps", url.Values{"action": {"return"}, "lock_version": {"2"}, "comment": {""}})
	fetch(http.MethodGet, "/desk/articles/3/edit", nil)
	stale := url.Values{"title": {"Stale"}, "outlet_id": {"1"}, "status": {"published"}, "body_format": {"markdown"},
		"body": {"Stale text."}, "base_version": {"1"}}
	fetch(http.MethodPost, "/desk/articles/3", stale) // version 2
	pages["admin conflict"] = fetch(http.MethodPost, "/desk/articles/3", stale)
	for name, html := range pages {
		if !strings.HasPrefix(html, "<!doctype html>") {
			t.Fatalf("%s is not an HTML page:\n%.300s", name, html)
		}
	}
	if !strings.Contains(pages["admin conflict"], `data-testid="conflict"`) {
		t.Fatal("the conflict page was not produced")
	}
	return pages
}

func TestPagesAreValidHTML(t *testing.T) {
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatal("java is needed for the W3C Nu HTML checker: install a JRE (apt-get install default-jre-headless)")
	}
	jar := toolFile(t, "vnu-jar/build/dist/vnu.jar")
	srv := testApp(t)
	pages := pageSet(t, srv.URL)

	dir := t.TempDir()
	names := map[string]string{}
	var files []string
	i := 0
	for name, html := range pages {
		f := filepath.Join(dir, fmt.Sprintf("page%02d.html", i))
		i++
		if err := os.WriteFile(f, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		names["file:"+f] = name
		files = append(files, f)
	}
	out, err := exec.Command(java, append([]string{"-jar", jar, "--format", "json", "--exit-zero-always"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("vnu: %v\n%s", err, out)
	}
	var report struct {
		Messages []struct {
			URL, Type, SubType, Message, Extract string
			LastLine                             int
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, out)
	}
	for _, m := range report.Messages {
		if m.Type == "error" || m.SubType == "warning" {
			t.Errorf("%s line %d: %s: %s\n    %s", names[m.URL], m.LastLine, m.Type, m.Message, m.Extract)
		}
	}
	t.Logf("checked %d pages", len(pages))
}

func TestPagesMeetWCAG21AA(t *testing.T) {
	axe, err := os.ReadFile(toolFile(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	srv := testApp(t)
	ctx := newBrowser(t)
	check := func(who, path string) {
		t.Helper()
		do(t, ctx, "open "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
		// DevTools evaluation is not subject to the page's CSP, so axe can be injected.
		get(t, ctx, "inject axe", chromedp.Evaluate[bool](string(axe)+";true"))
		report := get(t, ctx, "run axe", chromedp.Evaluate[string](
			`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
			   .then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))))`,
			chromedp.EvalAwaitPromise))
		var violations []struct {
			ID, Help string
			Nodes    []string
		}
		if err := json.Unmarshal([]byte(report), &violations); err != nil {
			t.Fatalf("axe report: %v\n%s", err, report)
		}
		for _, v := range violations {
			t.Errorf("%s %s: %s (%s) at %v", who, path, v.Help, v.ID, v.Nodes)
		}
	}
	anonymous := []string{"/", "/articles/6", "/articles/6/history", "/articles/6/diff?from=1&to=3", "/articles/6/revisions/1",
		"/outlets/meridian-wire", "/signin", "/nothing-here", "/articles/5", "/annotations/2", "/users/2",
		"/timelines", "/timelines/aldervane-kessari-talks-2025", "/timelines/aldervane-kessari-talks-2025?by=day&type=event",
		"/timelines/aldervane-kessari-talks-2025?status=nonsense", "/entities/teodor-rask", "/tags/summit", "/places/tiverne",
		"/search", "/search?q=%22missile+test%22+-postpones", "/search?q=xylophone", "/search?q=-summit&from=soon",
		"/articles/3", "/factchecks", "/factchecks/1", "/factchecks/2", "/claims/2"}
	for _, p := range anonymous {
		check("anonymous", p)
	}
	signIn(t, ctx, srv.URL, "admin@newsgloss.example", "demo-admin-pass")
	for _, p := range []string{"/", "/articles/6", "/desk/articles", "/desk/articles/new", "/desk/articles/2/edit",
		"/admin/users", "/admin/users/new", "/admin/articles/deleted", "/admin/audit",
		"/articles/2/notes/new?quote=agreed+on+Wednesday", "/annotations/5", "/desk/moderation", "/settings/tokens",
		"/articles/2/tag", "/articles/4/tag?quote=a+routine+test+planned+many+months+ago", "/claims/1", "/events/4", "/desk/timelines/new",
		"/desk/import", "/desk/import/candidates", "/admin/import", "/admin/feeds", "/search?q=summit&outlet=meridian-wire&from=2025-01-01",
		"/desk/factchecks", "/desk/factchecks/new?claim=4", "/desk/factchecks/1", "/desk/factchecks/3", "/factchecks/1", "/admin/rating-scale", "/admin/settings"} {
		check("admin", p)
	}
	// A form with errors.
	do(t, ctx, "submit an empty article",
		chromedp.Navigate(srv.URL+"/desk/articles/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.Click(chromedp.CSS(`[data-testid="save-article"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="form-error"]`)),
	)
	get(t, ctx, "inject axe", chromedp.Evaluate[bool](string(axe)+";true"))
	report := get(t, ctx, "run axe on the form with errors", chromedp.Evaluate[string](
		`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r.violations.map(v => v.id)))`,
		chromedp.EvalAwaitPromise))
	if report != "[]" {
		t.Errorf("form with errors: violations %s", report)
	}
}
