package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"newsgloss/handlers"
	"newsgloss/importer"
	"newsgloss/models"
)

// importConfig holds the serve settings about importing.
type importConfig struct {
	AllowPrivate bool          // fetch from internal addresses whatever the admin setting says
	FeedRefresh  durationOrOff // how often feeds are checked; 0 = never
}

// durationOrOff is a flag value: a duration such as 30m, or "off" (or 0).
type durationOrOff time.Duration

func (d *durationOrOff) String() string {
	if d == nil || *d <= 0 {
		return "off"
	}
	return time.Duration(*d).String()
}

func (d *durationOrOff) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "off", "0", "no", "false", "never":
		*d = 0
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("want a duration such as 30m, or off")
	}
	if v > 0 && v < time.Minute {
		return fmt.Errorf("checking feeds more often than once a minute is not allowed")
	}
	*d = durationOrOff(v)
	return nil
}

// importServeFlags registers serve's import settings.
func importServeFlags(fs *flag.FlagSet, cfg *importConfig, getenv func(string) string) error {
	cfg.FeedRefresh = durationOrOff(30 * time.Minute)
	if v := getenv("NEWSGLOSS_FEED_REFRESH"); v != "" {
		if err := cfg.FeedRefresh.Set(v); err != nil {
			return fmt.Errorf("NEWSGLOSS_FEED_REFRESH %q: %w", v, err)
		}
	}
	fs.Var(&cfg.FeedRefresh, "feed-refresh", "how often outlets' feeds are checked for new articles, e.g. 30m, or off (env NEWSGLOSS_FEED_REFRESH)")
	fs.BoolVar(&cfg.AllowPrivate, "import-allow-private", envBool(getenv, "NEWSGLOSS_IMPORT_ALLOW_PRIVATE", false),
		"let imports fetch from loopback, private and link-local addresses (env NEWSGLOSS_IMPORT_ALLOW_PRIVATE)")
	return nil
}

// startFeedRefresher checks every feed on a schedule until the background
// context ends (on shutdown). The first check comes one interval after start.
func startFeedRefresher(bg *handlers.Background, store *models.Store, cfg importConfig, log *slog.Logger) {
	interval := time.Duration(cfg.FeedRefresh)
	if interval <= 0 {
		return
	}
	bg.Go(func(ctx context.Context) {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				refreshFeedsOnce(ctx, store, cfg, log)
			}
		}
	})
}

func refreshFeedsOnce(ctx context.Context, store *models.Store, cfg importConfig, log *slog.Logger) {
	allow := cfg.AllowPrivate
	if !allow {
		on, err := store.ImportAllowsPrivate(ctx)
		if err != nil {
			log.Error("scheduled feed check", "error", err)
			return
		}
		allow = on
	}
	rep, err := importer.RefreshFeeds(ctx, importer.NewFetcher(importer.Options{AllowPrivate: allow}), store)
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Error("scheduled feed check", "error", err)
		return
	}
	if rep.Feeds > 0 {
		log.Info("scheduled feed check", "feeds", rep.Feeds, "new_items", rep.NewItems, "failed", rep.Failed)
	}
}

