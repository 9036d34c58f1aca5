package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"newsgloss/models"
)

// genCorpusCommand is `web gen-corpus`: it fills a database with a synthetic
// corpus (articles, outlets, tags, claims, events, notes in proportion) to
// measure speed at scale. Use a database of its own, not the site's.
func genCorpusCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("gen-corpus", stderr)
	databaseFlags(fs, &cfg, getenv)
	articles := fs.Int("articles", 100_000, "how many articles to generate")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same corpus")
	batch := fs.Int("batch", 1000, "articles written per transaction")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: web gen-corpus [--articles N] [--seed S] --data-dir DIR   fill a database with a synthetic corpus")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if *articles < 1 || *articles > 10_000_000 {
		return fmt.Errorf("--articles %d: want 1 to 10000000", *articles)
	}
	if *batch < 1 || *batch > 100_000 {
		return fmt.Errorf("--batch %d: want 1 to 100000", *batch)
	}
	store, path, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

	fmt.Fprintf(stdout, "generating %d articles into %s\n", *articles, path)
	began := time.Now()
	last := began
	rep, err := store.GenerateCorpus(ctx, models.CorpusOptions{Articles: *articles, Seed: *seed, BatchSize: *batch}, func(done, total int) {
		if time.Since(last) >= time.Second || done == total {
			last = time.Now()
			elapsed := time.Since(began).Seconds()
			fmt.Fprintf(stdout, "%d/%d articles (%d%%), %.0f articles/s\n", done, total, done*100/total, float64(done)/elapsed)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d articles (%d words), %d outlets, %d entities, %d tags, %d claims with %d mentions, %d events, %d notes in %s\n",
		rep.Articles, rep.Words, rep.Outlets, rep.Entities, rep.Tags, rep.Claims, rep.Mentions, rep.Events, rep.Annotations,
		time.Since(began).Round(time.Second))
	return nil
}
