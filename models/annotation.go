package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"newsgloss/anchoring"
	"newsgloss/richtext"
)

// Motivation is why an annotation was made (the W3C motivations Newsgloss uses).
type Motivation string

const (
	MotivationCommenting   Motivation = "commenting"
	MotivationAssessing    Motivation = "assessing"
	MotivationQuestioning  Motivation = "questioning"
	MotivationLinking      Motivation = "linking"
	MotivationHighlighting Motivation = "highlighting"
	MotivationTagging      Motivation = "tagging"
	MotivationReplying     Motivation = "replying"
)

// Motivations lists the motivations an annotator can choose (replying is implied by replies).
func Motivations() []Motivation {
	return []Motivation{MotivationCommenting, MotivationAssessing, MotivationQuestioning,
		MotivationLinking, MotivationHighlighting, MotivationTagging}
}

// Label is the motivation's name for people.
func (m Motivation) Label() string {
	switch m {
	case MotivationCommenting:
		return "Comment"
	case MotivationAssessing:
		return "Assessment"
	case MotivationQuestioning:
		return "Question"
	case MotivationLinking:
		return "Link"
	case MotivationHighlighting:
		return "Highlight"
	case MotivationTagging:
		return "Tags"
	case MotivationReplying:
		return "Reply"
	}
	return string(m)
}

func (m Motivation) valid() bool {
	for _, v := range append(Motivations(), MotivationReplying) {
		if m == v {
			return true
		}
	}
	return false
}

// Visibility says who may read an annotation.
type Visibility string

const (
	VisibilityPublic  Visibility = "public"
	VisibilityStaff   Visibility = "staff"
	VisibilityPrivate Visibility = "private"
)

// Visibilities lists the choices, most open first.
func Visibilities() []Visibility {
	return []Visibility{VisibilityPublic, VisibilityStaff, VisibilityPrivate}
}

// Label is the visibility's name for people.
func (v Visibility) Label() string {
	switch v {
	case VisibilityPublic:
		return "Public"
	case VisibilityStaff:
		return "Staff only"
	case VisibilityPrivate:
		return "Only me"
	}
	return string(v)
}

// AnchorStatus is how an annotation's passage was found in the current revision.
type AnchorStatus string

const (
	AnchorPage      AnchorStatus = "page" // a note on the whole article, or a reply
	AnchorExact     AnchorStatus = "exact"
	AnchorMoved     AnchorStatus = "moved"
	AnchorFuzzy     AnchorStatus = "fuzzy"
	AnchorOrphan    AnchorStatus = "orphan"
	AnchorConfirmed AnchorStatus = "confirmed" // placed or confirmed by a person
)

// Evidence is a link an annotation relies on.
type Evidence struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// Annotation is a note on an article or one of its passages, or a reply to one.
type Annotation struct {
	ID          uint
	ArticleID   uint
	ParentID    *uint
	AuthorID    uint
	Author      User
	Motivation  Motivation
	BodySource  string
	BodyHTML    string `gorm:"column:body_html"`
	Tags        string
	Evidence    []Evidence `gorm:"serializer:json"`
	Visibility  Visibility
	RepliesOpen bool

	PassageAnchor `gorm:"embedded"`

	Moderation string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DeletedAt  gorm.DeletedAt
}

// PassageAnchor is a passage of an article as it was selected (the W3C
// selectors, kept as made) and where it is in the article's current revision.
// Annotations and mentions of claims and events share it.
type PassageAnchor struct {
	// The passage as selected, in revision MadeOnRevision.
	HasPassage     bool
	QuoteExact     string
	QuotePrefix    string
	QuoteSuffix    string
	PositionStart  int
	PositionEnd    int
	MadeOnRevision int

	// Where the passage is in revision AnchorRevision (the article's current one).
	AnchorRevision    int
	AnchorStatus      AnchorStatus
	AnchorStart       int
	AnchorEnd         int
	AnchorScore       float64
	NeedsConfirmation bool
}

