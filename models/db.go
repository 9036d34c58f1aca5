// Package models owns Newsgloss's data: the GORM models, the queries that load
// them, the transactions that change them and the rules they obey. It knows
// nothing of HTTP or HTML.
package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"newsgloss/richtext"
)

// Store is the application's handle on its database.
//
// On SQLite, which allows one writer at a time, writes go through a pool of
// one connection whose transactions take the write lock at BEGIN (they cannot
// fail with SQLITE_BUSY on lock upgrade), while reads use a separate pool that
// WAL lets run beside the writer.
//
// On PostgreSQL one pool serves both, and every write transaction first takes
// one transaction-scoped advisory lock, so that writes from every instance
// run one at a time as they do on SQLite: the model code's read-then-write
// rules (a free slug, the next version number, a lock_version check) hold
// without each needing its own retry loop. A newsroom writes far less often
// than it reads; reads never wait for the lock.
type Store struct {
	dialect  Dialect
	read     *gorm.DB
	write    *gorm.DB
	renderer *richtext.Renderer
	now      func() time.Time
	versions changeWatch // for DataVersion (queryhook.go)
}

// Dialect names the database engine a Store runs on.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Dialect says which database engine the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// IsPostgresURL reports whether target names a PostgreSQL database.
func IsPostgresURL(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// Open opens the database target names: a postgres:// (or postgresql://) URL,
// or else the path of an SQLite file.
func Open(ctx context.Context, target string, opts Options) (*Store, error) {
	if IsPostgresURL(target) {
		return OpenPostgres(ctx, target, opts)
	}
	return OpenSQLite(ctx, target, opts)
}

// Options configure OpenSQLite.
type Options struct {
	Logger *slog.Logger
	// Now returns the current time; tests may fix it. Defaults to time.Now.
	Now func() time.Time
	// OnQuery, when set, is given every SQL statement the store runs, with its
	// arguments written in (tests count a page's queries with it).
	OnQuery func(ctx context.Context, sql string)
	// MaxConns caps a PostgreSQL store's connection pool (default 16). Each
	// instance holds up to this many: keep instances × MaxConns under the
	// server's max_connections.
	MaxConns int
}

func gormConfig(opts Options) *gorm.Config {
	return &gorm.Config{
		Logger:                 gormLogger(opts),
		SkipDefaultTransaction: true, // our own methods open the transactions they need
		TranslateError:         true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
}

// SQLiteDSN builds the connection string for the database file with the settings
// every connection needs: they are DSN parameters so that each pooled connection
// gets them, not just the first.
func SQLiteDSN(path string, writer bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "true")
	}
	return sqliteURI(path, q)
}

// sqliteURI is the file: URI of a database with its connection parameters.
func sqliteURI(path string, q url.Values) string {
	// The path is the path part of an SQLite URI: '%', '?' and '#' must be escaped
	// or SQLite would read them as an escape, the query or a fragment.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + q.Encode()
}

// OpenSQLite opens (creating if needed) the database file at path, checks that
// the SQLite build has what Newsgloss needs, and applies pending migrations.
func OpenSQLite(ctx context.Context, path string, opts Options) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	cfg := gormConfig(opts)
	write, err := gorm.Open(sqlite.Open(SQLiteDSN(path, true)), cfg)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	wdb, err := write.DB()
	if err != nil {
		return nil, err
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxIdleTime(0)

	if err := checkSQLiteFeatures(ctx, write); err != nil {
		wdb.Close()
		return nil, err
	}
	if err := migrate(ctx, write, sqliteMigrations); err != nil {
		wdb.Close()
		return nil, err
	}

	read, err := gorm.Open(sqlite.Open(SQLiteDSN(path, false)), cfg)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	rdb, err := read.DB()
	if err != nil {
		wdb.Close()
		return nil, err
	}
	rdb.SetMaxOpenConns(4)
	rdb.SetMaxIdleConns(4)

	versions, err := openVersionWatch(path)
	if err != nil {
		wdb.Close()
		rdb.Close()
		return nil, err
	}
	s := &Store{dialect: SQLite, read: read, write: write, renderer: richtext.NewRenderer(), now: time.Now, versions: versions}
	if opts.Now != nil {
		s.now = opts.Now
	}
	return s, nil
}

// Advisory locks are the database's, whatever the schema, so each is keyed
// by a fixed number (one for schema migrations, one that serialises write
// transactions) and the schema's name: deployments (or test runs) in
// different schemas of one database never wait for each other.
const (
	pgMigrateLock = 0x6e67_0001
	pgWriteLock   = 0x6e67_0002
	pgLockSQL     = "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))"
)

