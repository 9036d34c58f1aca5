package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// evidenceRows is how many evidence links the form offers.
const evidenceRows = 3

func blankNoteValues() views.NoteFormValues {
	return views.NoteFormValues{
		Scope: "passage", Motivation: string(models.MotivationCommenting), Visibility: string(models.VisibilityPublic),
		RepliesOpen: true, Evidence: make([]models.Evidence, evidenceRows),
	}
}

// noteValues reads the annotation form as typed.
func noteValues(c echo.Context) views.NoteFormValues {
	f := views.NoteFormValues{
		Scope: c.FormValue("scope"), Quote: c.FormValue("quote"), Prefix: c.FormValue("prefix"), Suffix: c.FormValue("suffix"),
		Motivation: c.FormValue("motivation"), Body: c.FormValue("body"), Tags: c.FormValue("tags"),
		Visibility: c.FormValue("visibility"), RepliesOpen: c.FormValue("replies_open") != "",
	}
	f.Version, _ = strconv.Atoi(c.FormValue("version"))
	params, _ := c.FormParams()
	urls, titles := params["evidence_url"], params["evidence_title"]
	for i := 0; i < max(len(urls), len(titles)) && i < 20; i++ {
		var e models.Evidence
		if i < len(urls) {
			e.URL = urls[i]
		}
		if i < len(titles) {
			e.Title = titles[i]
		}
		f.Evidence = append(f.Evidence, e)
	}
	for len(f.Evidence) < evidenceRows {
		f.Evidence = append(f.Evidence, models.Evidence{})
	}
	return f
}

// annotationInput turns the form's values into the model's input.
func annotationInput(v views.NoteFormValues) models.AnnotationInput {
	in := models.AnnotationInput{
		Motivation: v.Motivation, Body: v.Body, Tags: v.Tags, Evidence: v.Evidence,
		Visibility: v.Visibility, RepliesOpen: v.RepliesOpen, BaseVersion: v.Version,
	}
	if v.Scope != "article" {
		in.Passage = &models.Passage{Quote: v.Quote, Prefix: v.Prefix, Suffix: v.Suffix}
	}
	return in
}

func (s *Server) renderNoteForm(c echo.Context, status int, a *models.Article, f views.NoteForm, formErr error) error {
	if formErr != nil {
		f.Errors = models.FieldErrors(formErr)
		var appErr *models.Error
		if errors.As(formErr, &appErr) {
			f.Message = appErr.Message
		}
	}
	title := "New note on “" + a.Title + "”"
	if f.AnnotationID != 0 {
		title = "Edit note"
	}
	return s.render(c, status, views.NoteFormPage(s.page(c, title), a, f))
}

// noteNew is the annotation form, pre-filled with a selection the script sends
// (?quote=…&prefix=…&suffix=…) or empty for quoting by hand.
func (s *Server) noteNew(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	v := blankNoteValues()
	v.Quote, v.Prefix, v.Suffix = limit(c.QueryParam("quote"), 5000), limit(c.QueryParam("prefix"), 200), limit(c.QueryParam("suffix"), 200)
	if c.QueryParam("scope") == "article" {
		v.Scope = "article"
	}
	return s.renderNoteForm(c, http.StatusOK, a, views.NoteForm{ArticleID: a.ID, Values: v}, nil)
}

