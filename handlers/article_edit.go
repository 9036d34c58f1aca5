package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/richtext"
	"newsgloss/views"
)

// deskList shows every article, drafts included.
func (s *Server) deskList(c echo.Context) error {
	articles, page, err := s.store.ListArticles(c.Request().Context(), models.ArticleFilter{IncludeDrafts: true},
		models.NewPage(pageParam(c), 50))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.DeskPage(s.page(c, "Desk"), articles, page))
}

// articleInput reads the article form.
func articleInput(c echo.Context) models.ArticleInput {
	outletID, _ := strconv.ParseUint(c.FormValue("outlet_id"), 10, 32)
	base, _ := strconv.Atoi(c.FormValue("base_version"))
	return models.ArticleInput{
		Title: c.FormValue("title"), OutletID: uint(outletID), NewOutlet: c.FormValue("new_outlet"),
		Byline: c.FormValue("byline"), SourceURL: c.FormValue("source_url"), PublishedAt: c.FormValue("published_at"),
		Status: c.FormValue("status"), RetractionNote: c.FormValue("retraction_note"),
		BodyFormat: c.FormValue("body_format"), Body: c.FormValue("body"), Summary: c.FormValue("summary"),
		BaseVersion: base,
	}
}

// inputFromArticle fills the edit form from the stored article.
func inputFromArticle(a *models.Article) models.ArticleInput {
	in := models.ArticleInput{
		Title: a.Title, OutletID: a.OutletID, Byline: a.Byline, SourceURL: a.SourceURL,
		Status: string(a.Status), RetractionNote: a.RetractionNote, BodyFormat: string(a.BodyFormat),
		Body: a.BodySource, BaseVersion: a.Version,
	}
	if a.PublishedAt != nil {
		in.PublishedAt = a.PublishedAt.UTC().Format("2006-01-02T15:04")
	}
	return in
}

// renderArticleForm shows the form with the editor's values and any errors.
func (s *Server) renderArticleForm(c echo.Context, status int, id uint, in models.ArticleInput, formErr error) error {
	outlets, err := s.store.ListOutlets(c.Request().Context())
	if err != nil {
		return err
	}
	f := views.ArticleForm{ArticleID: id, Values: in, Outlets: outlets, Errors: models.FieldErrors(formErr)}
	if formErr != nil {
		var appErr *models.Error
		if errors.As(formErr, &appErr) {
			f.Message = appErr.Message
		}
	}
	title := "New article"
	if id != 0 {
		title = "Edit “" + in.Title + "”"
	}
	return s.render(c, status, views.ArticleFormPage(s.page(c, title), f))
}

func (s *Server) articleNew(c echo.Context) error {
	in := models.ArticleInput{Status: string(models.StatusDraft), BodyFormat: string(richtext.FormatMarkdown)}
	return s.renderArticleForm(c, http.StatusOK, 0, in, nil)
}

func (s *Server) articleCreate(c echo.Context) error {
	in := articleInput(c)
	a, err := s.store.CreateArticle(c.Request().Context(), currentUser(c), in)
	if models.ErrorCodeOf(err) == models.EInvalid {
		return s.renderArticleForm(c, http.StatusUnprocessableEntity, 0, in, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Article saved as "+a.Status.Label()+".")
	return c.Redirect(http.StatusSeeOther, views.ArticleURL(a.ID))
}

func (s *Server) articleEdit(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := s.store.ArticleByID(c.Request().Context(), id, true)
	if err != nil {
		return err
	}
	return s.renderArticleForm(c, http.StatusOK, a.ID, inputFromArticle(a), nil)
}

func (s *Server) articleUpdate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in := articleInput(c)
	a, err := s.store.UpdateArticle(c.Request().Context(), currentUser(c), id, in)
	var conflict *models.ConflictError
	switch {
	case errors.As(err, &conflict):
		return s.renderConflict(c, in, conflict)
	case errors.Is(err, models.ErrNoChange):
		s.flash(c, "Nothing had changed, so no new version was saved.")
		return c.Redirect(http.StatusSeeOther, views.ArticleURL(id))
	case models.ErrorCodeOf(err) == models.EInvalid:
		return s.renderArticleForm(c, http.StatusUnprocessableEntity, id, in, err)
	case err != nil:
		return err
	}
	s.flash(c, "Saved version "+itoa(a.Version)+".")
	return c.Redirect(http.StatusSeeOther, views.ArticleURL(a.ID))
}

// renderConflict shows what changed since the editor started and keeps their
// text in a form based on the current version, so a second save goes through.
func (s *Server) renderConflict(c echo.Context, in models.ArticleInput, conflict *models.ConflictError) error {
	ctx := c.Request().Context()
	current, err := s.store.Revision(ctx, conflict.Current.ID, conflict.Current.Version)
	if err != nil {
		return err
	}
	outlets, err := s.store.ListOutlets(ctx)
	if err != nil {
		return err
	}
	in.BaseVersion = conflict.Current.Version
	v := views.ConflictView{
		Form:    views.ArticleForm{ArticleID: conflict.Current.ID, Values: in, Outlets: outlets},
		Current: conflict.Current,
		Base:    conflict.Base,
		Fields:  fieldChanges(conflict.Base, current),
		Body:    richtext.WordDiff(conflict.Base.BodyText, current.BodyText),
	}
	return s.render(c, http.StatusConflict, views.ConflictPage(s.page(c, "Edit conflict"), v))
}

func (s *Server) articleDelete(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteArticle(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Article deleted. An admin can restore it from the deleted articles list.")
	return c.Redirect(http.StatusSeeOther, views.RouteDesk)
}