// importCommand is `web import [flags] FILE`: a JSON Lines file or an RSS or
// Atom file, imported in batches with progress and a report of every rejected
// line. Running it again on the same file adds nothing twice.
func importCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("import", stderr)
	databaseFlags(fs, &cfg, getenv)
	status := fs.String("status", "draft", "status of the imported articles unless a line gives one: draft or published")
	outlet := fs.String("outlet", "", "outlet for articles that name none (for a feed file: instead of the feed's title)")
	batch := fs.Int("batch", 100, "articles saved per transaction")
	progressMode := fs.String("progress", "auto", "auto (a bar on a terminal, plain lines otherwise), bar or lines")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: web import [flags] FILE   (FILE: JSON Lines, one article per line, or an RSS/Atom file)")
		fs.PrintDefaults()
	}
	// Flags may come before or after the file name.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fs.Usage()
		return errUsage
	}
	if *batch < 1 || *batch > 10_000 {
		return fmt.Errorf("--batch %d: want 1 to 10000", *batch)
	}
	switch *progressMode {
	case "auto", "bar", "lines":
	default:
		return fmt.Errorf("--progress %q: want auto, bar or lines", *progressMode)
	}

	f, err := os.Open(files[0])
	if err != nil {
		return fmt.Errorf("open the file to import: %w", err)
	}
	defer f.Close()
	total, err := importer.CountLines(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", files[0], err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	reader, err := importer.OpenBulk(f, total, importer.BulkOptions{Status: *status, Outlet: *outlet})
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}

	store, path, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

	useBar := *progressMode == "bar" || (*progressMode == "auto" && isTerminal(stdout))
	show := newProgressPrinter(stdout, reader, useBar)
	fmt.Fprintf(stdout, "importing %s (%s, %d %ss) into %s\n", files[0], describeKind(reader.Kind()), reader.Total(), reader.Unit(), path)
	rep, runErr := importer.Run(ctx, reader, store.BulkSink(nil), importer.RunOptions{BatchSize: *batch, Progress: show.update})
	show.finish(rep.Progress)

	if len(rep.Rejections) > 0 {
		fmt.Fprintf(stdout, "rejected %ss:\n", reader.Unit())
		for _, r := range rep.Rejections {
			fmt.Fprintf(stdout, "  %s %d: %s\n", reader.Unit(), r.Line, r.Reason)
		}
	}
	fmt.Fprintln(stdout, rep.Summary())
	if runErr != nil {
		return fmt.Errorf("the import stopped: %w (run the same command again to continue: what was imported is skipped)", runErr)
	}
	return nil
}

func describeKind(kind string) string {
	if kind == importer.KindFeed {
		return "a feed"
	}
	return "JSON Lines"
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressPrinter shows a bulk import's progress: a bar with counts and rate
// on a terminal, or a plain line at most once a second otherwise.
type progressPrinter struct {
	w    io.Writer
	unit string
	bar  *progressbar.ProgressBar
	last time.Time
}

func newProgressPrinter(w io.Writer, reader *importer.BulkReader, useBar bool) *progressPrinter {
	p := &progressPrinter{w: w, unit: reader.Unit()}
	if useBar {
		max := int64(reader.Total())
		if max == 0 {
			max = -1 // unknown: a spinner
		}
		p.bar = progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(reader.Unit()+"s"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
		)
	}
	return p
}

func (p *progressPrinter) update(pr importer.Progress) {
	if p.bar != nil {
		_ = p.bar.Set64(int64(pr.Processed))
		p.bar.Describe(fmt.Sprintf("imported %d, skipped %d, rejected %d", pr.Imported, pr.Skipped, pr.Rejected))
		return
	}
	if time.Since(p.last) < time.Second {
		return
	}
	p.last = time.Now()
	p.line(pr)
}

func (p *progressPrinter) line(pr importer.Progress) {
	done := fmt.Sprintf("%d", pr.Processed)
	if pr.Total > 0 {
		done = fmt.Sprintf("%d/%d %ss (%d%%)", pr.Processed, pr.Total, p.unit, pr.Processed*100/pr.Total)
	} else {
		done += " " + p.unit + "s"
	}
	fmt.Fprintf(p.w, "progress: %s, imported %d, skipped %d, rejected %d, %.1f %ss/s\n",
		done, pr.Imported, pr.Skipped, pr.Rejected, pr.Rate(), p.unit)
}

// finish shows the final state once, whatever the throttle let through.
func (p *progressPrinter) finish(pr importer.Progress) {
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("imported %d, skipped %d, rejected %d", pr.Imported, pr.Skipped, pr.Rejected))
		_ = p.bar.Set64(int64(pr.Processed))
		if !p.bar.IsFinished() { // stopped early, or the total was unknown
			_ = p.bar.Exit()
			fmt.Fprintln(p.w)
		}
		return
	}
	p.line(pr)
}
