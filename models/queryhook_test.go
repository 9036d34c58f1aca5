package models

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestDataVersion checks the validator pages rely on: it stays put while
// nothing is written, and moves after a commit by the store itself and after
// one by another process's connection.
func TestDataVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.db")
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
	other, err := sql.Open("sqlite3", SQLiteDSN(path, true))
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
	s := openTestStore(t, filepath.Join(t.TempDir(), "q.db"), Options{OnQuery: func(_ context.Context, q string) {
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
