package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// Outlet is a publisher.
type Outlet struct {
	ID        uint
	Name      string
	Slug      string
	HomeURL   string `gorm:"column:home_url"`
	CreatedAt time.Time
}

// Slugify makes a lower-case ASCII-and-letters URL segment from a name.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// ListOutlets returns every outlet by name, for the article form's picker.
func (s *Store) ListOutlets(ctx context.Context) ([]Outlet, error) {
	var outlets []Outlet
	if err := s.reader(ctx).Order("lower(name), id").Find(&outlets).Error; err != nil {
		return nil, fmt.Errorf("list outlets: %w", err)
	}
	return outlets, nil
}

// OutletBySlug loads one outlet for its public page.
func (s *Store) OutletBySlug(ctx context.Context, slug string) (*Outlet, error) {
	var o Outlet
	err := s.reader(ctx).Where("slug = ?", slug).Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no outlet at this address.")
	}
	if err != nil {
		return nil, fmt.Errorf("load outlet %q: %w", slug, err)
	}
	return &o, nil
}

// findOrCreateOutlet returns the outlet with this name (any letter case), adding
// it when new. Runs inside the caller's transaction.
func findOrCreateOutlet(tx *gorm.DB, name, homeURL string, now time.Time) (*Outlet, error) {
	var o Outlet
	err := tx.Where("lower(name) = lower(?)", name).Take(&o).Error
	if err == nil {
		return &o, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("find outlet: %w", err)
	}
	base := Slugify(name)
	if base == "" {
		base = "outlet"
	}
	slug := base
	for i := 2; ; i++ {
		var n int64
		if err := tx.Model(&Outlet{}).Where("slug = ?", slug).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			break
		}
		slug = fmt.Sprintf("%s-%d", base, i)
	}
	o = Outlet{Name: name, Slug: slug, HomeURL: homeURL, CreatedAt: now}
	if err := tx.Create(&o).Error; err != nil {
		return nil, fmt.Errorf("create outlet: %w", err)
	}
	return &o, nil
}

// validateWebURL checks an optional http(s) address and returns a message if it is unusable.
func validateWebURL(raw string) string {
	if raw == "" {
		return ""
	}
	if len(raw) > 2000 {
		return "Use an address of at most 2,000 characters."
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "Enter a full web address starting with https:// or http://."
	}
	return ""
}
