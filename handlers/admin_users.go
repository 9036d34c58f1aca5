package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

func (s *Server) adminUsers(c echo.Context) error {
	users, err := s.store.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.UsersPage(s.page(c, "Users"), users))
}

func (s *Server) adminUserNew(c echo.Context) error {
	f := views.UserForm{Values: models.NewUser{Role: models.RoleReader}}
	return s.render(c, http.StatusOK, views.UserNewPage(s.page(c, "New user"), f))
}

func (s *Server) adminUserCreate(c echo.Context) error {
	in := models.NewUser{Email: c.FormValue("email"), Name: c.FormValue("name"), Password: c.FormValue("password"),
		Role: models.Role(c.FormValue("role"))}
	u, err := s.store.CreateUser(c.Request().Context(), currentUser(c), in)
	if fields := models.FieldErrors(err); fields != nil {
		in.Password = "" // never echo a password back into the page
		return s.render(c, http.StatusUnprocessableEntity, views.UserNewPage(s.page(c, "New user"), views.UserForm{Values: in, Errors: fields}))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Created "+u.Name+" ("+u.Role.Label()+").")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminUsers)
}

func (s *Server) adminUserRole(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	role, err := models.ParseRole(c.FormValue("role"))
	if err != nil {
		return models.Errorf(models.EInvalid, "Choose one of the listed roles.")
	}
	if err := s.store.SetRole(c.Request().Context(), currentUser(c), id, role); err != nil {
		return err
	}
	s.flash(c, "Role changed to "+role.Label()+"; the account was signed out everywhere.")
	return c.Redirect(http.StatusSeeOther, views.RouteAdminUsers)
}

func (s *Server) adminUserStatus(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	disable := c.FormValue("disabled") == "true"
	if err := s.store.SetDisabled(c.Request().Context(), currentUser(c), id, disable); err != nil {
		return err
	}
	if disable {
		s.flash(c, "Account disabled and signed out everywhere.")
	} else {
		s.flash(c, "Account enabled.")
	}
	return c.Redirect(http.StatusSeeOther, views.RouteAdminUsers)
}

func (s *Server) adminAudit(c echo.Context) error {
	entries, err := s.store.RecentAudit(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.AuditPage(s.page(c, "Audit log"), entries))
}
