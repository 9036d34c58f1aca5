package models

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"newsgloss/models/testdb"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

type appliedMigration struct {
	Version int
	Name    string
}

func appliedMigrations(t *testing.T, s *Store) []appliedMigration {
	t.Helper()
	var rows []appliedMigration
	if err := s.read.Raw("SELECT version, name FROM schema_migrations ORDER BY version").Scan(&rows).Error; err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return rows
}

func TestMigrationsBringNewDatabaseToNewestVersion(t *testing.T) {
	s := openTestStore(t, testdb.Target(t), Options{})
	files, err := migrationsFor(s.Dialect()).load()
	if err != nil {
		t.Fatalf("load embedded migrations: %v", err)
	}
	if len(files) == 0 {
		t.Fatal("no embedded migrations")
	}
	newest := files[len(files)-1].version

	v, err := s.SchemaVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if v != newest {
		t.Fatalf("SchemaVersion = %d, want newest migration %d", v, newest)
	}

	applied := appliedMigrations(t, s)
	if len(applied) != len(files) {
		t.Fatalf("schema_migrations has %d rows, want one per file (%d): %+v", len(applied), len(files), applied)
	}
	for i, m := range files {
		if applied[i].Version != m.version || applied[i].Name != m.name {
			t.Errorf("schema_migrations row %d = %+v, want version %d name %s", i, applied[i], m.version, m.name)
		}
	}
	// Every table the code relies on exists.
	for _, table := range []string{"users", "sessions", "outlets", "articles", "article_revisions", "audit_entries", "settings"} {
		if !tableExists(t, s, table) {
			t.Errorf("table %s missing after migration", table)
		}
	}
}

func TestReopeningAppliesNothingTwiceAndKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "news.db")
	first, err := OpenSQLite(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := mustCreateUser(t, first, nil, "keep@example.org", RoleEditor)
	a := mustCreateArticle(t, first, u, validArticle())
	before := appliedMigrations(t, first)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	for range 2 {
		s, err := OpenSQLite(t.Context(), path, Options{})
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		after := appliedMigrations(t, s)
		if len(after) != len(before) {
			t.Errorf("after reopening, schema_migrations has %d rows, want %d", len(after), len(before))
		}
		got, err := s.UserByEmail(t.Context(), "keep@example.org")
		if err != nil || got.ID != u.ID || got.Role != RoleEditor {
			t.Errorf("after reopening, UserByEmail = %+v, %v; want the account created before", got, err)
		}
		art, err := s.ArticleByID(t.Context(), a.ID, false)
		if err != nil || art.Title != a.Title || art.Version != 1 {
			t.Errorf("after reopening, ArticleByID = %+v, %v; want the article created before", art, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// rawDB opens an empty SQLite file with the writer's settings, for running
// migration sets other than the application's.
func rawDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(SQLiteDSN(filepath.Join(t.TempDir(), "raw.db"), true)), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(1)
	t.Cleanup(func() { sqlDB.Close() })
	return db
}

func rawApplied(t *testing.T, db *gorm.DB) []appliedMigration {
	t.Helper()
	var rows []appliedMigration
	if err := db.Raw("SELECT version, name FROM schema_migrations ORDER BY version").Scan(&rows).Error; err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return rows
}

func TestMigrateAppliesOnlyNewFilesInOrder(t *testing.T) {
	db := rawDB(t)
	first := migrationSet{dir: "m", fsys: fstest.MapFS{
		"m/0001_notes.sql": {Data: []byte("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\nINSERT INTO notes (body) VALUES ('first');")},
	}}
	if err := migrate(t.Context(), db, first); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	// A later release adds files; out of name order on purpose (10 runs after 2).
	later := migrationSet{dir: "m", fsys: fstest.MapFS{
		"m/0001_notes.sql":  first.fsys.(fstest.MapFS)["m/0001_notes.sql"],
		"m/0010_colour.sql": {Data: []byte("UPDATE notes SET colour = 'blue' WHERE colour = 'red';")},
		"m/0002_more.sql":   {Data: []byte("ALTER TABLE notes ADD COLUMN colour TEXT NOT NULL DEFAULT 'red';\nINSERT INTO notes (body) VALUES ('second');")},
		"m/README.md":       {Data: []byte("not a migration")},
	}}
	for range 2 { // the second run must be a no-op (re-running any file would fail or add rows)
		if err := migrate(t.Context(), db, later); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	got := rawApplied(t, db)
	want := []appliedMigration{{1, "0001_notes.sql"}, {2, "0002_more.sql"}, {10, "0010_colour.sql"}}
	if len(got) != len(want) {
		t.Fatalf("schema_migrations = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("schema_migrations[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	var notes []string
	if err := db.Raw("SELECT body || ':' || colour FROM notes ORDER BY id").Scan(&notes).Error; err != nil {
		t.Fatal(err)
	}
	if strings.Join(notes, ",") != "first:blue,second:blue" {
		t.Errorf("notes = %v, want [first:blue second:blue]: each file applied once, in number order", notes)
	}
}

func TestFailingMigrationChangesNothing(t *testing.T) {
	db := rawDB(t)
	set := migrationSet{dir: "m", fsys: fstest.MapFS{
		"m/0001_ok.sql":     {Data: []byte("CREATE TABLE ok (id INTEGER PRIMARY KEY);")},
		"m/0002_broken.sql": {Data: []byte("CREATE TABLE half (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);")},
		"m/0003_after.sql":  {Data: []byte("CREATE TABLE after_broken (id INTEGER PRIMARY KEY);")},
	}}
	err := migrate(t.Context(), db, set)
	if err == nil || !strings.Contains(err.Error(), "0002_broken.sql") {
		t.Fatalf("migrate with a broken file: err = %v, want an error naming 0002_broken.sql", err)
	}
	if got := rawApplied(t, db); len(got) != 1 || got[0].Version != 1 {
		t.Errorf("schema_migrations after a failed migration = %+v, want only version 1", got)
	}
	for table, want := range map[string]int{"ok": 1, "half": 0, "after_broken": 0} {
		var n int
		db.Raw("SELECT COUNT(*) FROM sqlite_master WHERE name = ?", table).Scan(&n)
		if n != want {
			t.Errorf("table %s: exists=%d, want %d (the failed file rolls back whole; later files do not run)", table, n, want)
		}
	}
}

func TestMigrationLoaderRejectsBadFileNames(t *testing.T) {
	ok := []byte("SELECT 1;")
	tests := []struct {
		name    string
		files   fstest.MapFS
		wantErr string
	}{
		{"same number twice", fstest.MapFS{
			"m/0001_a.sql": {Data: ok}, "m/0002_b.sql": {Data: ok}, "m/2_c.sql": {Data: ok},
		}, "two migrations numbered 2"},
		{"no numeric prefix", fstest.MapFS{
			"m/0001_a.sql": {Data: ok}, "m/foundation.sql": {Data: ok},
		}, "foundation.sql"},
		{"word before the underscore", fstest.MapFS{
			"m/0001_a.sql": {Data: ok}, "m/first_step.sql": {Data: ok},
		}, "first_step.sql"},
		{"missing directory", fstest.MapFS{"other/0001_a.sql": {Data: ok}}, "read migrations"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := migrationSet{fsys: tc.files, dir: "m"}.load()
			if err == nil {
				t.Fatalf("load() = %+v, nil; want an error containing %q", got, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("load() error = %q, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestMigrationLoaderSortsByNumberAndSkipsOtherFiles(t *testing.T) {
	set := migrationSet{dir: "m", fsys: fstest.MapFS{
		"m/0010_c.sql": {Data: []byte("C")},
		"m/0002_b.sql": {Data: []byte("B")},
		"m/1_a.sql":    {Data: []byte("A")},
		"m/notes.txt":  {Data: []byte("ignored")},
	}}
	got, err := set.load()
	if err != nil {
		t.Fatal(err)
	}
	want := []migration{{1, "1_a.sql", "A"}, {2, "0002_b.sql", "B"}, {10, "0010_c.sql", "C"}}
	if len(got) != len(want) {
		t.Fatalf("load() = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("load()[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}
