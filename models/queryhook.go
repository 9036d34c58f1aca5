package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
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

// changeWatch tells whether the database changed since it was last asked.
type changeWatch interface {
	version(ctx context.Context) (int64, error)
	close() error
}

// pgVersionWatch reads the counter that a statement-level trigger on every
// table bumps in the same transaction as each change (migration 0011), so it
// moves for changes by any instance. Every public page view asks, so the
// statement is prepared once and run through database/sql directly, without
// GORM's per-query work.
type pgVersionWatch struct{ stmt *sql.Stmt }

func newPGVersionWatch(ctx context.Context, db *sql.DB) (pgVersionWatch, error) {
	stmt, err := db.PrepareContext(ctx, "SELECT version FROM data_version WHERE id = 1")
	if err != nil {
		return pgVersionWatch{}, fmt.Errorf("prepare to watch for changes: %w", err)
	}
	return pgVersionWatch{stmt: stmt}, nil
}

func (w pgVersionWatch) version(ctx context.Context) (int64, error) {
	var v int64
	if err := w.stmt.QueryRowContext(ctx).Scan(&v); err != nil {
		return 0, fmt.Errorf("read the database's data version: %w", err)
	}
	return v, nil
}

func (w pgVersionWatch) close() error { return w.stmt.Close() }

// versionWatch asks SQLite whether the database changed: PRAGMA data_version
// on one connection that never writes changes whenever any other connection,
// in this process or another, commits. It is pinned so that its counter is
// never reset under us; after an error a new connection is pinned and the
// generation moves on, which counts as a change. Every public page view asks,
// so the statement is prepared once and run on the driver's connection
// directly, without database/sql's per-query work.
type versionWatch struct {
	db   *sql.DB
	mu   sync.Mutex
	conn *sql.Conn
	stmt driver.Stmt // PRAGMA data_version, prepared on conn
	row  []driver.Value
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
	return &versionWatch{db: db, row: make([]driver.Value, 1)}, nil
}

func (w *versionWatch) version(ctx context.Context) (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		c, err := w.db.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("pin a connection to watch for changes: %w", err)
		}
		err = c.Raw(func(dc any) error {
			conn, ok := dc.(driver.Conn)
			if !ok {
				return fmt.Errorf("driver connection %T", dc)
			}
			w.stmt, err = conn.Prepare("PRAGMA data_version")
			return err
		})
		if err != nil {
			c.Close()
			return 0, fmt.Errorf("prepare to watch for changes: %w", err)
		}
		w.conn, w.gen = c, w.gen+1
	}
	var v int64
	err := w.conn.Raw(func(any) error {
		rows, err := w.stmt.Query(nil) // on the driver's own connection; a PRAGMA needs no context
		if err != nil {
			return err
		}
		defer rows.Close()
		if err := rows.Next(w.row); err != nil {
			return err
		}
		n, ok := w.row[0].(int64)
		if !ok {
			return fmt.Errorf("data_version is a %T", w.row[0])
		}
		v = n
		return nil
	})
	if err != nil {
		w.release()
		return 0, fmt.Errorf("read the database's data version: %w", err)
	}
	// The counter is per connection: the generation keeps a re-pinned one's
	// values apart from the old one's.
	return w.gen<<40 | v, nil
}

// release drops the pinned connection and its statement.
func (w *versionWatch) release() {
	if w.conn == nil {
		return
	}
	w.conn.Raw(func(any) error { return w.stmt.Close() })
	w.conn.Close()
	w.conn, w.stmt = nil, nil
}

func (w *versionWatch) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.release()
	return w.db.Close()
}

// DataVersion is a number that changes whenever a change to the database is
// committed, by this process or any other (a command-line import, say); equal
// numbers mean nothing was committed in between. Pages use it as a cheap
// validator for conditional GETs.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	return s.versions.version(ctx)
}
