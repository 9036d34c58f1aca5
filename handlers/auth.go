package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// signInForm shows the sign-in page; signed-in people go straight on.
func (s *Server) signInForm(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	p := s.page(c, "Sign in")
	p.Path = views.RouteSignIn
	return s.render(c, http.StatusOK, views.SignInPage(p, views.SignInForm{Next: next}))
}

// signIn checks the credentials and starts a new session.
func (s *Server) signIn(c echo.Context) error {
	email, password := c.FormValue("email"), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	ctx := c.Request().Context()
	u, err := s.store.Authenticate(ctx, email, password)
	if models.ErrorCodeOf(err) == models.EAuth {
		p := s.page(c, "Sign in")
		p.Path = views.RouteSignIn
		return s.render(c, http.StatusUnauthorized, views.SignInPage(p, views.SignInForm{Email: email, Next: next, Error: err.(*models.Error).Message}))
	}
	if err != nil {
		return err
	}
	// End any session this browser already had, then start a fresh one: a
	// session id planted before sign-in is never promoted.
	if old, err := c.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(ctx, old.Value); err != nil {
			return err
		}
	}
	token, err := s.store.CreateSession(ctx, u.ID)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, token, models.SessionLifetime)
	s.flash(c, "Signed in as "+u.Name+".")
	return c.Redirect(http.StatusSeeOther, next)
}

// signOut ends the session on the server as well as in the browser.
func (s *Server) signOut(c echo.Context) error {
	if cookie, err := c.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(c.Request().Context(), cookie.Value); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	s.flash(c, "Signed out.")
	return c.Redirect(http.StatusSeeOther, views.RouteHome)
}

// signInLimiter limits sign-in attempts per client address (as the router's
// IP extractor sees it, so a forged header cannot reset the count). The count
// is kept in the database, so instances behind one proxy share it.
func (s *Server) signInLimiter() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			allowed, err := s.store.AllowAttempt(c.Request().Context(), "sign-in:"+c.RealIP(), float64(s.cfg.SignInRate), s.cfg.SignInBurst)
			if err != nil {
				return err
			}
			if !allowed {
				return echo.NewHTTPError(http.StatusTooManyRequests)
			}
			return next(c)
		}
	}
}
