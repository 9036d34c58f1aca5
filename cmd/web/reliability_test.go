package main

// Reliability tests: many writers at once, a crash in the middle of a write
// burst, and a shutdown with writes in flight, each against a running server
// (in-process through run, or the real binary in a child process) and checked
// in the SQLite file afterwards.

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/driver/sqlite"

	"newsgloss/models"
	"newsgloss/views"
)

// webBinary is the web command built once for the tests that run it as a
// real process (only they pay for the build); TestMain removes it.
var webBinary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if webBinary.dir != "" {
		os.RemoveAll(webBinary.dir)
	}
	os.Exit(code)
}

func buildWebBinary(t *testing.T) string {
	t.Helper()
	webBinary.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			webBinary.err = err
			return
		}
		if webBinary.dir, webBinary.err = os.MkdirTemp("", "newsgloss-web-"); webBinary.err != nil {
			return
		}
		webBinary.path = filepath.Join(webBinary.dir, "web")
		out, err := exec.Command(goTool, "build", "-tags", "sqlite_fts5", "-o", webBinary.path, ".").CombinedOutput()
		if err != nil {
			webBinary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if webBinary.err != nil {
		t.Fatalf("build the web command: %v", webBinary.err)
	}
	return webBinary.path
}

// serverProcess is `web serve` running as a child process.
type serverProcess struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	exited chan error // receives cmd.Wait's result once
}

func startProcess(t *testing.T, dataDir string) *serverProcess {
	t.Helper()
	return startProcessWith(t, "--data-dir", dataDir)
}

// startProcessWith starts `web serve` with the database flags given.
func startProcessWith(t *testing.T, databaseFlags ...string) *serverProcess {
	t.Helper()
	bin := buildWebBinary(t)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--feed-refresh", "off", "--shutdown-grace", "20s"}, databaseFlags...)
	cmd := exec.Command(bin, args...)
	// Only what the server needs: no NEWSGLOSS_* or DATABASE_URL from the machine.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{t: t, cmd: cmd, stderr: stderr, exited: make(chan error, 1)}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	urlPattern := regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlPattern.FindStringSubmatch(stdout.String()); m != nil {
			p.url = m[1]
			return p
		}
		select {
		case err := <-p.exited:
			t.Fatalf("the server exited at start: %v\n%s\n%s", err, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("the server did not print its address:\n%s\n%s", stdout.String(), stderr.String())
	return nil
}

// wait returns the process's exit, or fails the test after a minute.
func (p *serverProcess) wait() error {
	p.t.Helper()
	select {
	case err := <-p.exited:
		return err
	case <-time.After(time.Minute):
		p.t.Fatalf("the server did not exit\n%s", p.stderr.String())
		return nil
	}
}

// waitForLog waits until the server has logged text, bounded.
func (p *serverProcess) waitForLog(text string) {
	p.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(p.stderr.String(), text) {
			return
		}
	}
	p.t.Fatalf("the server never logged %q:\n%s", text, p.stderr.String())
}

// fixture is a data directory with the demo content and credentials made in
// the store before any server starts: API tokens for annotating clients and
// sessions for editing clients (64 sign-ins would hit the sign-in limit).
type fixture struct {
	dir        string
	db         string
	article    uint     // a published demo article every note goes on
	noteTokens []string // tokens of the fact-checker and the editor, alternately
	hotTokens  []string // tokens of the hot note's author
	sessions   []string // sessions of the editor and the admin, alternately
	hotNote    uint     // a note that several clients edit at once
	hotArticle uint     // an article that several editors edit at once
}

