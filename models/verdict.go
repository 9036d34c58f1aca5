package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"newsgloss/dates"
)

// VerdictState is where a fact-check is in its reviewed workflow:
// draft → in review → approved → published, back to draft with a comment,
// and withdrawn (the page stays, with a notice).
type VerdictState string

const (
	VerdictDraft     VerdictState = "draft"
	VerdictInReview  VerdictState = "in_review"
	VerdictApproved  VerdictState = "approved"
	VerdictPublished VerdictState = "published"
	VerdictWithdrawn VerdictState = "withdrawn"
)

// Label is the state's name for people.
func (s VerdictState) Label() string {
	switch s {
	case VerdictInReview:
		return "In review"
	case "":
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// Public reports whether readers can see the fact-check's page.
func (s VerdictState) Public() bool { return s == VerdictPublished || s == VerdictWithdrawn }

// VerdictSource is a document the explanation relies on.
type VerdictSource struct {
	URL        string `json:"url"`
	Title      string `json:"title"`
	Publisher  string `json:"publisher,omitempty"`
	AccessedOn string `json:"accessedOn,omitempty"` // YYYY-MM-DD
}

// Verdict is one fact-check of a claim. Its rating, conclusion, explanation
// and sources are the working copy; readers see its latest published version.
type Verdict struct {
	ID              uint
	ClaimID         uint
	Claim           *Claim
	State           VerdictState
	AuthorID        uint
	Author          *User
	ReviewerID      *uint
	Reviewer        *User
	RatingLabelID   uint
	RatingLabel     *RatingLabel
	Conclusion      string
	Explanation     string
	Sources         []VerdictSource `gorm:"serializer:json"`
	LockVersion     int
	PublishedNumber int
	ReturnComment   string
	WithdrawalNote  string
	Annotations     []Annotation `gorm:"many2many:verdict_annotations"`
	CreatedAt       time.Time
	UpdatedAt       time.Time
	PublishedAt     *time.Time
	WithdrawnAt     *time.Time
}

// Returned reports whether a reviewer sent the draft back with a comment.
func (v *Verdict) Returned() bool { return v.State == VerdictDraft && v.ReturnComment != "" }

// VerdictVersion is one publication of a verdict; versions after the first are corrections.
type VerdictVersion struct {
	ID             uint
	VerdictID      uint
	Number         int
	RatingLabelID  uint
	RatingLabel    *RatingLabel
	Conclusion     string
	Explanation    string
	Sources        []VerdictSource `gorm:"serializer:json"`
	CorrectionNote string
	AuthorID       uint
	Author         *User
	ReviewerID     *uint
	Reviewer       *User
	PublisherID    uint
	Publisher      *User
	PublishedAt    time.Time
}

// VerdictStep is one move through the workflow, with its comment.
type VerdictStep struct {
	ID        uint
	VerdictID uint
	ActorID   uint
	Actor     *User
	FromState VerdictState
	ToState   VerdictState
	Comment   string
	CreatedAt time.Time
}

// ClaimAssignment says which fact-checker is to check a claim.
type ClaimAssignment struct {
	ClaimID      uint `gorm:"primaryKey;autoIncrement:false"`
	AssigneeID   uint
	AssignedByID uint
	AssignedAt   time.Time
}

// VerdictInput is the verdict form.
type VerdictInput struct {
	ClaimID       uint
	RatingLabelID string
	Conclusion    string
	Explanation   string
	Sources       []VerdictSource
	AnnotationIDs []uint
	// LockVersion is the version the form was opened at; a save from an older one is refused.
	LockVersion int
	// CorrectionNote is required when a published verdict is changed; readers see it.
	CorrectionNote string
}

type verdictValues struct {
	labelID                 uint
	conclusion, explanation string
	sources                 []VerdictSource
	annotationIDs           []uint
	correctionNote          string
}

const (
	maxConclusion  = 300
	maxExplanation = 50000
	maxSources     = 30
)

// validateVerdict checks the form against the scale. A label the verdict
// already has may stay even when retired; a new choice must be active.
func validateVerdict(in VerdictInput, scale RatingScale, currentLabel uint) (verdictValues, error) {
	v := verdictValues{
		conclusion:     strings.Join(strings.Fields(in.Conclusion), " "),
		explanation:    strings.TrimSpace(strings.ReplaceAll(in.Explanation, "\r\n", "\n")),
		correctionNote: strings.TrimSpace(in.CorrectionNote),
		annotationIDs:  in.AnnotationIDs,
	}
	errs := ValidationErrors{}
	id, err := strconv.ParseUint(strings.TrimSpace(in.RatingLabelID), 10, 32)
	label, onScale := scale.Label(uint(id))
	switch {
	case strings.TrimSpace(in.RatingLabelID) == "":
		errs.Add("rating", "Choose a rating from the scale.")
	case err != nil || !onScale:
		errs.Add("rating", "That rating is not on the site's scale. Choose one of the listed ratings.")
	case label.Retired() && label.ID != currentLabel:
		errs.Add("rating", fmt.Sprintf("%q has been retired from the scale. Choose another rating.", label.Name))
	default:
		v.labelID = label.ID
	}
	switch n := len([]rune(v.conclusion)); {
	case n == 0:
		errs.Add("conclusion", "Write the conclusion in one sentence.")
	case n > maxConclusion:
		errs.Add("conclusion", fmt.Sprintf("Keep the conclusion to one sentence of at most %d characters (it has %d).", maxConclusion, n))
	}
	if n := len([]rune(v.explanation)); n > maxExplanation {
		errs.Add("explanation", fmt.Sprintf("The explanation is too long (%d characters; at most %d).", n, maxExplanation))
	}
	var rows int
	for i, s := range in.Sources {
		s = VerdictSource{URL: strings.TrimSpace(s.URL), Title: strings.Join(strings.Fields(s.Title), " "),
			Publisher: strings.Join(strings.Fields(s.Publisher), " "), AccessedOn: strings.TrimSpace(s.AccessedOn)}
		if s == (VerdictSource{}) {
			continue // an empty row of the form
		}
		rows++
		field := "sources." + strconv.Itoa(i)
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s.URL) > 2000 {
			errs.Add(field, "Each source needs a full web address starting with http:// or https://.")
		}
		if s.Title == "" || len([]rune(s.Title)) > 300 {
			errs.Add(field, "Each source needs a title of at most 300 characters.")
		}
		if len([]rune(s.Publisher)) > 200 {
			errs.Add(field, "Keep the publisher's name under 200 characters.")
		}
		if s.AccessedOn != "" {
			d, err := dates.ParseISO(s.AccessedOn)
			if err != nil || d.Precision != dates.PrecisionDay {
				errs.Add(field, "Give the date you accessed the source as YYYY-MM-DD.")
			}
		}
		v.sources = append(v.sources, s)
	}
	if rows > maxSources {
		errs.Add("sources", fmt.Sprintf("A fact-check lists at most %d sources.", maxSources))
	}
	return v, errs.Err()
}

// checkComplete is what a verdict needs before anyone reviews it.
func checkComplete(v *Verdict) error {
	errs := ValidationErrors{}
	if strings.TrimSpace(v.Explanation) == "" {
		errs.Add("explanation", "Explain the verdict before sending it for review.")
	}
	if len(v.Sources) == 0 {
		errs.Add("sources", "List at least one source before sending the verdict for review.")
	}
	if err := errs.Err(); err != nil {
		return &Error{Code: EInvalid, Message: "The verdict is not ready for review.", Fields: errs}
	}
	return nil
}

// CreateVerdict starts a draft verdict on a claim. A claim has at most one
// live fact-check; a withdrawn one leaves room for a new one.
func (s *Store) CreateVerdict(ctx context.Context, actor *User, in VerdictInput) (*Verdict, error) {
	if !actor.Has(RoleFactChecker) {
		return nil, Errorf(EForbidden, "Only fact-checkers and editors draft verdicts.")
	}
	scale, err := s.RatingScale(ctx)
	if err != nil {
		return nil, err
	}
	vals, err := validateVerdict(in, scale, 0)
	if err != nil {
		return nil, err
	}
	var v Verdict
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&Claim{}, in.ClaimID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no claim number %d.", in.ClaimID)
			}
			return fmt.Errorf("load claim: %w", err)
		}
		var existing Verdict
		err := tx.Where("claim_id = ? AND state <> ?", in.ClaimID, VerdictWithdrawn).Take(&existing).Error
		if err == nil {
			return &Error{Code: EConflict, Message: fmt.Sprintf("This claim already has a fact-check (number %d, %s). Work on that one instead.", existing.ID, strings.ToLower(existing.State.Label()))}
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("look for a verdict: %w", err)
		}
		annotations, err := verdictAnnotations(tx, actor, in.ClaimID, vals.annotationIDs)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		v = Verdict{ClaimID: in.ClaimID, State: VerdictDraft, AuthorID: actor.ID, RatingLabelID: vals.labelID,
			Conclusion: vals.conclusion, Explanation: vals.explanation, Sources: nonNilSources(vals.sources),
			LockVersion: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("Annotations").Create(&v).Error; err != nil {
			return fmt.Errorf("create verdict: %w", err)
		}
		if err := setVerdictAnnotations(tx, v.ID, annotations); err != nil {
			return err
		}
		if err := logStep(tx, &v, actor, "", VerdictDraft, "", now); err != nil {
			return err
		}
		return audit(tx, actor, "verdict.create", "verdict", v.ID, "", describeVerdict(scale, vals), now)
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// UpdateVerdict saves the author's changes to a draft, or an editor's
// correction of a published verdict: a new public version with its note.
func (s *Store) UpdateVerdict(ctx context.Context, actor *User, id uint, in VerdictInput) error {
	scale, err := s.RatingScale(ctx)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		v, err := lockedVerdict(tx, id, in.LockVersion)
		if err != nil {
			return err
		}
		switch {
		case v.State == VerdictDraft && v.AuthorID != actor.ID:
			return Errorf(EForbidden, "Only the verdict's author edits its draft; review it instead.")
		case v.State == VerdictDraft && !actor.Has(RoleFactChecker):
			return Errorf(EForbidden, "Only fact-checkers and editors edit verdicts.")
		case v.State == VerdictPublished && !actor.Has(RoleEditor):
			return Errorf(EForbidden, "Only an editor corrects a published fact-check.")
		case v.State != VerdictDraft && v.State != VerdictPublished:
			return Errorf(EConflict, "The verdict is %s: it can be changed only after it is returned to draft.", strings.ToLower(v.State.Label()))
		}
		vals, err := validateVerdict(in, scale, v.RatingLabelID)
		if err != nil {
			return err
		}
		if v.State == VerdictPublished && vals.correctionNote == "" {
			return &Error{Code: EInvalid, Message: "Please correct the highlighted fields.",
				Fields: map[string]string{"correction_note": "A published fact-check changes only with a public correction note saying what changed and why."}}
		}
		annotations, err := verdictAnnotations(tx, actor, v.ClaimID, vals.annotationIDs)
		if err != nil {
			return err
		}
		before := describeVerdict(scale, verdictValues{labelID: v.RatingLabelID, conclusion: v.Conclusion, explanation: v.Explanation, sources: v.Sources})
		after := describeVerdict(scale, vals)
		now := s.nowUTC()
		updates := map[string]any{"rating_label_id": vals.labelID, "conclusion": vals.conclusion, "explanation": vals.explanation,
			"sources": encodeSources(vals.sources), "updated_at": now}
		if err := bumpVerdict(tx, v, updates); err != nil {
			return err
		}
		if err := setVerdictAnnotations(tx, v.ID, annotations); err != nil {
			return err
		}
		action := "verdict.edit"
		if v.State == VerdictPublished {
			action = "verdict.correct"
			v.RatingLabelID, v.Conclusion, v.Explanation, v.Sources = vals.labelID, vals.conclusion, vals.explanation, vals.sources
			if err := publishVersion(tx, v, actor, actor, vals.correctionNote, now); err != nil {
				return err
			}
			if err := logStep(tx, v, actor, VerdictPublished, VerdictPublished, "Correction: "+vals.correctionNote, now); err != nil {
				return err
			}
		}
		return audit(tx, actor, action, "verdict", v.ID, before, after, now)
	})
}

