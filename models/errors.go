package models

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an application error; the HTTP layer maps it to a status.
type ErrorCode string

const (
	ENotFound  ErrorCode = "not_found"
	EInvalid   ErrorCode = "invalid"
	EConflict  ErrorCode = "conflict"
	EForbidden ErrorCode = "forbidden"
	EAuth      ErrorCode = "unauthenticated"
	EInternal  ErrorCode = "internal"
)

// Error is an error whose message is safe to show to the user.
type Error struct {
	Code    ErrorCode
	Message string
	// Fields holds per-field messages for forms, keyed by the form field name.
	Fields map[string]string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an application error with a formatted, user-safe message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCodeOf returns the code of an application error in err's chain, or
// EInternal for anything else.
func ErrorCodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ValidationErrors collects per-field messages while checking a form.
type ValidationErrors map[string]string

// Add records the first message for a field.
func (v ValidationErrors) Add(field, message string) {
	if _, ok := v[field]; !ok {
		v[field] = message
	}
}

// Err returns nil when nothing was recorded, or an EInvalid error with the fields.
func (v ValidationErrors) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Please correct the highlighted fields.", Fields: v}
}

// FieldErrors returns the per-field messages of an EInvalid error, if any.
func FieldErrors(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && e.Code == EInvalid {
		return e.Fields
	}
	return nil
}
