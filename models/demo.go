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
	if _, done, err := s.Setting(ctx, demoLoadedKey); err != nil {
		return false, err
	} else if done {
		// Parts added to the demonstration later load on their own marker.
		editor, err := s.UserByEmail(ctx, "editor@newsgloss.example")
		if err != nil {
			return false, nil // the demo editor is gone: leave the data alone
		}
		if err := s.loadDemoClaims(ctx, editor); err != nil {
			return false, err
		}
		return false, s.loadDemoVerdicts(ctx)
	}
	var editor, checker, reader *User
	for _, acct := range DemoAccounts() {
		u, err := s.UserByEmail(ctx, acct.Email)
		if ErrorCodeOf(err) == ENotFound {
			u, err = s.CreateUser(ctx, nil, NewUser{Email: acct.Email, Name: demoName(acct.Role), Password: acct.Password, Role: acct.Role})
		}
		if err != nil {
			return false, fmt.Errorf("demo account %s: %w", acct.Email, err)
		}
		switch acct.Role {
		case RoleEditor:
			editor = u
		case RoleFactChecker:
			checker = u
		case RoleReader:
			reader = u
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
	notes := demoNotes()
	for i, d := range demoArticles() {
		if err := s.loadDemoArticle(ctx, editor, checker, reader, d, notes[i]); err != nil {
			return false, fmt.Errorf("demo article %q: %w", d.Title, err)
		}
	}
	if err := s.loadDemoClaims(ctx, editor); err != nil {
		return false, fmt.Errorf("demo claims and events: %w", err)
	}
	if err := s.loadDemoVerdicts(ctx); err != nil {
		return false, fmt.Errorf("demo fact-checks: %w", err)
	}
	err = s.inTx(ctx, func(tx *gorm.DB) error { return putSetting(tx, demoLoadedKey, s.nowUTC().Format(time.RFC3339)) })
	return err == nil, err
}

func (s *Store) loadDemoArticle(ctx context.Context, editor, checker, reader *User, d demoArticle, notes []demoNote) error {
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
	// Notes are made on the first version, so the corrections that follow show
	// how passages are found again in each revision.
	for _, n := range notes {
		in := AnnotationInput{Motivation: string(n.Motivation), Body: n.Body, Tags: n.Tags, Evidence: n.Evidence,
			Visibility: string(n.Visibility), RepliesOpen: true}
		if n.Quote != "" {
			in.Passage = &Passage{Quote: n.Quote}
		}
		note, err := s.CreateAnnotation(ctx, checker, a.ID, in)
		if err != nil {
			return fmt.Errorf("note on %q: %w", n.Quote, err)
		}
		if n.Reply != "" {
			if _, err := s.CreateReply(ctx, reader, note.ID, AnnotationInput{Body: n.Reply}); err != nil {
				return fmt.Errorf("reply: %w", err)
			}
		}
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
		noted := published.Add(2 * time.Hour)
		if err := tx.Model(&Annotation{}).Where("article_id = ?", a.ID).
			UpdateColumns(map[string]any{"created_at": noted, "updated_at": noted}).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE annotation_edits SET created_at = ? WHERE annotation_id IN (SELECT id FROM annotations WHERE article_id = ?)", noted, a.ID).Error; err != nil {
			return err
		}
		return tx.Model(&Article{}).Where("id = ?", a.ID).
			UpdateColumns(map[string]any{"created_at": published, "updated_at": last}).Error
	})
}

// demoNote is a fact-checker's note in the demonstration data, made on the
// first version of its article.
type demoNote struct {
	Quote      string // empty: a note on the whole article
	Motivation Motivation
	Body       string
	Tags       string
	Evidence   []Evidence
	Visibility Visibility
	Reply      string // a reader's reply, if any
}

// demoNotes returns the notes for each demonstration article, by position.
func demoNotes() map[int][]demoNote {
	return map[int][]demoNote{
		0: {{
			Motivation: MotivationCommenting, Visibility: VisibilityPublic,
			Body: "Background for readers: this is the first of four rounds of ministerial talks in 2025. " +
				"Later rounds were held in Port Sallow (April), Dunmere (June) and Tiverne (October).",
		}},
		4: {{
			Quote:      "two days after a Kessari missile test near the disputed Corran Shoals",
			Motivation: MotivationAssessing, Visibility: VisibilityPublic,
			Body: "The timing checks out: the test was on **Friday, Aug. 29** and the cancellation was announced " +
				"on Sunday, Aug. 31, as the Meridian Wire report of Aug. 30 also records.",
			Evidence: []Evidence{{URL: "https://meridianwire.example/2025/08/30/kessari-missile-test", Title: "Meridian Wire, 30 August 2025"}},
			Reply:    "Thanks: the first reports called it a postponement, which confused me.",
		}},
		5: {
			{
				Quote:      "Mr. Raske did not respond to messages sent to his official and personal phones",
				Motivation: MotivationQuestioning, Visibility: VisibilityPublic,
				Body: "Did the newspaper also try the ministry's press office before publishing? The article does not say.",
			},
			{
				Quote:      "has been removed from the talks and kept out of key meetings",
				Motivation: MotivationAssessing, Visibility: VisibilityStaff,
				Body: "Two anonymous officials only. Hold any verdict until the ministry responds on the record.",
				Tags: "anonymous sources, follow up",
			},
		},
	}
}