// VerdictAction is a move through the workflow.
type VerdictAction string

const (
	ActionSubmit            VerdictAction = "submit"
	ActionReturn            VerdictAction = "return"
	ActionApprove           VerdictAction = "approve"
	ActionPublish           VerdictAction = "publish"
	ActionApproveAndPublish VerdictAction = "approve-publish"
	ActionWithdraw          VerdictAction = "withdraw"
)

// VerdictActions lists every action, for forms and tests.
func VerdictActions() []VerdictAction {
	return []VerdictAction{ActionSubmit, ActionReturn, ActionApprove, ActionPublish, ActionApproveAndPublish, ActionWithdraw}
}

// Transition moves a verdict through the workflow, or says why it may not.
// lockVersion is the version the page showed, so a decision is never made on
// a text the person did not see.
func (s *Store) Transition(ctx context.Context, actor *User, id uint, action VerdictAction, comment string, lockVersion int) error {
	comment = strings.TrimSpace(comment)
	return s.inTx(ctx, func(tx *gorm.DB) error {
		v, err := lockedVerdict(tx, id, lockVersion)
		if err != nil {
			return err
		}
		if err := CanTransition(actor, v, action, comment); err != nil {
			return err
		}
		now := s.nowUTC()
		from := v.State
		updates := map[string]any{"updated_at": now}
		var to VerdictState
		switch action {
		case ActionSubmit:
			if err := checkComplete(v); err != nil {
				return err
			}
			to = VerdictInReview
		case ActionReturn:
			to = VerdictDraft
			updates["return_comment"], updates["reviewer_id"] = comment, nil
		case ActionApprove:
			to = VerdictApproved
			updates["reviewer_id"], updates["return_comment"] = actor.ID, ""
		case ActionPublish, ActionApproveAndPublish:
			to = VerdictPublished
			if action == ActionApproveAndPublish {
				updates["reviewer_id"], v.ReviewerID = actor.ID, &actor.ID
				if err := logStep(tx, v, actor, from, VerdictApproved, comment, now); err != nil {
					return err
				}
				if err := audit(tx, actor, "verdict.approve", "verdict", v.ID, string(from), string(VerdictApproved), now); err != nil {
					return err
				}
				from = VerdictApproved
			}
			updates["return_comment"] = ""
			if v.PublishedAt == nil {
				updates["published_at"] = now
			}
		case ActionWithdraw:
			to = VerdictWithdrawn
			updates["withdrawal_note"], updates["withdrawn_at"] = comment, now
		}
		updates["state"] = to
		if err := bumpVerdict(tx, v, updates); err != nil {
			return err
		}
		if to == VerdictPublished {
			reviewer := &User{ID: deref(v.ReviewerID)}
			if err := publishVersion(tx, v, reviewer, actor, "", now); err != nil {
				return err
			}
		}
		if err := logStep(tx, v, actor, from, to, comment, now); err != nil {
			return err
		}
		return audit(tx, actor, "verdict."+strings.ReplaceAll(string(action), "approve-publish", "publish"), "verdict", v.ID, string(from), string(to), now)
	})
}

