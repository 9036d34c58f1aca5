package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"newsgloss/richtext"
)

// ArticleStatus is where an article is in its life.
type ArticleStatus string

const (
	StatusDraft     ArticleStatus = "draft"
	StatusPublished ArticleStatus = "published"
	StatusRetracted ArticleStatus = "retracted"
)

// ArticleStatuses lists the statuses in the order an article moves through them.
func ArticleStatuses() []ArticleStatus {
	return []ArticleStatus{StatusDraft, StatusPublished, StatusRetracted}
}

// Public reports whether readers may see an article with this status.
func (s ArticleStatus) Public() bool { return s == StatusPublished || s == StatusRetracted }

// Label is the status's name for people.
func (s ArticleStatus) Label() string {
	switch s {
	case StatusDraft:
		return "Draft"
	case StatusPublished:
		return "Published"
	case StatusRetracted:
		return "Retracted"
	}
	return string(s)
}

// Article is the current state of a news article; every change to it is also
// kept as an ArticleRevision.
type Article struct {
	ID             uint
	OutletID       uint
	Outlet         Outlet
	Title          string
	Byline         string
	SourceURL      string `gorm:"column:source_url"`
	PublishedAt    *time.Time
	Status         ArticleStatus
	RetractionNote string
	BodyFormat     richtext.Format
	BodySource     string
	BodyHTML       string `gorm:"column:body_html"`
	BodyText       string
	Version        int
	CreatedByID    *uint
	CreatedAt      time.Time
	UpdatedAt      time.Time
	DeletedAt      gorm.DeletedAt
	DeletedByID    *uint
}

// ArticleRevision is one saved version of an article. Revisions are never
// changed or removed.
type ArticleRevision struct {
	ID             uint
	ArticleID      uint
	Number         int
	OutletID       uint
	Outlet         Outlet
	Title          string
	Byline         string
	SourceURL      string `gorm:"column:source_url"`
	PublishedAt    *time.Time
	Status         ArticleStatus
	RetractionNote string
	BodyFormat     richtext.Format
	BodySource     string
	BodyHTML       string `gorm:"column:body_html"`
	BodyText       string
	Summary        string
	AuthorID       *uint
	Author         *User
	CreatedAt      time.Time
}

// Field limits, checked on every save.
const (
	maxTitleLength   = 300
	maxBylineLength  = 300
	maxSummaryLength = 300
	maxNoteLength    = 2000
	maxOutletLength  = 120
)

// ArticleInput is what an editor submits. Dates arrive as typed; validation
// parses them.
type ArticleInput struct {
	Title          string
	OutletID       uint   // an existing outlet, or 0 to use NewOutlet
	NewOutlet      string // the name of an outlet to create
	Byline         string
	SourceURL      string
	PublishedAt    string // "2006-01-02T15:04" (an HTML datetime-local value) or "2006-01-02"
	Status         string
	RetractionNote string
	BodyFormat     string
	Body           string
	Summary        string // what changed, for the history page
	BaseVersion    int    // the version the editor started from (edits only)
}

// articleValues is a validated ArticleInput.
type articleValues struct {
	title, byline, sourceURL, retractionNote, summary string
	publishedAt                                       *time.Time
	status                                            ArticleStatus
	format                                            richtext.Format
	source, html, text                                string
}

// ParsePublicationTime reads a publication date as typed in the form (UTC).
func ParsePublicationTime(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	// The formats the article form accepts, all in UTC.
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1800 || t.Year() > 2200 {
				return nil, fmt.Errorf("year %d is out of range", t.Year())
			}
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, fmt.Errorf("not a date and time")
}

// checkLength checks that a field is text (valid UTF-8 without null bytes,
// which no database column here may hold) of at most max characters.
func checkLength(v ValidationErrors, field, value string, max int) {
	if !utf8.ValidString(value) {
		v.Add(field, "This text contains bytes that are not valid UTF-8.")
	} else if strings.IndexByte(value, 0) >= 0 {
		v.Add(field, "This text contains a null character; remove it.")
	} else if n := utf8.RuneCountInString(value); n > max {
		v.Add(field, fmt.Sprintf("Use at most %d characters (this has %d).", max, n))
	}
}

