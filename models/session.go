package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser. Only a hash of the token is stored, so a copy
// of the database does not let anyone sign in as its users.
type Session struct {
	TokenHash  string `gorm:"primaryKey"`
	UserID     uint
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SessionLifetime is how long an unused session lasts; use extends it.
const SessionLifetime = 14 * 24 * time.Hour

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a new session for the user and returns its token, which
// goes in the cookie. Every sign-in gets a fresh token (no session fixation).
func (s *Store) CreateSession(ctx context.Context, userID uint) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("read session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.nowUTC()
	sess := Session{TokenHash: hashToken(token), UserID: userID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionLifetime)}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		// Sweep expired sessions while we hold the write lock anyway.
		if err := tx.Where("expires_at < ?", now).Delete(&Session{}).Error; err != nil {
			return err
		}
		return tx.Create(&sess).Error
	})
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// UserForSession returns the active user of a session token, or nil when the
// token is unknown, expired or belongs to a disabled account.
func (s *Store) UserForSession(ctx context.Context, token string) (*User, error) {
	if token == "" || len(token) > 128 {
		return nil, nil
	}
	now := s.nowUTC()
	var row struct {
		User
		SessionLastSeen time.Time
		SessionExpires  time.Time
	}
	err := s.reader(ctx).Table("sessions").
		Select("users.*, sessions.last_seen_at AS session_last_seen, sessions.expires_at AS session_expires").
		Joins("JOIN users ON users.id = sessions.user_id").
		Where("sessions.token_hash = ? AND sessions.expires_at > ? AND users.disabled_at IS NULL", hashToken(token), now).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	// Slide the expiry at most once an hour, so reading pages costs no write.
	if now.Sub(row.SessionLastSeen) > time.Hour {
		err := s.inTx(ctx, func(tx *gorm.DB) error {
			return tx.Model(&Session{}).Where("token_hash = ?", hashToken(token)).
				Updates(map[string]any{"last_seen_at": now, "expires_at": now.Add(SessionLifetime)}).Error
		})
		if err != nil {
			return nil, fmt.Errorf("extend session: %w", err)
		}
	}
	u := row.User
	return &u, nil
}

// DeleteSession signs a browser out.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		return tx.Where("token_hash = ?", hashToken(token)).Delete(&Session{}).Error
	})
}

// SessionCount returns how many live sessions a user has (for tests and the admin page).
func (s *Store) SessionCount(ctx context.Context, userID uint) (int64, error) {
	var n int64
	err := s.reader(ctx).Model(&Session{}).Where("user_id = ? AND expires_at > ?", userID, s.nowUTC()).Count(&n).Error
	return n, err
}
