package models

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// verdictDesk is a store with one person per part in the workflow.
type verdictDesk struct {
	s                                 *Store
	clock                             *testClock
	author, checker, editor, reader   *User
	admin                             *User
	scale                             RatingScale
	falseLabel, trueLabel, unprovenID uint
}

func newVerdictDesk(t *testing.T) *verdictDesk {
	t.Helper()
	s, clock := newTestStore(t)
	d := &verdictDesk{s: s, clock: clock}
	d.admin = mustCreateUser(t, s, nil, "admin@test.example", RoleAdmin)
	d.author = mustCreateUser(t, s, d.admin, "author@test.example", RoleFactChecker)
	d.checker = mustCreateUser(t, s, d.admin, "checker@test.example", RoleFactChecker)
	d.editor = mustCreateUser(t, s, d.admin, "editor@test.example", RoleEditor)
	d.reader = mustCreateUser(t, s, d.admin, "reader@test.example", RoleReader)
	var err error
	if d.scale, err = s.RatingScale(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, l := range d.scale.Labels {
		switch l.Name {
		case "False":
			d.falseLabel = l.ID
		case "True":
			d.trueLabel = l.ID
		case "Unproven":
			d.unprovenID = l.ID
		}
	}
	if d.falseLabel == 0 || d.trueLabel == 0 || d.unprovenID == 0 {
		t.Fatalf("default scale lacks True, False or Unproven: %+v", d.scale.Labels)
	}
	return d
}

// newClaim stores a bare claim (tagging is tested elsewhere).
func (d *verdictDesk) newClaim(t *testing.T) uint {
	t.Helper()
	c := Claim{Restatement: fmt.Sprintf("The harbour handled %d ships last year.", time.Now().UnixNano()), Stance: StanceAsserts,
		CreatedAt: d.clock.Now(), UpdatedAt: d.clock.Now()}
	if err := d.s.write.Omit("Tags").Create(&c).Error; err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func (d *verdictDesk) input(claimID uint) VerdictInput {
	return VerdictInput{
		ClaimID: claimID, RatingLabelID: fmt.Sprint(d.falseLabel),
		Conclusion:  "Port records show about half as many ships.",
		Explanation: "The port authority's annual report lists **412** arrivals.",
		Sources:     []VerdictSource{{URL: "https://port.example/report-2024", Title: "Annual report 2024", Publisher: "Port authority", AccessedOn: "2025-05-30"}},
	}
}

func (d *verdictDesk) load(t *testing.T, id uint) *Verdict {
	t.Helper()
	var v Verdict
	if err := d.s.read.Take(&v, id).Error; err != nil {
		t.Fatal(err)
	}
	return &v
}

func (d *verdictDesk) step(t *testing.T, actor *User, id uint, action VerdictAction, comment string) {
	t.Helper()
	if err := d.s.Transition(t.Context(), actor, id, action, comment, d.load(t, id).LockVersion); err != nil {
		t.Fatalf("%s by %s: %v", action, actor.Email, err)
	}
}

// verdictIn drives a new verdict, written by d.author, to the given state.
func (d *verdictDesk) verdictIn(t *testing.T, state VerdictState) uint {
	t.Helper()
	v, err := d.s.CreateVerdict(t.Context(), d.author, d.input(d.newClaim(t)))
	if err != nil {
		t.Fatal(err)
	}
	path := map[VerdictState][]VerdictAction{
		VerdictDraft:     nil,
		VerdictInReview:  {ActionSubmit},
		VerdictApproved:  {ActionSubmit, ActionApprove},
		VerdictPublished: {ActionSubmit, ActionApprove, ActionPublish},
		VerdictWithdrawn: {ActionSubmit, ActionApprove, ActionPublish, ActionWithdraw},
	}[state]
	for _, a := range path {
		actor := d.editor
		if a == ActionSubmit {
			actor = d.author
		}
		d.step(t, actor, v.ID, a, "Needed for the test.")
	}
	if got := d.load(t, v.ID).State; got != state {
		t.Fatalf("set-up reached %s, want %s", got, state)
	}
	return v.ID
}

func TestVerdictWorkflowEveryTransitionAndRole(t *testing.T) {
	d := newVerdictDesk(t)
	actors := map[string]*User{"author": d.author, "other fact-checker": d.checker, "editor": d.editor, "reader": d.reader, "admin": d.admin}
	// Everything not listed here must be refused.
	allowed := map[string]VerdictState{
		"draft/submit/author":                  VerdictInReview,
		"in_review/return/other fact-checker":  VerdictDraft,
		"in_review/return/editor":              VerdictDraft,
		"in_review/return/admin":               VerdictDraft,
		"in_review/approve/other fact-checker": VerdictApproved,
		"in_review/approve/editor":             VerdictApproved,
		"in_review/approve/admin":              VerdictApproved,
		"in_review/approve-publish/editor":     VerdictPublished,
		"in_review/approve-publish/admin":      VerdictPublished,
		"approved/return/editor":               VerdictDraft,
		"approved/return/admin":                VerdictDraft,
		"approved/publish/editor":              VerdictPublished,
		"approved/publish/admin":               VerdictPublished,
		"published/withdraw/editor":            VerdictWithdrawn,
		"published/withdraw/admin":             VerdictWithdrawn,
	}
	states := []VerdictState{VerdictDraft, VerdictInReview, VerdictApproved, VerdictPublished, VerdictWithdrawn}
	tried, accepted := 0, 0
	for _, state := range states {
		for _, action := range VerdictActions() {
			for who, actor := range actors {
				key := fmt.Sprintf("%s/%s/%s", state, action, who)
				t.Run(key, func(t *testing.T) {
					id := d.verdictIn(t, state)
					before := d.load(t, id)
					versions := countRows(t, d.s, "verdict_versions")
					err := d.s.Transition(t.Context(), actor, id, action, "A comment from the reviewer.", before.LockVersion)
					after := d.load(t, id)
					tried++
					if want, ok := allowed[key]; ok && want != "" {
						accepted++
						if err != nil {
							t.Fatalf("refused: %v", err)
						}
						if after.State != want {
							t.Fatalf("state %s, want %s", after.State, want)
						}
						if after.LockVersion != before.LockVersion+1 && action != ActionApproveAndPublish {
							t.Errorf("lock version %d → %d, want one step", before.LockVersion, after.LockVersion)
						}
						return
					}
					if err == nil {
						t.Fatalf("accepted, want refused (now %s)", after.State)
					}
					if code := ErrorCodeOf(err); code != EForbidden && code != EConflict {
						t.Errorf("refused with %v, want forbidden or conflict", err)
					}
					if msg := err.Error(); strings.Contains(msg, "SQL") || strings.Contains(msg, "sqlite") {
						t.Errorf("message leaks the database: %v", err)
					}
					if after.State != before.State || after.LockVersion != before.LockVersion || countRows(t, d.s, "verdict_versions") != versions {
						t.Errorf("a refused step changed the verdict: %s v%d → %s v%d", before.State, before.LockVersion, after.State, after.LockVersion)
					}
				})
			}
		}
	}
	if want := len(states) * len(VerdictActions()) * len(actors); tried != want || accepted != 15 {
		t.Errorf("tried %d combinations (want %d), %d accepted (want 15)", tried, want, accepted)
	}
}

func TestVerdictRefusals(t *testing.T) {
	d := newVerdictDesk(t)
	ctx := t.Context()

	t.Run("an editor who wrote the verdict cannot approve it", func(t *testing.T) {
		v, err := d.s.CreateVerdict(ctx, d.editor, d.input(d.newClaim(t)))
		if err != nil {
			t.Fatal(err)
		}
		d.step(t, d.editor, v.ID, ActionSubmit, "")
		for _, a := range []VerdictAction{ActionApprove, ActionApproveAndPublish} {
			err := d.s.Transition(ctx, d.editor, v.ID, a, "", d.load(t, v.ID).LockVersion)
			wantCode(t, err, EForbidden)
			if !strings.Contains(err.Error(), "you cannot approve it") {
				t.Errorf("%s: message %q does not say why", a, err)
			}
		}
	})
	t.Run("publishing without review", func(t *testing.T) {
		id := d.verdictIn(t, VerdictInReview)
		err := d.s.Transition(ctx, d.editor, id, ActionPublish, "", d.load(t, id).LockVersion)
		wantCode(t, err, EConflict)
		if !strings.Contains(err.Error(), "not been approved") {
			t.Errorf("message %q", err)
		}
	})
	t.Run("a return without a comment", func(t *testing.T) {
		id := d.verdictIn(t, VerdictInReview)
		err := d.s.Transition(ctx, d.checker, id, ActionReturn, "   ", d.load(t, id).LockVersion)
		wantCode(t, err, EInvalid)
		if FieldErrors(err)["comment"] == "" {
			t.Errorf("no message on the comment field: %v", err)
		}
		if d.load(t, id).State != VerdictInReview {
			t.Error("the verdict moved")
		}
	})
	t.Run("a withdrawal without a note", func(t *testing.T) {
		id := d.verdictIn(t, VerdictPublished)
		wantCode(t, d.s.Transition(ctx, d.editor, id, ActionWithdraw, "", d.load(t, id).LockVersion), EInvalid)
	})
	t.Run("a rating not on the scale", func(t *testing.T) {
		for _, rating := range []string{"", "99999", "abc", "-1", "1 OR 1=1"} {
			in := d.input(d.newClaim(t))
			in.RatingLabelID = rating
			_, err := d.s.CreateVerdict(ctx, d.author, in)
			wantCode(t, err, EInvalid)
			if FieldErrors(err)["rating"] == "" {
				t.Errorf("rating %q: no message on the rating field: %v", rating, err)
			}
		}
	})
	t.Run("a stale edit", func(t *testing.T) {
		v, err := d.s.CreateVerdict(ctx, d.author, d.input(d.newClaim(t)))
		if err != nil {
			t.Fatal(err)
		}
		first := d.input(v.ClaimID)
		first.LockVersion = 1
		first.Conclusion = "First save."
		if err := d.s.UpdateVerdict(ctx, d.author, v.ID, first); err != nil {
			t.Fatal(err)
		}
		second := first
		second.Conclusion = "Second save from the same page."
		err = d.s.UpdateVerdict(ctx, d.author, v.ID, second)
		wantCode(t, err, EConflict)
		if got := d.load(t, v.ID).Conclusion; got != "First save." {
			t.Errorf("conclusion %q after the stale save", got)
		}
	})
	t.Run("submitting an incomplete draft", func(t *testing.T) {
		in := d.input(d.newClaim(t))
		in.Explanation, in.Sources = "", nil
		v, err := d.s.CreateVerdict(ctx, d.author, in)
		if err != nil {
			t.Fatal(err)
		}
		err = d.s.Transition(ctx, d.author, v.ID, ActionSubmit, "", 1)
		wantCode(t, err, EInvalid)
		if f := FieldErrors(err); f["explanation"] == "" || f["sources"] == "" {
			t.Errorf("field messages %v", f)
		}
	})
	t.Run("bad sources", func(t *testing.T) {
		in := d.input(d.newClaim(t))
		in.Sources = []VerdictSource{{URL: "javascript:alert(1)", Title: "x"}, {URL: "https://ok.example", Title: ""}, {URL: "https://ok.example", Title: "t", AccessedOn: "yesterday"}}
		_, err := d.s.CreateVerdict(ctx, d.author, in)
		wantCode(t, err, EInvalid)
		f := FieldErrors(err)
		for _, k := range []string{"sources.0", "sources.1", "sources.2"} {
			if f[k] == "" {
				t.Errorf("no message for %s: %v", k, f)
			}
		}
	})
	t.Run("a second live verdict on one claim", func(t *testing.T) {
		claim := d.newClaim(t)
		if _, err := d.s.CreateVerdict(ctx, d.author, d.input(claim)); err != nil {
			t.Fatal(err)
		}
		_, err := d.s.CreateVerdict(ctx, d.checker, d.input(claim))
		wantCode(t, err, EConflict)
	})
	t.Run("readers and strangers", func(t *testing.T) {
		_, err := d.s.CreateVerdict(ctx, d.reader, d.input(d.newClaim(t)))
		wantCode(t, err, EForbidden)
		id := d.verdictIn(t, VerdictDraft)
		in := d.input(0)
		in.LockVersion = 1
		wantCode(t, d.s.UpdateVerdict(ctx, d.checker, id, in), EForbidden)
	})
}

func TestVerdictCorrectionsMakeVersionsAndNeedANote(t *testing.T) {
	d := newVerdictDesk(t)
	ctx := t.Context()
	id := d.verdictIn(t, VerdictPublished)
	v := d.load(t, id)
	if v.PublishedNumber != 1 || v.PublishedAt == nil {
		t.Fatalf("after publishing: number %d, published at %v", v.PublishedNumber, v.PublishedAt)
	}

	in := d.input(v.ClaimID)
	in.LockVersion = v.LockVersion
	in.RatingLabelID = fmt.Sprint(d.unprovenID)
	in.Conclusion = "The port's records for that year are incomplete."
	err := d.s.UpdateVerdict(ctx, d.editor, id, in)
	wantCode(t, err, EInvalid)
	if FieldErrors(err)["correction_note"] == "" {
		t.Errorf("no message on the correction note: %v", err)
	}
	wantCode(t, d.s.UpdateVerdict(ctx, d.author, id, in), EForbidden) // fact-checkers don't correct published work

	d.clock.Advance(48 * time.Hour)
	in.CorrectionNote = "The port authority told us its 2024 report omitted ferry arrivals."
	if err := d.s.UpdateVerdict(ctx, d.editor, id, in); err != nil {
		t.Fatal(err)
	}
	f, err := d.s.FactCheckByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Versions) != 2 || f.Current.Number != 2 || f.Current.RatingLabel.Name != "Unproven" || f.Versions[0].RatingLabel.Name != "False" {
		t.Fatalf("versions %+v", f.Versions)
	}
	if c := f.Corrections(); len(c) != 1 || c[0].CorrectionNote != in.CorrectionNote || !c[0].PublishedAt.After(f.FirstPublished()) {
		t.Errorf("corrections %+v", c)
	}

	// The old version's text is kept as published.
	if f.Versions[0].Conclusion != "Port records show about half as many ships." {
		t.Errorf("version 1 was rewritten: %q", f.Versions[0].Conclusion)
	}
	// The audit log has every step and edit, with who and from what to what.
	entries := auditEntriesFor(t, d.s, "verdict", id)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	want := "verdict.create verdict.submit verdict.approve verdict.publish verdict.correct"
	if strings.Join(actions, " ") != want {
		t.Errorf("audit actions %q, want %q", strings.Join(actions, " "), want)
	}
	last := entries[len(entries)-1]
	if !strings.Contains(last.BeforeValue, "Rating: False") || !strings.Contains(last.AfterValue, "Rating: Unproven") || last.ActorID == nil || *last.ActorID != d.editor.ID {
		t.Errorf("correction audit entry %+v", last)
	}

	// Withdrawal keeps the page, with its note.
	d.step(t, d.editor, id, ActionWithdraw, "The claim was misattributed.")
	if f, err = d.s.FactCheckByID(ctx, id); err != nil || f.Verdict.State != VerdictWithdrawn || f.Verdict.WithdrawalNote == "" {
		t.Errorf("withdrawn fact-check: %+v, %v", f, err)
	}
	badges, err := d.s.VerdictBadges(ctx, []uint{v.ClaimID})
	if err != nil || len(badges) != 0 {
		t.Errorf("a withdrawn verdict still badges its claim: %v, %v", badges, err)
	}
}

func TestReturnedVerdictGoesBackToTheAuthorWithTheComment(t *testing.T) {
	d := newVerdictDesk(t)
	ctx := t.Context()
	id := d.verdictIn(t, VerdictInReview)
	d.step(t, d.checker, id, ActionReturn, "Source 1 is a blog post; find the report itself.")
	q, err := d.s.FactCheckQueue(ctx, d.author, QueueFilter{Mine: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Returned) != 1 || q.Returned[0].ReturnComment == "" || *q.Returned[0].VerdictID != id {
		t.Fatalf("author's queue: %+v", q)
	}
	// Drafts can't be published or approved, not even by an editor.
	wantCode(t, d.s.Transition(ctx, d.editor, id, ActionApprove, "", d.load(t, id).LockVersion), EConflict)
	d.step(t, d.author, id, ActionSubmit, "")
	d.step(t, d.checker, id, ActionApprove, "")
	if v := d.load(t, id); v.ReviewerID == nil || *v.ReviewerID != d.checker.ID || v.ReturnComment != "" {
		t.Errorf("after approval: reviewer %v, comment %q", v.ReviewerID, v.ReturnComment)
	}
	// The reviewer may publish when they are an editor; here the checker isn't, so an editor does.
	wantCode(t, d.s.Transition(ctx, d.checker, id, ActionPublish, "", d.load(t, id).LockVersion), EForbidden)
	d.step(t, d.editor, id, ActionPublish, "")
	f, err := d.s.FactCheckByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if f.Current.Reviewer == nil || f.Current.Reviewer.ID != d.checker.ID || f.Current.Publisher.ID != d.editor.ID {
		t.Errorf("sign-off: reviewer %+v publisher %+v", f.Current.Reviewer, f.Current.Publisher)
	}
	var steps []VerdictStep
	d.s.read.Where("verdict_id = ?", id).Order("id").Find(&steps)
	var trail []string
	for _, s := range steps {
		trail = append(trail, string(s.FromState)+">"+string(s.ToState))
	}
	if got := strings.Join(trail, " "); got != ">draft draft>in_review in_review>draft draft>in_review in_review>approved approved>published" {
		t.Errorf("steps %s", got)
	}
}

func TestRatingScaleRules(t *testing.T) {
	d := newVerdictDesk(t)
	ctx := t.Context()
	if len(d.scale.Labels) != 7 || d.scale.Best == nil || *d.scale.Best != 6 || *d.scale.Worst != 1 {
		t.Fatalf("default scale: %d labels, best %v worst %v", len(d.scale.Labels), d.scale.Best, d.scale.Worst)
	}
	for _, l := range d.scale.Labels {
		if r := contrastRatio(l.Colour, pageBackground); r < 4.5 {
			t.Errorf("%s: %s has contrast %.2f:1 with the page, want at least 4.5:1", l.Name, l.Colour, r)
		}
	}

	// Bad input is refused with a message per field.
	bad := []struct {
		in    RatingLabelInput
		field string
	}{
		{RatingLabelInput{Name: "", Colour: "#112233", Definition: "x"}, "name"},
		{RatingLabelInput{Name: "Pants on fire", Colour: "red", Definition: "x"}, "colour"},
		{RatingLabelInput{Name: "Pants on fire", Colour: "#fff8dc", Definition: "x"}, "colour"}, // too pale to see
		{RatingLabelInput{Name: "Pants on fire", Colour: "#112233", Definition: ""}, "definition"},
		{RatingLabelInput{Name: "Pants on fire", Colour: "#112233", Definition: "x", Value: "1.5"}, "value"},
		{RatingLabelInput{Name: "false", Colour: "#112233", Definition: "x"}, "name"}, // same name, other case
	}
	for _, c := range bad {
		_, err := d.s.CreateRatingLabel(ctx, d.admin, c.in)
		if FieldErrors(err)[c.field] == "" {
			t.Errorf("%+v: error %v, want a message on %s", c.in, err, c.field)
		}
	}
	_, err := d.s.CreateRatingLabel(ctx, d.editor, RatingLabelInput{Name: "Spin", Colour: "#112233", Definition: "x"})
	wantCode(t, err, EForbidden)

	// A label in use cannot be deleted, only retired; retired labels are not offered.
	d.verdictIn(t, VerdictDraft) // rated False
	err = d.s.DeleteRatingLabel(ctx, d.admin, d.falseLabel)
	wantCode(t, err, EConflict)
	if !strings.Contains(err.Error(), "retire it instead") {
		t.Errorf("message %q", err)
	}
	if err := d.s.SetRatingLabelRetired(ctx, d.admin, d.falseLabel, true); err != nil {
		t.Fatal(err)
	}
	_, err = d.s.CreateVerdict(ctx, d.author, d.input(d.newClaim(t)))
	if !strings.Contains(FieldErrors(err)["rating"], "retired") {
		t.Errorf("a retired label was accepted for a new verdict: %v", err)
	}
	// An unused label can go, and the change is audited.
	l, err := d.s.CreateRatingLabel(ctx, d.admin, RatingLabelInput{Name: "Satire", Colour: "#335577", Definition: "Not meant to be taken literally.", Position: "8"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.s.DeleteRatingLabel(ctx, d.admin, l.ID); err != nil {
		t.Fatal(err)
	}
	if sc, _ := d.s.RatingScale(ctx); len(sc.Labels) != 7 {
		t.Errorf("%d labels on the scale after deleting the new one, want 7", len(sc.Labels))
	}
	// Deleted is kept: it can come back, unless its name was taken meanwhile.
	deleted, err := d.s.DeletedRatingLabels(ctx)
	if err != nil || len(deleted) != 1 || deleted[0].ID != l.ID {
		t.Fatalf("deleted labels %+v, %v", deleted, err)
	}
	again, err := d.s.CreateRatingLabel(ctx, d.admin, RatingLabelInput{Name: "satire", Colour: "#335577", Definition: "Same name."})
	if err != nil {
		t.Fatalf("the deleted label's name is not free again: %v", err)
	}
	wantCode(t, d.s.RestoreRatingLabel(ctx, d.admin, l.ID), EConflict)
	if err := d.s.DeleteRatingLabel(ctx, d.admin, again.ID); err != nil {
		t.Fatal(err)
	}
	if err := d.s.RestoreRatingLabel(ctx, d.admin, l.ID); err != nil {
		t.Fatal(err)
	}
	if sc, _ := d.s.RatingScale(ctx); len(sc.Labels) != 8 {
		t.Errorf("%d labels after restoring, want 8", len(sc.Labels))
	}
	var actions []string
	for _, e := range auditEntriesFor(t, d.s, "rating_label", l.ID) {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "rating.create rating.delete rating.restore_deleted" {
		t.Errorf("audit of the label: %s", got)
	}
}

func TestAssignClaims(t *testing.T) {
	d := newVerdictDesk(t)
	ctx := t.Context()
	claim := d.newClaim(t)
	wantCode(t, d.s.AssignClaim(ctx, d.author, claim, d.checker.ID), EForbidden) // only to themselves
	wantCode(t, d.s.AssignClaim(ctx, d.reader, claim, d.reader.ID), EForbidden)
	if FieldErrors(d.s.AssignClaim(ctx, d.editor, claim, d.reader.ID))["assignee"] == "" {
		t.Error("a reader was accepted as assignee")
	}
	if err := d.s.AssignClaim(ctx, d.author, claim, d.author.ID); err != nil {
		t.Fatal(err)
	}
	q, err := d.s.FactCheckQueue(ctx, d.author, QueueFilter{Mine: true, State: "unchecked"})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Unchecked) != 1 || q.Unchecked[0].ClaimID != claim || q.Unchecked[0].AssigneeName == "" {
		t.Errorf("my queue: %+v", q.Unchecked)
	}
	if err := d.s.AssignClaim(ctx, d.editor, claim, d.checker.ID); err != nil {
		t.Fatal(err)
	}
	if q, _ = d.s.FactCheckQueue(ctx, d.author, QueueFilter{Mine: true}); len(q.Unchecked) != 0 {
		t.Errorf("reassigned claim still in the first queue: %+v", q.Unchecked)
	}
	_, err = d.s.FactCheckQueue(ctx, d.author, QueueFilter{State: "'; DROP TABLE claims; --"})
	wantCode(t, err, EInvalid)
}