func limit(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Server) noteCreate(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	v := noteValues(c)
	an, err := s.store.CreateAnnotation(c.Request().Context(), currentUser(c), a.ID, annotationInput(v))
	if models.ErrorCodeOf(err) == models.EInvalid {
		return s.renderNoteForm(c, http.StatusUnprocessableEntity, a, views.NoteForm{ArticleID: a.ID, Values: v}, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Note saved.")
	return c.Redirect(http.StatusSeeOther, views.ArticleURL(a.ID)+"#note-"+uitoa(an.ID))
}

// loadAnnotation loads the annotation of the :id parameter that the viewer may see.
func (s *Server) loadAnnotation(c echo.Context) (*models.Annotation, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	a, err := s.store.AnnotationByID(c.Request().Context(), currentUser(c), id)
	if models.ErrorCodeOf(err) == models.ENotFound {
		if gone, gerr := s.store.AnnotationGone(c.Request().Context(), id); gerr == nil && gone {
			return nil, echo.NewHTTPError(http.StatusGone, "This note was deleted by its author.")
		}
	}
	return a, err
}

// annotationShow is a note's permanent page; API clients asking for JSON-LD
// get the W3C representation from the same IRI.
func (s *Server) annotationShow(c echo.Context) error {
	c.Response().Header().Add("Vary", "Accept") // one IRI, two representations
	if wantsAnnotationJSON(c) {
		return s.apiAnnotationGet(c)
	}
	an, err := s.loadAnnotation(c)
	if err != nil {
		return err
	}
	if an.ParentID != nil {
		// A reply's page is its thread.
		return c.Redirect(http.StatusSeeOther, views.AnnotationURL(*an.ParentID)+"#note-"+uitoa(an.ID))
	}
	return s.renderAnnotationPage(c, http.StatusOK, an, views.NoteForm{}, nil)
}

func (s *Server) renderAnnotationPage(c echo.Context, status int, an *models.Annotation, reply views.NoteForm, replyErr error) error {
	ctx := c.Request().Context()
	viewer := currentUser(c)
	article, err := s.store.ArticleByID(ctx, an.ArticleID, viewer.Has(models.RoleEditor))
	if err != nil {
		return err
	}
	thread, err := s.store.ListAnnotations(ctx, viewer, models.AnnotationFilter{ArticleID: an.ArticleID})
	if err != nil {
		return err
	}
	note := views.NoteView{Annotation: an, CanReply: an.CanReply(viewer)}
	for i := range thread {
		if thread[i].ParentID != nil && *thread[i].ParentID == an.ID {
			note.Replies = append(note.Replies, &thread[i])
		}
	}
	text := []rune(article.BodyText)
	if an.HasPassage && an.AnchorStatus != models.AnchorOrphan && an.AnchorStart < an.AnchorEnd && an.AnchorEnd <= len(text) {
		note.Current = string(text[an.AnchorStart:an.AnchorEnd])
	}
	edits, err := s.store.AnnotationEdits(ctx, an.ID)
	if err != nil {
		return err
	}
	anchors, err := s.store.AnchorHistory(ctx, an.ID)
	if err != nil {
		return err
	}
	if replyErr != nil {
		reply.Errors = models.FieldErrors(replyErr)
		var appErr *models.Error
		if errors.As(replyErr, &appErr) {
			reply.Message = appErr.Message
		}
	}
	staff := viewer.Has(models.RoleFactChecker)
	v := views.AnnotationView{
		Note: note, Article: article, Edits: edits, Anchors: anchors, Reply: reply,
		CanEdit:     viewer != nil && viewer.ID == an.AuthorID,
		CanFlag:     viewer != nil && viewer.ID != an.AuthorID && !an.Hidden(),
		CanConfirm:  staff && an.AnchorStatus == models.AnchorFuzzy,
		CanReplace:  staff && an.HasPassage && an.ParentID == nil,
		CanModerate: viewer.Has(models.RoleEditor),
	}
	p := s.page(c, an.Motivation.Label()+" on “"+article.Title+"”")
	p.Description = excerpt(an.BodySource, 160)
	return s.render(c, status, views.AnnotationPage(p, v))
}

// ownAnnotation loads an annotation the current person wrote (403 otherwise).
func (s *Server) ownAnnotation(c echo.Context) (*models.Annotation, error) {
	an, err := s.loadAnnotation(c)
	if err != nil {
		return nil, err
	}
	if u := currentUser(c); u == nil || u.ID != an.AuthorID {
		return nil, models.Errorf(models.EForbidden, "Only the author can change this note.")
	}
	return an, nil
}

func (s *Server) annotationEditForm(c echo.Context) error {
	an, err := s.ownAnnotation(c)
	if err != nil {
		return err
	}
	article, err := s.store.ArticleByID(c.Request().Context(), an.ArticleID, true)
	if err != nil {
		return err
	}
	v := views.NoteFormValues{Motivation: string(an.Motivation), Body: an.BodySource, Tags: an.Tags,
		Evidence: append([]models.Evidence(nil), an.Evidence...), Visibility: string(an.Visibility),
		RepliesOpen: an.RepliesOpen, Version: an.Version}
	for len(v.Evidence) < evidenceRows {
		v.Evidence = append(v.Evidence, models.Evidence{})
	}
	return s.renderNoteForm(c, http.StatusOK, article, views.NoteForm{ArticleID: article.ID, AnnotationID: an.ID, Values: v}, nil)
}

func (s *Server) annotationUpdate(c echo.Context) error {
	an, err := s.ownAnnotation(c)
	if err != nil {
		return err
	}
	v := noteValues(c)
	v.Scope = "article" // the passage is not edited here
	updated, err := s.store.UpdateAnnotation(c.Request().Context(), currentUser(c), an.ID, annotationInput(v))
	if code := models.ErrorCodeOf(err); code == models.EInvalid || code == models.EConflict {
		article, aerr := s.store.ArticleByID(c.Request().Context(), an.ArticleID, true)
		if aerr != nil {
			return aerr
		}
		status := http.StatusUnprocessableEntity
		if code == models.EConflict {
			status = http.StatusConflict
			v.Version = an.Version // keep the text; the next save applies it to the current version
		}
		return s.renderNoteForm(c, status, article, views.NoteForm{ArticleID: article.ID, AnnotationID: an.ID, Values: v}, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Note updated.")
	return c.Redirect(http.StatusSeeOther, views.AnnotationURL(updated.ID))
}

func (s *Server) annotationDelete(c echo.Context) error {
	an, err := s.ownAnnotation(c)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(c.FormValue("version"))
	if err := s.store.DeleteAnnotation(c.Request().Context(), currentUser(c), an.ID, version); err != nil {
		return err
	}
	s.flash(c, "Note deleted.")
	return c.Redirect(http.StatusSeeOther, views.ArticleURL(an.ArticleID))
}

func (s *Server) annotationReply(c echo.Context) error {
	an, err := s.loadAnnotation(c)
	if err != nil {
		return err
	}
	v := views.NoteFormValues{Body: c.FormValue("body")}
	reply, err := s.store.CreateReply(c.Request().Context(), currentUser(c), an.ID, models.AnnotationInput{Body: v.Body})
	if models.ErrorCodeOf(err) == models.EInvalid {
		return s.renderAnnotationPage(c, http.StatusUnprocessableEntity, an, views.NoteForm{Values: v}, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Reply posted.")
	return c.Redirect(http.StatusSeeOther, views.AnnotationURL(an.ID)+"#note-"+uitoa(reply.ID))
}

func (s *Server) annotationFlag(c echo.Context) error {
	an, err := s.loadAnnotation(c)
	if err != nil {
		return err
	}
	if err := s.store.FlagAnnotation(c.Request().Context(), currentUser(c), an.ID, c.FormValue("reason")); err != nil {
		return err
	}
	s.flash(c, "Thank you: the moderators will look at this note.")
	return c.Redirect(http.StatusSeeOther, views.AnnotationURL(an.ID))
}

func (s *Server) annotationConfirm(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.ConfirmAnchor(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Passage confirmed.")
	return c.Redirect(http.StatusSeeOther, views.AnnotationURL(id))
}

func (s *Server) annotationReplace(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p := models.Passage{Quote: c.FormValue("quote"), Prefix: c.FormValue("prefix"), Suffix: c.FormValue("suffix")}
	if err := s.store.ReplaceAnchor(c.Request().Context(), currentUser(c), id, p); err != nil {
		return err
	}
	s.flash(c, "The note now points at the passage you quoted.")
	return c.Redirect(http.StatusSeeOther, views.AnnotationURL(id))
}

func (s *Server) moderationQueue(c echo.Context) error {
	ctx := c.Request().Context()
	items, err := s.store.ModerationQueue(ctx)
	if err != nil {
		return err
	}
	log, err := s.store.ModerationLog(ctx, 100)
	if err != nil {
		return err
	}
	deleted, err := s.store.DeletedAnnotations(ctx, 50)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.ModerationPage(s.page(c, "Moderation"), items, log, deleted))
}

// annotationRestore brings back a deleted note (its author or an editor).
func (s *Server) annotationRestore(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RestoreAnnotation(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Note restored.")
	return c.Redirect(http.StatusSeeOther, views.AnnotationURL(id))
}

func (s *Server) annotationModerate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	action := c.FormValue("action")
	if action != "hide" && action != "restore" {
		return models.Errorf(models.EInvalid, "Choose to hide or to restore the note.")
	}
	if err := s.store.Moderate(c.Request().Context(), currentUser(c), id, action == "hide", c.FormValue("reason")); err != nil {
		return err
	}
	if action == "hide" {
		s.flash(c, "Note hidden. Readers no longer see it.")
	} else {
		s.flash(c, "Note restored.")
	}
	return c.Redirect(http.StatusSeeOther, views.RouteModeration)
}

func (s *Server) annotationDismissFlags(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DismissFlags(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Reports dismissed; the note stays visible.")
	return c.Redirect(http.StatusSeeOther, views.RouteModeration)
}

// userShow is a person's public page: the notes of theirs the viewer may see.
func (s *Server) userShow(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	notes, err := s.store.ListAnnotations(ctx, currentUser(c), models.AnnotationFilter{AuthorID: u.ID, RootsOnly: true})
	if err != nil {
		return err
	}
	items := make([]views.NoteView, len(notes))
	for i := range notes {
		items[i] = views.NoteView{Annotation: &notes[i]}
	}
	return s.render(c, http.StatusOK, views.UserPage(s.page(c, u.Name), u, items))
}

func (s *Server) tokensPage(c echo.Context) error {
	tokens, err := s.store.ListAPITokens(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.TokensPage(s.page(c, "API tokens"), tokens, "", nil))
}

func (s *Server) tokenCreate(c echo.Context) error {
	ctx := c.Request().Context()
	token, err := s.store.CreateAPIToken(ctx, currentUser(c), c.FormValue("name"))
	fields := models.FieldErrors(err)
	if err != nil && fields == nil {
		return err
	}
	tokens, lerr := s.store.ListAPITokens(ctx, currentUser(c))
	if lerr != nil {
		return lerr
	}
	status := http.StatusOK
	if fields != nil {
		status = http.StatusUnprocessableEntity
	}
	// The token is shown on this response only, never stored in clear.
	return s.render(c, status, views.TokensPage(s.page(c, "API tokens"), tokens, token, fields))
}

func (s *Server) tokenRevoke(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Token revoked.")
	return c.Redirect(http.StatusSeeOther, views.RouteTokens)
}

func uitoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
