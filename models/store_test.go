package models

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"newsgloss/models/testdb"
)

// testClock is a settable clock for Options.Now, safe to read from many goroutines.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openTestStore opens (or re-opens) the database at target (from
// testdb.Target, or an SQLite path) and closes it when the test ends.
func openTestStore(t testing.TB, target string, opts Options) *Store {
	t.Helper()
	s, err := Open(t.Context(), target, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", target, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// newTestStore opens a fresh database in the test's temporary directory with
// a fixed clock.
func newTestStore(t testing.TB) (*Store, *testClock) {
	t.Helper()
	clock := newTestClock()
	s := openTestStore(t, testdb.Target(t), Options{Now: clock.Now})
	return s, clock
}

// newSQLiteTestStore opens a fresh SQLite database whatever engine the run
// uses, for tests of what only SQLite has (pragmas, FTS5, query plans).
func newSQLiteTestStore(t testing.TB) (*Store, *testClock) {
	t.Helper()
	clock := newTestClock()
	s := openTestStore(t, filepath.Join(t.TempDir(), "test.db"), Options{Now: clock.Now})
	return s, clock
}

// tableExists tells whether the store's database has the table.
func tableExists(t testing.TB, s *Store, table string) bool {
	t.Helper()
	var n int
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if s.Dialect() == Postgres {
		q = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?"
	}
	if err := s.read.Raw(q, table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// countRows counts every row of a table (soft-deleted ones included).
func countRows(t testing.TB, s *Store, table string) int64 {
	t.Helper()
	var n int64
	if err := s.read.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// tableCounts snapshots the size of every application table.
func tableCounts(t testing.TB, s *Store) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"users", "sessions", "outlets", "articles", "article_revisions", "audit_entries", "settings"} {
		out[table] = countRows(t, s, table)
	}
	return out
}

func assertSameCounts(t testing.TB, before, after map[string]int64) {
	t.Helper()
	for table, n := range before {
		if after[table] != n {
			t.Errorf("table %s: %d rows before, %d after", table, n, after[table])
		}
	}
}

// mustCreateUser creates an account (one argon2id hash: use sparingly).
func mustCreateUser(t testing.TB, s *Store, actor *User, email string, role Role) *User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), actor, NewUser{Email: email, Name: "Test " + string(role), Password: "correct horse battery", Role: role})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

// validArticle is an input every rule accepts.
func validArticle() ArticleInput {
	return ArticleInput{
		Title:       "Harbour reopens after storm",
		NewOutlet:   "The Test Gazette",
		Byline:      "By Ann Writer",
		SourceURL:   "https://gazette.example/news/harbour-reopens",
		PublishedAt: "2025-03-14T09:30",
		Status:      string(StatusPublished),
		BodyFormat:  "markdown",
		Body:        "The harbour **reopened** on Friday.\n\nShips queued outside since Tuesday.",
	}
}

func mustCreateArticle(t testing.TB, s *Store, actor *User, in ArticleInput) *Article {
	t.Helper()
	a, err := s.CreateArticle(t.Context(), actor, in)
	if err != nil {
		t.Fatalf("CreateArticle(%q): %v", in.Title, err)
	}
	return a
}

// wantCode fails the test unless err is an application error with the code.
func wantCode(t testing.TB, err error, code ErrorCode) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want an application error with code %s", err, code)
	}
}

// auditEntriesFor returns the audit entries about one subject, oldest first.
func auditEntriesFor(t testing.TB, s *Store, subjectType string, id uint) []AuditEntry {
	t.Helper()
	var entries []AuditEntry
	if err := s.read.Where("subject_type = ? AND subject_id = ?", subjectType, id).Order("id").Find(&entries).Error; err != nil {
		t.Fatalf("load audit entries: %v", err)
	}
	return entries
}
