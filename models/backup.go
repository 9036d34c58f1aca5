package models

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/sqlite"
)

// Backups are made from a live database and restored into a stopped one. They
// work on the file directly, without OpenSQLite: a backup must not migrate
// the database it copies, and a restore must check a file before anything
// opens it as the application's database.

// BackupResult describes a database file written by BackupSQLite or RestoreSQLite.
type BackupResult struct {
	Path          string // the file written
	Bytes         int64
	SchemaVersion int // the newest migration applied in it
	Duration      time.Duration
	// Previous is where RestoreSQLite kept the database it replaced ("" when
	// there was none).
	Previous string
}

// LatestSchemaVersion is the newest migration this binary carries.
func LatestSchemaVersion() (int, error) {
	ms, err := sqliteMigrations.load()
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].version, nil
}

// BackupSQLite writes a consistent copy of the database at src to dest while
// the server may be writing to it. VACUUM INTO reads the whole database in one
// read transaction, which WAL runs beside the writer: writes carry on and the
// copy is the database as it was when the backup began. The copy is checked
// and synced under a temporary name and only then takes dest's name, so dest
// is never a half-written file. An existing dest is replaced only with overwrite.
func BackupSQLite(ctx context.Context, src, dest string, overwrite bool) (*BackupResult, error) {
	start := time.Now()
	if err := requireFile(src); err != nil {
		return nil, fmt.Errorf("no database to back up: %w", err)
	}
	if same, err := sameFile(src, dest); err == nil && same {
		return nil, fmt.Errorf("%s is the database itself; write the backup somewhere else", dest)
	}
	if !overwrite {
		if err := refuseExisting(dest); err != nil {
			return nil, err
		}
	}
	dir := filepath.Dir(dest)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create the backup's directory: %w", err)
	}
	tmp, err := tempPath(dir, filepath.Base(dest))
	if err != nil {
		return nil, err
	}
	defer removeDatabaseFiles(tmp) // nothing left behind if a step fails

	// mode=rw: never create an empty database where the live one should be.
	db, err := sql.Open(sqlite.DriverName, sqliteURI(src, url.Values{"mode": {"rw"}, "_busy_timeout": {"10000"}}))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", src, err)
	}
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", tmp)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("copy %s: %w", src, err)
	}
	version, err := checkDatabaseFile(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("the copy failed its check: %w", err)
	}
	if err := syncPath(tmp); err != nil {
		return nil, err
	}
	if overwrite {
		err = os.Rename(tmp, dest)
	} else {
		err = renameNoReplace(tmp, dest)
	}
	if err != nil {
		return nil, fmt.Errorf("name the backup %s: %w", dest, err)
	}
	if err := syncPath(dir); err != nil {
		return nil, err
	}
	info, err := os.Stat(dest)
	if err != nil {
		return nil, err
	}
	return &BackupResult{Path: dest, Bytes: info.Size(), SchemaVersion: version, Duration: time.Since(start)}, nil
}