// setSelector records a freshly described selection, found exactly, in revision.
func (p *PassageAnchor) setSelector(sel anchoring.Selector, revision int) {
	p.HasPassage = true
	p.QuoteExact, p.QuotePrefix, p.QuoteSuffix = sel.Exact, sel.Prefix, sel.Suffix
	p.PositionStart, p.PositionEnd, p.MadeOnRevision = sel.Start, sel.End, revision
	p.AnchorRevision, p.AnchorStatus, p.AnchorStart, p.AnchorEnd = revision, AnchorExact, sel.Start, sel.End
	p.AnchorScore, p.NeedsConfirmation = 1, false
}

// Current returns the passage as it reads in the current text, or "".
func (p *PassageAnchor) Current(text []rune) string {
	if !p.HasPassage || p.AnchorStatus == AnchorOrphan || p.AnchorStart >= p.AnchorEnd || p.AnchorEnd > len(text) {
		return ""
	}
	return string(text[p.AnchorStart:p.AnchorEnd])
}

// resolveIn finds the passage again in a new revision: from its last trusted
// place in the old text (so a confirmed rewording carries forward), or from
// the selection as made when it has none.
func (p *PassageAnchor) resolveIn(before, after *anchoring.Text, revision int) {
	sel := anchoring.Selector{Exact: p.QuoteExact, Prefix: p.QuotePrefix, Suffix: p.QuoteSuffix,
		Start: p.PositionStart, End: p.PositionEnd}
	if p.Anchored() && p.AnchorEnd <= before.Len() && p.AnchorStart < p.AnchorEnd {
		if current, err := before.Describe(p.AnchorStart, p.AnchorEnd, ""); err == nil {
			sel = current
		}
	}
	r := after.Resolve(sel)
	p.AnchorRevision, p.AnchorScore, p.NeedsConfirmation = revision, r.Score, r.NeedsConfirmation
	p.AnchorStart, p.AnchorEnd = r.Start, r.End
	switch r.Status {
	case anchoring.StatusExact:
		p.AnchorStatus = AnchorExact
	case anchoring.StatusMoved:
		p.AnchorStatus = AnchorMoved
	case anchoring.StatusFuzzy:
		p.AnchorStatus = AnchorFuzzy
	default:
		p.AnchorStatus, p.AnchorStart, p.AnchorEnd = AnchorOrphan, 0, 0
	}
}

// anchorColumns are the columns resolveIn changes.
func (p *PassageAnchor) anchorColumns() map[string]any {
	return map[string]any{
		"anchor_revision": p.AnchorRevision, "anchor_status": p.AnchorStatus, "anchor_start": p.AnchorStart,
		"anchor_end": p.AnchorEnd, "anchor_score": p.AnchorScore, "needs_confirmation": p.NeedsConfirmation,
	}
}

// Hidden reports whether a moderator hid the annotation.
func (a *Annotation) Hidden() bool { return a.Moderation == "hidden" }

// Anchored reports whether the passage has a place in the current text that
// readers may be shown as certain.
func (a *PassageAnchor) Anchored() bool {
	switch a.AnchorStatus {
	case AnchorExact, AnchorMoved, AnchorConfirmed:
		return true
	case AnchorFuzzy:
		return !a.NeedsConfirmation
	}
	return false
}

