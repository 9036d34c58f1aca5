package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"newsgloss/importer"
	"newsgloss/models"
	"newsgloss/richtext"
	"newsgloss/views"
)

// fetcher builds the importer's HTTP client with the current policy: internal
// addresses only when the server's configuration or the admin setting allows.
func (s *Server) fetcher(ctx context.Context) (*importer.Fetcher, error) {
	allow := s.cfg.ImportAllowPrivate
	if !allow {
		on, err := s.store.ImportAllowsPrivate(ctx)
		if err != nil {
			return nil, err
		}
		allow = on
	}
	return importer.NewFetcher(importer.Options{AllowPrivate: allow}), nil
}

func (s *Server) importPage(c echo.Context) error {
	return s.renderImportPage(c, http.StatusOK, views.ImportURLForm{})
}

func (s *Server) renderImportPage(c echo.Context, status int, f views.ImportURLForm) error {
	f.IsAdmin = currentUser(c).Has(models.RoleAdmin)
	return s.render(c, status, views.ImportPage(s.page(c, "Import an article"), f))
}

// importFetch fetches the pasted address and shows the pre-filled form.
func (s *Server) importFetch(c echo.Context) error {
	return s.reviewImport(c, c.FormValue("url"))
}

// statusForImport maps why a fetch failed to an HTTP status: the site's
// fault (unreachable, slow, an error page) is a bad gateway; the rest is about
// what was asked for.
func statusForImport(err error) int {
	switch {
	case errors.Is(err, importer.ErrTimeout):
		return http.StatusGatewayTimeout
	case errors.Is(err, importer.ErrUnreachable), errors.Is(err, importer.ErrHTTPStatus):
		return http.StatusBadGateway
	}
	return http.StatusUnprocessableEntity
}

// reviewImport fetches an article page, extracts it and renders the article
// form filled in with what was found. Nothing is saved here: the form posts to
// the ordinary create (or, for an address imported before, update) route.
func (s *Server) reviewImport(c echo.Context, rawURL string) error {
	ctx := c.Request().Context()
	form := views.ImportURLForm{URL: rawURL}
	failed := func(err error) error {
		var ie *importer.Error
		if !errors.As(err, &ie) {
			return err
		}
		form.Error = ie.Message
		return s.renderImportPage(c, statusForImport(err), form)
	}
	u, err := importer.ParseWebURL(rawURL)
	if err != nil {
		return failed(err)
	}
	f, err := s.fetcher(ctx)
	if err != nil {
		return err
	}
	res, err := f.FetchHTML(ctx, u.String())
	if err != nil {
		return failed(err)
	}
	art, err := importer.Extract(res.Body, res.URL, s.store.Renderer())
	if err != nil {
		return failed(err)
	}

	in := models.ArticleInput{
		Title: art.Title, Byline: art.Byline, SourceURL: art.URL, PublishedAt: importer.FormValue(art.Published),
		Status: string(models.StatusDraft), BodyFormat: string(richtext.FormatHTML), Body: art.BodyHTML,
	}
	outlet, err := s.store.OutletForURL(ctx, art.URL)
	if err != nil {
		return err
	}
	if outlet == nil && art.Outlet != "" {
		if outlet, err = s.store.OutletByName(ctx, art.Outlet); err != nil {
			return err
		}
	}
	if outlet != nil {
		in.OutletID = outlet.ID
	} else {
		in.NewOutlet = art.Outlet
	}

	// The same page imported before becomes the next version of that article.
	existing, err := s.store.ArticleBySourceURL(ctx, art.URL)
	if err != nil {
		return err
	}
	if existing == nil {
		if existing, err = s.store.ArticleBySourceURL(ctx, u.String()); err != nil {
			return err
		}
	}
	id := uint(0)
	if existing != nil {
		id = existing.ID
		in.BaseVersion = existing.Version
		in.Status, in.RetractionNote = string(existing.Status), existing.RetractionNote
		in.OutletID, in.NewOutlet = existing.OutletID, ""
		if in.PublishedAt == "" && existing.PublishedAt != nil {
			in.PublishedAt = importer.FormValue(existing.PublishedAt)
		}
		in.Summary = "Updated from the original page"
	}
	outlets, err := s.store.ListOutlets(ctx)
	if err != nil {
		return err
	}
	review := views.ImportReview{
		Form:     views.ArticleForm{ArticleID: id, Values: in, Outlets: outlets},
		FetchURL: res.URL.String(), Sources: art.Sources, Missing: art.Missing, Existing: existing,
	}
	title := "Review the imported article"
	if existing != nil {
		title = "Update an imported article"
	}
	return s.render(c, http.StatusOK, views.ImportReviewPage(s.page(c, title), review))
}