// OpenPostgres connects to the PostgreSQL database at dsn (a postgres:// URL) and applies pending
// migrations. Instances starting together take turns to migrate.
func OpenPostgres(ctx context.Context, dsn string, opts Options) (*Store, error) {
	db, err := gorm.Open(postgres.Open(withCustomPlans(dsn)), gormConfig(opts))
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", redactURL(err, dsn))
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	conns := opts.MaxConns
	if conns <= 0 {
		conns = 16
	}
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", redactURL(err, dsn))
	}
	// PostgreSQL's DDL is transactional: the whole run commits or none of it.
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(pgLockSQL, pgMigrateLock).Error; err != nil {
			return fmt.Errorf("wait for other instances' migrations: %w", err)
		}
		return migrate(ctx, tx, postgresMigrations)
	})
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	versions, err := newPGVersionWatch(ctx, sqlDB)
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	s := &Store{dialect: Postgres, read: db, write: db, renderer: richtext.NewRenderer(), now: time.Now, versions: versions}
	if opts.Now != nil {
		s.now = opts.Now
	}
	return s, nil
}

// withCustomPlans asks PostgreSQL to plan every statement for its own
// arguments (plan_cache_mode, unless the URL sets it). pgx prepares and caches
// statements, and after five runs the server may switch one to a generic plan
// that ignores them: a search for a rare word and one for a word in every
// article then share a plan, and the common case pays (about 10 % on the
// search benchmark). Planning each time costs far less than that.
func withCustomPlans(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Query().Has("plan_cache_mode") {
		return raw // gorm.Open reports a bad URL
	}
	// Appended rather than re-encoded: URL.String would turn "postgres://"
	// (every part defaulted) into "postgres:".
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
	}
	return raw + sep + "plan_cache_mode=force_custom_plan"
}

// redactURL keeps a connection URL's password out of an error message.
func redactURL(err error, raw string) error {
	u, perr := url.Parse(raw)
	if perr != nil || u.User == nil {
		return err
	}
	if pw, ok := u.User.Password(); ok && pw != "" && strings.Contains(err.Error(), pw) {
		return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
	}
	return err
}

// ErrNoFTS5 means the binary was built without SQLite's full-text module.
var ErrNoFTS5 = errors.New("this binary's SQLite lacks FTS5: build with `go build -tags sqlite_fts5` (the Makefile's targets do)")

func checkSQLiteFeatures(ctx context.Context, db *gorm.DB) error {
	var options []string
	if err := db.WithContext(ctx).Raw("PRAGMA compile_options").Scan(&options).Error; err != nil {
		return fmt.Errorf("read SQLite compile options: %w", err)
	}
	if !hasFTS5(options) {
		return ErrNoFTS5
	}
	return nil
}

// hasFTS5 reports whether SQLite's compile options include the FTS5 module.
func hasFTS5(compileOptions []string) bool {
	for _, o := range compileOptions {
		if strings.EqualFold(o, "ENABLE_FTS5") {
			return true
		}
	}
	return false
}

// Close closes the pools. Call it after the HTTP server has drained.
func (s *Store) Close() error {
	var errs []error
	if s.versions != nil { // first: PostgreSQL's runs on the pool
		errs = append(errs, s.versions.close())
	}
	pools := []*gorm.DB{s.read}
	if s.write != s.read {
		pools = append(pools, s.write)
	}
	for _, g := range pools {
		if db, err := g.DB(); err == nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers, for /healthz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.read.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// Renderer returns the body renderer the store uses, for previews.
func (s *Store) Renderer() *richtext.Renderer { return s.renderer }

// inTx runs fn in one write transaction: it commits whole or not at all.
func (s *Store) inTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.dialect == Postgres {
		return s.write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(pgLockSQL, pgWriteLock).Error; err != nil {
				return fmt.Errorf("wait for the write lock: %w", err)
			}
			return fn(tx)
		})
	}
	return s.write.WithContext(ctx).Transaction(fn)
}

func (s *Store) reader(ctx context.Context) *gorm.DB { return s.read.WithContext(ctx) }

func (s *Store) nowUTC() time.Time { return s.now().UTC().Truncate(time.Second) }

// CountRows counts a table's rows, for operators' checks and tests. The table
// name must be one of the application's own.
func (s *Store) CountRows(ctx context.Context, table string) (int64, error) {
	switch table {
	case "users", "sessions", "outlets", "articles", "article_revisions", "audit_entries":
	default:
		return 0, fmt.Errorf("unknown table %q", table)
	}
	var n int64
	err := s.reader(ctx).Table(table).Count(&n).Error
	return n, err
}