func (s *Store) validateArticle(in ArticleInput) (articleValues, error) {
	v := ValidationErrors{}
	out := articleValues{
		title:          strings.TrimSpace(in.Title),
		byline:         strings.TrimSpace(in.Byline),
		sourceURL:      strings.TrimSpace(in.SourceURL),
		retractionNote: strings.TrimSpace(in.RetractionNote),
		summary:        strings.TrimSpace(in.Summary),
		status:         ArticleStatus(in.Status),
	}
	if out.title == "" {
		v.Add("title", "Enter a headline.")
	}
	checkLength(v, "title", out.title, maxTitleLength)
	checkLength(v, "byline", out.byline, maxBylineLength)
	checkLength(v, "summary", out.summary, maxSummaryLength)
	checkLength(v, "retraction_note", out.retractionNote, maxNoteLength)
	if msg := validateWebURL(out.sourceURL); msg != "" {
		v.Add("source_url", msg)
	}
	newOutlet := strings.TrimSpace(in.NewOutlet)
	if in.OutletID == 0 && newOutlet == "" {
		v.Add("outlet", "Choose an outlet or type the name of a new one.")
	}
	checkLength(v, "new_outlet", newOutlet, maxOutletLength)
	published, err := ParsePublicationTime(in.PublishedAt)
	if err != nil {
		v.Add("published_at", "Enter the date and time as YYYY-MM-DD HH:MM, e.g. 2025-03-14 09:30.")
	}
	out.publishedAt = published
	switch out.status {
	case StatusDraft, StatusPublished:
	case StatusRetracted:
		if out.retractionNote == "" {
			v.Add("retraction_note", "Explain to readers why the article is retracted.")
		}
	default:
		v.Add("status", "Choose draft, published or retracted.")
	}
	format, err := richtext.ParseFormat(in.BodyFormat)
	if err != nil {
		v.Add("body_format", "Choose Markdown or HTML.")
	}
	out.format = format
	out.source = strings.ReplaceAll(in.Body, "\r\n", "\n")
	if strings.TrimSpace(out.source) == "" {
		v.Add("body", "Enter the article's text.")
	} else if !utf8.ValidString(out.source) {
		v.Add("body", "The text contains bytes that are not valid UTF-8.")
	} else if strings.IndexByte(out.source, 0) >= 0 {
		v.Add("body", "The text contains a null character; remove it.")
	} else if len(out.source) > richtext.MaxSourceBytes {
		v.Add("body", fmt.Sprintf("The text is too long: at most %d KB.", richtext.MaxSourceBytes/1000))
	} else if err == nil {
		html, rerr := s.renderer.Render(format, out.source)
		if rerr != nil {
			v.Add("body", "The text could not be read: "+rerr.Error())
		}
		out.html = html
		out.text = richtext.PlainText(html)
		if out.text == "" {
			v.Add("body", "After removing unsafe markup the text is empty; paste the article's words.")
		}
	}
	if err := v.Err(); err != nil {
		return out, err
	}
	if out.status != StatusDraft && out.publishedAt == nil {
		now := s.nowUTC()
		out.publishedAt = &now
	}
	return out, nil
}

