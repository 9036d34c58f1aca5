package models

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"

	"newsgloss/models/testdb"
)

// TestDataVersion checks the validator pages rely on: it stays put while
// nothing is written, and moves after a commit by the store itself and after
// one by another process's connection.
func TestDataVersion(t *testing.T) {
	path := testdb.Target(t)
	s := openTestStore(t, path, Options{})
	ctx := t.Context()
	v0, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ListTimelines(ctx); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.DataVersion(ctx); v != v0 {
		t.Fatalf("a read changed the version: %d → %d", v0, v)
	}
	if _, err := s.CreateUser(ctx, nil, NewUser{Email: "v@example.org", Name: "V", Role: RoleReader, Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	v1, _ := s.DataVersion(ctx)
	if v1 == v0 {
		t.Fatalf("the store's own commit left the version at %d", v0)
	}
	driver, dsn := "sqlite3", SQLiteDSN(path, true)
	if s.Dialect() == Postgres {
		driver, dsn = "pgx", path
	}
	other, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec("INSERT INTO settings (key, value) VALUES ('elsewhere', 'x')"); err != nil {
		t.Fatal(err)
	}
	if v2, _ := s.DataVersion(ctx); v2 == v1 {
		t.Fatalf("another connection's commit left the version at %d", v1)
	}
}

// TestOnQuery checks that the hook sees every statement with its arguments,
// including those of preloads.
func TestOnQuery(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	s := openTestStore(t, testdb.Target(t), Options{OnQuery: func(_ context.Context, q string) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, q)
	}})
	mu.Lock()
	seen = nil
	mu.Unlock()
	if _, err := s.ListAnnotations(t.Context(), nil, AnnotationFilter{ArticleID: 4242}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || !strings.Contains(seen[0], "article_id = 4242") {
		t.Fatalf("statements seen: %q; want the one listing query with its argument", seen)
	}
}

// TestEveryTableBumpsDataVersion checks, on PostgreSQL, that every table has
// the trigger that moves data_version (migration 0011): a table added later
// without it would let cached pages outlive its changes.
func TestEveryTableBumpsDataVersion(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("SQLite's PRAGMA data_version covers every table by itself; this runs in the PostgreSQL pass")
	}
	s := openTestStore(t, testdb.Target(t), Options{})
	var missing []string
	err := s.read.Raw(`SELECT tablename FROM pg_tables t WHERE schemaname = current_schema()
		AND tablename NOT IN ('data_version', 'schema_migrations')
		AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = (quote_ident(t.schemaname) || '.' || quote_ident(t.tablename))::regclass
			AND g.tgname = t.tablename || '_bump_data_version')
		ORDER BY tablename`).Scan(&missing).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("tables without the data_version trigger: %v", missing)
	}
}
