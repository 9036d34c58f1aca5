package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"newsgloss/models"
)

// manifest records what the harness added to its database, so that a later
// run finds the busy pages (and the API token) without generating again.
type manifest struct {
	Articles     int            `json:"articles"`
	Seed         uint64         `json:"seed"`
	Created      time.Time      `json:"created"`
	BusyArticles []uint         `json:"busy_articles"`
	Scratch      []uint         `json:"scratch_articles"`
	Timelines    map[int]string `json:"timelines"`
	TimelineSize map[int]int    `json:"timeline_sizes"`
	Entity       string         `json:"entity"`
	FactChecks   []uint         `json:"fact_checks"`
	StaffID      uint           `json:"staff_id"`
	Token        string         `json:"token"` // the staff account's API token (an account without a password, in a benchmark database)
}

// loadFixtureOptions are the busy pages the issue asks for: articles with 50+
// public notes and 10+ claims, timelines of 200 and 500 entries, published
// fact-checks, one of them on a claim reported by 12 articles.
func loadFixtureOptions() models.LoadFixtureOptions {
	return models.LoadFixtureOptions{
		BusyArticles: 5, NotesPerArticle: 60, ClaimsPerArticle: 12,
		Timelines: []int{200, 500}, FactChecks: 30, ClaimReports: 11, Scratch: 500,
	}
}

func manifestPath(dataDir string) string { return filepath.Join(dataDir, "loadtest.json") }
func databasePath(dataDir string) string { return filepath.Join(dataDir, "newsgloss.db") }

// prepareCorpus returns the manifest of the database in dataDir, generating
// the corpus and the busy pages first when the directory has none.
func prepareCorpus(ctx context.Context, dataDir string, articles int, seed uint64, out io.Writer) (*manifest, error) {
	if b, err := os.ReadFile(manifestPath(dataDir)); err == nil {
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("read %s: %w", manifestPath(dataDir), err)
		}
		if m.Articles != articles || m.Seed != seed {
			return nil, fmt.Errorf("%s holds a corpus of %d articles (seed %d), not %d (seed %d): use another -data or delete it",
				dataDir, m.Articles, m.Seed, articles, seed)
		}
		if _, err := os.Stat(databasePath(dataDir)); err != nil {
			return nil, fmt.Errorf("%s has a manifest but no database: delete the directory to generate again", dataDir)
		}
		fmt.Fprintf(out, "reusing the corpus in %s (%d articles, made %s)\n", dataDir, m.Articles, m.Created.Format(time.DateTime))
		return &m, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if _, err := os.Stat(databasePath(dataDir)); err == nil {
		return nil, fmt.Errorf("%s has a database but no %s (an interrupted generation?): delete the directory to start again",
			dataDir, filepath.Base(manifestPath(dataDir)))
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	store, err := models.OpenSQLite(ctx, databasePath(dataDir), models.Options{})
	if err != nil {
		return nil, err
	}
	defer store.Close()

	fmt.Fprintf(out, "generating %d articles into %s (once; later runs reuse it)\n", articles, databasePath(dataDir))
	began, last := time.Now(), time.Now()
	rep, err := store.GenerateCorpus(ctx, models.CorpusOptions{Articles: articles, Seed: seed}, func(done, total int) {
		if time.Since(last) >= 10*time.Second || done == total {
			last = time.Now()
			fmt.Fprintf(out, "  %d/%d articles, %.0f/s\n", done, total, float64(done)/time.Since(began).Seconds())
		}
	})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "  %d articles, %d claims, %d events, %d notes in %s\n", rep.Articles, rep.Claims, rep.Events, rep.Annotations,
		time.Since(began).Round(time.Second))

	fmt.Fprintln(out, "adding the busy pages: notes, claims, timelines, fact-checks")
	fx, err := store.AddLoadFixtures(ctx, loadFixtureOptions())
	if err != nil {
		return nil, err
	}
	token, err := store.CreateAPIToken(ctx, fx.Staff, "load test")
	if err != nil {
		return nil, err
	}
	m := &manifest{Articles: articles, Seed: seed, Created: time.Now().UTC(), BusyArticles: fx.BusyArticles, Scratch: fx.Scratch,
		Timelines: fx.Timelines, TimelineSize: fx.TimelineSize, Entity: fx.Entity, FactChecks: fx.FactChecks,
		StaffID: fx.Staff.ID, Token: token}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	// Written last: its presence says the database is complete.
	if err := os.WriteFile(manifestPath(dataDir), b, 0o600); err != nil {
		return nil, err
	}
	return m, nil
}

// removeNotes deletes the notes the mixed scenario posted, so that the next
// run measures the same database.
func removeNotes(ctx context.Context, dataDir string, m *manifest, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	store, err := models.OpenSQLite(ctx, databasePath(dataDir), models.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	staff, err := store.UserByID(ctx, m.StaffID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := store.DeleteAnnotation(ctx, staff, id, 1); err != nil {
			return fmt.Errorf("delete posted note %d: %w", id, err)
		}
	}
	return nil
}
