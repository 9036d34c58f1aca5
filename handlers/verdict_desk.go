package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/richtext"
	"newsgloss/views"
)

// The fact-check desk: the queue, drafting, the review workflow and
// corrections. Every rule lives in models; these handlers only carry the
// forms there and show the answer.

func (s *Server) verdictDesk(c echo.Context) error {
	viewer := currentUser(c)
	f := models.QueueFilter{Mine: c.QueryParam("mine") == "1", State: c.QueryParam("state")}
	q, err := s.store.FactCheckQueue(c.Request().Context(), viewer, f)
	if err != nil {
		return err
	}
	v := views.VerdictDeskView{Queue: q, Filter: f, IsEditor: viewer.Has(models.RoleEditor), ViewerID: viewer.ID}
	if v.IsEditor {
		if v.Assignees, err = s.store.Assignees(c.Request().Context()); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, views.VerdictDeskPage(s.page(c, "Fact-check desk"), v))
}

func (s *Server) claimAssign(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	assignee, err := strconv.ParseUint(c.FormValue("assignee"), 10, 32)
	if err != nil {
		return models.Errorf(models.EInvalid, "Choose whom to assign the claim to.")
	}
	if err := s.store.AssignClaim(c.Request().Context(), currentUser(c), id, uint(assignee)); err != nil {
		return err
	}
	s.flash(c, "Assignment saved.")
	return c.Redirect(http.StatusSeeOther, views.RouteVerdictDesk)
}

// verdictInput reads the verdict form. Source rows arrive as parallel lists.
func verdictInput(c echo.Context) (models.VerdictInput, error) {
	form, err := c.FormParams()
	if err != nil {
		return models.VerdictInput{}, models.Errorf(models.EInvalid, "The form could not be read.")
	}
	in := models.VerdictInput{
		RatingLabelID:  form.Get("rating"),
		Conclusion:     form.Get("conclusion"),
		Explanation:    form.Get("explanation"),
		CorrectionNote: form.Get("correction_note"),
	}
	in.LockVersion, _ = strconv.Atoi(form.Get("lock_version"))
	urls, titles, publishers, accessed := form["source_url"], form["source_title"], form["source_publisher"], form["source_accessed"]
	at := func(list []string, i int) string {
		if i < len(list) {
			return list[i]
		}
		return ""
	}
	rows := max(len(urls), len(titles), len(publishers), len(accessed))
	if rows > 100 {
		return in, models.Errorf(models.EInvalid, "The form has too many source rows.")
	}
	for i := range rows {
		in.Sources = append(in.Sources, models.VerdictSource{URL: at(urls, i), Title: at(titles, i), Publisher: at(publishers, i), AccessedOn: at(accessed, i)})
	}
	for _, raw := range form["annotation"] {
		id, err := strconv.ParseUint(raw, 10, 32)
		if err != nil || id == 0 {
			return in, models.Errorf(models.EInvalid, "One of the chosen annotations is not valid.")
		}
		in.AnnotationIDs = append(in.AnnotationIDs, uint(id))
	}
	return in, nil
}

// compactSources drops the form's empty rows, so a failed form shows what was typed without gaps.
func compactSources(in []models.VerdictSource) []models.VerdictSource {
	var out []models.VerdictSource
	for _, s := range in {
		if s != (models.VerdictSource{}) {
			out = append(out, s)
		}
	}
	return out
}

func (s *Server) verdictNew(c echo.Context) error {
	claimID, err := strconv.ParseUint(c.QueryParam("claim"), 10, 32)
	if err != nil || claimID == 0 {
		return models.Errorf(models.EInvalid, "Choose a claim from the fact-check desk first.")
	}
	return s.renderVerdictNew(c, http.StatusOK, models.VerdictInput{ClaimID: uint(claimID)}, nil)
}

func (s *Server) renderVerdictNew(c echo.Context, status int, in models.VerdictInput, formErr error) error {
	ctx := c.Request().Context()
	claim, _, err := s.store.ClaimByID(ctx, in.ClaimID)
	if err != nil {
		return err
	}
	f := views.VerdictForm{Claim: claim, Values: in}
	if f.Scale, err = s.store.RatingScale(ctx); err != nil {
		return err
	}
	if f.Candidates, err = s.store.ClaimAnnotations(ctx, currentUser(c), claim.ID); err != nil {
		return err
	}
	formMessage(&f.Message, &f.Errors, formErr)
	return s.render(c, status, views.VerdictNewPage(s.page(c, "New verdict"), f))
}

func formMessage(msg *string, fields *map[string]string, err error) {
	if err == nil {
		return
	}
	*fields = models.FieldErrors(err)
	var appErr *models.Error
	if errors.As(err, &appErr) {
		*msg = appErr.Message
	}
}

