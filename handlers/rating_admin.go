package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// Admin pages for the rating scale and the site settings.

func (s *Server) adminRatings(c echo.Context) error {
	return s.renderRatings(c, http.StatusOK, views.RatingScaleView{Values: models.RatingLabelInput{Colour: "#4b5563"}})
}

func (s *Server) renderRatings(c echo.Context, status int, v views.RatingScaleView) error {
	ctx := c.Request().Context()
	var err error
	if v.Scale, err = s.store.RatingScale(ctx); err != nil {
		return err
	}
	if v.Uses, err = s.store.RatingLabelUses(ctx); err != nil {
		return err
	}
	if v.Deleted, err = s.store.DeletedRatingLabels(ctx); err != nil {
		return err
	}
	return s.render(c, status, views.RatingScalePage(s.page(c, "Rating scale"), v))
}

func ratingInput(c echo.Context) models.RatingLabelInput {
	return models.RatingLabelInput{Name: c.FormValue("name"), Colour: c.FormValue("colour"),
		Definition: c.FormValue("definition"), Value: c.FormValue("value"), Position: c.FormValue("position")}
}

// ratingFormFailed shows the scale again with the failed form's input and messages.
func (s *Server) ratingFormFailed(c echo.Context, id uint, in models.RatingLabelInput, err error) error {
	v := views.RatingScaleView{FormID: id, Values: in}
	formMessage(&v.Message, &v.Errors, err)
	return s.renderRatings(c, statusFor(models.ErrorCodeOf(err)), v)
}

func (s *Server) adminRatingCreate(c echo.Context) error {
	in := ratingInput(c)
	l, err := s.store.CreateRatingLabel(c.Request().Context(), currentUser(c), in)
	if models.ErrorCodeOf(err) == models.EInvalid {
		return s.ratingFormFailed(c, 0, in, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Label “"+l.Name+"” added.")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminRatings)
}

func (s *Server) adminRatingUpdate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in := ratingInput(c)
	err = s.store.UpdateRatingLabel(c.Request().Context(), currentUser(c), id, in)
	if models.ErrorCodeOf(err) == models.EInvalid {
		return s.ratingFormFailed(c, id, in, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Label saved.")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminRatings+"#label-"+uitoa(id))
}

func (s *Server) adminRatingRetire(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	retire := c.FormValue("retired") != "false"
	if err := s.store.SetRatingLabelRetired(c.Request().Context(), currentUser(c), id, retire); err != nil {
		return err
	}
	if retire {
		s.flash(c, "Label retired: it is no longer offered for new verdicts.")
	} else {
		s.flash(c, "Label brought back.")
	}
	return c.Redirect(http.StatusSeeOther, views.RouteAdminRatings+"#label-"+uitoa(id))
}

func (s *Server) adminRatingDelete(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = s.store.DeleteRatingLabel(c.Request().Context(), currentUser(c), id)
	if models.ErrorCodeOf(err) == models.EConflict {
		return s.ratingFormFailed(c, id, models.RatingLabelInput{}, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Label deleted.")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminRatings)
}

func (s *Server) adminRatingRestore(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = s.store.RestoreRatingLabel(c.Request().Context(), currentUser(c), id)
	if models.ErrorCodeOf(err) == models.EConflict {
		return s.ratingFormFailed(c, 0, models.RatingLabelInput{}, err)
	}
	if err != nil {
		return err
	}
	s.flash(c, "Label restored.")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminRatings+"#label-"+uitoa(id))
}

func (s *Server) adminSettings(c echo.Context) error {
	site, err := s.store.SiteSettings(c.Request().Context(), s.cfg.SiteName)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.SiteSettingsPage(s.page(c, "Site settings"), views.SiteSettingsView{Values: site}))
}

func (s *Server) adminSettingsSave(c echo.Context) error {
	in := models.SiteSettings{OrganisationName: c.FormValue("organisation_name"), OrganisationURL: c.FormValue("organisation_url")}
	err := s.store.SaveSiteSettings(c.Request().Context(), currentUser(c), in)
	if models.ErrorCodeOf(err) == models.EInvalid {
		v := views.SiteSettingsView{Values: in}
		formMessage(&v.Message, &v.Errors, err)
		return s.render(c, http.StatusUnprocessableEntity, views.SiteSettingsPage(s.page(c, "Site settings"), v))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Settings saved.")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminSettings)
}