// TagList splits the comma-separated tags.
func (a *Annotation) TagList() []string {
	var out []string
	for _, t := range strings.Split(a.Tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// AnnotationEdit is one saved version of an annotation's content.
type AnnotationEdit struct {
	ID           uint
	AnnotationID uint
	Version      int
	Motivation   Motivation
	BodySource   string
	Tags         string
	Evidence     []Evidence `gorm:"serializer:json"`
	Visibility   Visibility
	RepliesOpen  bool
	EditorID     *uint
	Editor       *User
	CreatedAt    time.Time
}

// AnnotationAnchor records where a passage was found in one revision.
type AnnotationAnchor struct {
	AnnotationID      uint `gorm:"primaryKey"`
	RevisionNumber    int  `gorm:"primaryKey"`
	Status            AnchorStatus
	StartPos          int
	EndPos            int
	Score             float64
	NeedsConfirmation bool
	CreatedAt         time.Time
}

// CanSee reports whether a viewer (nil: anonymous) may read the annotation.
func (a *Annotation) CanSee(viewer *User) bool {
	if a.DeletedAt.Valid {
		return false
	}
	if a.Hidden() && !viewer.Has(RoleEditor) {
		return false
	}
	switch a.Visibility {
	case VisibilityPublic:
		return true
	case VisibilityStaff:
		return viewer.Has(RoleFactChecker)
	case VisibilityPrivate:
		return viewer != nil && viewer.ID == a.AuthorID && !viewer.Disabled()
	}
	return false
}

// CanReply reports whether a viewer may reply: staff to anything they can see,
// signed-in readers to public annotations whose author left replies open.
func (a *Annotation) CanReply(viewer *User) bool {
	if viewer == nil || viewer.Disabled() || !a.CanSee(viewer) || a.Hidden() {
		return false
	}
	if viewer.Has(RoleFactChecker) {
		return true
	}
	return a.Visibility == VisibilityPublic && a.RepliesOpen
}

// Passage is a selection sent by an annotator: offsets (from the script), or
// just the quoted words (from the form that works without JavaScript).
type Passage struct {
	Quote          string
	Prefix, Suffix string // context the script saw, to tell repeated quotes apart
	Start, End     *int   // offsets into the canonical text
	UTF16          bool   // Start and End count UTF-16 code units (a browser's)
}

// AnnotationInput is what an annotator submits.
type AnnotationInput struct {
	Motivation  string
	Body        string
	Tags        string
	Evidence    []Evidence
	Visibility  string
	RepliesOpen bool
	Passage     *Passage // nil for a note on the whole article
	BaseVersion int      // for edits: the version the editor started from
}

// Annotation limits.
const (
	MaxAnnotationBody = 20_000 // bytes of Markdown
	maxEvidence       = 10
	maxTagsLength     = 300
)

type annotationValues struct {
	motivation   Motivation
	source, html string
	tags         string
	evidence     []Evidence
	visibility   Visibility
	repliesOpen  bool
}

func (s *Store) validateAnnotation(in AnnotationInput, reply bool) (annotationValues, error) {
	v := ValidationErrors{}
	out := annotationValues{
		motivation:  Motivation(in.Motivation),
		source:      strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n")),
		tags:        strings.TrimSpace(in.Tags),
		visibility:  Visibility(in.Visibility),
		repliesOpen: in.RepliesOpen,
	}
	if reply {
		out.motivation = MotivationReplying
	}
	if !out.motivation.valid() || (!reply && out.motivation == MotivationReplying) {
		v.Add("motivation", "Choose what kind of note this is.")
	}
	switch {
	case !utf8.ValidString(out.source):
		v.Add("body", "The note contains bytes that are not valid UTF-8.")
	case strings.IndexByte(out.source, 0) >= 0:
		v.Add("body", "The note contains a null character; remove it.")
	case len(out.source) > MaxAnnotationBody:
		v.Add("body", fmt.Sprintf("The note is too long: at most %d characters.", MaxAnnotationBody))
	case out.source == "" && out.motivation != MotivationHighlighting && out.motivation != MotivationTagging:
		v.Add("body", "Write the note.")
	case out.source != "":
		html, err := s.renderer.Render(richtext.FormatMarkdown, out.source)
		if err != nil {
			v.Add("body", "The note could not be read: "+err.Error())
		}
		out.html = html
	}
	checkLength(v, "tags", out.tags, maxTagsLength)
	if out.motivation == MotivationTagging && out.tags == "" {
		v.Add("tags", "Add at least one tag.")
	}
	if len(in.Evidence) > maxEvidence {
		v.Add("evidence", fmt.Sprintf("Add at most %d evidence links.", maxEvidence))
	}
	for _, e := range in.Evidence {
		e.URL, e.Title = strings.TrimSpace(e.URL), strings.TrimSpace(e.Title)
		if e.URL == "" && e.Title == "" {
			continue
		}
		if e.URL == "" {
			v.Add("evidence", "Each evidence link needs its address.")
		} else if msg := validateWebURL(e.URL); msg != "" {
			v.Add("evidence", "Evidence: "+msg)
		}
		checkLength(v, "evidence", e.Title, maxTitleLength)
		out.evidence = append(out.evidence, e)
	}
	if out.motivation == MotivationLinking && len(out.evidence) == 0 {
		v.Add("evidence", "A link note needs at least one evidence link.")
	}
	if out.evidence == nil {
		out.evidence = []Evidence{}
	}
	if !reply {
		switch out.visibility {
		case VisibilityPublic, VisibilityStaff, VisibilityPrivate:
		default:
			v.Add("visibility", "Choose who can see the note.")
		}
	}
	return out, v.Err()
}

// pageAnchor is the anchor of a note on the whole article (or a reply).
func pageAnchor(revision int) PassageAnchor {
	return PassageAnchor{MadeOnRevision: revision, AnchorRevision: revision, AnchorStatus: AnchorPage, AnchorScore: 1}
}

// describePassage turns a submitted selection into a selector on the text,
// refusing one that does not match it.
func describePassage(text *anchoring.Text, p *Passage) (anchoring.Selector, error) {
	fail := func(msg string) error {
		return &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"quote": msg}}
	}
	if p.Start != nil && p.End != nil {
		start, end := *p.Start, *p.End
		if p.UTF16 {
			var err error
			if start, err = text.FromUTF16(start); err != nil {
				return anchoring.Selector{}, fail("The selection's start is not a position in this article's text.")
			}
			if end, err = text.FromUTF16(end); err != nil {
				return anchoring.Selector{}, fail("The selection's end is not a position in this article's text.")
			}
		}
		sel, err := text.Describe(start, end, p.Quote)
		if err != nil {
			return anchoring.Selector{}, fail("The selected text does not match the article: " + err.Error())
		}
		return sel, nil
	}
	if strings.TrimSpace(p.Quote) == "" {
		return anchoring.Selector{}, fail("Quote the passage the note is about, or make it a note on the whole article.")
	}
	sel, err := text.DescribeQuote(p.Quote, p.Prefix, p.Suffix)
	if err != nil {
		return anchoring.Selector{}, fail(err.Error())
	}
	return sel, nil
}

