package handlers

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"newsgloss/views"
)

// page builds the layout's view of the current request.
func (s *Server) page(c echo.Context, title string) views.Page {
	p := views.Page{
		Title:    title,
		User:     currentUser(c),
		Assets:   s.assets,
		Path:     c.Request().URL.Path,
		SiteName: s.cfg.SiteName,
		Flash:    s.takeFlash(c),
	}
	if tok, ok := c.Get(middleware.DefaultCSRFConfig.ContextKey).(string); ok {
		p.CSRF = tok
	}
	if p.User != nil {
		p.NoIndex = true
	}
	return p
}

// render writes a component as a whole HTML page. It renders into a buffer
// first, so a failure half-way becomes a clean error page, not half a page.
func (s *Server) render(c echo.Context, status int, component templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	h := c.Response().Header()
	if currentUser(c) != nil || c.Request().Method != http.MethodGet {
		// Pages for a signed-in person carry their name and form tokens.
		h.Set("Cache-Control", "private, no-store")
	} else if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	if s.publicPage(c) {
		// A public page for an anonymous reader: validators, kept for the
		// epoch, compressed once (cache.go).
		return s.sendPage(c, status, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// idParam reads a positive numeric path parameter; anything else is a 404.
func idParam(c echo.Context, name string) (uint, error) {
	n, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || n == 0 {
		return 0, echo.ErrNotFound
	}
	return uint(n), nil
}

// pageParam reads ?page=N, defaulting to 1 for anything unusable.
func pageParam(c echo.Context) int {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// wantsJSON reports whether the client asked for JSON (plain or JSON-LD) rather
// than a page, or is a program using an API token.
func wantsJSON(c echo.Context) bool {
	if _, ok := bearerToken(c); ok {
		return true
	}
	accept := c.Request().Header.Get(echo.HeaderAccept)
	return (strings.Contains(accept, "application/json") || strings.Contains(accept, "+json")) &&
		!strings.Contains(accept, "text/html")
}

const maxFlashLength = 300

func encodeFlash(msg string) string {
	if len(msg) > maxFlashLength {
		msg = msg[:maxFlashLength]
	}
	return base64.RawURLEncoding.EncodeToString([]byte(msg))
}

func decodeFlash(v string) string {
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) > maxFlashLength || !utf8.Valid(b) {
		return ""
	}
	return string(b)
}

// safeNext accepts only a path on this site as a place to return to after
// signing in, so the sign-in form cannot be used to send people elsewhere.
//
// Control characters are refused as well as backslashes: browsers drop tabs and
// newlines from URLs ("/\t/evil" becomes "//evil") and a NUL breaks the header.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return views.RouteHome
	}
	return next
}

// parseUint reads a positive id from a form value.
func parseUint(s string) (uint, bool) {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return 0, false
	}
	return uint(n), true
}
