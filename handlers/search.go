package handlers

import (
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// maxSearchParam bounds each query parameter kept for the page: the query
// itself is refused past 500 characters, but the form shows back what came.
const maxSearchParam = 2000

// searchParam reads a query parameter as text that is safe to show back in
// the form: valid UTF-8 without control characters, of bounded length.
func searchParam(c echo.Context, name string) string {
	v := c.QueryParam(name)
	if len(v) > maxSearchParam {
		v = v[:maxSearchParam]
	}
	v = strings.ToValidUTF8(v, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, v)
}

// search is the results page: GET /search?q=…&type=…&outlet=…&tag=…&entity=…&from=…&to=…&page=….
func (s *Server) search(c echo.Context) error {
	ctx := c.Request().Context()
	in := models.SearchInput{
		Query: searchParam(c, "q"), Type: searchParam(c, "type"), Outlet: searchParam(c, "outlet"),
		Tag: searchParam(c, "tag"), Entity: searchParam(c, "entity"), Verdict: searchParam(c, "verdict"),
		From: searchParam(c, "from"), To: searchParam(c, "to"), Page: pageParam(c),
	}
	outlets, err := s.store.ListOutlets(ctx)
	if err != nil {
		return err
	}
	scale, err := s.store.RatingScale(ctx)
	if err != nil {
		return err
	}
	v := views.SearchView{Input: in, Outlets: outlets, Ratings: scale.Labels}
	status := http.StatusOK
	title := "Search"
	if strings.TrimSpace(in.Query) != "" || in.Filtered() {
		v.Searched = true
		title = "Search: " + shorten(strings.TrimSpace(in.Query), 80)
		res, err := s.store.Search(ctx, currentUser(c), in)
		var appErr *models.Error
		switch {
		case errors.As(err, &appErr) && appErr.Code == models.EInvalid:
			// Refused searches come back on the same form with the reason.
			status, v.Message, v.Errors = http.StatusUnprocessableEntity, appErr.Message, appErr.Fields
		case err != nil:
			return err
		default:
			v.Results = res
		}
	}
	p := s.page(c, title)
	p.NoIndex = true // result pages are not for search engines
	return s.render(c, status, views.SearchPage(p, v))
}

// shorten cuts text to at most n characters, marking the cut.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