// CreateAnnotation adds a note to an article, anchored to a passage of its
// current revision when in.Passage is set. Fact-checkers and editors may
// annotate; only editors may annotate drafts.
func (s *Store) CreateAnnotation(ctx context.Context, actor *User, articleID uint, in AnnotationInput) (*Annotation, error) {
	if !actor.Has(RoleFactChecker) {
		return nil, Errorf(EForbidden, "Only fact-checkers and editors can annotate articles.")
	}
	vals, err := s.validateAnnotation(in, false)
	if err != nil {
		return nil, err
	}
	var a Annotation
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		art, err := annotatableArticle(tx, actor, articleID)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		a = Annotation{
			ArticleID: art.ID, AuthorID: actor.ID, Author: *actor, Motivation: vals.motivation,
			BodySource: vals.source, BodyHTML: vals.html, Tags: vals.tags, Evidence: vals.evidence,
			Visibility: vals.visibility, RepliesOpen: vals.repliesOpen,
			PassageAnchor: pageAnchor(art.Version),
			Moderation:    "visible", Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if in.Passage != nil {
			sel, err := describePassage(anchoring.NewText(art.BodyText), in.Passage)
			if err != nil {
				return err
			}
			a.setSelector(sel, art.Version)
		}
		if err := tx.Omit("Author").Create(&a).Error; err != nil {
			return fmt.Errorf("insert annotation: %w", err)
		}
		if a.HasPassage {
			if err := recordAnchor(tx, &a, now); err != nil {
				return err
			}
		}
		return insertAnnotationEdit(tx, &a, actor, now)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// annotatableArticle loads an article an actor may annotate.
func annotatableArticle(tx *gorm.DB, actor *User, articleID uint) (*Article, error) {
	var art Article
	err := tx.Take(&art, articleID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no article number %d.", articleID)
	}
	if err != nil {
		return nil, fmt.Errorf("load article: %w", err)
	}
	if !art.Status.Public() && !actor.Has(RoleEditor) {
		return nil, Errorf(ENotFound, "There is no article number %d.", articleID)
	}
	return &art, nil
}

// CreateReply adds a reply to an annotation's thread.
func (s *Store) CreateReply(ctx context.Context, actor *User, parentID uint, in AnnotationInput) (*Annotation, error) {
	if actor == nil {
		return nil, Errorf(EAuth, "Sign in to reply.")
	}
	vals, err := s.validateAnnotation(in, true)
	if err != nil {
		return nil, err
	}
	var a Annotation
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		var parent Annotation
		if err := tx.Take(&parent, parentID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no annotation number %d.", parentID)
			}
			return fmt.Errorf("load annotation: %w", err)
		}
		if !parent.CanSee(actor) {
			return Errorf(ENotFound, "There is no annotation number %d.", parentID)
		}
		if !parent.CanReply(actor) {
			return Errorf(EForbidden, "Replies to this note are closed.")
		}
		// Replies attach to the thread's root, so threads stay one level deep.
		root := parent.ID
		if parent.ParentID != nil {
			root = *parent.ParentID
		}
		now := s.nowUTC()
		a = Annotation{
			ArticleID: parent.ArticleID, ParentID: &root, AuthorID: actor.ID, Author: *actor,
			Motivation: MotivationReplying, BodySource: vals.source, BodyHTML: vals.html, Evidence: vals.evidence,
			Visibility: parent.Visibility, RepliesOpen: false, PassageAnchor: pageAnchor(parent.AnchorRevision),
			Moderation: "visible", Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if a.Visibility == VisibilityPrivate {
			return Errorf(EForbidden, "Private notes have no replies.")
		}
		if err := tx.Omit("Author").Create(&a).Error; err != nil {
			return fmt.Errorf("insert reply: %w", err)
		}
		return insertAnnotationEdit(tx, &a, actor, now)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

func insertAnnotationEdit(tx *gorm.DB, a *Annotation, editor *User, now time.Time) error {
	e := AnnotationEdit{AnnotationID: a.ID, Version: a.Version, Motivation: a.Motivation, BodySource: a.BodySource,
		Tags: a.Tags, Evidence: a.Evidence, Visibility: a.Visibility, RepliesOpen: a.RepliesOpen, CreatedAt: now}
	if editor != nil {
		e.EditorID = &editor.ID
	}
	if err := tx.Omit("Editor").Create(&e).Error; err != nil {
		return fmt.Errorf("insert annotation edit: %w", err)
	}
	return nil
}

func recordAnchor(tx *gorm.DB, a *Annotation, now time.Time) error {
	row := AnnotationAnchor{AnnotationID: a.ID, RevisionNumber: a.AnchorRevision, Status: a.AnchorStatus,
		StartPos: a.AnchorStart, EndPos: a.AnchorEnd, Score: a.AnchorScore, NeedsConfirmation: a.NeedsConfirmation, CreatedAt: now}
	// A revision can be re-resolved (a person confirming a passage): keep the latest.
	if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("record anchor: %w", err)
	}
	return nil
}

// UpdateAnnotation saves a new version of the author's own annotation, if
// nobody saved since in.BaseVersion (EConflict otherwise).
func (s *Store) UpdateAnnotation(ctx context.Context, actor *User, id uint, in AnnotationInput) (*Annotation, error) {
	var a Annotation
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Preload("Author").Take(&a, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no annotation number %d.", id)
			}
			return fmt.Errorf("load annotation: %w", err)
		}
		if !a.CanSee(actor) {
			return Errorf(ENotFound, "There is no annotation number %d.", id)
		}
		if actor == nil || actor.ID != a.AuthorID {
			return Errorf(EForbidden, "Only the author can edit this note.")
		}
		if in.BaseVersion != a.Version {
			return Errorf(EConflict, "This note was changed since you loaded it (now version %d). Reload it and apply your change again.", a.Version)
		}
		reply := a.ParentID != nil
		if reply {
			in.Visibility = string(a.Visibility)
		}
		vals, err := s.validateAnnotation(in, reply)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		res := tx.Model(&Annotation{}).Where("id = ? AND version = ?", a.ID, a.Version).Updates(map[string]any{
			"motivation": vals.motivation, "body_source": vals.source, "body_html": vals.html, "tags": vals.tags,
			"evidence": mustJSON(vals.evidence), "visibility": vals.visibility, "replies_open": vals.repliesOpen,
			"version": a.Version + 1, "updated_at": now,
		})
		if res.Error != nil {
			return fmt.Errorf("update annotation: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return Errorf(EConflict, "This note was changed at the same moment; reload it.")
		}
		a.Motivation, a.BodySource, a.BodyHTML, a.Tags, a.Evidence = vals.motivation, vals.source, vals.html, vals.tags, vals.evidence
		a.Visibility, a.RepliesOpen, a.Version, a.UpdatedAt = vals.visibility, vals.repliesOpen, a.Version+1, now
		return insertAnnotationEdit(tx, &a, actor, now)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteAnnotation removes the author's own annotation (soft: the record and
// its history stay, the protocol answers 410 Gone for it).
func (s *Store) DeleteAnnotation(ctx context.Context, actor *User, id uint, baseVersion int) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var a Annotation
		if err := tx.Take(&a, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no annotation number %d.", id)
			}
			return err
		}
		if !a.CanSee(actor) {
			return Errorf(ENotFound, "There is no annotation number %d.", id)
		}
		if actor == nil || actor.ID != a.AuthorID {
			return Errorf(EForbidden, "Only the author can delete this note.")
		}
		if baseVersion != 0 && baseVersion != a.Version {
			return Errorf(EConflict, "This note was changed since you loaded it (now version %d).", a.Version)
		}
		now := s.nowUTC()
		if err := tx.Model(&Annotation{}).Where("id = ?", id).Update("deleted_at", now).Error; err != nil {
			return fmt.Errorf("delete annotation: %w", err)
		}
		return audit(tx, actor, "annotation.delete", "annotation", id, "present", "deleted", now)
	})
}

