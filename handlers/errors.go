package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// errorBody is the JSON form of an error.
type errorBody struct {
	Error     string            `json:"error"`
	Code      string            `json:"code"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

func statusFor(code models.ErrorCode) int {
	switch code {
	case models.ENotFound:
		return http.StatusNotFound
	case models.EInvalid:
		return http.StatusUnprocessableEntity
	case models.EConflict:
		return http.StatusConflict
	case models.EForbidden:
		return http.StatusForbidden
	case models.EAuth:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

func headingFor(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "You don’t have access to this page"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusTooManyRequests:
		return "Too many attempts"
	case http.StatusRequestEntityTooLarge:
		return "That was too much to send"
	case http.StatusMethodNotAllowed:
		return "That action is not available here"
	case http.StatusConflict:
		return "Someone else changed this first"
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "The request could not be understood"
	case http.StatusServiceUnavailable:
		return "Newsgloss is busy"
	}
	return "Something went wrong"
}

// handleError is Echo's central error handler: it turns any error into the
// right status with a friendly page, or JSON for clients that ask for it, and
// logs server faults with the request id.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	message := "The problem has been logged. Please try again in a moment."
	code := string(models.EInternal)
	var fields map[string]string

	var appErr *models.Error
	var httpErr *echo.HTTPError
	switch {
	case errors.As(err, &appErr):
		status = statusFor(appErr.Code)
		code = string(appErr.Code)
		fields = appErr.Fields
		if status != http.StatusInternalServerError {
			message = appErr.Message
		}
	case errors.As(err, &httpErr):
		status = httpErr.Code
		code = http.StatusText(status)
		switch status {
		case http.StatusNotFound:
			message = "There is nothing at this address. It may have moved, or the link may be mistyped."
		case http.StatusRequestEntityTooLarge:
			message = "The form was larger than Newsgloss accepts (1 MB). Shorten the text and try again."
		case http.StatusTooManyRequests:
			message = "Too many attempts from your address. Wait a minute and try again."
		case http.StatusMethodNotAllowed:
			message = "This address does not accept that kind of request."
		default:
			if status < 500 {
				if m, ok := httpErr.Message.(string); ok {
					message = m
				} else {
					message = http.StatusText(status)
				}
			}
		}
	case errors.Is(err, context.DeadlineExceeded):
		status = http.StatusServiceUnavailable
		message = "The server took too long to answer. Please try again."
	}

	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	if status >= 500 {
		s.log.LogAttrs(c.Request().Context(), slog.LevelError, "request failed",
			slog.String("request_id", reqID), slog.String("path", c.Request().URL.Path), slog.String("error", err.Error()))
	}
	if status == http.StatusUnauthorized && !wantsJSON(c) && c.Request().Method == http.MethodGet {
		_ = c.Redirect(http.StatusSeeOther, views.SignInURL(c.Request().URL.RequestURI()))
		return
	}

	// The request's context may already be cancelled (the timeout middleware
	// ends it when the handler returns); the error page must still render.
	c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))

	var werr error
	switch {
	case c.Request().Method == http.MethodHead:
		werr = c.NoContent(status)
	case wantsJSON(c):
		werr = c.JSON(status, errorBody{Error: message, Code: code, Fields: fields, RequestID: reqID})
	default:
		p := s.page(c, headingFor(status))
		shown := ""
		if status >= 500 {
			shown = reqID
		}
		werr = s.render(c, status, views.ErrorPage(p, status, headingFor(status), message, shown))
	}
	if werr != nil {
		s.log.Error("write error response", "request_id", reqID, "error", werr)
		if !c.Response().Committed {
			_ = c.String(status, headingFor(status)+"\n")
		}
	}
}
