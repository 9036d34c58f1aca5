package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Setting is a site-wide key/value pair.
type Setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func getSetting(tx *gorm.DB, key string) (string, bool, error) {
	var st Setting
	err := tx.Where("key = ?", key).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return st.Value, true, nil
}

func putSetting(tx *gorm.DB, key, value string) error {
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).
		Create(&Setting{Key: key, Value: value}).Error
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

// Setting returns a site setting's value and whether it is set.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	return getSetting(s.reader(ctx), key)
}
