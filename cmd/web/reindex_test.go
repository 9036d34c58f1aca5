package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"newsgloss/models"
)

func runSearchCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env(nil), strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestGenCorpusThenReindex(t *testing.T) {
	dir := t.TempDir()
	out, err := runSearchCommand(t, "gen-corpus", "--data-dir", dir, "--articles", "120", "--batch", "50", "--seed", "3")
	if err != nil {
		t.Fatalf("gen-corpus: %v\n%s", err, out)
	}
	for _, want := range []string{"generating 120 articles into", "120/120 articles (100%)", "generated 120 articles ("} {
		if !strings.Contains(out, want) {
			t.Errorf("gen-corpus output lacks %q:\n%s", want, out)
		}
	}
	if n := countRows(t, filepath.Join(dir, "newsgloss.db"))["articles"]; n != 120 {
		t.Errorf("%d articles after gen-corpus", n)
	}
	if out, err := runSearchCommand(t, "reindex", "--check", "--data-dir", dir); err != nil || !strings.Contains(out, "matches its content") {
		t.Fatalf("reindex --check on a fresh corpus: %v\n%s", err, out)
	}

	// Empty the index behind the triggers' back: the check notices, a rebuild repairs.
	db, err := gorm.Open(sqlite.Open(models.SQLiteDSN(filepath.Join(dir, "newsgloss.db"), true)), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("INSERT INTO search_index (search_index) VALUES ('delete-all')").Error; err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
	out, err = runSearchCommand(t, "reindex", "--check", "--data-dir", dir)
	if err == nil || !strings.Contains(err.Error(), "web reindex") {
		t.Fatalf("reindex --check on an emptied index: %v\n%s", err, out)
	}
	out, err = runSearchCommand(t, "reindex", "--data-dir", dir)
	if err != nil {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	for _, want := range []string{"rebuilding the search index of", "collecting the searchable documents…", "indexing ", "rows (100%)", "merging the index…", "done in "} {
		if !strings.Contains(out, want) {
			t.Errorf("reindex output lacks %q:\n%s", want, out)
		}
	}
	if out, err := runSearchCommand(t, "reindex", "--check", "--data-dir", dir); err != nil {
		t.Fatalf("reindex --check after the rebuild: %v\n%s", err, out)
	}
	store, err := models.OpenSQLite(context.Background(), filepath.Join(dir, "newsgloss.db"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	res, err := store.Search(context.Background(), nil, models.SearchInput{Query: "said"})
	if err != nil || len(res.Results) == 0 {
		t.Errorf("after the rebuild a search for a common word finds %v (%v)", res, err)
	}

	if _, err := runSearchCommand(t, "reindex", "extra"); err == nil {
		t.Error("reindex accepted an argument")
	}
	if _, err := runSearchCommand(t, "gen-corpus", "--data-dir", dir, "--articles", "0"); err == nil {
		t.Error("gen-corpus accepted 0 articles")
	}
}
