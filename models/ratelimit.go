package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// rateLimitRow is one token bucket in rate_limits.
type rateLimitRow struct {
	Key        string
	Tokens     float64
	RefilledMS int64 `gorm:"column:refilled_ms"`
}

func (rateLimitRow) TableName() string { return "rate_limits" }

// rateLimitIdle is how long an untouched bucket is kept: a full one is the
// same as none, and every limit here refills well within it.
const rateLimitIdle = time.Hour

// AllowAttempt takes one token from key's bucket, which holds up to burst
// tokens and refills at perSecond tokens a second, and reports whether there
// was one. The bucket lives in the database, so every instance sharing it
// counts the same attempts.
func (s *Store) AllowAttempt(ctx context.Context, key string, perSecond float64, burst int) (bool, error) {
	if burst < 1 {
		return false, nil
	}
	now := s.now().UnixMilli()
	allowed := false
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var b rateLimitRow
		err := tx.Where("key = ?", key).Take(&b).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			// A new bucket: clear out the idle ones while here.
			if err := tx.Where("refilled_ms < ?", now-rateLimitIdle.Milliseconds()).Delete(&rateLimitRow{}).Error; err != nil {
				return err
			}
			b = rateLimitRow{Key: key, Tokens: float64(burst), RefilledMS: now}
			if err := tx.Create(&b).Error; err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if elapsed := now - b.RefilledMS; elapsed > 0 {
				b.Tokens = min(float64(burst), b.Tokens+float64(elapsed)/1000*perSecond)
				b.RefilledMS = now
			}
		}
		if b.Tokens >= 1 {
			b.Tokens--
			allowed = true
		}
		return tx.Model(&rateLimitRow{}).Where("key = ?", key).
			Updates(map[string]any{"tokens": b.Tokens, "refilled_ms": b.RefilledMS}).Error
	})
	if err != nil {
		return false, fmt.Errorf("rate limit %q: %w", key, err)
	}
	return allowed, nil
}
