package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditEntry records who changed what, when, from what to what.
type AuditEntry struct {
	ID          uint
	ActorID     *uint
	Actor       *User
	Action      string
	SubjectType string
	SubjectID   uint
	BeforeValue string
	AfterValue  string
	CreatedAt   time.Time
}

// audit appends an entry inside the caller's transaction, so the record and
// the change commit together.
func audit(tx *gorm.DB, actor *User, action, subjectType string, subjectID uint, before, after string, at time.Time) error {
	e := AuditEntry{Action: action, SubjectType: subjectType, SubjectID: subjectID, BeforeValue: before, AfterValue: after, CreatedAt: at}
	if actor != nil {
		e.ActorID = &actor.ID
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// RecentAudit returns the newest audit entries with their actors.
func (s *Store) RecentAudit(ctx context.Context, limit int) ([]AuditEntry, error) {
	var entries []AuditEntry
	err := s.reader(ctx).Preload("Actor").Order("created_at DESC, id DESC").Limit(limit).Find(&entries).Error
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	return entries, nil
}
