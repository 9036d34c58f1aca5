package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"newsgloss/models"
)

// reindexCommand is `web reindex`: it rebuilds the search documents and the
// full-text index from the articles, claims, events, entities and notes,
// showing progress. It runs in one transaction: searches keep the old index
// until it commits, and other writes wait, so run it when the site is quiet.
func reindexCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("reindex", stderr)
	databaseFlags(fs, &cfg, getenv)
	check := fs.Bool("check", false, "only check that the index matches its content, and change nothing")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: web reindex [--check] [flags]   rebuild the search index")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	store, path, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

	if *check {
		if err := store.CheckSearchIndex(ctx); err != nil {
			return fmt.Errorf("%w (run `web reindex` to rebuild it)", err)
		}
		fmt.Fprintf(stdout, "the search index of %s matches its content\n", path)
		return nil
	}
	fmt.Fprintf(stdout, "rebuilding the search index of %s\n", path)
	began := time.Now()
	show := newReindexPrinter(stdout)
	if err := store.RebuildSearchIndex(ctx, show.update); err != nil {
		return fmt.Errorf("reindex: %w (nothing was changed)", err)
	}
	fmt.Fprintf(stdout, "done in %s\n", time.Since(began).Round(time.Millisecond))
	return nil
}

// reindexPrinter writes a line per stage and, while indexing, at most one
// progress line a second.
type reindexPrinter struct {
	w     io.Writer
	stage string
	last  time.Time
}

func newReindexPrinter(w io.Writer) *reindexPrinter { return &reindexPrinter{w: w} }

func (p *reindexPrinter) update(pr models.SearchReindexProgress) {
	switch {
	case pr.Stage != p.stage:
		p.stage, p.last = pr.Stage, time.Now()
		switch pr.Stage {
		case "documents":
			fmt.Fprintln(p.w, "collecting the searchable documents…")
		case "index":
			fmt.Fprintf(p.w, "indexing %d rows…\n", pr.Total)
		case "optimise":
			fmt.Fprintln(p.w, "merging the index…")
		}
	case pr.Stage == "index" && (pr.Done == pr.Total || time.Since(p.last) >= time.Second):
		p.last = time.Now()
		fmt.Fprintf(p.w, "indexed %d/%d rows (%d%%)\n", pr.Done, pr.Total, pr.Done*100/max(pr.Total, 1))
	}
}