// DeletedAnnotations lists the most recently deleted notes, for editors to restore.
func (s *Store) DeletedAnnotations(ctx context.Context, limit int) ([]Annotation, error) {
	var list []Annotation
	err := s.reader(ctx).Unscoped().Preload("Author").Where("deleted_at IS NOT NULL").
		Order("deleted_at DESC, id DESC").Limit(limit).Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("list deleted annotations: %w", err)
	}
	return list, nil
}

// RestoreAnnotation brings back a deleted annotation as it was. Its author
// (undoing a deletion) or an editor may.
func (s *Store) RestoreAnnotation(ctx context.Context, actor *User, id uint) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var a Annotation
		if err := tx.Unscoped().Where("deleted_at IS NOT NULL").Take(&a, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no deleted annotation number %d.", id)
			}
			return err
		}
		if actor == nil || actor.Disabled() || (actor.ID != a.AuthorID && !actor.Has(RoleEditor)) {
			return Errorf(EForbidden, "Only the author or an editor can restore this note.")
		}
		// UpdateColumn: restoring is not an edit, so updated_at stays.
		if err := tx.Unscoped().Model(&Annotation{}).Where("id = ?", id).UpdateColumn("deleted_at", nil).Error; err != nil {
			return fmt.Errorf("restore annotation: %w", err)
		}
		return audit(tx, actor, "annotation.restore", "annotation", id, "deleted", "present", s.nowUTC())
	})
}

