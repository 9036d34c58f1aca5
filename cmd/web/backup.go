package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"newsgloss/models"
)

// backupCommand is `web backup --out FILE`: a consistent copy of the database,
// made while the server keeps running and writing.
func backupCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("backup", stderr)
	databaseFlags(fs, &cfg, getenv)
	out := fs.String("out", "", "file to write the copy to (required; an existing file is kept unless --force)")
	force := fs.Bool("force", false, "replace the --out file if it exists")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: web backup --out FILE [--force] [--data-dir DIR | --database-url URL]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	src, err := cfg.sqlitePath()
	if err != nil {
		return err
	}
	res, err := models.BackupSQLite(ctx, src, *out, *force)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backed up %s to %s: %s, schema version %d, integrity ok, in %s\n",
		src, res.Path, formatBytes(res.Bytes), res.SchemaVersion, res.Duration.Round(time.Millisecond))
	return nil
}

// restoreCommand is `web restore --from FILE`: the backup replaces the
// database, which nothing may have open; the replaced one is kept beside it.
func restoreCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("restore", stderr)
	databaseFlags(fs, &cfg, getenv)
	from := fs.String("from", "", "backup file made by `web backup` (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: web restore --from FILE [--data-dir DIR | --database-url URL]   (stop the server first)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	target, err := cfg.sqlitePath()
	if err != nil {
		return err
	}
	res, err := models.RestoreSQLite(ctx, *from, target)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s into %s: %s, schema version %d, integrity ok, in %s\n",
		*from, res.Path, formatBytes(res.Bytes), res.SchemaVersion, res.Duration.Round(time.Millisecond))
	if res.Previous != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", res.Previous)
	}
	fmt.Fprintln(stdout, "start the server (web serve) to use it; it applies any newer migrations as it starts")
	return nil
}

// formatBytes shows a size for people, with the exact count.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB (%d bytes)", float64(n)/(1<<30), n)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB (%d bytes)", float64(n)/(1<<20), n)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB (%d bytes)", float64(n)/(1<<10), n)
	}
	return fmt.Sprintf("%d bytes", n)
}