// CanTransition is the workflow's rule book: who may take which step from
// which state. Pages use it to offer only the steps that will be accepted.
func CanTransition(actor *User, v *Verdict, action VerdictAction, comment string) error {
	if !actor.Has(RoleFactChecker) {
		return Errorf(EForbidden, "Only fact-checkers and editors work on verdicts.")
	}
	isAuthor := actor.ID == v.AuthorID
	wrongState := func(want string) error {
		return Errorf(EConflict, "This verdict is %s; it must be %s for that.", strings.ToLower(v.State.Label()), want)
	}
	switch action {
	case ActionSubmit:
		if v.State != VerdictDraft {
			return wrongState("a draft")
		}
		if !isAuthor {
			return Errorf(EForbidden, "Only the verdict's author sends it for review.")
		}
	case ActionReturn:
		if v.State != VerdictInReview && v.State != VerdictApproved {
			return wrongState("in review or approved")
		}
		if isAuthor {
			return Errorf(EForbidden, "A reviewer returns a verdict, not its author.")
		}
		if v.State == VerdictApproved && !actor.Has(RoleEditor) {
			return Errorf(EForbidden, "Only an editor returns an approved verdict.")
		}
		if comment == "" {
			return &Error{Code: EInvalid, Message: "Say what needs to change: a verdict is returned only with a comment.",
				Fields: map[string]string{"comment": "Write what the author should change."}}
		}
	case ActionApprove, ActionApproveAndPublish:
		if v.State != VerdictInReview {
			return wrongState("in review")
		}
		if isAuthor {
			return Errorf(EForbidden, "You wrote this verdict, so you cannot approve it: another fact-checker or an editor must review it.")
		}
		if action == ActionApproveAndPublish && !actor.Has(RoleEditor) {
			return Errorf(EForbidden, "Only an editor publishes a verdict.")
		}
	case ActionPublish:
		if v.State != VerdictApproved {
			if v.State == VerdictDraft || v.State == VerdictInReview {
				return Errorf(EConflict, "This verdict has not been approved by a reviewer yet, so it cannot be published.")
			}
			return wrongState("approved")
		}
		if !actor.Has(RoleEditor) {
			return Errorf(EForbidden, "Only an editor publishes a verdict.")
		}
	case ActionWithdraw:
		if v.State != VerdictPublished {
			return wrongState("published")
		}
		if !actor.Has(RoleEditor) {
			return Errorf(EForbidden, "Only an editor withdraws a published fact-check.")
		}
		if comment == "" {
			return &Error{Code: EInvalid, Message: "Say why the fact-check is withdrawn: readers see the note.",
				Fields: map[string]string{"comment": "Write the public withdrawal note."}}
		}
	default:
		return Errorf(EInvalid, "Unknown step %q.", action)
	}
	return nil
}