func (s *Server) verdictCreate(c echo.Context) error {
	in, err := verdictInput(c)
	if err != nil {
		return err
	}
	claimID, err := strconv.ParseUint(c.FormValue("claim"), 10, 32)
	if err != nil || claimID == 0 {
		return models.Errorf(models.EInvalid, "The form does not say which claim the verdict is about. Start again from the fact-check desk.")
	}
	in.ClaimID = uint(claimID)
	v, err := s.store.CreateVerdict(c.Request().Context(), currentUser(c), in)
	if code := models.ErrorCodeOf(err); code == models.EInvalid || code == models.EConflict {
		in.Sources = compactSources(in.Sources)
		return s.renderVerdictNew(c, statusFor(code), in, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Draft saved.")
	return c.Redirect(http.StatusSeeOther, views.VerdictURL(v.ID))
}

func (s *Server) verdictShow(c echo.Context) error {
	return s.renderVerdictWork(c, http.StatusOK, nil, nil, verdictStepState{})
}

// verdictStepState is a refused workflow step to show again with its comment.
type verdictStepState struct {
	action  models.VerdictAction
	comment string
	err     error
}

// renderVerdictWork shows a verdict's desk page; a refused edit (in) or
// step keeps what the person typed.
func (s *Server) renderVerdictWork(c echo.Context, status int, in *models.VerdictInput, formErr error, step verdictStepState) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	viewer := currentUser(c)
	w, err := s.store.VerdictForDesk(ctx, viewer, id)
	if err != nil {
		return err
	}
	vd := w.Verdict
	explanation, err := s.store.Renderer().Render(richtext.FormatMarkdown, vd.Explanation)
	if err != nil {
		return fmt.Errorf("render explanation of verdict %d: %w", id, err)
	}
	v := views.VerdictWorkView{W: w, ExplanationHTML: explanation, Actions: models.AllowedActions(viewer, vd),
		LastAction: step.action, Comment: step.comment}
	v.CanEdit = (vd.State == models.VerdictDraft && vd.AuthorID == viewer.ID) || (vd.State == models.VerdictPublished && viewer.Has(models.RoleEditor))
	if v.CanEdit {
		values := models.VerdictInput{ClaimID: vd.ClaimID, RatingLabelID: strconv.FormatUint(uint64(vd.RatingLabelID), 10),
			Conclusion: vd.Conclusion, Explanation: vd.Explanation, Sources: vd.Sources, LockVersion: vd.LockVersion}
		for _, an := range vd.Annotations {
			values.AnnotationIDs = append(values.AnnotationIDs, an.ID)
		}
		if in != nil {
			values = *in
			values.Sources = compactSources(in.Sources)
		}
		v.Form = views.VerdictForm{VerdictID: vd.ID, Claim: vd.Claim, Values: values, CurrentID: vd.RatingLabelID,
			Candidates: w.Candidates, Correction: vd.State == models.VerdictPublished}
		if v.Form.Scale, err = s.store.RatingScale(ctx); err != nil {
			return err
		}
		formMessage(&v.Form.Message, &v.Form.Errors, formErr)
	}
	formMessage(&v.StepMessage, &v.StepErrors, step.err)
	if step.err != nil && v.StepMessage == "" {
		v.StepMessage = step.err.Error()
	}
	return s.render(c, status, views.VerdictWorkPage(s.page(c, "Verdict: "+vd.Claim.Restatement), v))
}

func (s *Server) verdictUpdate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in, err := verdictInput(c)
	if err != nil {
		return err
	}
	err = s.store.UpdateVerdict(c.Request().Context(), currentUser(c), id, in)
	if code := models.ErrorCodeOf(err); code == models.EInvalid || code == models.EConflict {
		// The page shows the verdict as it is now, and the form keeps what was typed.
		return s.renderVerdictWork(c, statusFor(code), &in, err, verdictStepState{})
	}
	if err != nil {
		return err
	}
	if in.CorrectionNote != "" {
		s.flash(c, "Correction published.")
	} else {
		s.flash(c, "Draft saved.")
	}
	return c.Redirect(http.StatusSeeOther, views.VerdictURL(id))
}

// stepFlash is what the page says after a step succeeded.
func stepFlash(a models.VerdictAction) string {
	switch a {
	case models.ActionSubmit:
		return "Sent for review."
	case models.ActionReturn:
		return "Returned to the author with your comment."
	case models.ActionApprove:
		return "Approved. An editor can now publish it."
	case models.ActionPublish:
		return "Published."
	case models.ActionApproveAndPublish:
		return "Approved and published."
	case models.ActionWithdraw:
		return "Withdrawn. The public page now shows your note."
	}
	return "Saved."
}

func (s *Server) verdictStep(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	action := models.VerdictAction(c.FormValue("action"))
	lock, _ := strconv.Atoi(c.FormValue("lock_version"))
	comment := limit(c.FormValue("comment"), 5000)
	err = s.store.Transition(c.Request().Context(), currentUser(c), id, action, comment, lock)
	if code := models.ErrorCodeOf(err); code == models.EInvalid || code == models.EConflict {
		return s.renderVerdictWork(c, statusFor(code), nil, nil, verdictStepState{action: action, comment: comment, err: err})
	}
	if err != nil {
		return err
	}
	s.flash(c, stepFlash(action))
	if action == models.ActionPublish || action == models.ActionApproveAndPublish {
		return c.Redirect(http.StatusSeeOther, views.FactCheckURL(id))
	}
	return c.Redirect(http.StatusSeeOther, views.VerdictURL(id))
}
