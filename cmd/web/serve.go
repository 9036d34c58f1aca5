package main

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"newsgloss/handlers"
	"newsgloss/models"
	"newsgloss/static"
)

// app is the wired application: what serve runs and what tests drive.
type app struct {
	store   *models.Store
	handler http.Handler
	log     *slog.Logger
	// bg runs bulk imports and scheduled feed checks; stopBackground cancels
	// them and waits until they have returned.
	bg             *handlers.Background
	stopBackground func()
}

// newApp opens the database, loads the demonstration content when asked, and
// builds the HTTP handler.
func newApp(ctx context.Context, cfg config, log *slog.Logger) (*app, error) {
	target, _, err := cfg.databaseTarget()
	if err != nil {
		return nil, err
	}
	store, err := models.Open(ctx, target, models.Options{Logger: log, MaxConns: cfg.MaxConns})
	if err != nil {
		return nil, err
	}
	if cfg.Demo {
		loaded, err := store.LoadDemo(ctx)
		if err != nil {
			store.Close()
			return nil, fmt.Errorf("load demonstration content: %w", err)
		}
		if loaded {
			log.Info("loaded demonstration content")
		}
	}
	assets, err := static.New()
	if err != nil {
		store.Close()
		return nil, err
	}
	if n, err := store.FailInterruptedImportJobs(ctx); err != nil {
		store.Close()
		return nil, err
	} else if n > 0 {
		log.Warn("marked import jobs interrupted by the last stop as failed", "jobs", n)
	}
	bgCtx, cancelBackground := context.WithCancel(ctx)
	bg := handlers.NewBackground(bgCtx)
	e := handlers.New(store, assets, log, handlers.Config{
		SiteName: cfg.SiteName, SecureCookies: cfg.SecureCookies, TrustProxy: cfg.TrustProxy,
		ImportAllowPrivate: cfg.Import.AllowPrivate, Background: bg, BuildID: buildID(),
	})
	return &app{store: store, handler: e, log: log, bg: bg, stopBackground: func() { cancelBackground(); bg.Wait() }}, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := a.store.Close(); err != nil {
			log.Error("close database", "error", err)
		}
	}()
	defer a.stopBackground() // imports and feed checks end before the database closes
	startFeedRefresher(a.bg, a.store, cfg.Import, log)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	printWelcome(stdout, "http://"+ln.Addr().String(), cfg.Demo)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests finish, then close the database (deferred).
	log.Info("shutting down", "grace", cfg.ShutdownGrace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped cleanly")
	return nil
}

func printWelcome(w io.Writer, url string, demo bool) {
	fmt.Fprintf(w, "Newsgloss is running at %s\n", url)
	if !demo {
		return
	}
	fmt.Fprintln(w, "Demonstration accounts (turn off with --demo=false or NEWSGLOSS_DEMO=off):")
	for _, acct := range models.DemoAccounts() {
		fmt.Fprintf(w, "  %-13s %-32s password: %s\n", acct.Role.Label(), acct.Email, acct.Password)
	}
}

func migrateOnly(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("migrate", stderr)
	databaseFlags(fs, &cfg, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, path, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", path, v)
	return nil
}

// buildID fingerprints the running executable (its CRC-32C and length: a
// few milliseconds at start), so that instances of one build give public
// pages the same ETags (handlers.Config.BuildID). Empty when unreadable.
func buildID() string {
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	n, err := io.Copy(h, f)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%08x%x", h.Sum32(), n)
}