// AllowedActions lists the steps the actor may take on the verdict now
// (those needing a comment included).
func AllowedActions(actor *User, v *Verdict) []VerdictAction {
	var out []VerdictAction
	for _, a := range VerdictActions() {
		if CanTransition(actor, v, a, "comment") == nil {
			out = append(out, a)
		}
	}
	return out
}

// lockedVerdict loads a verdict for a change and refuses a stale form.
func lockedVerdict(tx *gorm.DB, id uint, lockVersion int) (*Verdict, error) {
	var v Verdict
	err := tx.Take(&v, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no verdict number %d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load verdict %d: %w", id, err)
	}
	if v.LockVersion != lockVersion {
		return &v, Errorf(EConflict, "This verdict was changed by someone else after you opened it (it is now %s). Nothing was saved: reload the page to see the latest version, then make your change again.", strings.ToLower(v.State.Label()))
	}
	return &v, nil
}

// bumpVerdict writes the changes and the next lock version in one step that
// fails if anyone else wrote in between.
func bumpVerdict(tx *gorm.DB, v *Verdict, updates map[string]any) error {
	updates["lock_version"] = v.LockVersion + 1
	res := tx.Model(&Verdict{}).Where("id = ? AND lock_version = ?", v.ID, v.LockVersion).Updates(updates)
	if res.Error != nil {
		return fmt.Errorf("update verdict %d: %w", v.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return Errorf(EConflict, "Someone changed this verdict at the same moment; reload and try again.")
	}
	v.LockVersion++
	return nil
}

// publishVersion records the verdict's current text as its next public version.
func publishVersion(tx *gorm.DB, v *Verdict, reviewer, publisher *User, note string, now time.Time) error {
	number := v.PublishedNumber + 1
	ver := VerdictVersion{VerdictID: v.ID, Number: number, RatingLabelID: v.RatingLabelID, Conclusion: v.Conclusion,
		Explanation: v.Explanation, Sources: nonNilSources(v.Sources), CorrectionNote: note, AuthorID: v.AuthorID,
		PublisherID: publisher.ID, PublishedAt: now}
	if reviewer != nil && reviewer.ID != 0 {
		ver.ReviewerID = &reviewer.ID
	}
	if err := tx.Create(&ver).Error; err != nil {
		return fmt.Errorf("record published version: %w", err)
	}
	if err := tx.Model(&Verdict{}).Where("id = ?", v.ID).Update("published_number", number).Error; err != nil {
		return fmt.Errorf("count published versions: %w", err)
	}
	v.PublishedNumber = number
	return nil
}

func logStep(tx *gorm.DB, v *Verdict, actor *User, from, to VerdictState, comment string, now time.Time) error {
	step := VerdictStep{VerdictID: v.ID, ActorID: actor.ID, FromState: from, ToState: to, Comment: comment, CreatedAt: now}
	if err := tx.Create(&step).Error; err != nil {
		return fmt.Errorf("record workflow step: %w", err)
	}
	return nil
}

// verdictAnnotations checks that the chosen annotations exist, are visible to
// the actor and sit on articles that report the claim.
func verdictAnnotations(tx *gorm.DB, actor *User, claimID uint, ids []uint) ([]uint, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var list []Annotation
	err := tx.Where("id IN ? AND article_id IN (SELECT article_id FROM mentions WHERE claim_id = ?)", ids, claimID).Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("load annotations: %w", err)
	}
	var ok []uint
	for i := range list {
		if list[i].CanSee(actor) {
			ok = append(ok, list[i].ID)
		}
	}
	if len(ok) != len(dedupeIDs(ids)) {
		return nil, &Error{Code: EInvalid, Message: "Please correct the highlighted fields.",
			Fields: map[string]string{"annotations": "Choose annotations on the articles that report this claim."}}
	}
	return ok, nil
}

