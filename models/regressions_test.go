package models

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Regression tests for bugs found while writing the model tests.

func TestCheckPasswordRejectsDangerousParameters(t *testing.T) {
	for _, h := range []string{
		"$argon2id$v=19$m=65536,t=0,p=2$c29tZXNhbHRzb21lc2FsdA$Jz8ZOvJb4b0pVqYpZ3L0E5ByPzQm9Q2r1n6bqgkq3iU",       // zero rounds: argon2 panics
		"$argon2id$v=19$m=65536,t=3,p=0$c29tZXNhbHRzb21lc2FsdA$Jz8ZOvJb4b0pVqYpZ3L0E5ByPzQm9Q2r1n6bqgkq3iU",       // zero threads: argon2 panics
		"$argon2id$v=19$m=4294967295,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$Jz8ZOvJb4b0pVqYpZ3L0E5ByPzQm9Q2r1n6bqgkq3iU",  // 4 TiB of memory
		"$argon2id$v=19$m=65536,t=4000000,p=2$c29tZXNhbHRzb21lc2FsdA$Jz8ZOvJb4b0pVqYpZ3L0E5ByPzQm9Q2r1n6bqgkq3iU", // hours of work
	} {
		if CheckPassword(h, "anything") {
			t.Errorf("CheckPassword accepted %s", h)
		}
	}
}

func TestDatabasePathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "news#room?100%")
	path := filepath.Join(dir, "test.db")
	s, err := OpenSQLite(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at %s: %v", path, err)
	}
}

func TestSetRoleAuditsTheOldRole(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	admin := mustCreateUser(t, s, nil, "boss@example.org", RoleAdmin)
	u := mustCreateUser(t, s, nil, "someone@example.org", RoleReader)
	if err := s.SetRole(ctx, admin, u.ID, RoleEditor); err != nil {
		t.Fatal(err)
	}
	entries, err := s.RecentAudit(ctx, 1)
	if err != nil || len(entries) != 1 {
		t.Fatal(entries, err)
	}
	if e := entries[0]; e.Action != "user.role" || e.BeforeValue != "reader" || e.AfterValue != "editor" {
		t.Errorf("audit entry %s %q → %q, want user.role reader → editor", e.Action, e.BeforeValue, e.AfterValue)
	}
}

func TestDeleteAndRestoreKeepUpdatedAt(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	a, err := s.CreateArticle(ctx, nil, validArticle())
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(48 * 3600e9)
	if err := s.DeleteArticle(ctx, nil, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RestoreArticle(ctx, nil, a.ID); err != nil {
		t.Fatal(err)
	}
	back, err := s.ArticleByID(ctx, a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if !back.UpdatedAt.Equal(a.UpdatedAt) {
		t.Errorf("updated_at moved from %v to %v by delete and restore", a.UpdatedAt, back.UpdatedAt)
	}
}

func TestUnknownRoleGrantsNothing(t *testing.T) {
	admin := &User{Role: RoleAdmin}
	if admin.Has(Role("")) || admin.Has(Role("chief-editor")) {
		t.Error("an unknown role was granted")
	}
}
