package handlers

import "github.com/labstack/echo/v4"

func (s *Server) noteNew(c echo.Context) error                { return echo.ErrNotImplemented }
func (s *Server) noteCreate(c echo.Context) error             { return echo.ErrNotImplemented }
func (s *Server) annotationShow(c echo.Context) error         { return echo.ErrNotImplemented }
func (s *Server) annotationEditForm(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) annotationUpdate(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) annotationDelete(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) annotationReply(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) annotationFlag(c echo.Context) error         { return echo.ErrNotImplemented }
func (s *Server) annotationConfirm(c echo.Context) error      { return echo.ErrNotImplemented }
func (s *Server) annotationReplace(c echo.Context) error      { return echo.ErrNotImplemented }
func (s *Server) moderationQueue(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) annotationModerate(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) annotationDismissFlags(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) tokensPage(c echo.Context) error             { return echo.ErrNotImplemented }
func (s *Server) tokenCreate(c echo.Context) error            { return echo.ErrNotImplemented }
func (s *Server) tokenRevoke(c echo.Context) error            { return echo.ErrNotImplemented }
