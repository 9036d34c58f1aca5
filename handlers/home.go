package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

const listPageSize = 20

// home lists the latest published articles.
func (s *Server) home(c echo.Context) error {
	articles, page, err := s.store.ListArticles(c.Request().Context(), models.ArticleFilter{}, models.NewPage(pageParam(c), listPageSize))
	if err != nil {
		return err
	}
	if len(articles) == 0 && page.Number > 1 {
		return echo.ErrNotFound
	}
	timelines, err := s.store.ListTimelines(c.Request().Context())
	if err != nil {
		return err
	}
	if len(timelines) > 3 {
		timelines = timelines[:3] // the most recently changed
	}
	var factChecks []models.FactCheckSummary
	if page.Number == 1 {
		if factChecks, err = s.store.ListFactChecks(c.Request().Context(), models.FactCheckFilter{Limit: 3}); err != nil {
			return err
		}
	}
	p := s.page(c, "")
	p.Description = "Latest news articles, with their full revision history."
	return s.render(c, http.StatusOK, views.HomePage(p, articles, page, timelines, factChecks))
}

// outletShow lists one outlet's published articles.
func (s *Server) outletShow(c echo.Context) error {
	ctx := c.Request().Context()
	outlet, err := s.store.OutletBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	articles, page, err := s.store.ListArticles(ctx, models.ArticleFilter{OutletID: outlet.ID}, models.NewPage(pageParam(c), listPageSize))
	if err != nil {
		return err
	}
	if len(articles) == 0 && page.Number > 1 {
		return echo.ErrNotFound
	}
	p := s.page(c, outlet.Name)
	p.Description = "Articles from " + outlet.Name + "."
	return s.render(c, http.StatusOK, views.OutletPage(p, outlet, articles, page))
}
