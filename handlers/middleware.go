package handlers

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"newsgloss/models"
	"newsgloss/views"
)

const (
	sessionCookie = "ng_session"
	flashCookie   = "ng_flash"
	userKey       = "user"
)

// contentSecurityPolicy allows only our own scripts, styles and images: no
// inline script can run even if some markup slipped through.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// crossSiteRefusal is what a refused cross-site or token-less form says.
const crossSiteRefusal = "This form could not be accepted: it expired or was sent from another site. Go back, reload the page and try again."

// crossOriginCheck refuses a state-changing request that the browser marks as
// coming from another site (Sec-Fetch-Site), or whose Origin is not this host
// (browsers without Sec-Fetch-Site): a second line behind the CSRF token, which
// the token alone does not give when a page on another site holds one. A
// request with an API token carries no ambient credentials and is not checked.
func (s *Server) crossOriginCheck() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if _, ok := bearerToken(c); ok {
				return next(c)
			}
			if err := cop.Check(c.Request()); err != nil {
				return models.Errorf(models.EForbidden, crossSiteRefusal)
			}
			return next(c)
		}
	}
}

// readBodyFirst reads a request's body before anything acts on it. A body
// over the size limit that did not declare its length (sent chunked) is then
// refused whole, instead of being read later as an empty form that a handler
// would act on with default values, or not read at all by one that answers
// without it. Forms are parsed; other bodies (JSON) are kept in memory, within
// the limit, for the handler.
func (s *Server) readBodyFirst(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		ct := req.Header.Get(echo.HeaderContentType)
		var err error
		switch {
		case req.Method == http.MethodGet || req.Method == http.MethodHead || req.Body == nil || req.Body == http.NoBody:
		case strings.HasPrefix(ct, echo.MIMEMultipartForm):
			err = req.ParseMultipartForm(32 << 20) // Echo's own in-memory share
		case strings.HasPrefix(ct, echo.MIMEApplicationForm):
			err = req.ParseForm()
		default:
			var body []byte
			if body, err = io.ReadAll(req.Body); err == nil {
				req.Body = io.NopCloser(bytes.NewReader(body))
			}
		}
		var maxErr *http.MaxBytesError
		if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) || errors.As(err, &maxErr) {
			return echo.ErrStatusRequestEntityTooLarge
		}
		cleanTextInput(c)
		return next(c)
	}
}

// cleanTextInput makes every path parameter, query parameter and form value
// text: null bytes and bytes that are not UTF-8 become U+FFFD, the
// replacement character (which marks the spot: "sum\x00mit" does not quietly
// become another word).
// No browser sends either in a form, and neither is text a page or the
// database should hold; PostgreSQL refuses both outright, so without this a
// hostile slug would be a server error there and a plain "not found" on
// SQLite. JSON bodies need no pass: the decoder makes them valid UTF-8, and
// the models refuse control characters in what they store.
func cleanTextInput(c echo.Context) {
	if names, values := c.ParamNames(), c.ParamValues(); len(names) > 0 {
		changed := false
		for i, v := range values {
			if w, ok := asText(v); ok {
				values[i], changed = w, true
			}
		}
		if changed {
			c.SetParamValues(values...)
		}
	}
	req := c.Request()
	// A query without escapes is as valid as its raw text: most are, and
	// skip the parse.
	if raw := req.URL.RawQuery; raw != "" && (strings.IndexByte(raw, '%') >= 0 || !utf8.ValidString(raw) || strings.IndexByte(raw, 0) >= 0) {
		q := req.URL.Query()
		if cleanValues(q) {
			req.URL.RawQuery = q.Encode()
		}
	}
	cleanValues(req.Form)
	cleanValues(req.PostForm)
	if req.MultipartForm != nil {
		cleanValues(req.MultipartForm.Value)
	}
}

// cleanValues applies asText to every value, and reports whether any changed.
func cleanValues(vals map[string][]string) bool {
	changed := false
	for k, vs := range vals {
		for i, v := range vs {
			if w, ok := asText(v); ok {
				vals[k][i], changed = w, true
			}
		}
	}
	return changed
}

// asText returns v with null bytes and invalid UTF-8 replaced by U+FFFD, and
// whether that changed anything.
func asText(v string) (string, bool) {
	if utf8.ValidString(v) && strings.IndexByte(v, 0) < 0 {
		return v, false
	}
	return strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "\uFFFD"), true
}

// requestLogger writes one structured line per request with its request id.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true,
		LogRemoteIP: true, HandleError: true, LogError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("method", v.Method), slog.String("uri", v.URI), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("request_id", v.RequestID), slog.String("ip", v.RemoteIP),
			}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("error", v.Error.Error()))
			}
			s.log.LogAttrs(context.Background(), level, "request", attrs...)
			return nil
		},
	})
}

// loadUser finds the signed-in person, if any, from the session cookie.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Path(), "/static/") || c.Path() == views.RouteHealth {
			return next(c)
		}
		// A program on the annotation API authenticates with its user's token;
		// the session cookie is then ignored.
		if token, ok := bearerToken(c); ok {
			u, err := s.store.UserForAPIToken(c.Request().Context(), token)
			if err != nil {
				return err
			}
			if u == nil {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="newsgloss", error="invalid_token"`)
				return models.Errorf(models.EAuth, "This API token is unknown or revoked.")
			}
			c.Set(userKey, u)
			return next(c)
		}
		cookie, err := c.Cookie(sessionCookie)
		if err == nil && cookie.Value != "" {
			u, err := s.store.UserForSession(c.Request().Context(), cookie.Value)
			if err != nil {
				return err
			}
			if u != nil {
				c.Set(userKey, u)
			} else {
				s.clearCookie(c, sessionCookie)
			}
		}
		return next(c)
	}
}

// bearerToken returns the token of an "Authorization: Bearer …" header.
func bearerToken(c echo.Context) (string, bool) {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

func currentUser(c echo.Context) *models.User {
	u, _ := c.Get(userKey).(*models.User)
	return u
}

// requireRole refuses anyone below the role: anonymous visitors are sent to
// sign in (or get 401 from the API), signed-in people without it get 403.
func (s *Server) requireRole(role models.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				if wantsJSON(c) || c.Request().Method != http.MethodGet {
					return models.Errorf(models.EAuth, "Sign in to continue.")
				}
				return c.Redirect(http.StatusSeeOther, views.SignInURL(c.Request().URL.RequestURI()))
			}
			if !u.Has(role) {
				return models.Errorf(models.EForbidden, "This page is for %ss. You are signed in as a %s.",
					strings.ToLower(role.Label()), strings.ToLower(u.Role.Label()))
			}
			return next(c)
		}
	}
}

func (s *Server) setCookie(c echo.Context, name, value string, maxAge time.Duration) {
	c.SetCookie(&http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(c echo.Context, name string) {
	c.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// flash stores a one-time message for the next page (after a redirect).
func (s *Server) flash(c echo.Context, msg string) {
	s.setCookie(c, flashCookie, encodeFlash(msg), time.Minute)
}

// takeFlash reads and clears the pending message.
func (s *Server) takeFlash(c echo.Context) string {
	cookie, err := c.Cookie(flashCookie)
	if err != nil || cookie.Value == "" {
		return ""
	}
	s.clearCookie(c, flashCookie)
	return decodeFlash(cookie.Value)
}