// CreateArticle validates and saves a new article as its first revision.
func (s *Store) CreateArticle(ctx context.Context, actor *User, in ArticleInput) (*Article, error) {
	vals, err := s.validateArticle(in)
	if err != nil {
		return nil, err
	}
	var a Article
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.nowUTC()
		outlet, err := resolveOutlet(tx, in, now)
		if err != nil {
			return err
		}
		a = Article{
			OutletID: outlet.ID, Outlet: *outlet, Title: vals.title, Byline: vals.byline, SourceURL: vals.sourceURL,
			PublishedAt: vals.publishedAt, Status: vals.status, RetractionNote: vals.retractionNote,
			BodyFormat: vals.format, BodySource: vals.source, BodyHTML: vals.html, BodyText: vals.text,
			Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if actor != nil {
			a.CreatedByID = &actor.ID
		}
		if err := tx.Omit("Outlet").Create(&a).Error; err != nil {
			return fmt.Errorf("insert article: %w", err)
		}
		summary := vals.summary
		if summary == "" {
			summary = "First version"
		}
		if err := insertRevision(tx, &a, actor, summary, now); err != nil {
			return err
		}
		return audit(tx, actor, "article.create", "article", a.ID, "", string(a.Status), now)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

func resolveOutlet(tx *gorm.DB, in ArticleInput, now time.Time) (*Outlet, error) {
	if name := strings.TrimSpace(in.NewOutlet); name != "" {
		return findOrCreateOutlet(tx, name, "", now)
	}
	var o Outlet
	err := tx.Take(&o, in.OutletID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, &Error{Code: EInvalid, Message: "Please correct the highlighted fields.",
			Fields: map[string]string{"outlet": "That outlet no longer exists; choose another."}}
	}
	if err != nil {
		return nil, fmt.Errorf("load outlet: %w", err)
	}
	return &o, nil
}

func insertRevision(tx *gorm.DB, a *Article, actor *User, summary string, now time.Time) error {
	rev := ArticleRevision{
		ArticleID: a.ID, Number: a.Version, OutletID: a.OutletID, Title: a.Title, Byline: a.Byline,
		SourceURL: a.SourceURL, PublishedAt: a.PublishedAt, Status: a.Status, RetractionNote: a.RetractionNote,
		BodyFormat: a.BodyFormat, BodySource: a.BodySource, BodyHTML: a.BodyHTML, BodyText: a.BodyText,
		Summary: summary, CreatedAt: now,
	}
	if actor != nil {
		rev.AuthorID = &actor.ID
	}
	if err := tx.Omit("Outlet", "Author").Create(&rev).Error; err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	return nil
}

// ConflictError is returned when an edit was started from a version that is no
// longer current. It carries what the editor needs to reconcile the two.
type ConflictError struct {
	Current *Article
	Base    *ArticleRevision
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("conflict: article %d is at version %d, the edit started from %d", e.Current.ID, e.Current.Version, e.Base.Number)
}

// ErrNoChange means an edit changed nothing, so no revision was made.
var ErrNoChange = errors.New("no change")

// UpdateArticle saves an edit as a new revision, but only if nobody else saved
// since in.BaseVersion: otherwise it returns a *ConflictError and changes nothing.
func (s *Store) UpdateArticle(ctx context.Context, actor *User, id uint, in ArticleInput) (*Article, error) {
	vals, err := s.validateArticle(in)
	if err != nil {
		return nil, err
	}
	var a Article
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Preload("Outlet").Take(&a, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no article number %d, or it was deleted.", id)
			}
			return fmt.Errorf("load article: %w", err)
		}
		if a.Version != in.BaseVersion {
			var base ArticleRevision
			if err := tx.Preload("Outlet").Where("article_id = ? AND number = ?", id, in.BaseVersion).Take(&base).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return Errorf(EInvalid, "The form refers to version %d, which this article never had. Reload the edit page.", in.BaseVersion)
				}
				return fmt.Errorf("load base revision: %w", err)
			}
			current := a
			return &ConflictError{Current: &current, Base: &base}
		}
		now := s.nowUTC()
		outlet, err := resolveOutlet(tx, in, now)
		if err != nil {
			return err
		}
		before := a
		a.OutletID, a.Outlet = outlet.ID, *outlet
		a.Title, a.Byline, a.SourceURL = vals.title, vals.byline, vals.sourceURL
		a.PublishedAt, a.Status, a.RetractionNote = vals.publishedAt, vals.status, vals.retractionNote
		a.BodyFormat, a.BodySource, a.BodyHTML, a.BodyText = vals.format, vals.source, vals.html, vals.text
		if sameContent(&before, &a) {
			return ErrNoChange
		}
		a.Version = before.Version + 1
		a.UpdatedAt = now
		// The version condition makes the check and the write one atomic step.
		res := tx.Model(&Article{}).Where("id = ? AND version = ?", id, before.Version).Updates(map[string]any{
			"outlet_id": a.OutletID, "title": a.Title, "byline": a.Byline, "source_url": a.SourceURL,
			"published_at": a.PublishedAt, "status": a.Status, "retraction_note": a.RetractionNote,
			"body_format": a.BodyFormat, "body_source": a.BodySource, "body_html": a.BodyHTML, "body_text": a.BodyText,
			"version": a.Version, "updated_at": now,
		})
		if res.Error != nil {
			return fmt.Errorf("update article: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return Errorf(EConflict, "Someone saved this article at the same moment; reload and try again.")
		}
		summary := vals.summary
		if summary == "" {
			summary = describeChange(&before, &a)
		}
		if err := insertRevision(tx, &a, actor, summary, now); err != nil {
			return err
		}
		// Passages are found again in the new text in this same transaction, so no
		// reader ever sees a revision whose notes point at the old one.
		if err := reanchorArticle(tx, a.ID, before.BodyText, a.BodyText, a.Version, now); err != nil {
			return err
		}
		return audit(tx, actor, "article.update", "article", a.ID,
			fmt.Sprintf("version %d, %s", before.Version, before.Status), fmt.Sprintf("version %d, %s", a.Version, a.Status), now)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func sameContent(a, b *Article) bool {
	return a.OutletID == b.OutletID && a.Title == b.Title && a.Byline == b.Byline && a.SourceURL == b.SourceURL &&
		sameTime(a.PublishedAt, b.PublishedAt) && a.Status == b.Status && a.RetractionNote == b.RetractionNote &&
		a.BodyFormat == b.BodyFormat && a.BodySource == b.BodySource
}

// describeChange writes a revision summary when the editor gave none.
func describeChange(before, after *Article) string {
	var parts []string
	if before.Status != after.Status {
		parts = append(parts, fmt.Sprintf("%s → %s", before.Status.Label(), after.Status.Label()))
	}
	if before.Title != after.Title {
		parts = append(parts, "headline changed")
	}
	if before.BodyText != after.BodyText {
		added, removed := richtext.DiffStats(richtext.WordDiff(before.BodyText, after.BodyText))
		parts = append(parts, fmt.Sprintf("text: %d words added, %d removed", added, removed))
	}
	if before.Byline != after.Byline || before.OutletID != after.OutletID || before.SourceURL != after.SourceURL ||
		!sameTime(before.PublishedAt, after.PublishedAt) {
		parts = append(parts, "details changed")
	}
	if len(parts) == 0 {
		return "Formatting changed"
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// ArticleByID loads an article with its outlet. Drafts are found only when
// includeDrafts is set (for staff); deleted articles are never found here.
func (s *Store) ArticleByID(ctx context.Context, id uint, includeDrafts bool) (*Article, error) {
	var a Article
	q := s.reader(ctx).Preload("Outlet")
	if !includeDrafts {
		q = q.Where("status IN ?", []ArticleStatus{StatusPublished, StatusRetracted})
	}
	err := q.Take(&a, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no article at this address. It may have been removed or not yet published.")
	}
	if err != nil {
		return nil, fmt.Errorf("load article %d: %w", id, err)
	}
	return &a, nil
}

// Revisions lists an article's revisions, newest first, with their authors.
func (s *Store) Revisions(ctx context.Context, articleID uint) ([]ArticleRevision, error) {
	var revs []ArticleRevision
	err := s.reader(ctx).Preload("Author").Preload("Outlet").
		Where("article_id = ?", articleID).Order("number DESC").Find(&revs).Error
	if err != nil {
		return nil, fmt.Errorf("list revisions of article %d: %w", articleID, err)
	}
	return revs, nil
}

// Revision loads one revision of an article by its number.
func (s *Store) Revision(ctx context.Context, articleID uint, number int) (*ArticleRevision, error) {
	var r ArticleRevision
	err := s.reader(ctx).Preload("Author").Preload("Outlet").
		Where("article_id = ? AND number = ?", articleID, number).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "This article has no version %d.", number)
	}
	if err != nil {
		return nil, fmt.Errorf("load revision %d of article %d: %w", number, articleID, err)
	}
	return &r, nil
}

// DeleteArticle hides an article from every page; an admin can restore it.
func (s *Store) DeleteArticle(ctx context.Context, actor *User, id uint) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.nowUTC()
		updates := map[string]any{"deleted_at": now}
		if actor != nil {
			updates["deleted_by_id"] = actor.ID
		}
		// UpdateColumns: deleting is not an edit, so updated_at ("Updated on…") stays.
		res := tx.Model(&Article{}).Where("id = ? AND deleted_at IS NULL", id).UpdateColumns(updates)
		if res.Error != nil {
			return fmt.Errorf("delete article: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(ENotFound, "There is no article number %d, or it was already deleted.", id)
		}
		return audit(tx, actor, "article.delete", "article", id, "present", "deleted", now)
	})
}

// RestoreArticle brings back a deleted article as it was.
func (s *Store) RestoreArticle(ctx context.Context, actor *User, id uint) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Unscoped().Model(&Article{}).Where("id = ? AND deleted_at IS NOT NULL", id).
			UpdateColumns(map[string]any{"deleted_at": nil, "deleted_by_id": nil})
		if res.Error != nil {
			return fmt.Errorf("restore article: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(ENotFound, "There is no deleted article number %d.", id)
		}
		return audit(tx, actor, "article.restore", "article", id, "deleted", "present", s.nowUTC())
	})
}
