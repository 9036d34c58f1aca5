package handlers

import (
	"encoding/json"
	"html"
	"strings"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// TimelineJS 3 JSON (https://timeline.knightlab.com/docs/json-format.html):
// a title slide and one slide per claim or event, so newsrooms can embed any
// timeline. A date carries only the parts its precision has; all text is
// escaped HTML.

type tljsDocument struct {
	Title  tljsSlide   `json:"title"`
	Events []tljsSlide `json:"events"`
	Scale  string      `json:"scale"`
}

type tljsSlide struct {
	StartDate *tljsDate `json:"start_date,omitempty"`
	EndDate   *tljsDate `json:"end_date,omitempty"`
	Text      tljsText  `json:"text"`
	Group     string    `json:"group,omitempty"`
	UniqueID  string    `json:"unique_id,omitempty"`
}

type tljsText struct {
	Headline string `json:"headline"`
	Text     string `json:"text,omitempty"`
}

type tljsDate struct {
	Year        int    `json:"year"`
	Month       int    `json:"month,omitempty"`
	Day         int    `json:"day,omitempty"`
	Hour        *int   `json:"hour,omitempty"`
	Minute      *int   `json:"minute,omitempty"`
	DisplayDate string `json:"display_date,omitempty"`
}

// tljsDateOf turns an ISO date of any precision into TimelineJS parts.
func tljsDateOf(iso string) *tljsDate {
	t, prec, ok := views.ParseTimelineDate(iso)
	if !ok {
		return nil
	}
	d := &tljsDate{Year: t.Year(), DisplayDate: views.TimelineDateLabel(iso)}
	if prec != "year" {
		d.Month = int(t.Month())
	}
	if prec == "day" || prec == "time" {
		d.Day = t.Day()
	}
	if prec == "time" {
		h, m := t.Hour(), t.Minute()
		d.Hour, d.Minute = &h, &m
	}
	return d
}

// tljsSlideOf makes a slide of a timeline entry; false when it has no date at all.
func tljsSlideOf(c echo.Context, it models.TimelineItem) (tljsSlide, bool) {
	slide := tljsSlide{Text: tljsText{Headline: html.EscapeString(it.Title), Text: itemHTML(c, it)},
		Group: kindName(it.Kind) + "s", UniqueID: it.Anchor()}
	switch {
	case it.Date != "":
		slide.StartDate = tljsDateOf(it.Date)
	case !it.Sort.IsZero():
		slide.StartDate = tljsDateOf(it.Sort.UTC().Format("2006-01-02"))
		if slide.StartDate != nil {
			slide.StartDate.DisplayDate = "First reported " + views.FormatDate(it.Sort)
		}
	}
	if slide.StartDate == nil {
		return slide, false
	}
	if it.EndDate != "" {
		slide.EndDate = tljsDateOf(it.EndDate)
	}
	return slide, true
}

func (s *Server) serveTimelineJS(c echo.Context, kind string) error {
	sc, err := s.loadScope(c, kind)
	if err != nil {
		return s.apiError(c, err)
	}
	_, sel, items, _, err := s.loadSelected(c, sc)
	if err != nil {
		return err
	}
	if len(sel.problems) > 0 {
		return s.apiError(c, models.Errorf(models.EInvalid, "%s", strings.Join(sel.problems, " ")))
	}
	doc := tljsDocument{Scale: "human", Events: []tljsSlide{}}
	doc.Title.Text.Headline = html.EscapeString(sc.title)
	if sc.description != "" {
		doc.Title.Text.Text = "<p>" + html.EscapeString(sc.description) + "</p>"
	}
	for _, it := range items {
		if slide, ok := tljsSlideOf(c, it); ok {
			doc.Events = append(doc.Events, slide)
		}
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	apiCaching(c)
	return s.apiConditionalBody(c, echo.MIMEApplicationJSON, listingETag(body), body)
}

func (s *Server) timelineJS(c echo.Context) error { return s.serveTimelineJS(c, "timeline") }
func (s *Server) entityJS(c echo.Context) error   { return s.serveTimelineJS(c, "entity") }
func (s *Server) tagJS(c echo.Context) error      { return s.serveTimelineJS(c, "tag") }
func (s *Server) placeJS(c echo.Context) error    { return s.serveTimelineJS(c, "place") }
