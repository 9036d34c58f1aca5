package models

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
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
	files, err := sqliteMigrations.load()
	if err != nil {
		t.Fatalf("load embedded migrations: %v", err)
	}
	if len(files) == 0 {
		t.Fatal("no embedded migrations")
	}
	newest := files[len(files)-1].version

	path := filepath.Join(t.TempDir(), "news.db")
	s := openTestStore(t, path, Options{})
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
		var n int
		s.read.Raw("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n)
		if n != 1 {
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

func TestMigrateAppliesOnlyNewFilesInOrder(t *testing.T) {
	s, _ := newTestStore(t)
	foundation, err := sqliteMigrationFiles.ReadFile("migrations/sqlite/0001_foundation.sql")
	if err != nil {
		t.Fatal(err)
	}
	set := migrationSet{dir: "m", fsys: fstest.MapFS{
		"m/0001_foundation.sql": {Data: foundation},
		// Out of name order on purpose: 10 runs after 2.
		"m/0010_more.sql":  {Data: []byte("ALTER TABLE notes ADD COLUMN colour TEXT NOT NULL DEFAULT 'red';")},
		"m/0002_notes.sql": {Data: []byte("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\nINSERT INTO notes (body) VALUES ('first');")},
		"m/README.md":      {Data: []byte("not a migration")},
	}}
	for range 2 { // the second run must be a no-op (re-running either file would fail or duplicate the row)
		if err := migrate(t.Context(), s.write, set); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	got := appliedMigrations(t, s)
	want := []appliedMigration{{1, "0001_foundation.sql"}, {2, "0002_notes.sql"}, {10, "0010_more.sql"}}
	if len(got) != len(want) {
		t.Fatalf("schema_migrations = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("schema_migrations[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	var notes []struct {
		Body   string
		Colour string
	}
	if err := s.read.Raw("SELECT body, colour FROM notes").Scan(&notes).Error; err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || notes[0].Body != "first" || notes[0].Colour != "red" {
		t.Errorf("notes = %+v, want exactly one row {first red}", notes)
	}
}

func TestFailingMigrationChangesNothing(t *testing.T) {
	s, _ := newTestStore(t)
	foundation, err := sqliteMigrationFiles.ReadFile("migrations/sqlite/0001_foundation.sql")
	if err != nil {
		t.Fatal(err)
	}
	set := migrationSet{dir: "m", fsys: fstest.MapFS{
		"m/0001_foundation.sql": {Data: foundation},
		"m/0002_broken.sql":     {Data: []byte("CREATE TABLE half (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);")},
	}}
	err = migrate(t.Context(), s.write, set)
	if err == nil || !strings.Contains(err.Error(), "0002_broken.sql") {
		t.Fatalf("migrate with a broken file: err = %v, want an error naming 0002_broken.sql", err)
	}
	if v, _ := s.SchemaVersion(t.Context()); v != 1 {
		t.Errorf("SchemaVersion after a failed migration = %d, want 1", v)
	}
	var n int
	s.read.Raw("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").Scan(&n)
	if n != 0 {
		t.Error("the failed migration's first statement was kept: table half exists")
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
