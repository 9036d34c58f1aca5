// Package testdb gives each test its own empty database: a file in the test's
// temporary directory on SQLite, or, when NEWSGLOSS_TEST_DATABASE_URL names a
// PostgreSQL server, a schema of its own there, dropped when the test ends.
// The whole suite runs once per engine (.ci/run does both), so every test
// that touches the database checks both.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvURL is the variable that points the suite at a PostgreSQL server.
const EnvURL = "NEWSGLOSS_TEST_DATABASE_URL"

// Postgres reports whether this run's tests use PostgreSQL.
func Postgres() bool { return os.Getenv(EnvURL) != "" }

// Engine names this run's database engine, for test logs and messages.
func Engine() string {
	if Postgres() {
		return "postgres"
	}
	return "sqlite"
}

var schemaCount atomic.Int64 // schemas made by this process; with the pid, unique per run

// Target returns what models.Open takes for a fresh, empty database: an
// SQLite file under t.TempDir(), or the URL of a new PostgreSQL schema.
func Target(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return filepath.Join(t.TempDir(), "newsgloss.db")
	}
	schema := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemaCount.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("testdb: create schema %s: %v", schema, err)
	}
	t.Cleanup(func() { drop(base, schema) })
	return withSchema(t, base, schema)
}

// withSchema returns base with its connections' search_path set to schema.
func withSchema(t testing.TB, base, schema string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testdb: %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func drop(base, schema string) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A server a test started may still hold connections for a moment.
	for range 3 {
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err == nil || !strings.Contains(err.Error(), "deadlock") {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}
