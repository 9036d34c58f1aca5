package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

func (s *Server) adminDeletedArticles(c echo.Context) error {
	articles, _, err := s.store.ListArticles(c.Request().Context(), models.ArticleFilter{Deleted: true}, models.NewPage(1, 200))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.DeletedArticlesPage(s.page(c, "Deleted articles"), articles))
}

func (s *Server) adminRestoreArticle(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RestoreArticle(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Article restored.")
	return c.Redirect(http.StatusSeeOther, views.ArticleURL(id))
}