func setVerdictAnnotations(tx *gorm.DB, verdictID uint, ids []uint) error {
	if err := tx.Exec("DELETE FROM verdict_annotations WHERE verdict_id = ?", verdictID).Error; err != nil {
		return fmt.Errorf("clear verdict annotations: %w", err)
	}
	for _, id := range ids {
		if err := tx.Exec("INSERT INTO verdict_annotations (verdict_id, annotation_id) VALUES (?, ?)", verdictID, id).Error; err != nil {
			return fmt.Errorf("link annotation %d: %w", id, err)
		}
	}
	return nil
}

func dedupeIDs(ids []uint) []uint {
	seen := map[uint]bool{}
	var out []uint
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func nonNilSources(s []VerdictSource) []VerdictSource {
	if s == nil {
		return []VerdictSource{}
	}
	return s
}

// encodeSources writes sources the way the json serializer stores them, for map updates.
func encodeSources(s []VerdictSource) string {
	var b strings.Builder
	b.WriteString("[")
	for i, src := range nonNilSources(s) {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(mustJSON(src))
	}
	b.WriteString("]")
	return b.String()
}

// describeVerdict is a verdict's content as the audit log records it.
func describeVerdict(scale RatingScale, v verdictValues) string {
	label, _ := scale.Label(v.labelID)
	var srcs []string
	for _, s := range v.sources {
		srcs = append(srcs, s.URL)
	}
	return fmt.Sprintf("Rating: %s\nConclusion: %s\nSources: %s\nExplanation:\n%s", label.Name, v.conclusion, strings.Join(srcs, " "), v.explanation)
}

// AssignClaim gives a claim to a fact-checker. Editors assign anyone with the
// fact-checker role or above; a fact-checker may take a claim for themselves.
// Assignee 0 clears the assignment.
func (s *Store) AssignClaim(ctx context.Context, actor *User, claimID, assigneeID uint) error {
	switch {
	case !actor.Has(RoleFactChecker):
		return Errorf(EForbidden, "Only fact-checkers and editors take claims.")
	case !actor.Has(RoleEditor) && assigneeID != actor.ID:
		return Errorf(EForbidden, "Fact-checkers can assign claims only to themselves; ask an editor to assign someone else.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&Claim{}, claimID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no claim number %d.", claimID)
			}
			return fmt.Errorf("load claim: %w", err)
		}
		var before ClaimAssignment
		had := tx.Take(&before, claimID).Error == nil
		now := s.nowUTC()
		beforeText := ""
		if had {
			beforeText = "user " + strconv.Itoa(int(before.AssigneeID))
		}
		if assigneeID == 0 {
			if err := tx.Delete(&ClaimAssignment{}, claimID).Error; err != nil {
				return fmt.Errorf("clear assignment: %w", err)
			}
			return audit(tx, actor, "claim.unassign", "claim", claimID, beforeText, "", now)
		}
		var assignee User
		if err := tx.Take(&assignee, assigneeID).Error; err != nil || !assignee.Has(RoleFactChecker) {
			return &Error{Code: EInvalid, Message: "Please correct the highlighted fields.",
				Fields: map[string]string{"assignee": "Choose an active fact-checker or editor."}}
		}
		a := ClaimAssignment{ClaimID: claimID, AssigneeID: assigneeID, AssignedByID: actor.ID, AssignedAt: now}
		if err := tx.Save(&a).Error; err != nil {
			return fmt.Errorf("assign claim: %w", err)
		}
		return audit(tx, actor, "claim.assign", "claim", claimID, beforeText, "user "+strconv.Itoa(int(assigneeID)), now)
	})
}
