package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/sqlite"

	"newsgloss/models"
	"newsgloss/views"
)

// runCommand runs a subcommand as main would and returns its output.
func runCommand(args ...string) (string, error) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env(nil), strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

// checkDSN opens any SQLite file for checks without writing to it, and
// without changing its journal mode as the application's DSN would. It is not
// mode=ro: a read-only connection cannot remove the -shm file when it closes.
func checkDSN(path string) string { return "file:" + path + "?mode=rw&_query_only=true" }

// openFile opens a database file for checks until the test ends.
func openFile(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open(sqlite.DriverName, checkDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var checkedTables = []string{"users", "outlets", "articles", "article_revisions", "annotations", "annotation_edits",
	"audit_entries", "api_tokens", "schema_migrations"}

func tableSizes(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range checkedTables {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// waitUntil polls cond, bounded; it is for progress, never for a verdict on timing.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(40 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

func TestBackupOfALiveDatabaseRestoresEverythingAcknowledgedBeforeIt(t *testing.T) {
	const writers = 8
	fx := newFixture(t, writers, 0, 0)
	base, stop := startServer(t, fx.dir, "--feed-refresh", "off")
	transport := sharedTransport()
	l := newLedger()
	done := make(chan struct{})
	stopping := func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
	var wg sync.WaitGroup
	for i := range writers {
		a := newAgent(base, transport)
		a.token = fx.noteTokens[i]
		wg.Go(func() { noteWriter(a, l, fx.article, "bak-n"+itoa(i), 0, stopping) })
	}
	failed := func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.failures) > 0
	}

	// Mid-burst: the writers keep going through the backup and after it.
	waitUntil(t, "writes before the backup", func() bool { return l.acknowledged() >= 60 || failed() })
	before, _ := l.snapshot()
	out := filepath.Join(t.TempDir(), "newsgloss-backup.db")
	output, err := runCommand("backup", "--data-dir", fx.dir, "--out", out)
	if err != nil {
		close(done)
		wg.Wait()
		t.Fatalf("web backup: %v\n%s", err, output)
	}
	atBackupEnd := l.acknowledged()
	waitUntil(t, "writes after the backup", func() bool { return l.acknowledged() >= atBackupEnd+20 || failed() })

	// An existing file is kept unless --force; with it, it is replaced.
	if output, err := runCommand("backup", "--data-dir", fx.dir, "--out", out); err == nil || !strings.Contains(output+err.Error(), "already exists") {
		t.Errorf("a second backup onto the same file: %v\n%s", err, output)
	}
	occupied := filepath.Join(t.TempDir(), "occupied.db")
	if err := os.WriteFile(occupied, []byte("an operator's file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := runCommand("backup", "--data-dir", fx.dir, "--out", occupied); err == nil {
		t.Error("backup replaced an existing file without --force")
	}
	if b, _ := os.ReadFile(occupied); string(b) != "an operator's file" {
		t.Errorf("a refused backup changed the existing file: %q", truncate(string(b), 40))
	}
	if output, err := runCommand("backup", "--data-dir", fx.dir, "--out", occupied, "--force"); err != nil {
		t.Errorf("backup --force: %v\n%s", err, output)
	} else if got := integrityCheck(t, openFile(t, occupied)); got != "ok" {
		t.Errorf("backup --force wrote a file whose integrity_check is %s", got)
	}
	// Restoring over the live database is refused and leaves it serving.
	if output, err := runCommand("restore", "--from", out, "--data-dir", fx.dir); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore over a running server: %v\n%s", err, output)
	}
	if res, err := http.Get(base + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("healthz after the refused restore: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	close(done)
	wg.Wait()
	transport.CloseIdleConnections()
	for _, f := range l.failures {
		t.Errorf("writer: %s", f)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	m := regexp.MustCompile(`^backed up .+ to .+: .*?(\d+) bytes\)?, schema version (\d+), integrity ok, in (\S+)\n$`).FindStringSubmatch(output)
	if m == nil {
		t.Fatalf("backup output %q", output)
	}
	backupDB := openFile(t, out)
	if got := integrityCheck(t, backupDB); got != "ok" {
		t.Fatalf("integrity_check of the backup: %s", got)
	}
	inBackup := storedByMarker(t, backupDB, "note", "bak-n")
	found := checkCreates(t, "note", inBackup, before, l.attempted)
	backupSizes := tableSizes(t, backupDB)

	// Restore into a fresh data directory and serve it.
	restored := t.TempDir()
	output, err = runCommand("restore", "--from", out, "--data-dir", restored)
	if err != nil || !strings.Contains(output, "start the server") || strings.Contains(output, "kept as") {
		t.Fatalf("web restore: %v\n%s", err, output)
	}
	base, stop = startServer(t, restored, "--feed-refresh", "off")
	reader := newAgent(base, http.DefaultTransport)
	for marker, id := range before {
		r, err := reader.send(http.MethodGet, views.AnnotationURL(id), "", "", map[string]string{"Accept": ldType})
		if err != nil || r.status != http.StatusOK || !strings.Contains(r.body, marker) {
			t.Errorf("note %d (%s) on the restored server: %v, status %d", id, marker, err, r.status)
			break
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	restoredDB := openSQL(t, filepath.Join(restored, "newsgloss.db"))
	if got := tableSizes(t, restoredDB); !equalSizes(got, backupSizes) {
		t.Errorf("rows after restoring and serving: %v, in the backup: %v", got, backupSizes)
	}
	// The restored notes are the live database's notes, id for id.
	live := storedByMarker(t, openSQL(t, fx.db), "note", "bak-n")
	for marker, rows := range storedByMarker(t, restoredDB, "note", "bak-n") {
		if len(live[marker]) != 1 || live[marker][0] != rows[0] {
			t.Errorf("restored note %s %+v differs from the live one %+v", marker, rows, live[marker])
		}
	}
	t.Logf("backup mid-burst: %s, schema version %s, in %s; %d notes acknowledged before it began, %d in the backup; %d acknowledged in all",
		formatBytes(atoi(m[1])), m[2], m[3], len(before), found, len(l.notes))
}

func atoi(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}

func equalSizes(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBackupRefusals(t *testing.T) {
	empty := t.TempDir()
	out := filepath.Join(t.TempDir(), "b.db")
	if _, err := runCommand("backup", "--data-dir", empty); err != errUsage {
		t.Errorf("backup without --out: %v, want the usage", err)
	}
	output, err := runCommand("backup", "--data-dir", empty, "--out", out)
	if err == nil || !strings.Contains(err.Error(), "no database to back up") {
		t.Errorf("backup of a missing database: %v\n%s", err, output)
	}
	for _, p := range []string{filepath.Join(empty, "newsgloss.db"), out} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("a failed backup created %s", p)
		}
	}

	// Not even --force writes a backup over the database it copies.
	dir := newsglossDB(t, false)
	live := filepath.Join(dir, "newsgloss.db")
	output, err = runCommand("backup", "--data-dir", dir, "--out", live, "--force")
	if err == nil || !strings.Contains(err.Error(), "is the database itself") {
		t.Errorf("backup onto the database: %v\n%s", err, output)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*")); len(leftovers) != 1 {
		t.Errorf("the data directory holds %v after a refused backup", leftovers)
	}
}

// newsglossDB makes a stopped data directory: the schema only, or with the demo content.
func newsglossDB(t *testing.T, demo bool) string {
	t.Helper()
	dir := t.TempDir()
	store, err := models.OpenSQLite(context.Background(), filepath.Join(dir, "newsgloss.db"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if demo {
		if _, err := store.LoadDemo(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// variant copies a good backup to a new file and lets change spoil it.
func variant(t *testing.T, good, name string, change func(path string)) string {
	t.Helper()
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	change(path)
	return path
}

func execSQL(t *testing.T, path, statement string) {
	t.Helper()
	db, err := sql.Open(sqlite.DriverName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(statement); err != nil {
		t.Fatal(err)
	}
}

// articleCount counts a file's articles and closes it again (an open
// connection would make restore refuse, rightly).
func articleCount(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open(sqlite.DriverName, checkDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM articles").Scan(&n); err != nil {
		t.Fatalf("count articles in %s: %v", path, err)
	}
	return n
}

func TestRestoreRefusesWhatItCannotTrust(t *testing.T) {
	source := newsglossDB(t, true)
	good := filepath.Join(t.TempDir(), "good.db")
	if output, err := runCommand("backup", "--data-dir", source, "--out", good); err != nil {
		t.Fatalf("backup: %v\n%s", err, output)
	}
	target := newsglossDB(t, false)
	targetDB := filepath.Join(target, "newsgloss.db")

	latest, err := models.LatestSchemaVersion()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, want string
	}{
		{"missing", filepath.Join(t.TempDir(), "nothing.db"), "no backup to restore"},
		{"not a database", writeFile(t, "notes.txt", strings.Repeat("not SQLite at all\n", 400)), "file is not a database"},
		{"another application's database", variant(t, good, "other.db", func(p string) {
			execSQL(t, p, "DROP TABLE schema_migrations")
		}), "not a Newsgloss database"},
		{"from a newer Newsgloss", variant(t, good, "newer.db", func(p string) {
			execSQL(t, p, "INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')")
		}), "schema version 9999, newer than this binary's " + itoa(latest)},
		{"corrupt", variant(t, good, "corrupt.db", func(p string) { corruptPage(t, p, 2) }), "malformed"},
		{"an index that disagrees with its table", variant(t, good, "index.db", func(p string) {
			// The index's stored entries are source addresses; declared on
			// titles, every entry is wrong.
			execSQL(t, p, `PRAGMA writable_schema = ON;
				UPDATE sqlite_schema SET sql = 'CREATE INDEX articles_source_url ON articles (title) WHERE source_url <> '''''
				WHERE name = 'articles_source_url'`)
		}), "integrity check failed: "},
		{"the database itself", targetDB, "is the database itself"},
	}
	for _, tc := range cases {
		output, err := runCommand("restore", "--from", tc.from, "--data-dir", target)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q\n%s", tc.name, err, tc.want, output)
		}
		leftovers, _ := filepath.Glob(filepath.Join(target, "*"))
		if len(leftovers) != 1 || leftovers[0] != targetDB {
			t.Errorf("%s: the data directory holds %v after a refused restore", tc.name, leftovers)
		}
		if n := articleCount(t, targetDB); n != 0 {
			t.Errorf("%s: the database has %d articles after a refused restore", tc.name, n)
		}
	}

	// The good backup replaces the database, which is kept beside it.
	output, err := runCommand("restore", "--from", good, "--data-dir", target)
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, output)
	}
	kept := regexp.MustCompile(`kept as (\S+)\n`).FindStringSubmatch(output)
	if kept == nil {
		t.Fatalf("restore does not say where the replaced database is:\n%s", output)
	}
	if n := articleCount(t, kept[1]); n != 0 {
		t.Errorf("the kept database has %d articles, want the replaced one's 0", n)
	}
	if got, want := articleCount(t, targetDB), articleCount(t, good); got != want || got == 0 {
		t.Errorf("restored database has %d articles, the backup %d", got, want)
	}
	if got := integrityCheck(t, openFile(t, targetDB)); got != "ok" {
		t.Errorf("integrity_check after restore: %s", got)
	}
}

// corruptPage overwrites the start of a page of a database file.
func corruptPage(t *testing.T, path string, page int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header := make([]byte, 100)
	if _, err := io.ReadFull(f, header); err != nil {
		t.Fatal(err)
	}
	size := int64(binary.BigEndian.Uint16(header[16:18]))
	if size == 1 {
		size = 65536
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 64), size*int64(page-1)); err != nil {
		t.Fatal(err)
	}
}
