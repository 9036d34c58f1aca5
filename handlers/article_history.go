package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/richtext"
	"newsgloss/views"
)

// articleHistory lists the revisions of an article.
func (s *Server) articleHistory(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(c.Request().Context(), a.ID)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.HistoryPage(s.page(c, "History of “"+a.Title+"”"), a, revs))
}

// articleDiff compares two revisions word by word (?from=N&to=M).
func (s *Server) articleDiff(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	from, errFrom := strconv.Atoi(c.QueryParam("from"))
	to, errTo := strconv.Atoi(c.QueryParam("to"))
	if errFrom != nil || errTo != nil || from < 1 || to < 1 {
		return models.Errorf(models.EInvalid, "Choose two versions to compare, e.g. ?from=1&to=2.")
	}
	if from > to {
		from, to = to, from
	}
	ctx := c.Request().Context()
	before, err := s.store.Revision(ctx, a.ID, from)
	if err != nil {
		return err
	}
	after, err := s.store.Revision(ctx, a.ID, to)
	if err != nil {
		return err
	}
	v := views.DiffView{Article: a, From: before, To: after, Fields: fieldChanges(before, after),
		Body: richtext.WordDiff(before.BodyText, after.BodyText)}
	return s.render(c, http.StatusOK, views.DiffPage(s.page(c, "Changes to “"+a.Title+"”"), v))
}

// fieldChanges lists the details (not the text) that differ between revisions.
func fieldChanges(a, b *models.ArticleRevision) []views.FieldChange {
	var out []views.FieldChange
	add := func(label, x, y string) {
		if x != y {
			out = append(out, views.FieldChange{Label: label, Before: x, After: y})
		}
	}
	add("Headline", a.Title, b.Title)
	add("Outlet", a.Outlet.Name, b.Outlet.Name)
	add("Byline", a.Byline, b.Byline)
	add("Original address", a.SourceURL, b.SourceURL)
	add("Published", optionalDateTime(a.PublishedAt), optionalDateTime(b.PublishedAt))
	add("Status", a.Status.Label(), b.Status.Label())
	add("Retraction notice", a.RetractionNote, b.RetractionNote)
	return out
}

func optionalDateTime(t *time.Time) string {
	if t == nil {
		return "not set"
	}
	return views.FormatDateTime(*t)
}

func itoa(n int) string { return strconv.Itoa(n) }
