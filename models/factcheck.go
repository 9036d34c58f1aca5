package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// VerdictWork is a verdict as the desk sees it: its claim, people, workflow
// steps, published versions and the annotations it relies on.
type VerdictWork struct {
	Verdict  *Verdict
	Steps    []VerdictStep
	Versions []VerdictVersion
	// Candidates are the annotations the viewer may attach: those on the
	// articles that report the claim.
	Candidates []Annotation
}

// VerdictForDesk loads a verdict for staff.
func (s *Store) VerdictForDesk(ctx context.Context, viewer *User, id uint) (*VerdictWork, error) {
	if !viewer.Has(RoleFactChecker) {
		return nil, Errorf(ENotFound, "There is no verdict number %d.", id)
	}
	db := s.reader(ctx)
	var v Verdict
	err := db.Preload("Claim.Claimant").Preload("Author").Preload("Reviewer").Preload("RatingLabel").
		Preload("Annotations").Take(&v, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no verdict number %d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load verdict %d: %w", id, err)
	}
	w := &VerdictWork{Verdict: &v}
	if err := db.Preload("Actor").Where("verdict_id = ?", id).Order("id").Find(&w.Steps).Error; err != nil {
		return nil, fmt.Errorf("load workflow steps: %w", err)
	}
	if err := db.Preload("RatingLabel").Preload("Publisher").Preload("Reviewer").Where("verdict_id = ?", id).Order("number").Find(&w.Versions).Error; err != nil {
		return nil, fmt.Errorf("load versions: %w", err)
	}
	if w.Candidates, err = s.ClaimAnnotations(ctx, viewer, v.ClaimID); err != nil {
		return nil, err
	}
	return w, nil
}

// ClaimAnnotations lists the top-level annotations the viewer may see on the
// articles reporting a claim: those a verdict may rely on.
func (s *Store) ClaimAnnotations(ctx context.Context, viewer *User, claimID uint) ([]Annotation, error) {
	var list []Annotation
	err := s.reader(ctx).Preload("Author").
		Where("parent_id IS NULL AND article_id IN (SELECT article_id FROM mentions WHERE claim_id = ?)", claimID).
		Order("article_id, anchor_start, id").Limit(200).Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("load claim annotations: %w", err)
	}
	out := list[:0]
	for i := range list {
		if list[i].CanSee(viewer) {
			out = append(out, list[i])
		}
	}
	return out, nil
}

// DeskItem is one claim on the fact-check desk, with its verdict if it has one.
type DeskItem struct {
	ClaimID       uint
	Restatement   string
	ClaimantName  string
	SaidOn        string
	Mentions      int
	AssigneeID    *uint
	AssigneeName  string
	VerdictID     *uint
	State         VerdictState
	AuthorID      *uint
	AuthorName    string
	ReturnComment string
	UpdatedAt     *time.Time
}

// Returned reports whether the item's verdict came back from review.
func (q DeskItem) Returned() bool { return q.State == VerdictDraft && q.ReturnComment != "" }

// QueueFilter narrows the desk queue. All fields are optional.
type QueueFilter struct {
	Mine  bool   // assigned to or written by the viewer
	State string // "unchecked", "draft", "returned", "in_review", "approved", "published", "withdrawn"
}

// QueueStates lists the queue's state filters with their names for people.
func QueueStates() [][2]string {
	return [][2]string{{"unchecked", "No verdict yet"}, {"draft", "Drafts"}, {"returned", "Returned"},
		{"in_review", "Waiting for review"}, {"approved", "Approved, to publish"}, {"published", "Published"}, {"withdrawn", "Withdrawn"}}
}

// Queue is the fact-check desk: claims without a verdict, verdicts in the workflow.
type Queue struct {
	Unchecked, Returned, Drafts, InReview, Approved, Published []DeskItem
}

const queueLimit = 500