// AnnotationGone reports whether an annotation existed and was deleted (410, not 404).
func (s *Store) AnnotationGone(ctx context.Context, id uint) (bool, error) {
	var n int64
	err := s.reader(ctx).Model(&Annotation{}).Unscoped().Where("id = ? AND deleted_at IS NOT NULL", id).Count(&n).Error
	return n > 0, err
}

// AnnotationByID loads an annotation the viewer may see, with its author.
func (s *Store) AnnotationByID(ctx context.Context, viewer *User, id uint) (*Annotation, error) {
	var a Annotation
	err := s.reader(ctx).Preload("Author").Take(&a, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no annotation number %d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load annotation %d: %w", id, err)
	}
	if !a.CanSee(viewer) {
		return nil, Errorf(ENotFound, "There is no annotation number %d.", id)
	}
	return &a, nil
}

// AnnotationFilter narrows a listing of annotations.
type AnnotationFilter struct {
	ArticleID uint
	AuthorID  uint
	RootsOnly bool // no replies
}

// ListAnnotations returns the annotations a viewer may see, in reading order
// (passages by position, then page notes, replies after their thread's root
// by time).
func (s *Store) ListAnnotations(ctx context.Context, viewer *User, f AnnotationFilter) ([]Annotation, error) {
	q := s.reader(ctx).Preload("Author")
	if f.ArticleID != 0 {
		q = q.Where("article_id = ?", f.ArticleID)
	}
	if f.AuthorID != 0 {
		q = q.Where("author_id = ?", f.AuthorID)
	}
	if f.RootsOnly {
		q = q.Where("parent_id IS NULL")
	}
	// The visibility rules, as a query, so a page never loads what it may not show.
	switch {
	case viewer.Has(RoleEditor):
		q = q.Where("visibility IN ? OR author_id = ?", []Visibility{VisibilityPublic, VisibilityStaff}, viewer.ID)
	case viewer.Has(RoleFactChecker):
		q = q.Where("(visibility IN ? OR author_id = ?) AND moderation = 'visible'", []Visibility{VisibilityPublic, VisibilityStaff}, viewer.ID)
	case viewer != nil && !viewer.Disabled():
		q = q.Where("(visibility = ? OR (visibility = ? AND author_id = ?)) AND moderation = 'visible'", VisibilityPublic, VisibilityPrivate, viewer.ID)
	default:
		q = q.Where("visibility = ? AND moderation = 'visible'", VisibilityPublic)
	}
	var list []Annotation
	err := q.Order("has_passage DESC, anchor_start, id").Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("list annotations: %w", err)
	}
	out := list[:0]
	for _, a := range list {
		if a.CanSee(viewer) { // the Go rule has the last word
			out = append(out, a)
		}
	}
	return out, nil
}

