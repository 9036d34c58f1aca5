package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DemoAccount is a demonstration login, printed at start so a new user can try each role.
type DemoAccount struct {
	Role     Role
	Email    string
	Password string
}

// DemoAccounts lists the demonstration logins. Their passwords are public: the
// demonstration content must be switched off in production.
func DemoAccounts() []DemoAccount {
	return []DemoAccount{
		{RoleReader, "reader@newsgloss.example", "demo-reader-pass"},
		{RoleFactChecker, "factchecker@newsgloss.example", "demo-factchecker-pass"},
		{RoleEditor, "editor@newsgloss.example", "demo-editor-pass"},
		{RoleAdmin, "admin@newsgloss.example", "demo-admin-pass"},
	}
}

func demoName(r Role) string {
	switch r {
	case RoleReader:
		return "Rosa Reader"
	case RoleFactChecker:
		return "Faisal Checker"
	case RoleEditor:
		return "Edda Editor"
	}
	return "Ada Admin"
}

const demoLoadedKey = "demo.loaded"

// LoadDemo adds the demonstration accounts and story once. It is idempotent:
// it records completion in settings, and each step skips what already exists,
// so a start interrupted half-way finishes the job on the next start.
func (s *Store) LoadDemo(ctx context.Context) (loaded bool, err error) {
	if _, done, err := s.Setting(ctx, demoLoadedKey); err != nil || done {
		return false, err
	}
	var editor *User
	for _, acct := range DemoAccounts() {
		u, err := s.UserByEmail(ctx, acct.Email)
		if ErrorCodeOf(err) == ENotFound {
			u, err = s.CreateUser(ctx, nil, NewUser{Email: acct.Email, Name: demoName(acct.Role), Password: acct.Password, Role: acct.Role})
		}
		if err != nil {
			return false, fmt.Errorf("demo account %s: %w", acct.Email, err)
		}
		if acct.Role == RoleEditor {
			editor = u
		}
	}
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.nowUTC()
		for _, o := range demoOutlets() {
			if _, err := findOrCreateOutlet(tx, o.Name, o.HomeURL, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("demo outlets: %w", err)
	}
	for _, d := range demoArticles() {
		if err := s.loadDemoArticle(ctx, editor, d); err != nil {
			return false, fmt.Errorf("demo article %q: %w", d.Title, err)
		}
	}
	err = s.inTx(ctx, func(tx *gorm.DB) error { return putSetting(tx, demoLoadedKey, s.nowUTC().Format(time.RFC3339)) })
	return err == nil, err
}

func (s *Store) loadDemoArticle(ctx context.Context, editor *User, d demoArticle) error {
	var existing int64
	if err := s.reader(ctx).Model(&Article{}).Unscoped().Where("source_url = ?", d.SourceURL).Count(&existing).Error; err != nil {
		return err
	}
	if existing > 0 {
		return nil
	}
	published, err := time.Parse(time.RFC3339, d.Published)
	if err != nil {
		return fmt.Errorf("published date: %w", err)
	}
	var outletID uint
	if err := s.reader(ctx).Model(&Outlet{}).Select("id").Where("name = ?", d.Outlet).Scan(&outletID).Error; err != nil || outletID == 0 {
		return errors.Join(fmt.Errorf("outlet %q not found", d.Outlet), err)
	}
	in := ArticleInput{
		Title: d.Title, OutletID: outletID, Byline: d.Byline, SourceURL: d.SourceURL,
		PublishedAt: published.Format("2006-01-02T15:04"), Status: string(StatusPublished),
		BodyFormat: "markdown", Body: d.Body, Summary: "First version",
	}
	a, err := s.CreateArticle(ctx, editor, in)
	if err != nil {
		return err
	}
	for _, r := range d.Revisions {
		if r.Title != "" {
			in.Title = r.Title
		}
		if r.Body != "" {
			in.Body = r.Body
		}
		in.Summary, in.BaseVersion = r.Summary, a.Version
		if a, err = s.UpdateArticle(ctx, editor, a.ID, in); err != nil {
			return err
		}
	}
	// Date the revisions as the story would have them: the first at publication,
	// each correction a few hours later.
	return s.inTx(ctx, func(tx *gorm.DB) error {
		last := published
		for n := 1; n <= a.Version; n++ {
			last = published.Add(time.Duration(n-1) * 5 * time.Hour)
			if err := tx.Model(&ArticleRevision{}).Where("article_id = ? AND number = ?", a.ID, n).
				Update("created_at", last).Error; err != nil {
				return err
			}
		}
		return tx.Model(&Article{}).Where("id = ?", a.ID).
			Updates(map[string]any{"created_at": published, "updated_at": last}).Error
	})
}