// FactCheckQueue lists the desk's work in one query.
func (s *Store) FactCheckQueue(ctx context.Context, viewer *User, f QueueFilter) (*Queue, error) {
	if !viewer.Has(RoleFactChecker) {
		return nil, Errorf(EForbidden, "The fact-check desk is for fact-checkers and editors.")
	}
	q := s.reader(ctx).Table("claims").
		Select(`claims.id AS claim_id, claims.restatement, claims.said_on, entities.name AS claimant_name,
			(SELECT COUNT(*) FROM mentions WHERE mentions.claim_id = claims.id) AS mentions,
			claim_assignments.assignee_id, assignee.name AS assignee_name,
			verdicts.id AS verdict_id, verdicts.state, verdicts.author_id, author.name AS author_name,
			verdicts.return_comment, verdicts.updated_at`).
		Joins("LEFT JOIN entities ON entities.id = claims.claimant_id").
		Joins("LEFT JOIN claim_assignments ON claim_assignments.claim_id = claims.id").
		Joins("LEFT JOIN users AS assignee ON assignee.id = claim_assignments.assignee_id").
		// The live verdict; a claim whose only verdicts were withdrawn shows the latest of them.
		Joins(`LEFT JOIN verdicts ON verdicts.id = (SELECT v.id FROM verdicts AS v WHERE v.claim_id = claims.id
			ORDER BY v.state = 'withdrawn', v.id DESC LIMIT 1)`).
		Joins("LEFT JOIN users AS author ON author.id = verdicts.author_id")
	if f.Mine {
		q = q.Where("claim_assignments.assignee_id = ? OR verdicts.author_id = ?", viewer.ID, viewer.ID)
	}
	switch f.State {
	case "":
	case "unchecked":
		q = q.Where("verdicts.id IS NULL")
	case "returned":
		q = q.Where("verdicts.state = 'draft' AND verdicts.return_comment <> ''")
	case "draft":
		q = q.Where("verdicts.state = 'draft' AND verdicts.return_comment = ''")
	case "in_review", "approved", "published", "withdrawn":
		q = q.Where("verdicts.state = ?", f.State)
	default:
		return nil, Errorf(EInvalid, "Unknown queue filter %q.", f.State)
	}
	var items []DeskItem
	if err := q.Order("verdicts.updated_at DESC, claims.said_sort DESC, claims.id DESC").Limit(queueLimit).Scan(&items).Error; err != nil {
		return nil, fmt.Errorf("load fact-check queue: %w", err)
	}
	out := &Queue{}
	for _, it := range items {
		switch {
		case it.VerdictID == nil:
			out.Unchecked = append(out.Unchecked, it)
		case it.Returned():
			out.Returned = append(out.Returned, it)
		case it.State == VerdictDraft:
			out.Drafts = append(out.Drafts, it)
		case it.State == VerdictInReview:
			out.InReview = append(out.InReview, it)
		case it.State == VerdictApproved:
			out.Approved = append(out.Approved, it)
		default:
			out.Published = append(out.Published, it)
		}
	}
	return out, nil
}

// Assignees lists the people a claim can be assigned to.
func (s *Store) Assignees(ctx context.Context) ([]User, error) {
	var users []User
	err := s.reader(ctx).Where("role IN ? AND disabled_at IS NULL", []Role{RoleFactChecker, RoleEditor, RoleAdmin}).Order("name").Find(&users).Error
	if err != nil {
		return nil, fmt.Errorf("list assignees: %w", err)
	}
	return users, nil
}

// FactCheck is a published (or withdrawn) fact-check as readers see it.
type FactCheck struct {
	Verdict  *Verdict
	Current  VerdictVersion   // the latest published version
	Versions []VerdictVersion // every published version, oldest first
	Claim    *Claim
	Mentions []Source
	// Annotations are the public annotations the fact-check relies on.
	Annotations []Annotation
	Scale       RatingScale
}

// Corrections lists the versions after the first, newest first.
func (f *FactCheck) Corrections() []VerdictVersion {
	var out []VerdictVersion
	for i := len(f.Versions) - 1; i >= 1; i-- {
		out = append(out, f.Versions[i])
	}
	return out
}

// FirstPublished is when the fact-check first appeared.
func (f *FactCheck) FirstPublished() time.Time { return f.Versions[0].PublishedAt }

// FactCheckByID loads a fact-check readers may see.
func (s *Store) FactCheckByID(ctx context.Context, id uint) (*FactCheck, error) {
	db := s.reader(ctx)
	var v Verdict
	err := db.Preload("Author").Preload("Annotations", "visibility = 'public' AND moderation <> 'hidden'").
		Where("state IN ?", []VerdictState{VerdictPublished, VerdictWithdrawn}).Take(&v, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no published fact-check number %d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load fact-check %d: %w", id, err)
	}
	f := &FactCheck{Verdict: &v, Annotations: v.Annotations}
	if err := db.Preload("RatingLabel").Preload("Author").Preload("Reviewer").Preload("Publisher").
		Where("verdict_id = ?", id).Order("number").Find(&f.Versions).Error; err != nil {
		return nil, fmt.Errorf("load fact-check versions: %w", err)
	}
	if len(f.Versions) == 0 {
		return nil, fmt.Errorf("fact-check %d is %s but has no published version", id, v.State)
	}
	f.Current = f.Versions[len(f.Versions)-1]
	if f.Claim, f.Mentions, err = s.ClaimByID(ctx, v.ClaimID); err != nil {
		return nil, err
	}
	if f.Scale, err = loadScale(db); err != nil {
		return nil, err
	}
	return f, nil
}