// RestoreSQLite replaces the database at target with the backup at src. It
// refuses while anything has target open (stop the server first), and refuses
// a backup that fails PRAGMA integrity_check, is not a Newsgloss database or
// comes from a newer version of Newsgloss than this binary. The backup is
// copied next to target, synced and checked there, and renamed into place, so
// target is at every moment either the old database or the whole new one. The
// replaced database is kept beside it, with its write-ahead log.
func RestoreSQLite(ctx context.Context, src, target string) (*BackupResult, error) {
	start := time.Now()
	if err := requireFile(src); err != nil {
		return nil, fmt.Errorf("no backup to restore: %w", err)
	}
	targetExists := requireFile(target) == nil
	if targetExists {
		if same, err := sameFile(src, target); err != nil || same {
			return nil, fmt.Errorf("%s is the database itself, not a backup of it", src)
		}
		if err := requireExclusive(ctx, target); err != nil {
			return nil, err
		}
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create the data directory: %w", err)
	}
	tmp, err := tempPath(dir, filepath.Base(target))
	if err != nil {
		return nil, err
	}
	defer removeDatabaseFiles(tmp)
	if err := copyFile(src, tmp); err != nil {
		return nil, fmt.Errorf("copy the backup: %w", err)
	}
	version, err := checkDatabaseFile(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be restored: %w", src, err)
	}
	latest, err := LatestSchemaVersion()
	if err != nil {
		return nil, err
	}
	if version > latest {
		return nil, fmt.Errorf("%s cannot be restored: it is at schema version %d, newer than this binary's %d; restore it with the Newsgloss version that made it",
			src, version, latest)
	}
	// Checking may have created the copy's -wal and -shm; they hold nothing.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := removeIfExists(tmp + suffix); err != nil {
			return nil, err
		}
	}

	res := &BackupResult{Path: target, SchemaVersion: version}
	if targetExists {
		res.Previous = target + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		// A second name for the current file: the rename below then replaces
		// target in one step and the old database stays under this name.
		if err := os.Link(target, res.Previous); err != nil {
			return nil, fmt.Errorf("keep the current database: %w", err)
		}
		// Its log goes with it (it is the current database's, not the
		// backup's); the shared-memory index is rebuilt from the log.
		for _, suffix := range []string{"-wal", "-journal"} {
			if err := os.Rename(target+suffix, res.Previous+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("keep the current database's %s file: %w", suffix, err)
			}
		}
	}
	// Whatever is left beside target belongs to no database now; SQLite would
	// otherwise read a stale log into the restored file.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := removeIfExists(target + suffix); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return nil, fmt.Errorf("put the backup in place: %w", err)
	}
	if err := syncPath(dir); err != nil {
		return nil, err
	}
	info, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	res.Bytes, res.Duration = info.Size(), time.Since(start)
	return res, nil
}

// checkDatabaseFile runs PRAGMA integrity_check on a database file and returns
// its schema version.
func checkDatabaseFile(ctx context.Context, path string) (int, error) {
	db, err := sql.Open(sqlite.DriverName, sqliteURI(path, url.Values{"mode": {"rw"}, "_query_only": {"true"}}))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return 0, fmt.Errorf("integrity check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return 0, fmt.Errorf("integrity check: %w", err)
		}
		problems = append(problems, line)
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("integrity check: %w", err)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		if len(problems) > 5 {
			problems = append(problems[:5], "…")
		}
		return 0, fmt.Errorf("integrity check failed: %s", strings.Join(problems, "; "))
	}
	var version int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return 0, fmt.Errorf("not a Newsgloss database (no schema version): %w", err)
	}
	return version, nil
}

// requireExclusive fails unless nothing else has the database open. While a
// connection is open, WAL mode keeps a shared lock on the file; an exclusive
// lock is granted only when there is none.
func requireExclusive(ctx context.Context, path string) error {
	db, err := sql.Open(sqlite.DriverName, sqliteURI(path, url.Values{
		"mode": {"rw"}, "_locking_mode": {"EXCLUSIVE"}, "_busy_timeout": {"200"},
	}))
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, "BEGIN EXCLUSIVE; COMMIT")
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("the database %s is in use (%v): stop the server, then restore", path, err)
	}
	return nil
}

func requireFile(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", path)
	}
	return nil
}

func refuseExisting(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists; choose another name or pass --force to replace it", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func sameFile(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(ia, ib), nil
}

// tempPath names a file that does not exist yet, hidden beside name in dir.
func tempPath(dir, name string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return filepath.Join(dir, "."+name+".tmp-"+hex.EncodeToString(b)), nil
}

// renameNoReplace renames like os.Rename but fails when newPath exists: a
// hard link cannot replace a file.
func renameNoReplace(oldPath, newPath string) error {
	if err := os.Link(oldPath, newPath); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; choose another name or pass --force to replace it", newPath)
		}
		return err
	}
	return os.Remove(oldPath)
}

func copyFile(src, dest string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncPath flushes a file, or a directory's entries, to stable storage.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// removeDatabaseFiles removes a temporary database and its companions.
func removeDatabaseFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = removeIfExists(path + suffix)
	}
}
