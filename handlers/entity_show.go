package handlers

import "github.com/labstack/echo/v4"

// entityShow is an entity's page: its aliases and roles, and the derived
// timeline of the claims it made and the events it took part in or hosted.
func (s *Server) entityShow(c echo.Context) error { return s.showScope(c, "entity") }
