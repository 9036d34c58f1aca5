package handlers

import "github.com/labstack/echo/v4"

// The W3C Web Annotation Protocol and the exports. (Being written.)

func (s *Server) apiContainerGet(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) apiOptions(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) apiCreate(c echo.Context) error           { return echo.ErrNotImplemented }
func (s *Server) apiAnnotationGet(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) apiUpdate(c echo.Context) error           { return echo.ErrNotImplemented }
func (s *Server) apiDelete(c echo.Context) error           { return echo.ErrNotImplemented }
func (s *Server) exportArticleJSONLD(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) exportArticleCSV(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) exportUserJSONLD(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) exportUserCSV(c echo.Context) error       { return echo.ErrNotImplemented }