func newFixture(t *testing.T, noteClients, hotNoteClients, editorClients int) *fixture {
	t.Helper()
	ctx := context.Background()
	fx := &fixture{dir: t.TempDir(), article: 1}
	fx.db = filepath.Join(fx.dir, "newsgloss.db")
	store, err := models.OpenSQLite(ctx, fx.db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	user := func(email string) *models.User {
		u, err := store.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	checker, editor, admin := user("factchecker@newsgloss.example"), user("editor@newsgloss.example"), user("admin@newsgloss.example")
	annotators, editors := []*models.User{checker, editor}, []*models.User{editor, admin}
	token := func(u *models.User, i int) string {
		tok, err := store.CreateAPIToken(ctx, u, fmt.Sprintf("reliability client %d", i))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	for i := range noteClients {
		fx.noteTokens = append(fx.noteTokens, token(annotators[i%2], i))
	}
	for i := range hotNoteClients {
		fx.hotTokens = append(fx.hotTokens, token(checker, 1000+i))
	}
	for i := range editorClients {
		s, err := store.CreateSession(ctx, editors[i%2].ID)
		if err != nil {
			t.Fatal(err)
		}
		fx.sessions = append(fx.sessions, s)
	}
	note, err := store.CreateAnnotation(ctx, checker, fx.article, models.AnnotationInput{
		Motivation: "commenting", Visibility: "public", Body: "hot note, version 1"})
	if err != nil {
		t.Fatal(err)
	}
	art, err := store.CreateArticle(ctx, editor, models.ArticleInput{
		Title: "Hot article", NewOutlet: "Reliability Wire", Status: "published", BodyFormat: "markdown",
		Body: "hot article, version 1", PublishedAt: "2025-10-01T09:30"})
	if err != nil {
		t.Fatal(err)
	}
	fx.hotNote, fx.hotArticle = note.ID, art.ID
	return fx
}

// agent is one client of a running server with its own cookies and, for the
// annotation API, its own token. Its methods return errors instead of failing
// the test: after a crash, failing requests are expected.
type agent struct {
	base  string
	http  *http.Client
	token string
	csrf  string
}

func newAgent(base string, transport http.RoundTripper) *agent {
	jar, _ := cookiejar.New(nil)
	return &agent{base: base, http: &http.Client{
		Transport:     transport,
		Jar:           jar,
		Timeout:       time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func sharedTransport() *http.Transport {
	return &http.Transport{MaxIdleConns: 200, MaxIdleConnsPerHost: 200, IdleConnTimeout: 30 * time.Second}
}

// withSession signs the agent in with a session made in the store.
func (a *agent) withSession(session string) *agent {
	u, _ := url.Parse(a.base)
	a.http.Jar.SetCookies(u, []*http.Cookie{{Name: "ng_session", Value: session, Path: "/"}})
	return a
}

// reply is a finished request.
type reply struct {
	status int
	header http.Header
	body   string
}

func (a *agent) send(method, path, contentType, body string, headers map[string]string) (reply, error) {
	req, err := http.NewRequest(method, a.base+path, strings.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := a.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: read the answer: %w", method, path, err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: string(b)}, nil
}

const ldType = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`

// noteDoc is a W3C annotation on the whole article.
func (a *agent) noteDoc(articleID uint, text string) string {
	b, _ := json.Marshal(map[string]any{
		"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "motivation": "commenting",
		"body":   map[string]any{"type": "TextualBody", "value": text, "format": "text/markdown"},
		"target": a.base + views.ArticleURL(articleID),
	})
	return string(b)
}

// createNote POSTs a note to the article's container: 201 with its id and ETag.
func (a *agent) createNote(articleID uint, text string) (reply, uint, error) {
	r, err := a.send(http.MethodPost, views.AnnotationContainerURL(articleID), ldType, a.noteDoc(articleID, text),
		map[string]string{"Accept": ldType})
	if err != nil || r.status != http.StatusCreated {
		return r, 0, err
	}
	id, err := idAfter(r.header.Get("Location"), "/annotations/")
	return r, id, err
}

// editNote PUTs new text with If-Match: 200, or 412 when someone saved first.
func (a *agent) editNote(articleID, id uint, etag, text string) (reply, error) {
	return a.send(http.MethodPut, views.AnnotationURL(id), ldType, a.noteDoc(articleID, text),
		map[string]string{"Accept": ldType, "If-Match": etag})
}

func (a *agent) noteETag(id uint) (string, error) {
	r, err := a.send(http.MethodGet, views.AnnotationURL(id), "", "", map[string]string{"Accept": ldType})
	if err != nil {
		return "", err
	}
	if r.status != http.StatusOK || r.header.Get("ETag") == "" {
		return "", fmt.Errorf("GET note %d: status %d, ETag %q", id, r.status, r.header.Get("ETag"))
	}
	return r.header.Get("ETag"), nil
}

// loadForm GETs a page with a form and keeps its CSRF token; it returns the
// form's base_version (0 when it has none).
func (a *agent) loadForm(path string) (int, error) {
	r, err := a.send(http.MethodGet, path, "", "", map[string]string{"Accept": "text/html"})
	if err != nil {
		return 0, err
	}
	if r.status != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d", path, r.status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		return 0, err
	}
	tok, ok := doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok {
		return 0, fmt.Errorf("GET %s: no CSRF token in the page", path)
	}
	a.csrf = tok
	base, _ := doc.Find(`input[name="base_version"]`).First().Attr("value")
	n, _ := strconv.Atoi(base)
	return n, nil
}

func (a *agent) postForm(path string, form url.Values) (reply, error) {
	form.Set("_csrf", a.csrf)
	return a.send(http.MethodPost, path, "application/x-www-form-urlencoded", form.Encode(), map[string]string{"Accept": "text/html"})
}

func articleFields(title, body string) url.Values {
	return url.Values{"title": {title}, "new_outlet": {"Reliability Wire"}, "status": {"published"},
		"published_at": {"2025-10-01T09:30"}, "body_format": {"markdown"}, "body": {body}}
}

// createArticle POSTs the new-article form: 303 to the article's page.
func (a *agent) createArticle(title, body string) (reply, uint, error) {
	r, err := a.postForm(views.RouteArticleCreate, articleFields(title, body))
	if err != nil || r.status != http.StatusSeeOther {
		return r, 0, err
	}
	id, err := idAfter(r.header.Get("Location"), "/articles/")
	return r, id, err
}

// editArticle POSTs the edit form from version base: 303, or 409 with the
// conflict page when someone saved first.
func (a *agent) editArticle(id uint, base int, title, body string) (reply, error) {
	form := articleFields(title, body)
	form.Set("base_version", strconv.Itoa(base))
	return a.postForm(views.ArticleUpdateURL(id), form)
}

func idAfter(location, prefix string) (uint, error) {
	i := strings.LastIndex(location, prefix)
	if i < 0 {
		return 0, fmt.Errorf("location %q has no %s", location, prefix)
	}
	n, err := strconv.ParseUint(location[i+len(prefix):], 10, 32)
	if err != nil {
		return 0, fmt.Errorf("location %q: %w", location, err)
	}
	return uint(n), nil
}

// conflictKeptText checks that a 409 is the conflict page with the editor's
// text kept in the form.
func conflictKeptText(r reply, text string) error {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		return err
	}
	if doc.Find(`[data-testid="conflict"]`).Length() != 1 {
		return errors.New("a 409 without the conflict notice")
	}
	if got := strings.TrimSpace(doc.Find("#body").Text()); got != text {
		return fmt.Errorf("the conflict page kept %q, want the editor's %q", got, text)
	}
	return nil
}

// ledger records what the server acknowledged, and every unexpected answer.
type ledger struct {
	mu        sync.Mutex
	attempted map[string]bool   // markers sent in a create, answered or not
	notes     map[string]uint   // acknowledged note creates: marker → id
	articles  map[string]uint   // acknowledged article creates: marker → id
	noteEdits map[uint][]string // acknowledged edits of notes, in order
	artEdits  map[uint][]string // acknowledged edits of articles, in order
	conflicts map[string]int    // clean refusals: "note" (412) and "article" (409)
	failures  []string
	// killed is set just before the server is killed: from then on, a
	// request without an answer is expected (cut counts them), while a wrong
	// answer is still a failure.
	killed bool
	cut    int
}

func newLedger() *ledger {
	return &ledger{attempted: map[string]bool{}, notes: map[string]uint{}, articles: map[string]uint{},
		noteEdits: map[uint][]string{}, artEdits: map[uint][]string{}, conflicts: map[string]int{}}
}

func (l *ledger) attempt(marker string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.attempted[marker] = true
}

func (l *ledger) ackNote(marker string, id uint) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.notes[marker] = id
}

func (l *ledger) ackArticle(marker string, id uint) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.articles[marker] = id
}

func (l *ledger) ackEdit(kind string, id uint, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if kind == "note" {
		l.noteEdits[id] = append(l.noteEdits[id], text)
	} else {
		l.artEdits[id] = append(l.artEdits[id], text)
	}
}

func (l *ledger) conflict(kind string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.conflicts[kind]++
}

func (l *ledger) fail(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = append(l.failures, fmt.Sprintf(format, args...))
}

// unexpected records an answer the client did not expect; a 5xx is reported
// with its body (where "database is locked" would show).
func (l *ledger) unexpected(what string, r reply, err error) {
	if err != nil {
		l.mu.Lock()
		killed := l.killed
		if killed {
			l.cut++
		}
		l.mu.Unlock()
		if !killed {
			l.fail("%s: %v", what, err)
		}
		return
	}
	l.fail("%s: status %d: %s", what, r.status, truncate(r.body, 300))
}

func (l *ledger) kill(p *os.Process) error {
	l.mu.Lock()
	l.killed = true
	l.mu.Unlock()
	return p.Signal(syscall.SIGKILL)
}

func (l *ledger) acknowledged() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.notes) + len(l.articles)
}

// snapshot copies the acknowledged creates so far.
func (l *ledger) snapshot() (notes, articles map[string]uint) {
	l.mu.Lock()
	defer l.mu.Unlock()
	notes, articles = map[string]uint{}, map[string]uint{}
	for k, v := range l.notes {
		notes[k] = v
	}
	for k, v := range l.articles {
		articles[k] = v
	}
	return notes, articles
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Client loops. Each runs until stop says so; marker prefixes keep their
// writes apart in the database.

func noteWriter(a *agent, l *ledger, articleID uint, prefix string, editEvery int, stop func() bool) {
	var last uint
	var etag, lastMarker string
	for n := 0; !stop(); n++ {
		if editEvery > 0 && last != 0 && n%editEvery == 0 {
			text := fmt.Sprintf("%s edited at step %d", lastMarker, n)
			r, err := a.editNote(articleID, last, etag, text)
			if err != nil || r.status != http.StatusOK {
				l.unexpected("edit own note", r, err)
				return
			}
			l.ackEdit("note", last, text)
			etag = r.header.Get("ETag")
			continue
		}
		marker := fmt.Sprintf("%s-%04d", prefix, n)
		l.attempt(marker)
		r, id, err := a.createNote(articleID, marker)
		if err != nil || r.status != http.StatusCreated {
			l.unexpected("create note "+marker, r, err)
			return
		}
		l.ackNote(marker, id)
		last, lastMarker, etag = id, marker, r.header.Get("ETag")
	}
}

func articleWriter(a *agent, l *ledger, prefix string, editEvery int, stop func() bool) {
	if _, err := a.loadForm(views.RouteArticleNew); err != nil {
		l.fail("load the new-article form: %v", err)
		return
	}
	var last uint
	var lastMarker string
	for n := 0; !stop(); n++ {
		if editEvery > 0 && last != 0 && n%editEvery == 0 {
			base, err := a.loadForm(views.ArticleEditURL(last))
			if err != nil {
				l.fail("load the edit form: %v", err)
				return
			}
			text := fmt.Sprintf("%s edited at step %d", lastMarker, n)
			r, err := a.editArticle(last, base, lastMarker, text)
			if err != nil || r.status != http.StatusSeeOther {
				l.unexpected("edit own article", r, err)
				return
			}
			l.ackEdit("article", last, text)
			continue
		}
		marker := fmt.Sprintf("%s-%04d", prefix, n)
		l.attempt(marker)
		r, id, err := a.createArticle(marker, marker+" body.")
		if err != nil || r.status != http.StatusSeeOther {
			l.unexpected("create article "+marker, r, err)
			return
		}
		l.ackArticle(marker, id)
		last, lastMarker = id, marker
	}
}

// hotNoteEditor edits a note that other clients edit too: fetch its ETag,
// PUT, and expect 200 or a clean 412. The first round waits at ready until
// every client has fetched version 1, so all but one of them conflict.
func hotNoteEditor(a *agent, l *ledger, articleID, id uint, prefix string, ready *sync.WaitGroup, stop func() bool) {
	for n := 0; n == 0 || !stop(); n++ {
		etag, err := a.noteETag(id)
		if n == 0 {
			ready.Done()
			ready.Wait()
		}
		if err != nil {
			l.fail("hot note: %v", err)
			return
		}
		text := fmt.Sprintf("%s-%04d", prefix, n)
		r, err := a.editNote(articleID, id, etag, text)
		switch {
		case err == nil && r.status == http.StatusOK:
			l.ackEdit("note", id, text)
		case err == nil && r.status == http.StatusPreconditionFailed:
			l.conflict("note")
		default:
			l.unexpected("edit the hot note", r, err)
			return
		}
	}
}

// hotArticleEditor is hotNoteEditor for an article through the edit form:
// 303, or 409 with the conflict page keeping the editor's text.
func hotArticleEditor(a *agent, l *ledger, id uint, prefix string, ready *sync.WaitGroup, stop func() bool) {
	for n := 0; n == 0 || !stop(); n++ {
		base, err := a.loadForm(views.ArticleEditURL(id))
		if n == 0 {
			ready.Done()
			ready.Wait()
		}
		if err != nil {
			l.fail("hot article: %v", err)
			return
		}
		text := fmt.Sprintf("%s-%04d", prefix, n)
		r, err := a.editArticle(id, base, "Hot article", text)
		switch {
		case err == nil && r.status == http.StatusSeeOther:
			l.ackEdit("article", id, text)
		case err == nil && r.status == http.StatusConflict:
			l.conflict("article")
			if err := conflictKeptText(r, text); err != nil {
				l.fail("hot article conflict: %v", err)
				return
			}
		default:
			l.unexpected("edit the hot article", r, err)
			return
		}
	}
}

// openSQL opens the database file for checks, read-only, with its own driver
// connection (not the store's).
func openSQL(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open(sqlite.DriverName, models.SQLiteDSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func integrityCheck(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "; ")
}

// stored is a row as found in the database.
type stored struct {
	id      uint
	text    string // the note's body or the article's title
	version int
}

// storedByMarker loads the rows whose text starts with prefix, grouped by
// the marker they were created with (the text up to " edited").
func storedByMarker(t *testing.T, db *sql.DB, kind, prefix string) map[string][]stored {
	t.Helper()
	query := "SELECT id, body_source, version FROM annotations WHERE body_source LIKE ? || '%'"
	if kind == "article" {
		query = "SELECT id, title, version FROM articles WHERE title LIKE ? || '%'"
	}
	rows, err := db.Query(query, prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]stored{}
	for rows.Next() {
		var s stored
		if err := rows.Scan(&s.id, &s.text, &s.version); err != nil {
			t.Fatal(err)
		}
		marker, _, _ := strings.Cut(s.text, " edited")
		out[marker] = append(out[marker], s)
	}
	return out
}

// checkCreates checks that every acknowledged create is stored exactly once
// under its id, and that nothing was stored that was never sent. It returns
// how many were found.
func checkCreates(t *testing.T, kind string, found map[string][]stored, acked map[string]uint, attempted map[string]bool) int {
	t.Helper()
	for marker, id := range acked {
		rows := found[marker]
		if len(rows) != 1 || rows[0].id != id {
			t.Errorf("acknowledged %s %s (id %d) is stored %d times: %+v", kind, marker, id, len(rows), rows)
		}
	}
	n := 0
	for marker, rows := range found {
		n += len(rows)
		if !attempted[marker] {
			t.Errorf("%s %s is stored but was never sent", kind, marker)
		}
		if len(rows) > 1 {
			t.Errorf("%s %s is stored %d times", kind, marker, len(rows))
		}
	}
	return n
}

// checkVersions checks that an edited thing's versions are 1..n with no gap
// and n = 1 + its acknowledged edits, and that each acknowledged edit's text
// is in exactly one version.
func checkVersions(t *testing.T, db *sql.DB, kind string, id uint, edits []string) {
	t.Helper()
	query := "SELECT version, body_source FROM annotation_edits WHERE annotation_id = ? ORDER BY version"
	current := "SELECT version FROM annotations WHERE id = ?"
	if kind == "article" {
		query = "SELECT number, body_source FROM article_revisions WHERE article_id = ? ORDER BY number"
		current = "SELECT version FROM articles WHERE id = ?"
	}
	var version int
	if err := db.QueryRow(current, id).Scan(&version); err != nil {
		t.Fatalf("%s %d: %v", kind, id, err)
	}
	rows, err := db.Query(query, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var numbers []int
	texts := map[string]int{}
	for rows.Next() {
		var n int
		var text string
		if err := rows.Scan(&n, &text); err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, n)
		texts[strings.TrimSpace(text)]++
	}
	want := make([]int, 1+len(edits))
	for i := range want {
		want[i] = i + 1
	}
	if version != len(want) || !slices.Equal(numbers, want) {
		t.Errorf("%s %d: version %d with versions %v stored; %d edits were acknowledged, so want versions 1..%d",
			kind, id, version, numbers, len(edits), len(want))
	}
	for _, e := range edits {
		if texts[e] != 1 {
			t.Errorf("%s %d: acknowledged edit %q is in %d versions, want 1", kind, id, e, texts[e])
		}
	}
}

func TestConcurrentWritersLoseNothing(t *testing.T) {
	const (
		noteClients       = 24
		hotNoteClients    = 8
		articleClients    = 24
		hotArticleClients = 8
		burst             = 5 * time.Second
	)
	fx := newFixture(t, noteClients, hotNoteClients, articleClients+hotArticleClients)
	base, stop := startServer(t, fx.dir, "--feed-refresh", "off")
	transport := sharedTransport()
	l := newLedger()
	deadline := time.Now().Add(burst)
	over := func() bool { return time.Now().After(deadline) }

	var wg sync.WaitGroup
	var hotNotes, hotArticles sync.WaitGroup
	hotNotes.Add(hotNoteClients)
	hotArticles.Add(hotArticleClients)
	for i := range noteClients {
		a := newAgent(base, transport)
		a.token = fx.noteTokens[i]
		wg.Go(func() { noteWriter(a, l, fx.article, fmt.Sprintf("rel-n%02d", i), 2, over) })
	}
	for i := range hotNoteClients {
		a := newAgent(base, transport)
		a.token = fx.hotTokens[i]
		wg.Go(func() { hotNoteEditor(a, l, fx.article, fx.hotNote, fmt.Sprintf("hot-n%02d", i), &hotNotes, over) })
	}
	for i := range articleClients {
		a := newAgent(base, transport).withSession(fx.sessions[i])
		wg.Go(func() { articleWriter(a, l, fmt.Sprintf("rel-a%02d", i), 3, over) })
	}
	for i := range hotArticleClients {
		a := newAgent(base, transport).withSession(fx.sessions[articleClients+i])
		wg.Go(func() { hotArticleEditor(a, l, fx.hotArticle, fmt.Sprintf("hot-a%02d", i), &hotArticles, over) })
	}
	wg.Wait()
	transport.CloseIdleConnections()
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	for _, f := range l.failures {
		t.Error(f)
	}

	db := openSQL(t, fx.db)
	if got := integrityCheck(t, db); got != "ok" {
		t.Errorf("integrity_check: %s", got)
	}
	notes := checkCreates(t, "note", storedByMarker(t, db, "note", "rel-n"), l.notes, l.attempted)
	articles := checkCreates(t, "article", storedByMarker(t, db, "article", "rel-a"), l.articles, l.attempted)
	for id, edits := range l.noteEdits {
		checkVersions(t, db, "note", id, edits)
	}
	for id, edits := range l.artEdits {
		checkVersions(t, db, "article", id, edits)
	}
	// Notes and articles that were never edited stay at version 1.
	checkVersions(t, db, "note", fx.hotNote, l.noteEdits[fx.hotNote])
	checkVersions(t, db, "article", fx.hotArticle, l.artEdits[fx.hotArticle])
	// The first round of each hot edit starts from version 1 for everyone:
	// exactly one wins it, so there are at least n-1 clean refusals.
	if l.conflicts["note"] < hotNoteClients-1 || l.conflicts["article"] < hotArticleClients-1 {
		t.Errorf("clean refusals: %d notes, %d articles; want at least %d and %d",
			l.conflicts["note"], l.conflicts["article"], hotNoteClients-1, hotArticleClients-1)
	}
	edits := 0
	for _, e := range l.noteEdits {
		edits += len(e)
	}
	for _, e := range l.artEdits {
		edits += len(e)
	}
	t.Logf("64 clients for %s: notes created: %d acknowledged, %d found; articles created: %d acknowledged, %d found; "+
		"edits acknowledged %d (hot note %d, hot article %d), refused as conflicts: %d notes (412), %d articles (409)",
		burst, len(l.notes), notes, len(l.articles), articles, edits, len(l.noteEdits[fx.hotNote]), len(l.artEdits[fx.hotArticle]),
		l.conflicts["note"], l.conflicts["article"])
	if len(l.notes) == 0 || len(l.articles) == 0 {
		t.Errorf("nothing was written: %d notes, %d articles", len(l.notes), len(l.articles))
	}
}

func TestCrashMidBurstLosesNoAcknowledgedWrite(t *testing.T) {
	const writers, killAfter = 16, 150
	fx := newFixture(t, writers/2, 0, writers/2)
	p := startProcess(t, fx.dir)
	transport := sharedTransport()
	l := newLedger()
	dead := make(chan struct{})
	stopped := func() bool {
		select {
		case <-dead:
			return true
		default:
			return false
		}
	}

	var wg sync.WaitGroup
	for i := range writers / 2 {
		a := newAgent(p.url, transport)
		a.token = fx.noteTokens[i]
		wg.Go(func() { noteWriter(a, l, fx.article, fmt.Sprintf("rel-n%02d", i), 0, stopped) })
		e := newAgent(p.url, transport).withSession(fx.sessions[i])
		wg.Go(func() { articleWriter(e, l, fmt.Sprintf("rel-a%02d", i), 0, stopped) })
	}
	// Kill the server once enough writes are acknowledged, with the writers
	// still going: some requests are in flight when it dies.
	waitUntil(t, "writes before the kill", func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.notes)+len(l.articles) >= killAfter || len(l.failures) > 0
	})
	if err := l.kill(p.cmd.Process); err != nil {
		t.Fatal(err)
	}
	close(dead)
	var exit *exec.ExitError
	if err := p.wait(); !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the server was not killed: %v", err)
	}
	wg.Wait()
	for _, f := range l.failures {
		t.Error(f)
	}
	notesAcked, articlesAcked := l.snapshot()
	if len(notesAcked)+len(articlesAcked) < killAfter {
		t.Fatalf("only %d writes were acknowledged before the kill", len(notesAcked)+len(articlesAcked))
	}

	// Restart on the same data directory.
	p = startProcess(t, fx.dir)
	res, err := http.Get(p.url + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("healthz after restart: %v %v", res, err)
	}
	res.Body.Close()
	db := openSQL(t, fx.db)
	if got := integrityCheck(t, db); got != "ok" {
		t.Errorf("integrity_check after the crash: %s", got)
	}
	notes := checkCreates(t, "note", storedByMarker(t, db, "note", "rel-n"), notesAcked, l.attempted)
	articles := checkCreates(t, "article", storedByMarker(t, db, "article", "rel-a"), articlesAcked, l.attempted)
	// A write in flight at the kill may have committed without its answer
	// arriving; there is at most one per writer.
	if extra := notes + articles - len(notesAcked) - len(articlesAcked); extra < 0 || extra > writers {
		t.Errorf("%d writes found beyond the acknowledged ones, want 0..%d", extra, writers)
	}
	// The restarted server serves what was acknowledged.
	a := newAgent(p.url, transport)
	for marker, id := range notesAcked {
		r, err := a.send(http.MethodGet, views.AnnotationURL(id), "", "", map[string]string{"Accept": ldType})
		if err != nil || r.status != http.StatusOK || !strings.Contains(r.body, marker) {
			t.Errorf("note %d (%s) after restart: %v %d", id, marker, err, r.status)
			break
		}
	}
	t.Logf("SIGKILL mid-burst: %d writes acknowledged before the kill (%d notes, %d articles), %d found after restart (%d notes, %d articles); %d requests cut by the kill",
		len(notesAcked)+len(articlesAcked), len(notesAcked), len(articlesAcked), notes+articles, notes, articles, l.cut)

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(); err != nil {
		t.Errorf("the restarted server did not stop cleanly: %v\n%s", err, p.stderr.String())
	}
}

func TestSIGTERMLetsInFlightWritesFinish(t *testing.T) {
	const notes, articles = 4, 4
	fx := newFixture(t, notes, 0, articles)
	p := startProcess(t, fx.dir)
	addr := strings.TrimPrefix(p.url, "http://")

	// Each write is sent up to the middle of its body: the server has the
	// request and waits for the rest, as it would for a slow client. The
	// request asks for "100 Continue", which the server sends once a handler
	// starts reading the body; waiting for it proves the request is in flight
	// in the server (not merely queued in the kernel's accept backlog, where
	// closing the listener would drop it before the server ever saw it).
	type inflight struct {
		marker string
		conn   net.Conn
		answer *bufio.Reader
		rest   string
		want   int
	}
	var requests []inflight
	send := func(marker, head, body string, want int) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		half := len(body) / 2
		if _, err := io.WriteString(conn, fmt.Sprintf("%sExpect: 100-continue\r\nContent-Length: %d\r\n\r\n%s", head, len(body), body[:half])); err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		answer := bufio.NewReader(conn)
		interim, err := http.ReadResponse(answer, nil)
		if err != nil || interim.StatusCode != http.StatusContinue {
			t.Fatalf("%s: want 100 Continue before the rest of the body, got %v %v", marker, interim, err)
		}
		requests = append(requests, inflight{marker: marker, conn: conn, answer: answer, rest: body[half:], want: want})
	}
	for i := range notes {
		marker := fmt.Sprintf("term-n%d", i)
		a := &agent{base: p.url}
		head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nAccept: %s\r\n",
			views.AnnotationContainerURL(fx.article), addr, fx.noteTokens[i], ldType, ldType)
		send(marker, head, a.noteDoc(fx.article, marker), http.StatusCreated)
	}
	for i := range articles {
		marker := fmt.Sprintf("term-a%d", i)
		e := newAgent(p.url, http.DefaultTransport).withSession(fx.sessions[i])
		if _, err := e.loadForm(views.RouteArticleNew); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(p.url)
		var cookies []string
		for _, c := range e.http.Jar.Cookies(u) {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		form := articleFields(marker, marker+" body.")
		form.Set("_csrf", e.csrf)
		head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: text/html\r\n",
			views.RouteArticleCreate, addr, strings.Join(cookies, "; "))
		send(marker, head, form.Encode(), http.StatusSeeOther)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitForLog("shutting down")
	select {
	case err := <-p.exited:
		t.Fatalf("the server exited with %d requests unfinished: %v\n%s", len(requests), err, p.stderr.String())
	default:
	}
	for _, r := range requests {
		if _, err := io.WriteString(r.conn, r.rest); err != nil {
			t.Fatalf("%s: finish the body: %v", r.marker, err)
		}
	}
	for _, r := range requests {
		res, err := http.ReadResponse(r.answer, nil)
		if err != nil {
			t.Errorf("%s: cut without an answer: %v", r.marker, err)
			continue
		}
		res.Body.Close()
		if res.StatusCode != r.want {
			t.Errorf("%s: status %d, want %d", r.marker, res.StatusCode, r.want)
		}
	}
	if err := p.wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, p.stderr.String())
	}
	if !strings.Contains(p.stderr.String(), "stopped cleanly") {
		t.Errorf("no clean stop logged:\n%s", p.stderr.String())
	}
	db := openSQL(t, fx.db)
	for _, r := range requests {
		kind := "note"
		if strings.HasPrefix(r.marker, "term-a") {
			kind = "article"
		}
		if got := storedByMarker(t, db, kind, r.marker)[r.marker]; len(got) != 1 {
			t.Errorf("%s %s finished during shutdown but is stored %d times", kind, r.marker, len(got))
		}
	}
}
