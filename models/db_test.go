package models

import (
	"database/sql"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// pooledConns takes n distinct connections out of a pool at once, so settings
// are checked on each pooled connection and not only the first. The caller
// must call release before using the pool again (the read pool holds four).
func pooledConns(t *testing.T, g *gorm.DB, n int) (conns []*sql.Conn, release func()) {
	t.Helper()
	db, err := g.DB()
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		c, err := db.Conn(t.Context())
		if err != nil {
			t.Fatalf("take connection: %v", err)
		}
		conns = append(conns, c)
	}
	release = func() {
		for _, c := range conns {
			c.Close()
		}
		conns = nil
	}
	t.Cleanup(release)
	return conns, release
}

func TestConnectionSettingsOnBothPools(t *testing.T) {
	s, _ := newSQLiteTestStore(t)
	writeConns, _ := pooledConns(t, s.write, 1)
	readConns, _ := pooledConns(t, s.read, 4)
	pools := []struct {
		name  string
		conns []*sql.Conn
	}{
		{"write", writeConns},
		{"read", readConns},
	}
	for _, p := range pools {
		for i, c := range p.conns {
			var fk, busy int
			var journal string
			if err := c.QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&journal); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(t.Context(), "PRAGMA busy_timeout").Scan(&busy); err != nil {
				t.Fatal(err)
			}
			if fk != 1 {
				t.Errorf("%s pool connection %d: foreign_keys = %d, want 1", p.name, i, fk)
			}
			if !strings.EqualFold(journal, "wal") {
				t.Errorf("%s pool connection %d: journal_mode = %q, want wal", p.name, i, journal)
			}
			if busy < 5000 {
				t.Errorf("%s pool connection %d: busy_timeout = %d, want at least 5000", p.name, i, busy)
			}
		}
	}
}

func TestReadPoolCannotWrite(t *testing.T) {
	s, _ := newSQLiteTestStore(t)
	conns, release := pooledConns(t, s.read, 4)
	for i, conn := range conns {
		if _, err := conn.ExecContext(t.Context(), "INSERT INTO settings (key, value) VALUES ('probe', 'x')"); err == nil {
			t.Errorf("INSERT through read-pool connection %d succeeded, want it refused (query_only)", i)
		}
	}
	release()
	if err := s.read.Exec("DELETE FROM settings").Error; err == nil {
		t.Error("DELETE through s.read succeeded, want it refused (query_only)")
	}
	if n := countRows(t, s, "settings"); n != 0 {
		t.Errorf("settings has %d rows after refused writes, want 0", n)
	}
	// The write pool does write.
	if err := s.write.Exec("INSERT INTO settings (key, value) VALUES ('probe', 'x')").Error; err != nil {
		t.Fatalf("INSERT through s.write: %v", err)
	}
	if v, ok, err := s.Setting(t.Context(), "probe"); err != nil || !ok || v != "x" {
		t.Errorf("Setting(probe) = %q, %v, %v; want x, true, nil", v, ok, err)
	}
}

func TestForeignKeysAreEnforced(t *testing.T) {
	s, _ := newTestStore(t)
	err := s.write.Exec("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ('h', 999, '2025-01-01', '2025-01-01', '2025-01-02')").Error
	if err == nil {
		t.Fatal("a session for a missing user was stored; want a foreign key error")
	}
	if n := countRows(t, s, "sessions"); n != 0 {
		t.Errorf("sessions has %d rows, want 0", n)
	}
}

func TestSQLiteFeatures(t *testing.T) {
	s, _ := newSQLiteTestStore(t)
	if err := checkSQLiteFeatures(t.Context(), s.write); err != nil {
		t.Fatalf("checkSQLiteFeatures: %v (is the sqlite_fts5 tag set?)", err)
	}
	// FTS5 actually works, not just appears in the compile options.
	if err := s.write.Exec("CREATE VIRTUAL TABLE temp.probe USING fts5(body)").Error; err != nil {
		t.Fatalf("create an fts5 table: %v", err)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestSQLiteDSN(t *testing.T) {
	w := SQLiteDSN("/data/news.db", true)
	r := SQLiteDSN("/data/news.db", false)
	for _, dsn := range []string{w, r} {
		for _, want := range []string{"file:/data/news.db?", "_foreign_keys=on", "_journal_mode=WAL", "_busy_timeout=10000"} {
			if !strings.Contains(dsn, want) {
				t.Errorf("DSN %q lacks %q", dsn, want)
			}
		}
	}
	if !strings.Contains(w, "_txlock=immediate") || strings.Contains(w, "_query_only") {
		t.Errorf("writer DSN %q: want _txlock=immediate and no _query_only", w)
	}
	if !strings.Contains(r, "_query_only=true") || strings.Contains(r, "_txlock") {
		t.Errorf("reader DSN %q: want _query_only=true and no _txlock", r)
	}
}

func TestWithCustomPlans(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u@h:5432/db", "postgres://u@h:5432/db?plan_cache_mode=force_custom_plan"},
		{"postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable&plan_cache_mode=force_custom_plan"},
		{"postgres://", "postgres://?plan_cache_mode=force_custom_plan"}, // libpq's defaults
		{"postgres:///db?host=/run/postgresql", "postgres:///db?host=/run/postgresql&plan_cache_mode=force_custom_plan"},
		{"postgres://u@h/db?plan_cache_mode=auto", "postgres://u@h/db?plan_cache_mode=auto"}, // the operator's choice stands
	} {
		if got := withCustomPlans(tc.in); got != tc.want {
			t.Errorf("withCustomPlans(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
