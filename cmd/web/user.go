package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"newsgloss/models"
)

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// userCreate adds an account from the command line. The password is read
// from a terminal prompt (not echoed) or, with --password-stdin, from the first
// line of standard input, never from a flag that would land in shell history.
func userCreate(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("user create", stderr)
	databaseFlags(fs, &cfg, getenv)
	email := fs.String("email", "", "email address to sign in with (required)")
	name := fs.String("name", "", "display name (defaults to the part of the email before @)")
	roleName := fs.String("role", "reader", "reader, fact-checker, editor or admin")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return errors.New("--email is required")
	}
	role, err := models.ParseRole(*roleName)
	if err != nil {
		return err
	}
	if *name == "" {
		*name, _, _ = strings.Cut(*email, "@")
	}
	password, err := readPassword(stdin, stdout, *fromStdin)
	if err != nil {
		return err
	}
	store, _, err := cfg.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(ctx, nil, models.NewUser{Email: *email, Name: *name, Password: password, Role: role})
	if fields := models.FieldErrors(err); fields != nil {
		var msgs []string
		for field, msg := range fields {
			msgs = append(msgs, field+": "+msg)
		}
		return fmt.Errorf("cannot create the account: %s", strings.Join(msgs, "; "))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s <%s> as %s\n", u.Name, u.Email, u.Role.Label())
	return nil
}

func readPassword(stdin io.Reader, stdout io.Writer, fromStdin bool) (string, error) {
	if f, ok := stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(stdout, "Repeat password: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