// AnnotationEdits lists an annotation's versions, newest first.
func (s *Store) AnnotationEdits(ctx context.Context, id uint) ([]AnnotationEdit, error) {
	var edits []AnnotationEdit
	err := s.reader(ctx).Preload("Editor").Where("annotation_id = ?", id).Order("version DESC").Find(&edits).Error
	if err != nil {
		return nil, fmt.Errorf("list annotation edits: %w", err)
	}
	return edits, nil
}

// ConfirmAnchor records that a person checked a fuzzy passage and it is right.
func (s *Store) ConfirmAnchor(ctx context.Context, actor *User, id uint) error {
	if !actor.Has(RoleFactChecker) {
		return Errorf(EForbidden, "Only fact-checkers and editors can confirm passages.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var a Annotation
		if err := tx.Take(&a, id).Error; err != nil || !a.CanSee(actor) {
			return Errorf(ENotFound, "There is no annotation number %d.", id)
		}
		if a.AnchorStatus != AnchorFuzzy {
			return Errorf(EInvalid, "Only an approximately found passage needs confirming.")
		}
		now := s.nowUTC()
		a.AnchorStatus, a.NeedsConfirmation = AnchorConfirmed, false
		if err := tx.Model(&a).Updates(map[string]any{"anchor_status": a.AnchorStatus, "needs_confirmation": false}).Error; err != nil {
			return err
		}
		if err := recordAnchor(tx, &a, now); err != nil {
			return err
		}
		return audit(tx, actor, "annotation.confirm", "annotation", id, "fuzzy", "confirmed", now)
	})
}

