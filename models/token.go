package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// APIToken lets a program act as its user on the annotation API. Only a hash
// of the token is stored; the token itself is shown once, when created.
type APIToken struct {
	ID         uint
	UserID     uint
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

const tokenPrefix = "ngt_"

// CreateAPIToken makes a token for the actor and returns it in clear, once.
func (s *Store) CreateAPIToken(ctx context.Context, actor *User, name string) (string, error) {
	if actor == nil {
		return "", Errorf(EAuth, "Sign in to create a token.")
	}
	name = strings.TrimSpace(name)
	v := ValidationErrors{}
	if name == "" {
		v.Add("name", "Name the token after the program that will use it.")
	}
	checkLength(v, "name", name, 100)
	if err := v.Err(); err != nil {
		return "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("read token: %w", err)
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.nowUTC()
		if err := tx.Create(&APIToken{UserID: actor.ID, Name: name, TokenHash: hashToken(token), CreatedAt: now}).Error; err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return audit(tx, actor, "token.create", "user", actor.ID, "", name, now)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// UserForAPIToken returns the active user of a token, or nil.
func (s *Store) UserForAPIToken(ctx context.Context, token string) (*User, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 128 {
		return nil, nil
	}
	var u User
	err := s.reader(ctx).Table("users").Select("users.*").
		Joins("JOIN api_tokens ON api_tokens.user_id = users.id").
		Where("api_tokens.token_hash = ? AND api_tokens.revoked_at IS NULL AND users.disabled_at IS NULL", hashToken(token)).
		Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load token: %w", err)
	}
	return &u, nil
}

// ListAPITokens lists the actor's tokens (never their values).
func (s *Store) ListAPITokens(ctx context.Context, actor *User) ([]APIToken, error) {
	var tokens []APIToken
	err := s.reader(ctx).Where("user_id = ?", actor.ID).Order("created_at DESC").Find(&tokens).Error
	return tokens, err
}

// RevokeAPIToken switches one of the actor's tokens off.
func (s *Store) RevokeAPIToken(ctx context.Context, actor *User, id uint) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.nowUTC()
		res := tx.Model(&APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, actor.ID).Update("revoked_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return Errorf(ENotFound, "You have no active token number %d.", id)
		}
		return audit(tx, actor, "token.revoke", "user", actor.ID, fmt.Sprint(id), "revoked", now)
	})
}
