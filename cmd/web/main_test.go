package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"newsgloss/models"
)

// syncBuffer is a bytes.Buffer safe to read while the server writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// startServer runs `web serve` as main would and returns its URL and a stop function
// that sends the equivalent of SIGTERM and returns run's error.
func startServer(t *testing.T, dataDir string, extra ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &syncBuffer{}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--shutdown-grace", "10s"}, extra...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, env(nil), strings.NewReader(""), stdout, io.Discard) }()

	urlPattern := regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlPattern.FindStringSubmatch(stdout.String()); m != nil {
			stop := func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(30 * time.Second):
					return errors.New("server did not stop within 30 s")
				}
			}
			t.Cleanup(func() { cancel() })
			if !strings.Contains(stdout.String(), "editor@newsgloss.example") && !contains(extra, "--demo=false") {
				t.Errorf("start-up output lacks the demo accounts:\n%s", stdout.String())
			}
			return m[1], stop
		}
		select {
		case err := <-done:
			t.Fatalf("server exited early: %v\n%s", err, stdout.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("server did not print its address:\n%s", stdout.String())
	return "", nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func countRows(t *testing.T, dbPath string) map[string]int64 {
	t.Helper()
	store, err := models.OpenSQLite(context.Background(), dbPath, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	counts := map[string]int64{}
	for _, table := range []string{"users", "outlets", "articles", "article_revisions"} {
		n, err := store.CountRows(context.Background(), table)
		if err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}

func TestServeLoadsDemoOnceAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	url, stop := startServer(t, dir)
	res, err := http.Get(url + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	dbPath := filepath.Join(dir, "newsgloss.db")
	// A clean close checkpoints the write-ahead log and removes it.
	if _, err := os.Stat(dbPath + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the -wal file is still there after shutdown (err=%v): the database was not closed cleanly", err)
	}
	first := countRows(t, dbPath)
	if first["articles"] < 6 || first["outlets"] < 3 || first["users"] != 4 || first["article_revisions"] <= first["articles"] {
		t.Fatalf("demo content after first start: %v", first)
	}

	// A restart adds nothing twice.
	_, stop = startServer(t, dir)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if again := countRows(t, dbPath); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Errorf("after a restart: %v, want %v", again, first)
	}
}

func TestServeWithoutDemoHasNoAccountsOrArticles(t *testing.T) {
	dir := t.TempDir()
	_, stop := startServer(t, dir, "--demo=false")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := countRows(t, filepath.Join(dir, "newsgloss.db")); got["users"] != 0 || got["articles"] != 0 {
		t.Errorf("with --demo=false: %v", got)
	}
}

func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	url, stop := startServer(t, t.TempDir())
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "email=a%40b.example&password=x"
	// Send the headers and half the body: the request is now in flight.
	fmt.Fprintf(conn, "POST /signin HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10])
	time.Sleep(200 * time.Millisecond)

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-stopped:
		t.Fatalf("server stopped before the in-flight request finished: %v", err)
	default:
	}
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the in-flight request got no answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden { // no CSRF token: refused, but answered
		t.Errorf("in-flight request answered %d", res.StatusCode)
	}
	if err := <-stopped; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func TestUserCreateCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	args := []string{"user", "create", "--data-dir", dir, "--email", "Nadia@Example.org", "--role", "fact-checker", "--name", "Nadia", "--password-stdin"}
	if err := run(context.Background(), args, env(nil), strings.NewReader("a long enough secret\n"), &out, &errOut); err != nil {
		t.Fatalf("user create: %v\n%s", err, errOut.String())
	}
	if got := out.String(); got != "created Nadia <nadia@example.org> as Fact-checker\n" {
		t.Errorf("output %q", got)
	}
	store, err := models.OpenSQLite(context.Background(), filepath.Join(dir, "newsgloss.db"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := store.Authenticate(context.Background(), "nadia@example.org", "a long enough secret")
	store.Close()
	if err != nil || u.Role != models.RoleFactChecker {
		t.Fatalf("the new account cannot sign in: %v %v", u, err)
	}

	cases := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"duplicate", []string{"--email", "nadia@example.org", "--role", "reader"}, "another long secret\n", "An account with this email already exists."},
		{"short password", []string{"--email", "x@example.org", "--role", "reader"}, "short\n", "Use at least 10 characters."},
		{"unknown role", []string{"--email", "y@example.org", "--role", "chief"}, "a long enough secret\n", `unknown role "chief"`},
		{"no email", []string{"--role", "reader"}, "a long enough secret\n", "--email is required"},
		{"no password", []string{"--email", "z@example.org"}, "", "no password on standard input"},
	}
	for _, tc := range cases {
		args := append([]string{"user", "create", "--data-dir", dir, "--password-stdin"}, tc.args...)
		err := run(context.Background(), args, env(nil), strings.NewReader(tc.stdin), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestConfigurationFromFlagsAndEnvironment(t *testing.T) {
	cfg, err := parseServeConfig([]string{"--addr", ":9999"}, env(map[string]string{
		"NEWSGLOSS_ADDR": "127.0.0.1:1", "NEWSGLOSS_DEMO": "off", "NEWSGLOSS_SECURE_COOKIES": "true",
		"NEWSGLOSS_LOG_LEVEL": "warn", "DATABASE_URL": "sqlite:/tmp/x.db",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":9999" || cfg.Demo || !cfg.SecureCookies || cfg.LogLevel.String() != "WARN" {
		t.Errorf("config %+v", cfg)
	}
	if p, err := cfg.sqlitePath(); err != nil || p != "/tmp/x.db" {
		t.Errorf("sqlite path %q %v", p, err)
	}
	for _, bad := range [][]string{{"--log-level", "loud"}, {"--log-format", "xml"}, {"--shutdown-grace", "soon"}} {
		if _, err := parseServeConfig(bad, env(nil), io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	pg := config{DatabaseURL: "postgres://news:s3cret@db.internal:5432/newsgloss", MaxConns: 16}
	if _, err := pg.sqlitePath(); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of a postgres URL: %v", err)
	}
	if target, display, err := pg.databaseTarget(); err != nil || target != pg.DatabaseURL || strings.Contains(display, "s3cret") || !strings.Contains(display, "newsgloss on db.internal:5432") {
		t.Errorf("postgres target %q, shown as %q, %v", target, display, err)
	}
	if cfg.MaxConns != 16 {
		t.Errorf("default connections %d, want 16", cfg.MaxConns)
	}
	// A pool size that is no number, or none, is refused, not replaced.
	for _, bad := range []struct {
		args []string
		env  map[string]string
	}{
		{nil, map[string]string{"NEWSGLOSS_DB_MAX_CONNS": "many"}},
		{nil, map[string]string{"NEWSGLOSS_DB_MAX_CONNS": "-2"}},
		{[]string{"--db-max-conns", "0"}, nil},
	} {
		cfg, err := parseServeConfig(bad.args, env(bad.env), io.Discard)
		if err == nil {
			_, _, err = cfg.databaseTarget()
		}
		if err == nil || !strings.Contains(err.Error(), "db-max-conns") {
			t.Errorf("pool size %v %v: %v, want a refusal naming the setting", bad.args, bad.env, err)
		}
	}
}

func TestUnknownCommandShowsUsage(t *testing.T) {
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, env(nil), strings.NewReader(""), io.Discard, &errOut)
	if !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), "Usage:") {
		t.Errorf("err %v, stderr %q", err, errOut.String())
	}
}
