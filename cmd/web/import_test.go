package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsgloss/handlers"
	"newsgloss/models"
)

const commandFile = `{"title": "Ferry fares frozen for the winter", "outlet": "Islands Daily", "url": "https://islands.example/fares?utm_source=mail", "byline": "By Tove Brandt", "published": "2025-11-03T06:00:00Z", "body_markdown": "The ferry operator **froze** its fares until March."}
{"title": "No outlet", "url": "https://islands.example/x", "body_markdown": "Text."}
{"title": "School choir wins the regional final", "outlet": "Islands Daily", "url": "https://islands.example/choir", "body_html": "<p>The choir sang three songs.</p><script>x()</script>"}

{"title": "Half a line"
{"title": "Storm damage repaired", "outlet": "Islands Daily", "url": "https://islands.example/storm", "body": "The pier reopened.", "format": "markdown", "status": "draft"}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommandEndToEnd(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, "islands.jsonl", commandFile)
	var out, errOut bytes.Buffer
	// Flags may follow the file name.
	err := run(context.Background(), []string{"import", "--data-dir", dir, file, "--status", "published", "--batch", "2"},
		env(nil), strings.NewReader(""), &out, &errOut)
	if err != nil {
		t.Fatalf("web import: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"(JSON Lines, 6 lines)",
		"progress: 6/6 lines (100%), imported 3, skipped 0, rejected 2,",
		"rejected lines:\n  line 2: missing outlet\n  line 5: malformed JSON",
		"\nimported 3, skipped (already present) 0, rejected 2\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	dbPath := filepath.Join(dir, "newsgloss.db")
	first := countRows(t, dbPath)
	if first["articles"] != 3 || first["outlets"] != 1 || first["article_revisions"] != 3 {
		t.Errorf("after the first run: %v", first)
	}
	store, err := models.OpenSQLite(context.Background(), dbPath, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := store.ArticleBySourceURL(context.Background(), "https://islands.example/fares")
	store.Close()
	if err != nil || a == nil || a.Status != models.StatusPublished || a.Byline != "By Tove Brandt" {
		t.Errorf("imported article %+v, %v", a, err)
	}

	// Running the same file again adds nothing.
	out.Reset()
	if err := run(context.Background(), []string{"import", "--data-dir", dir, file}, env(nil), strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\nimported 0, skipped (already present) 3, rejected 2\n") {
		t.Errorf("second run:\n%s", out.String())
	}
	if again := countRows(t, dbPath); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Errorf("after a second run: %v, want %v", again, first)
	}
}

func TestImportCommandReadsFeedFilesAndShowsABar(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, "valley.atom", `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Herald</title><link href="https://valley.example/"/><id>x</id><updated>2025-04-10T08:00:00Z</updated>
<entry><title>Orchard growers count frost damage</title><link href="https://valley.example/frost"/><id>1</id><updated>2025-04-09T16:20:00Z</updated><author><name>Pia Lund</name></author>
<content type="html">&lt;p&gt;Growers counted the damage after two nights of frost.&lt;/p&gt;</content></entry>
<entry><title>No text in this one</title><link href="https://valley.example/empty"/><id>2</id><updated>2025-04-09T17:00:00Z</updated></entry>
</feed>`)
	var out bytes.Buffer
	err := run(context.Background(), []string{"import", "--data-dir", dir, "--progress", "bar", file}, env(nil), strings.NewReader(""), &out, io.Discard)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{"(a feed, 2 items)", "2/2", "items", "item 2: the item has no text", "imported 1, skipped (already present) 0, rejected 1"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestImportCommandRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{}, "usage"},
		{[]string{filepath.Join(dir, "missing.jsonl")}, "open the file to import"},
		{[]string{writeFile(t, "notes.csv", "title,outlet\nA,B\n")}, "neither JSON Lines"},
		{[]string{writeFile(t, "page.xml", "<html><body>hello</body></html>")}, "not an RSS or Atom feed"},
		{[]string{"--status", "retracted", writeFile(t, "a.jsonl", "{}\n")}, `status "retracted"`},
		{[]string{"--batch", "0", writeFile(t, "b.jsonl", "{}\n")}, "--batch 0"},
	}
	for _, tc := range cases {
		var errOut bytes.Buffer
		args := append([]string{"import", "--data-dir", dir}, tc.args...)
		err := run(context.Background(), args, env(nil), strings.NewReader(""), io.Discard, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one containing %q", tc.args, err, tc.want)
		}
	}
	// Nothing was created by the refused runs beyond the empty database.
	if _, err := os.Stat(filepath.Join(dir, "newsgloss.db")); err == nil {
		if got := countRows(t, filepath.Join(dir, "newsgloss.db")); got["articles"] != 0 {
			t.Errorf("refused runs imported %v", got)
		}
	}
}

func TestFeedRefresherRunsOnScheduleAndStopsOnShutdown(t *testing.T) {
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Islands Daily</title><link>https://islands.example/</link>
<item><title>Ferry fares frozen</title><link>https://islands.example/fares</link></item>
<item><title>Choir wins final</title><link>https://islands.example/choir</link></item></channel></rss>`)
	}))
	defer feed.Close()
	store, err := models.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "news.db"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.AddFeed(context.Background(), nil, models.FeedInput{URL: feed.URL + "/rss", NewOutlet: "Islands Daily"}); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	bg := handlers.NewBackground(ctx)
	startFeedRefresher(bg, store, importConfig{AllowPrivate: true, FeedRefresh: durationOrOff(30 * time.Millisecond)},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	deadline := time.Now().Add(5 * time.Second)
	for {
		items, _, err := store.FeedCandidates(context.Background(), models.ItemNew, models.NewPage(1, 10))
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scheduled check did not list the feed's items: %+v", items)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	stopped := make(chan struct{})
	go func() { bg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the feed refresher did not stop when its context ended")
	}
}

func TestImportServeFlags(t *testing.T) {
	cfg, err := parseServeConfig(nil, env(nil), io.Discard)
	if err != nil || time.Duration(cfg.Import.FeedRefresh) != 30*time.Minute || cfg.Import.AllowPrivate {
		t.Errorf("defaults %+v, %v", cfg.Import, err)
	}
	cfg, err = parseServeConfig([]string{"--feed-refresh", "off"}, env(map[string]string{
		"NEWSGLOSS_FEED_REFRESH": "45m", "NEWSGLOSS_IMPORT_ALLOW_PRIVATE": "on",
	}), io.Discard)
	if err != nil || cfg.Import.FeedRefresh != 0 || !cfg.Import.AllowPrivate {
		t.Errorf("flag over env: %+v, %v", cfg.Import, err)
	}
	cfg, err = parseServeConfig(nil, env(map[string]string{"NEWSGLOSS_FEED_REFRESH": "2h"}), io.Discard)
	if err != nil || time.Duration(cfg.Import.FeedRefresh) != 2*time.Hour {
		t.Errorf("env: %+v, %v", cfg.Import, err)
	}
	for _, bad := range [][]string{{"--feed-refresh", "often"}, {"--feed-refresh", "5s"}, {"--feed-refresh", "-1m"}} {
		if _, err := parseServeConfig(bad, env(nil), io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if _, err := parseServeConfig(nil, env(map[string]string{"NEWSGLOSS_FEED_REFRESH": "soon"}), io.Discard); err == nil ||
		!strings.Contains(err.Error(), "NEWSGLOSS_FEED_REFRESH") {
		t.Errorf("bad env value: %v", err)
	}
}
