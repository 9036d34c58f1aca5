package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

func (s *Server) claimShow(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	claim, sources, err := s.store.ClaimByID(ctx, id)
	if err != nil {
		return err
	}
	if len(sources) == 0 && !currentUser(c).Has(models.RoleEditor) {
		// Claims tagged only in unpublished articles are not public yet.
		return models.Errorf(models.ENotFound, "There is no claim number %d.", id)
	}
	history, err := s.store.History(ctx, "claim", id)
	if err != nil {
		return err
	}
	v := views.ClaimView{Claim: claim, Sources: sources, History: history, CanEdit: currentUser(c).Has(models.RoleEditor)}
	badges, err := s.store.VerdictBadges(ctx, []uint{id})
	if err != nil {
		return err
	}
	if b, ok := badges[id]; ok {
		v.Verdict = &b
	} else if currentUser(c).Has(models.RoleFactChecker) {
		// Staff see the fact-check under way, or may start one.
		if v.InProgress, err = s.store.LiveVerdict(ctx, id); err != nil {
			return err
		}
		v.CanCheck = v.InProgress == nil
	}
	if v.CanEdit {
		if v.Timelines, err = s.manualTimelines(c); err != nil {
			return err
		}
	}
	p := s.page(c, claim.Restatement)
	p.Description = "A claim and every article that reported it."
	return s.render(c, http.StatusOK, views.ClaimPage(p, v))
}

func (s *Server) manualTimelines(c echo.Context) ([]models.Timeline, error) {
	all, err := s.store.ListTimelines(c.Request().Context())
	var manual []models.Timeline
	for _, t := range all {
		if t.RuleKind == "manual" {
			manual = append(manual, t)
		}
	}
	return manual, err
}

func (s *Server) eventShow(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	event, sources, err := s.store.EventByID(ctx, id)
	if err != nil {
		return err
	}
	if len(sources) == 0 && !currentUser(c).Has(models.RoleEditor) {
		return models.Errorf(models.ENotFound, "There is no event number %d.", id)
	}
	history, err := s.store.History(ctx, "event", id)
	if err != nil {
		return err
	}
	v := views.EventView{Event: event, Sources: sources, History: history, CanEdit: currentUser(c).Has(models.RoleEditor),
		JSONLD: eventJSONLD(c, event)}
	if v.CanEdit {
		if v.Timelines, err = s.manualTimelines(c); err != nil {
			return err
		}
	}
	p := s.page(c, event.Title)
	p.Description = "An event, what became of it, and the articles that reported it."
	return s.render(c, http.StatusOK, views.EventPage(p, v))
}

// eventJSONLD describes the event as schema.org Event.
func eventJSONLD(c echo.Context, e *models.Event) map[string]any {
	statuses := map[models.EventStatus]string{
		models.EventPlanned: "EventScheduled", models.EventHeld: "EventScheduled", models.EventCancelled: "EventCancelled",
		models.EventPostponed: "EventPostponed", models.EventDenied: "EventCancelled", models.EventRumoured: "EventScheduled",
	}
	ld := map[string]any{
		"@context":            "https://schema.org",
		"@type":               "Event",
		"name":                e.Title,
		"startDate":           e.StartsOn,
		"eventStatus":         "https://schema.org/" + statuses[e.Status],
		"url":                 absoluteURL(c, views.EventURL(e.ID)),
		"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
	}
	if e.EndsOn != "" {
		ld["endDate"] = e.EndsOn
	}
	if e.Place != nil {
		ld["location"] = map[string]any{"@type": "Place", "name": e.Place.Name, "url": absoluteURL(c, views.SlugURL(views.RoutePlace, e.Place.Slug))}
	}
	var performers []map[string]any
	for _, p := range e.Participants {
		t := "Person"
		if p.Kind == models.EntityOrganisation {
			t = "Organization"
		}
		performers = append(performers, map[string]any{"@type": t, "name": p.Name})
	}
	if len(performers) > 0 {
		ld["attendee"] = performers
	}
	return ld
}

func (s *Server) claimStance(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.SetClaimStance(c.Request().Context(), currentUser(c), id, models.Stance(c.FormValue("stance"))); err != nil {
		return err
	}
	s.flash(c, "Stance updated.")
	return c.Redirect(http.StatusSeeOther, views.ClaimURL(id))
}

func (s *Server) eventStatus(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.SetEventStatus(c.Request().Context(), currentUser(c), id, models.EventStatus(c.FormValue("status"))); err != nil {
		return err
	}
	s.flash(c, "Status updated.")
	return c.Redirect(http.StatusSeeOther, views.EventURL(id))
}

func (s *Server) timelineNew(c echo.Context) error {
	return s.render(c, http.StatusOK, views.TimelineNewPage(s.page(c, "New timeline"), models.TimelineInput{RuleKind: "manual"}, nil))
}

func (s *Server) timelineCreate(c echo.Context) error {
	in := models.TimelineInput{Title: c.FormValue("title"), Description: c.FormValue("description"),
		RuleKind: c.FormValue("rule_kind"), RuleValue: c.FormValue("rule_value")}
	tl, err := s.store.CreateTimeline(c.Request().Context(), currentUser(c), in)
	if fields := models.FieldErrors(err); fields != nil {
		return s.render(c, http.StatusUnprocessableEntity, views.TimelineNewPage(s.page(c, "New timeline"), in, fields))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Timeline created.")
	return c.Redirect(http.StatusSeeOther, views.SlugURL(views.RouteTimeline, tl.Slug))
}

// timelineAddEntry puts the claim or event of the form on the chosen timeline.
func (s *Server) timelineAddEntry(c echo.Context) error {
	ctx := c.Request().Context()
	tl, err := s.store.TimelineBySlug(ctx, c.FormValue("timeline"))
	if err != nil {
		return err
	}
	claimID, _ := parseUint(c.FormValue("claim"))
	eventID, _ := parseUint(c.FormValue("event"))
	if err := s.store.AddToTimeline(ctx, currentUser(c), tl.ID, claimID, eventID); err != nil {
		return err
	}
	s.flash(c, "Added to “"+tl.Title+"”.")
	return c.Redirect(http.StatusSeeOther, views.SlugURL(views.RouteTimeline, tl.Slug))
}

func (s *Server) entityAddAlias(c echo.Context) error {
	ctx := c.Request().Context()
	e, err := s.store.EntityBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.store.AddEntityAlias(ctx, currentUser(c), e.ID, c.FormValue("alias")); err != nil {
		return err
	}
	s.flash(c, "Alias added.")
	return c.Redirect(http.StatusSeeOther, views.SlugURL(views.RouteEntity, e.Slug))
}

func (s *Server) entityAddRole(c echo.Context) error {
	ctx := c.Request().Context()
	e, err := s.store.EntityBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.store.AddEntityRole(ctx, currentUser(c), e.ID, c.FormValue("title"), c.FormValue("starts_on"), c.FormValue("ends_on")); err != nil {
		return err
	}
	s.flash(c, "Role added.")
	return c.Redirect(http.StatusSeeOther, views.SlugURL(views.RouteEntity, e.Slug))
}
