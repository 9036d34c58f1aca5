package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"newsgloss/static"
)

// health answers load balancers: 200 when the database answers, 503 if not.
func (s *Server) health(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if err := s.store.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check failed", "error", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// serveStatic serves fingerprinted assets: their names change with their
// content, so browsers may keep them for a year.
func (s *Server) serveStatic(c echo.Context) error {
	asset, ok := s.assets.Lookup(strings.TrimPrefix(c.Request().URL.Path, static.Prefix))
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", asset.ETag)
	h.Add("Vary", "Accept-Encoding")
	if c.Request().Header.Get("If-None-Match") == asset.ETag {
		return c.NoContent(http.StatusNotModified)
	}
	if asset.Gzipped != nil && strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		return c.Blob(http.StatusOK, asset.ContentType, asset.Gzipped)
	}
	return c.Blob(http.StatusOK, asset.ContentType, asset.Body)
}
