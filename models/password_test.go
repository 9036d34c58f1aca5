package models

import (
	"strings"
	"testing"
)

func TestHashPasswordRoundTrip(t *testing.T) {
	const pw = "correct horse battery staple"
	h1, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q is not in argon2id PHC form with the configured parameters", h1)
	}
	if strings.Contains(h1, pw) {
		t.Error("the hash contains the password")
	}
	if !CheckPassword(h1, pw) {
		t.Error("CheckPassword(hash, same password) = false, want true")
	}
	if CheckPassword(h1, pw+" ") || CheckPassword(h1, "Correct horse battery staple") || CheckPassword(h1, "") {
		t.Error("CheckPassword accepted a different password")
	}
	h2, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Error("two hashes of the same password are equal: the salt is not random")
	}
	if !CheckPassword(h2, pw) {
		t.Error("CheckPassword(second hash, password) = false, want true")
	}
}

func TestCheckPasswordMalformedHashes(t *testing.T) {
	valid, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(valid, "$") // "", argon2id, v=19, m=…,t=…,p=…, salt, key
	join := func(p ...string) string { return strings.Join(p, "$") }
	tests := []struct {
		name, hash string
	}{
		{"empty", ""},
		{"plain text", "correct horse battery staple"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i, not argon2id", join("", "argon2i", parts[2], parts[3], parts[4], parts[5])},
		{"other version", join("", "argon2id", "v=16", parts[3], parts[4], parts[5])},
		{"version not a number", join("", "argon2id", "v=x", parts[3], parts[4], parts[5])},
		{"parameters garbled", join("", "argon2id", parts[2], "m=lots", parts[4], parts[5])},
		{"parallelism overflows uint8", join("", "argon2id", parts[2], "m=65536,t=3,p=300", parts[4], parts[5])},
		{"salt not base64", join("", "argon2id", parts[2], parts[3], "!!!", parts[5])},
		{"key not base64", join("", "argon2id", parts[2], parts[3], parts[4], "%%%")},
		{"empty key", join("", "argon2id", parts[2], parts[3], parts[4], "")},
		{"truncated key", join("", "argon2id", parts[2], parts[3], parts[4], parts[5][:20])},
		{"field missing", join("", "argon2id", parts[2], parts[3], parts[5])},
		{"extra field", valid + "$extra"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if CheckPassword(tc.hash, "correct horse battery staple") {
				t.Errorf("CheckPassword(%q) = true, want false", tc.hash)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name   string
		pw     string
		wantOK bool
	}{
		{"empty", "", false},
		{"nine characters", "123456789", false},
		{"ten characters", "1234567890", true},
		{"nine multibyte runes (18 bytes) are still nine characters", strings.Repeat("é", 9), false},
		{"ten multibyte runes", strings.Repeat("é", 10), true},
		{"256 bytes", strings.Repeat("a", MaxPasswordLength), true},
		{"257 bytes", strings.Repeat("a", MaxPasswordLength+1), false},
		{"129 two-byte runes are 258 bytes", strings.Repeat("é", 129), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := ValidatePassword(tc.pw)
			if (msg == "") != tc.wantOK {
				t.Errorf("ValidatePassword(%d bytes) = %q, want ok=%v", len(tc.pw), msg, tc.wantOK)
			}
		})
	}
}
