package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSessionTokensAreFreshAndStoredOnlyAsHashes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "test.db")
	clock := newTestClock()
	s := openTestStore(t, path, Options{Now: clock.Now})
	u := mustCreateUser(t, s, nil, "ann@example.org", RoleReader)

	seen := map[string]bool{}
	var tokens []string
	for range 5 {
		tok, err := s.CreateSession(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) < 40 {
			t.Errorf("token %q is shorter than 32 random bytes would give", tok)
		}
		if seen[tok] {
			t.Fatalf("CreateSession returned token %q twice", tok)
		}
		seen[tok] = true
		tokens = append(tokens, tok)
	}

	var rows []Session
	if err := s.read.Order("token_hash").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(tokens) {
		t.Fatalf("sessions has %d rows, want %d", len(rows), len(tokens))
	}
	stored := map[string]bool{}
	for _, r := range rows {
		stored[r.TokenHash] = true
		if r.UserID != u.ID || !r.ExpiresAt.Equal(clock.Now().Add(SessionLifetime)) {
			t.Errorf("session row %+v: want user %d, expiry %v", r, u.ID, clock.Now().Add(SessionLifetime))
		}
	}
	for _, tok := range tokens {
		sum := sha256.Sum256([]byte(tok))
		if !stored[hex.EncodeToString(sum[:])] {
			t.Errorf("no session row holds the SHA-256 of token %q", tok)
		}
	}

	// The raw token appears nowhere in the table, in any column.
	var dump []string
	if err := s.read.Raw("SELECT token_hash || '|' || user_id || '|' || created_at || '|' || last_seen_at || '|' || expires_at FROM sessions").Scan(&dump).Error; err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		for _, line := range dump {
			if strings.Contains(line, tok) {
				t.Errorf("the sessions table contains the raw token %q: %s", tok, line)
			}
		}
	}
	// Nor in the database files on disk (main file and write-ahead log).
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if bytes.Contains(data, []byte(tok)) {
				t.Errorf("%s contains the raw session token", filepath.Base(f))
			}
		}
	}

	if n, err := s.SessionCount(t.Context(), u.ID); err != nil || n != 5 {
		t.Errorf("SessionCount = %d, %v; want 5", n, err)
	}
}

func TestUserForSession(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	u := mustCreateUser(t, s, nil, "ann@example.org", RoleEditor)
	tok, err := s.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}

	got, err := s.UserForSession(ctx, tok)
	if err != nil || got == nil || got.ID != u.ID || got.Email != "ann@example.org" || got.Role != RoleEditor {
		t.Fatalf("UserForSession(valid token) = %+v, %v; want account %d", got, err, u.ID)
	}

	for name, bad := range map[string]string{
		"empty":             "",
		"unknown":           otherToken(tok),
		"over-long":         tok + strings.Repeat("a", 129-len(tok)),
		"the stored hash":   hashToken(tok),
		"token with spaces": " " + tok + " ",
	} {
		got, err := s.UserForSession(ctx, bad)
		if err != nil || got != nil {
			t.Errorf("UserForSession(%s token) = %+v, %v; want nil, nil", name, got, err)
		}
	}

	if err := s.DeleteSession(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserForSession(ctx, tok); err != nil || got != nil {
		t.Errorf("after DeleteSession, UserForSession = %+v, %v; want nil", got, err)
	}
	if n := countRows(t, s, "sessions"); n != 0 {
		t.Errorf("sessions has %d rows after sign-out, want 0", n)
	}
}