// ReplaceAnchor puts an annotation's passage on a new selection in the current revision.
func (s *Store) ReplaceAnchor(ctx context.Context, actor *User, id uint, p Passage) error {
	if !actor.Has(RoleFactChecker) {
		return Errorf(EForbidden, "Only fact-checkers and editors can re-place passages.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var a Annotation
		if err := tx.Take(&a, id).Error; err != nil || !a.CanSee(actor) || !a.HasPassage {
			return Errorf(ENotFound, "There is no annotation number %d with a passage.", id)
		}
		var art Article
		if err := tx.Take(&art, a.ArticleID).Error; err != nil {
			return err
		}
		sel, err := describePassage(anchoring.NewText(art.BodyText), &p)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		before := string(a.AnchorStatus)
		a.AnchorRevision, a.AnchorStatus, a.AnchorStart, a.AnchorEnd = art.Version, AnchorConfirmed, sel.Start, sel.End
		a.AnchorScore, a.NeedsConfirmation = 1, false
		if err := tx.Model(&a).Updates(map[string]any{"anchor_revision": a.AnchorRevision, "anchor_status": a.AnchorStatus,
			"anchor_start": a.AnchorStart, "anchor_end": a.AnchorEnd, "anchor_score": 1, "needs_confirmation": false}).Error; err != nil {
			return err
		}
		if err := recordAnchor(tx, &a, now); err != nil {
			return err
		}
		return audit(tx, actor, "annotation.replace", "annotation", id, before, "confirmed", now)
	})
}

// reanchorArticle resolves every passage of an article — notes and mentions of
// claims and events — again in its new revision, inside the transaction that
// saves the revision, and records each outcome for that revision.
func reanchorArticle(tx *gorm.DB, articleID uint, oldText, newText string, revision int, now time.Time) error {
	var notes []Annotation
	if err := tx.Where("article_id = ? AND has_passage", articleID).Find(&notes).Error; err != nil {
		return fmt.Errorf("load annotations to re-anchor: %w", err)
	}
	var mentions []Mention
	if err := tx.Where("article_id = ?", articleID).Find(&mentions).Error; err != nil {
		return fmt.Errorf("load mentions to re-anchor: %w", err)
	}
	if len(notes) == 0 && len(mentions) == 0 {
		return nil
	}
	before, after := anchoring.NewText(oldText), anchoring.NewText(newText)
	afterRunes := []rune(newText)
	for i := range notes {
		a := &notes[i]
		a.resolveIn(before, after, revision)
		if err := tx.Model(&Annotation{}).Where("id = ?", a.ID).Updates(a.anchorColumns()).Error; err != nil {
			return fmt.Errorf("store anchor of annotation %d: %w", a.ID, err)
		}
		if err := recordAnchor(tx, a, now); err != nil {
			return err
		}
	}
	for i := range mentions {
		m := &mentions[i]
		m.resolveIn(before, after, revision)
		cols := m.anchorColumns()
		cols["anchor_text"] = m.Current(afterRunes) // what the pages listing reports show
		if err := tx.Model(&Mention{}).Where("id = ?", m.ID).Updates(cols).Error; err != nil {
			return fmt.Errorf("store anchor of mention %d: %w", m.ID, err)
		}
	}
	return nil
}

// AnchorHistory lists where a passage was found in each revision.
func (s *Store) AnchorHistory(ctx context.Context, id uint) ([]AnnotationAnchor, error) {
	var rows []AnnotationAnchor
	err := s.reader(ctx).Where("annotation_id = ?", id).Order("revision_number").Find(&rows).Error
	return rows, err
}
