package models

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Schema changes are numbered SQL files applied in order, each in its own
// transaction, and recorded in schema_migrations. They are append-only: a
// released file is never edited. We do not use GORM's AutoMigrate: on SQLite it
// rebuilds a table to change a column and silently drops the triggers on it
// (the full-text index's sync triggers among them).

//go:embed migrations/sqlite/*.sql
var sqliteMigrationFiles embed.FS

// sqliteMigrations is the SQLite migration set.
var sqliteMigrations = migrationSet{fsys: sqliteMigrationFiles, dir: "migrations/sqlite"}

// PostgreSQL has its own files, numbered like SQLite's: migration N makes the
// same schema change on both, in each engine's own types and index kinds. A
// number may exist for one engine only when the change concerns only it
// (PostgreSQL's 0011, data_version).
//
//go:embed migrations/postgres/*.sql
var postgresMigrationFiles embed.FS

var postgresMigrations = migrationSet{fsys: postgresMigrationFiles, dir: "migrations/postgres"}

// migrationsFor is the migration set of a dialect.
func migrationsFor(d Dialect) migrationSet {
	if d == Postgres {
		return postgresMigrations
	}
	return sqliteMigrations
}

type migrationSet struct {
	fsys fs.FS
	dir  string
}

type migration struct {
	version int
	name    string
	sql     string
}

func (m migrationSet) load() ([]migration, error) {
	entries, err := fs.ReadDir(m.fsys, m.dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and an underscore", name)
		}
		body, err := fs.ReadFile(m.fsys, path.Join(m.dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("two migrations numbered %d", out[i].version)
		}
	}
	return out, nil
}

// migrate applies every migration the database has not had yet.
func migrate(ctx context.Context, db *gorm.DB, set migrationSet) error {
	db = db.WithContext(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`).Error; err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	migrations, err := set.load()
	if err != nil {
		return err
	}
	var versions []int
	if err := db.Raw("SELECT version FROM schema_migrations").Scan(&versions).Error; err != nil {
		return fmt.Errorf("read applied migrations: %w", err)
	}
	applied := make(map[int]bool, len(versions))
	for _, v := range versions {
		applied[v] = true
	}
	// Every migration not yet recorded is applied, in order: one that a
	// merged branch numbered below the newest applied one is not skipped.
	for _, m := range migrations {
		if applied[m.version] {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(m.sql).Error; err != nil {
				return err
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", m.version, m.name).Error
		})
		if err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
	}
	return nil
}

// SchemaVersion returns the newest applied migration's number.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.reader(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}
