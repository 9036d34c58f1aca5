package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"newsgloss/importer"
	"newsgloss/models"
	"newsgloss/views"
)

// importCandidates lists feed items for editors, the new ones by default.
func (s *Server) importCandidates(c echo.Context) error {
	state := c.QueryParam("state")
	switch state {
	case "", models.ItemNew:
		state = models.ItemNew
	case models.ItemImported, models.ItemDismissed:
	case "all":
		state = ""
	default:
		return echo.ErrNotFound
	}
	items, page, err := s.store.FeedCandidates(c.Request().Context(), state, models.NewPage(pageParam(c), 50))
	if err != nil {
		return err
	}
	v := views.CandidatesView{Items: items, State: state, Page: page, IsAdmin: currentUser(c).Has(models.RoleAdmin)}
	return s.render(c, http.StatusOK, views.CandidatesPage(s.page(c, "Items from feeds"), v))
}

// importCandidate fetches a feed item's page and shows it in the article form.
func (s *Server) importCandidate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	item, err := s.store.FeedCandidateByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.reviewImport(c, item.URL)
}

func (s *Server) importDismiss(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DismissFeedItem(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Dismissed. It is listed under “Dismissed” if you change your mind.")
	return c.Redirect(http.StatusSeeOther, views.RouteImportCandidates)
}

func (s *Server) importRestore(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RestoreFeedItem(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Restored to the new items.")
	return c.Redirect(http.StatusSeeOther, views.ImportCandidatesURL(models.ItemDismissed))
}

// importRefresh checks every feed now.
func (s *Server) importRefresh(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := s.fetcher(ctx)
	if err != nil {
		return err
	}
	rep, err := importer.RefreshFeeds(ctx, f, s.store)
	msg := rep.Summary()
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		msg += " Time ran out before every feed was checked; the scheduled check will do the rest."
	case err != nil:
		return err
	}
	s.flash(c, msg)
	if c.FormValue("from") == "feeds" && currentUser(c).Has(models.RoleAdmin) {
		return c.Redirect(http.StatusSeeOther, views.RouteAdminFeeds)
	}
	return c.Redirect(http.StatusSeeOther, views.RouteImportCandidates)
}

func (s *Server) adminFeeds(c echo.Context) error {
	return s.renderFeeds(c, http.StatusOK, views.FeedForm{})
}

func (s *Server) renderFeeds(c echo.Context, status int, form views.FeedForm) error {
	ctx := c.Request().Context()
	feeds, err := s.store.Feeds(ctx)
	if err != nil {
		return err
	}
	outlets, err := s.store.ListOutlets(ctx)
	if err != nil {
		return err
	}
	return s.render(c, status, views.FeedsPage(s.page(c, "Feeds"), views.FeedsView{Feeds: feeds, Outlets: outlets, Form: form}))
}

func (s *Server) adminFeedCreate(c echo.Context) error {
	outletID, _ := strconv.ParseUint(c.FormValue("outlet_id"), 10, 32)
	in := models.FeedInput{URL: c.FormValue("url"), OutletID: uint(outletID), NewOutlet: c.FormValue("new_outlet")}
	f, err := s.store.AddFeed(c.Request().Context(), currentUser(c), in)
	if fields := models.FieldErrors(err); fields != nil {
		form := views.FeedForm{Values: in, Errors: fields}
		var appErr *models.Error
		if errors.As(err, &appErr) {
			form.Message = appErr.Message
		}
		return s.renderFeeds(c, http.StatusUnprocessableEntity, form)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Feed added for "+f.Outlet.Name+". Press “Check all feeds now” to read it.")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminFeeds)
}

func (s *Server) adminFeedDelete(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteFeed(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	s.flash(c, "Feed removed. Articles already imported from it stay.")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminFeeds)
}
