package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Flag is a signed-in reader's report of an annotation.
type Flag struct {
	ID           uint
	AnnotationID uint
	UserID       uint
	User         User
	Reason       string
	CreatedAt    time.Time
	ResolvedAt   *time.Time
	ResolvedByID *uint
}

// ModerationEntry is one hide or restore, with the moderator's reason.
type ModerationEntry struct {
	ID           uint
	AnnotationID uint
	ModeratorID  uint
	Moderator    User
	Action       string
	Reason       string
	CreatedAt    time.Time
}

// TableName keeps GORM from pluralising the log's table name.
func (ModerationEntry) TableName() string { return "moderation_log" }

const maxReasonLength = 1000

// FlagAnnotation records a reader's report. One open flag per person per note.
func (s *Store) FlagAnnotation(ctx context.Context, actor *User, id uint, reason string) error {
	if actor == nil || actor.Disabled() {
		return Errorf(EAuth, "Sign in to report a note.")
	}
	reason = strings.TrimSpace(reason)
	v := ValidationErrors{}
	if reason == "" {
		v.Add("reason", "Say what is wrong with this note.")
	}
	checkLength(v, "reason", reason, maxReasonLength)
	if err := v.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var a Annotation
		if err := tx.Take(&a, id).Error; err != nil || !a.CanSee(actor) {
			return Errorf(ENotFound, "There is no annotation number %d.", id)
		}
		if a.AuthorID == actor.ID {
			return Errorf(EForbidden, "You wrote this note, so you cannot report it: edit or delete it instead.")
		}
		var open int64
		if err := tx.Model(&Flag{}).Where("annotation_id = ? AND user_id = ? AND resolved_at IS NULL", id, actor.ID).Count(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return Errorf(EConflict, "You have already reported this note; a moderator will look at it.")
		}
		return tx.Omit("User").Create(&Flag{AnnotationID: id, UserID: actor.ID, Reason: reason, CreatedAt: s.nowUTC()}).Error
	})
}

// Moderate hides or restores an annotation with a reason, closes its open
// flags and writes the moderation log. Editors only.
func (s *Store) Moderate(ctx context.Context, actor *User, id uint, hide bool, reason string) error {
	if !actor.Has(RoleEditor) {
		return Errorf(EForbidden, "Only editors moderate notes.")
	}
	reason = strings.TrimSpace(reason)
	v := ValidationErrors{}
	if reason == "" {
		v.Add("reason", "Give the reason; it is kept in the moderation log.")
	}
	checkLength(v, "reason", reason, maxReasonLength)
	if err := v.Err(); err != nil {
		return err
	}
	action, state := "restore", "visible"
	if hide {
		action, state = "hide", "hidden"
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var a Annotation
		err := tx.Take(&a, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Errorf(ENotFound, "There is no annotation number %d.", id)
		}
		if err != nil {
			return err
		}
		if a.Moderation == state {
			return Errorf(EConflict, "This note is already %s.", state)
		}
		now := s.nowUTC()
		if err := tx.Model(&Annotation{}).Where("id = ?", id).Update("moderation", state).Error; err != nil {
			return fmt.Errorf("moderate: %w", err)
		}
		if err := tx.Model(&Flag{}).Where("annotation_id = ? AND resolved_at IS NULL", id).
			Updates(map[string]any{"resolved_at": now, "resolved_by_id": actor.ID}).Error; err != nil {
			return fmt.Errorf("close flags: %w", err)
		}
		entry := ModerationEntry{AnnotationID: id, ModeratorID: actor.ID, Action: action, Reason: reason, CreatedAt: now}
		if err := tx.Omit("Moderator").Create(&entry).Error; err != nil {
			return fmt.Errorf("write moderation log: %w", err)
		}
		return audit(tx, actor, "annotation."+action, "annotation", id, a.Moderation, state, now)
	})
}

// DismissFlags closes an annotation's open flags without hiding it.
func (s *Store) DismissFlags(ctx context.Context, actor *User, id uint) error {
	if !actor.Has(RoleEditor) {
		return Errorf(EForbidden, "Only editors moderate notes.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.nowUTC()
		res := tx.Model(&Flag{}).Where("annotation_id = ? AND resolved_at IS NULL", id).
			Updates(map[string]any{"resolved_at": now, "resolved_by_id": actor.ID})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return Errorf(ENotFound, "This note has no open reports.")
		}
		return audit(tx, actor, "annotation.flags_dismissed", "annotation", id, fmt.Sprintf("%d open", res.RowsAffected), "0 open", now)
	})
}

// QueueItem is a flagged or hidden annotation waiting for a moderator's look.
type QueueItem struct {
	Annotation Annotation
	Flags      []Flag
}

// ModerationQueue lists annotations with open flags, most reported first.
func (s *Store) ModerationQueue(ctx context.Context) ([]QueueItem, error) {
	var flags []Flag
	if err := s.reader(ctx).Preload("User").Where("resolved_at IS NULL").Order("created_at").Find(&flags).Error; err != nil {
		return nil, fmt.Errorf("list flags: %w", err)
	}
	byID := map[uint][]Flag{}
	var ids []uint
	for _, f := range flags {
		if _, ok := byID[f.AnnotationID]; !ok {
			ids = append(ids, f.AnnotationID)
		}
		byID[f.AnnotationID] = append(byID[f.AnnotationID], f)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var list []Annotation
	if err := s.reader(ctx).Preload("Author").Where("id IN ?", ids).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("load flagged annotations: %w", err)
	}
	items := make([]QueueItem, 0, len(list))
	for _, a := range list {
		items = append(items, QueueItem{Annotation: a, Flags: byID[a.ID]})
	}
	for i := 1; i < len(items); i++ { // most reported first; few items, insertion sort keeps it stable
		for j := i; j > 0 && len(items[j].Flags) > len(items[j-1].Flags); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	return items, nil
}

// ModerationLog lists the hides and restores, newest first.
func (s *Store) ModerationLog(ctx context.Context, limit int) ([]ModerationEntry, error) {
	var entries []ModerationEntry
	err := s.reader(ctx).Preload("Moderator").Order("created_at DESC, id DESC").Limit(limit).Find(&entries).Error
	return entries, err
}
