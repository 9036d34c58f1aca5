package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"newsgloss/models"
	"newsgloss/models/testdb"
)

func runSearchCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env(nil), strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

// TestGenCorpusThenReindex runs on the suite's engine: the data directory's
// SQLite file, or a PostgreSQL schema of its own.
func TestGenCorpusThenReindex(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "newsgloss.db")
	dbArgs := []string{"--data-dir", dir}
	if testdb.Postgres() {
		target = testdb.Target(t)
		dbArgs = []string{"--database-url", target}
	}
	withDB := func(args ...string) []string { return append(args, dbArgs...) }
	out, err := runSearchCommand(t, withDB("gen-corpus", "--articles", "120", "--batch", "50", "--seed", "3")...)
	if err != nil {
		t.Fatalf("gen-corpus: %v\n%s", err, out)
	}
	for _, want := range []string{"generating 120 articles into", "120/120 articles (100%)", "generated 120 articles ("} {
		if !strings.Contains(out, want) {
			t.Errorf("gen-corpus output lacks %q:\n%s", want, out)
		}
	}
	store, err := models.Open(context.Background(), target, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if n, err := store.CountRows(context.Background(), "articles"); err != nil || n != 120 {
		t.Errorf("%d articles after gen-corpus (%v)", n, err)
	}
	if out, err := runSearchCommand(t, withDB("reindex", "--check")...); err != nil || !strings.Contains(out, "matches its content") {
		t.Fatalf("reindex --check on a fresh corpus: %v\n%s", err, out)
	}

	// Empty the index behind the triggers' back: the check notices, a rebuild repairs.
	dialector, wreck := sqlite.Open(models.SQLiteDSN(target, true)), "INSERT INTO search_index (search_index) VALUES ('delete-all')"
	if testdb.Postgres() {
		dialector, wreck = postgres.Open(target), "UPDATE search_docs SET tsv = ''"
	}
	db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(wreck).Error; err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
	out, err = runSearchCommand(t, withDB("reindex", "--check")...)
	if err == nil || !strings.Contains(err.Error(), "web reindex") {
		t.Fatalf("reindex --check on an emptied index: %v\n%s", err, out)
	}
	out, err = runSearchCommand(t, withDB("reindex")...)
	if err != nil {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	for _, want := range []string{"rebuilding the search index of", "collecting the searchable documents…", "indexing ", "rows (100%)", "merging the index…", "done in "} {
		if !strings.Contains(out, want) {
			t.Errorf("reindex output lacks %q:\n%s", want, out)
		}
	}
	if out, err := runSearchCommand(t, withDB("reindex", "--check")...); err != nil {
		t.Fatalf("reindex --check after the rebuild: %v\n%s", err, out)
	}
	res, err := store.Search(context.Background(), nil, models.SearchInput{Query: "said"})
	if err != nil || len(res.Results) == 0 {
		t.Errorf("after the rebuild a search for a common word finds %v (%v)", res, err)
	}

	if _, err := runSearchCommand(t, "reindex", "extra"); err == nil {
		t.Error("reindex accepted an argument")
	}
	if _, err := runSearchCommand(t, withDB("gen-corpus", "--articles", "0")...); err == nil {
		t.Error("gen-corpus accepted 0 articles")
	}
}
