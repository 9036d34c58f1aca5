// Command web runs Newsgloss: `web` (or `web serve`) starts the server;
// `web user create` adds an account; `web migrate` applies schema changes only;
// `web backup` and `web restore` copy the database out and back.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "newsgloss:", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `Newsgloss — read, annotate and fact-check the news.

Usage:
  web [serve] [flags]                      start the web server
  web user create --email E --role R [--name N] [--password-stdin]
                                           add an account (prompts for the password)
  web migrate [flags]                      apply database migrations and exit
  web import [flags] FILE                  import articles from a JSON Lines or RSS/Atom file
  web reindex [--check] [flags]            rebuild (or check) the search index, with progress
  web gen-corpus [--articles N] [flags]    fill a database with a synthetic corpus for benchmarks
  web backup --out FILE [--force]          copy the live database consistently while it runs
  web restore --from FILE                  replace the stopped server's database with a backup

Run "web serve -h" to see the flags; each has an environment variable.
`

// run is main without the process: tests call it with their own arguments,
// environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return migrateOnly(ctx, args, getenv, stdout, stderr)
	case "import":
		return importCommand(ctx, args, getenv, stdout, stderr)
	case "reindex":
		return reindexCommand(ctx, args, getenv, stdout, stderr)
	case "gen-corpus":
		return genCorpusCommand(ctx, args, getenv, stdout, stderr)
	case "backup":
		return backupCommand(ctx, args, getenv, stdout, stderr)
	case "restore":
		return restoreCommand(ctx, args, getenv, stdout, stderr)
	case "user":
		if len(args) == 0 || args[0] != "create" {
			fmt.Fprint(stderr, usage)
			return errUsage
		}
		return userCreate(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
	return errUsage
}
