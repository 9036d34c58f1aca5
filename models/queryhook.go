package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm/logger"
)

// queryLogger hands every statement GORM runs, with its arguments written in,
// to a function: tests count a page's queries and explain their plans with it.
// Nothing is logged.
type queryLogger struct {
	fn func(ctx context.Context, sql string)
}

func (l queryLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (queryLogger) Info(context.Context, string, ...any)       {}
func (queryLogger) Warn(context.Context, string, ...any)       {}
func (queryLogger) Error(context.Context, string, ...any)      {}

func (l queryLogger) Trace(ctx context.Context, _ time.Time, fc func() (string, int64), _ error) {
	stmt, _ := fc()
	l.fn(ctx, stmt)
}

// gormLogger is the logger the pools use: silent, or the query hook.
func gormLogger(opts Options) logger.Interface {
	if opts.OnQuery != nil {
		return queryLogger{fn: opts.OnQuery}
	}
	return logger.Discard
}

// versionWatch asks SQLite whether the database changed: PRAGMA data_version
// on one connection that never writes changes whenever any other connection,
// in this process or another, commits. It is pinned so that its counter is
// never reset under us; after an error a new connection is pinned and the
// generation moves on, which counts as a change.
type versionWatch struct {
	db   *sql.DB
	mu   sync.Mutex
	conn *sql.Conn
	gen  int64
}

func openVersionWatch(path string) (*versionWatch, error) {
	db, err := sql.Open("sqlite3", SQLiteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("open database %s to watch for changes: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	return &versionWatch{db: db}, nil
}

func (w *versionWatch) version(ctx context.Context) (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		c, err := w.db.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("pin a connection to watch for changes: %w", err)
		}
		w.conn, w.gen = c, w.gen+1
	}
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		w.conn.Close()
		w.conn = nil
		return 0, fmt.Errorf("read the database's data version: %w", err)
	}
	// The counter is per connection: the generation keeps a re-pinned one's
	// values apart from the old one's.
	return w.gen<<40 | v, nil
}

func (w *versionWatch) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
	return w.db.Close()
}

// DataVersion is a number that changes whenever a change to the database is
// committed, by this process or any other (a command-line import, say); equal
// numbers mean nothing was committed in between. Pages use it as a cheap
// validator for conditional GETs.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	return s.versions.version(ctx)
}