func TestSessionExpiry(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := t.Context()
	u := mustCreateUser(t, s, nil, "ann@example.org", RoleReader)

	idle, err := s.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	active, err := s.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}

	// Used again after 13 days: the active session slides forward.
	clock.Advance(13 * 24 * time.Hour)
	if got, _ := s.UserForSession(ctx, active); got == nil {
		t.Fatal("session expired before its lifetime")
	}
	var exp time.Time
	s.read.Raw("SELECT expires_at FROM sessions WHERE token_hash = ?", hashToken(active)).Scan(&exp)
	if want := clock.Now().Add(SessionLifetime); !exp.Equal(want) {
		t.Errorf("after use, expires_at = %v, want %v", exp, want)
	}

	// A day past the original lifetime: the idle session is gone, the used one lives.
	clock.Advance(2 * 24 * time.Hour)
	if got, err := s.UserForSession(ctx, idle); err != nil || got != nil {
		t.Errorf("expired session: UserForSession = %+v, %v; want nil", got, err)
	}
	if got, _ := s.UserForSession(ctx, active); got == nil || got.ID != u.ID {
		t.Errorf("a session used within its lifetime expired: got %+v", got)
	}
	if n, _ := s.SessionCount(ctx, u.ID); n != 1 {
		t.Errorf("SessionCount = %d, want 1 live session", n)
	}

	// One second before expiry the session works (and slides again); at the
	// expiry second it no longer does.
	clock.Advance(12*24*time.Hour - time.Second) // t0 + 27 days - 1 s
	if got, _ := s.UserForSession(ctx, active); got == nil {
		t.Error("a session one second before its expiry does not sign in")
	}
	clock.Advance(SessionLifetime)
	if got, err := s.UserForSession(ctx, active); err != nil || got != nil {
		t.Errorf("a session at its expiry time still signs in as %+v (err %v)", got, err)
	}

	// Creating a session sweeps the expired ones out of the table.
	if _, err := s.CreateSession(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	var hashes []string
	s.read.Raw("SELECT token_hash FROM sessions").Scan(&hashes)
	for _, h := range hashes {
		if h == hashToken(idle) {
			t.Error("the expired idle session is still stored after a new sign-in")
		}
	}
}

func TestAccountChangesEndSessions(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	admin := mustCreateUser(t, s, nil, "admin@example.org", RoleAdmin)
	u := mustCreateUser(t, s, nil, "ann@example.org", RoleReader)
	adminTok, err := s.CreateSession(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}

	signIn := func(t *testing.T, n int) []string {
		t.Helper()
		var toks []string
		for range n {
			tok, err := s.CreateSession(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			toks = append(toks, tok)
		}
		return toks
	}
	tests := []struct {
		name    string
		prepare func() error // runs before the user signs in
		change  func() error
	}{
		{"SetRole", nil, func() error { return s.SetRole(ctx, admin, u.ID, RoleEditor) }},
		{"SetDisabled(true)", nil, func() error { return s.SetDisabled(ctx, admin, u.ID, true) }},
		{"SetPassword",
			func() error { return s.SetDisabled(ctx, admin, u.ID, false) },
			func() error { return s.SetPassword(ctx, admin, u.ID, "a brand new passphrase") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.prepare != nil {
				if err := tc.prepare(); err != nil {
					t.Fatal(err)
				}
			}
			toks := signIn(t, 2)
			for _, tok := range toks {
				if got, _ := s.UserForSession(ctx, tok); got == nil {
					t.Fatal("a fresh session does not sign in")
				}
			}
			if err := tc.change(); err != nil {
				t.Fatal(err)
			}
			for _, tok := range toks {
				if got, err := s.UserForSession(ctx, tok); err != nil || got != nil {
					t.Errorf("after %s, an old session still signs in as %+v (err %v)", tc.name, got, err)
				}
			}
			if n, _ := s.SessionCount(ctx, u.ID); n != 0 {
				t.Errorf("after %s, the user has %d sessions, want 0", tc.name, n)
			}
			if got, _ := s.UserForSession(ctx, adminTok); got == nil || got.ID != admin.ID {
				t.Errorf("after %s, the admin's own session ended too", tc.name)
			}
		})
	}
}

// otherToken returns a token of the same shape that differs in its first character.
func otherToken(tok string) string {
	if tok[0] == 'A' {
		return "B" + tok[1:]
	}
	return "A" + tok[1:]
}
