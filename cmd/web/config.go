package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"newsgloss/models"
)

// config is every setting, read from flags with environment-variable defaults.
type config struct {
	Addr          string
	DataDir       string
	DatabaseURL   string
	MaxConns      int // PostgreSQL connections per instance
	SecureCookies bool
	TrustProxy    bool
	LogLevel      slog.Level
	LogFormat     string
	Demo          bool
	SiteName      string
	ShutdownGrace time.Duration
	Import        importConfig // feed checks and the fetch policy (import.go)
}

// envDefault returns the environment's value for key, or def.
func envDefault(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(getenv func(string) string, key string, def bool) bool {
	v := strings.ToLower(strings.TrimSpace(getenv(key)))
	switch v {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	return def
}

// databaseFlags registers the settings every subcommand needs to find the database.
func databaseFlags(fs *flag.FlagSet, cfg *config, getenv func(string) string) {
	fs.StringVar(&cfg.DataDir, "data-dir", envDefault(getenv, "NEWSGLOSS_DATA_DIR", "data"),
		"directory for the SQLite database (env NEWSGLOSS_DATA_DIR)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", getenv("DATABASE_URL"),
		"database to use instead of the data directory's SQLite file: postgres://USER:PASSWORD@HOST:5432/DATABASE, or sqlite:PATH (env DATABASE_URL)")
	// A variable that is not a number leaves 0, which databaseTarget refuses.
	conns, _ := strconv.Atoi(envDefault(getenv, "NEWSGLOSS_DB_MAX_CONNS", "16"))
	fs.IntVar(&cfg.MaxConns, "db-max-conns", conns, "PostgreSQL connections this instance may open (env NEWSGLOSS_DB_MAX_CONNS)")
}

func parseServeConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", envDefault(getenv, "NEWSGLOSS_ADDR", "127.0.0.1:8080"), "listen address (env NEWSGLOSS_ADDR)")
	databaseFlags(fs, &cfg, getenv)
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", envBool(getenv, "NEWSGLOSS_SECURE_COOKIES", false),
		"mark cookies Secure and send HSTS; set when served over HTTPS (env NEWSGLOSS_SECURE_COOKIES)")
	fs.BoolVar(&cfg.TrustProxy, "trust-proxy", envBool(getenv, "NEWSGLOSS_TRUST_PROXY", false),
		"take the client address from X-Forwarded-For; only behind your own proxy (env NEWSGLOSS_TRUST_PROXY)")
	level := fs.String("log-level", envDefault(getenv, "NEWSGLOSS_LOG_LEVEL", "info"), "debug, info, warn or error (env NEWSGLOSS_LOG_LEVEL)")
	fs.StringVar(&cfg.LogFormat, "log-format", envDefault(getenv, "NEWSGLOSS_LOG_FORMAT", "text"), "text or json (env NEWSGLOSS_LOG_FORMAT)")
	fs.BoolVar(&cfg.Demo, "demo", envBool(getenv, "NEWSGLOSS_DEMO", true),
		"load demonstration content and accounts on first start; turn off in production (env NEWSGLOSS_DEMO)")
	fs.StringVar(&cfg.SiteName, "site-name", envDefault(getenv, "NEWSGLOSS_SITE_NAME", "Newsgloss"), "site name shown on every page (env NEWSGLOSS_SITE_NAME)")
	grace := fs.String("shutdown-grace", envDefault(getenv, "NEWSGLOSS_SHUTDOWN_GRACE", "20s"), "time in-flight requests get to finish on shutdown (env NEWSGLOSS_SHUTDOWN_GRACE)")
	if err := importServeFlags(fs, &cfg.Import, getenv); err != nil {
		return cfg, err
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return cfg, fmt.Errorf("log level %q: want debug, info, warn or error", *level)
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return cfg, fmt.Errorf("log format %q: want text or json", cfg.LogFormat)
	}
	d, err := time.ParseDuration(*grace)
	if err != nil {
		return cfg, fmt.Errorf("shutdown grace %q: %w", *grace, err)
	}
	cfg.ShutdownGrace = d
	return cfg, nil
}

// databaseTarget is what models.Open takes for the configured database (the
// SQLite file's path, or the PostgreSQL URL), and a name for it safe to print.
func (cfg config) databaseTarget() (target, display string, err error) {
	if cfg.MaxConns < 1 {
		return "", "", fmt.Errorf("--db-max-conns (NEWSGLOSS_DB_MAX_CONNS) must be a whole number of at least 1")
	}
	u := cfg.DatabaseURL
	if models.IsPostgresURL(u) {
		parsed, err := url.Parse(u)
		if err != nil {
			return "", "", fmt.Errorf("DATABASE_URL: %w", err)
		}
		return u, "PostgreSQL database " + strings.TrimPrefix(parsed.Path, "/") + " on " + parsed.Host, nil
	}
	path, err := cfg.sqlitePath()
	return path, path, err
}

// sqlitePath resolves where the SQLite database lives, for the commands that
// work on its file (backup and restore).
func (cfg config) sqlitePath() (string, error) {
	u := cfg.DatabaseURL
	switch {
	case u == "":
		return filepath.Join(cfg.DataDir, "newsgloss.db"), nil
	case strings.HasPrefix(u, "sqlite://"):
		return strings.TrimPrefix(u, "sqlite://"), nil
	case strings.HasPrefix(u, "sqlite:"):
		return strings.TrimPrefix(u, "sqlite:"), nil
	case models.IsPostgresURL(u):
		return "", fmt.Errorf("DATABASE_URL points at PostgreSQL: back it up with pg_dump and restore with pg_restore (README, Production)")
	}
	return "", fmt.Errorf("DATABASE_URL %q: want sqlite:PATH or postgres://USER@HOST:PORT/DATABASE", u)
}

func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func itoa(n int) string { return strconv.Itoa(n) }

// openStore opens the configured database for a command that is not the
// server, and names it for messages.
func (cfg config) openStore(ctx context.Context) (*models.Store, string, error) {
	target, display, err := cfg.databaseTarget()
	if err != nil {
		return nil, "", err
	}
	store, err := models.Open(ctx, target, models.Options{MaxConns: cfg.MaxConns})
	if err != nil {
		return nil, "", err
	}
	return store, display, nil
}