// FactCheckSummary is a fact-check in lists and feeds.
type FactCheckSummary struct {
	VerdictID      uint
	ClaimID        uint
	Restatement    string
	ClaimantName   string
	Conclusion     string
	LabelName      string
	LabelColour    string
	State          VerdictState
	Number         int // the latest version; above 1 means corrected
	FirstPublished time.Time
	UpdatedAt      time.Time
}

// Label is the summary's rating as a label, for badges.
func (f FactCheckSummary) Label() RatingLabel {
	return RatingLabel{Name: f.LabelName, Colour: f.LabelColour}
}

// Corrected reports whether the fact-check was corrected after publication.
func (f FactCheckSummary) Corrected() bool { return f.Number > 1 }

// FactCheckFilter narrows the public list.
type FactCheckFilter struct {
	RatingID uint
	Limit    int
	Offset   int
}

// ListFactChecks lists published and withdrawn fact-checks, newest change first.
func (s *Store) ListFactChecks(ctx context.Context, f FactCheckFilter) ([]FactCheckSummary, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	// The versions are read newest first through their index (orderedJoin
	// keeps them the outer loop) and the walk stops at the limit, rather than
	// sorting every published fact-check for each page.
	q := s.reader(ctx).Table("verdict_versions AS vv").
		Select(`verdicts.id AS verdict_id, verdicts.claim_id, claims.restatement, entities.name AS claimant_name,
			vv.conclusion, rating_labels.name AS label_name, rating_labels.colour AS label_colour, verdicts.state,
			vv.number, verdicts.published_at AS first_published, vv.published_at AS updated_at`).
		Joins(s.dialect.orderedJoin()+" verdicts ON verdicts.id = vv.verdict_id AND verdicts.published_number = vv.number").
		Joins("JOIN rating_labels ON rating_labels.id = vv.rating_label_id").
		Joins("JOIN claims ON claims.id = verdicts.claim_id").
		Joins("LEFT JOIN entities ON entities.id = claims.claimant_id").
		Where("verdicts.state IN ?", []VerdictState{VerdictPublished, VerdictWithdrawn})
	if f.RatingID != 0 {
		q = q.Where("vv.rating_label_id = ?", f.RatingID)
	}
	var rows []FactCheckSummary
	if err := q.Order("vv.published_at DESC, vv.verdict_id DESC").Limit(f.Limit).Offset(f.Offset).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list fact-checks: %w", err)
	}
	for i := range rows {
		rows[i].FirstPublished = rows[i].FirstPublished.UTC()
		rows[i].UpdatedAt = rows[i].UpdatedAt.UTC()
	}
	return rows, nil
}

// LiveVerdict returns the claim's verdict that is not withdrawn (a draft, one
// under review, or the published one), or nil when a new one may be started.
func (s *Store) LiveVerdict(ctx context.Context, claimID uint) (*Verdict, error) {
	var v Verdict
	err := s.reader(ctx).Where("claim_id = ? AND state <> ?", claimID, VerdictWithdrawn).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load live verdict of claim %d: %w", claimID, err)
	}
	return &v, nil
}

// VerdictBadge is the rating shown beside a claim wherever it appears.
type VerdictBadge struct {
	VerdictID uint
	Label     RatingLabel
}

// VerdictBadges returns the published rating of each given claim that has one, in one query.
func (s *Store) VerdictBadges(ctx context.Context, claimIDs []uint) (map[uint]VerdictBadge, error) {
	return verdictBadges(s.reader(ctx), claimIDs)
}

func verdictBadges(db *gorm.DB, claimIDs []uint) (map[uint]VerdictBadge, error) {
	out := map[uint]VerdictBadge{}
	if len(claimIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ClaimID   uint
		VerdictID uint
		RatingLabel
	}
	err := db.Table("verdicts").
		Select("verdicts.claim_id, verdicts.id AS verdict_id, rating_labels.*").
		Joins("JOIN verdict_versions AS vv ON vv.verdict_id = verdicts.id AND vv.number = verdicts.published_number").
		Joins("JOIN rating_labels ON rating_labels.id = vv.rating_label_id").
		Where("verdicts.state = ? AND verdicts.claim_id IN ?", VerdictPublished, dedupeIDs(claimIDs)).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load verdict badges: %w", err)
	}
	for _, r := range rows {
		out[r.ClaimID] = VerdictBadge{VerdictID: r.VerdictID, Label: r.RatingLabel}
	}
	return out, nil
}
