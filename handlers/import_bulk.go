package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/importer"
	"newsgloss/models"
	"newsgloss/views"
)

// MaxUploadBytes bounds a bulk-import upload (the rest of the site takes 1 MB).
const MaxUploadBytes = 20 << 20

// jobRefreshSeconds is how often a running import's page reloads itself.
const jobRefreshSeconds = 2

// Background runs work that outlives the request that started it (bulk
// imports, scheduled feed checks) under one context, and lets the server wait
// for it before closing the database.
type Background struct {
	ctx context.Context
	wg  sync.WaitGroup
}

// NewBackground ties background work to ctx: cancelling it asks the work to stop.
func NewBackground(ctx context.Context) *Background { return &Background{ctx: ctx} }

// Go runs fn in a goroutine with the background context.
func (b *Background) Go(fn func(ctx context.Context)) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		fn(b.ctx)
	}()
}

// Wait blocks until every piece of background work has returned.
func (b *Background) Wait() { b.wg.Wait() }

var fallbackBackground = NewBackground(context.Background())

func (s *Server) background() *Background {
	if s.cfg.Background != nil {
		return s.cfg.Background
	}
	return fallbackBackground
}

// isImportUpload tells the bulk-import upload from every other request: it
// gets its own body limit (importUploadLimit) instead of the site's 1 MB.
func isImportUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == views.RouteAdminImport
}

// importUploadLimit caps the upload's body before anything reads it (the CSRF
// check may parse the multipart form).
func (s *Server) importUploadLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !isImportUpload(c) {
			return next(c)
		}
		req := c.Request()
		if req.ContentLength > MaxUploadBytes {
			msg := fmt.Sprintf("The file is larger than %d MB, the most Newsgloss accepts in the browser. Split it, or use the `web import` command on the server.", MaxUploadBytes>>20)
			return s.render(c, http.StatusRequestEntityTooLarge,
				views.ErrorPage(s.page(c, "That was too much to send"), http.StatusRequestEntityTooLarge, "That was too much to send", msg, ""))
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, MaxUploadBytes)
		return next(c)
	}
}

func (s *Server) adminImport(c echo.Context) error {
	return s.renderBulkImport(c, http.StatusOK, views.BulkImportView{})
}

func (s *Server) renderBulkImport(c echo.Context, status int, v views.BulkImportView) error {
	ctx := c.Request().Context()
	jobs, err := s.store.RecentImportJobs(ctx, 20)
	if err != nil {
		return err
	}
	allow, err := s.store.ImportAllowsPrivate(ctx)
	if err != nil {
		return err
	}
	v.Jobs, v.AllowPrivate, v.PrivateForced, v.MaxUploadMB = jobs, allow, s.cfg.ImportAllowPrivate, MaxUploadBytes>>20
	return s.render(c, status, views.BulkImportPage(s.page(c, "Bulk import"), v))
}

// adminImportUpload checks the uploaded file's kind, records a job and runs
// it in the background; the browser is sent to the job's page, which shows
// its progress from the database.
func (s *Server) adminImportUpload(c echo.Context) error {
	v := views.BulkImportView{Status: c.FormValue("status"), Outlet: strings.TrimSpace(c.FormValue("outlet"))}
	bad := func(status int, msg string) error {
		v.Error = msg
		return s.renderBulkImport(c, status, v)
	}
	fh, err := c.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return bad(http.StatusRequestEntityTooLarge, fmt.Sprintf("The file is larger than %d MB.", MaxUploadBytes>>20))
	case err != nil:
		return bad(http.StatusUnprocessableEntity, "Choose a JSON Lines or feed file to upload.")
	}
	if v.Status != "published" {
		v.Status = "draft"
	}
	if len([]rune(v.Outlet)) > 120 {
		return bad(http.StatusUnprocessableEntity, "Use an outlet name of at most 120 characters.")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(file, MaxUploadBytes+1))
	file.Close()
	if err != nil {
		return err
	}
	if len(data) > MaxUploadBytes {
		return bad(http.StatusRequestEntityTooLarge, fmt.Sprintf("The file is larger than %d MB.", MaxUploadBytes>>20))
	}
	total, _ := importer.CountLines(bytes.NewReader(data))
	reader, err := importer.OpenBulk(bytes.NewReader(data), total, importer.BulkOptions{Status: v.Status, Outlet: v.Outlet})
	if err != nil {
		var ie *importer.Error
		if errors.As(err, &ie) {
			return bad(http.StatusUnprocessableEntity, ie.Message)
		}
		return err
	}
	name := filepath.Base(fh.Filename)
	if name == "." || name == "/" || name == "" {
		name = "upload"
	}
	actor := currentUser(c)
	job, err := s.store.CreateImportJob(c.Request().Context(), actor, name, v.Status)
	if err != nil {
		return err
	}
	s.background().Go(func(ctx context.Context) { s.runImportJob(ctx, job.ID, actor, reader) })
	return c.Redirect(http.StatusSeeOther, views.AdminImportJobURL(job.ID))
}

// runImportJob imports the file and keeps the job's row up to date.
func (s *Server) runImportJob(ctx context.Context, id uint, actor *models.User, reader *importer.BulkReader) {
	// The final state is written even when shutdown cancelled ctx.
	final := context.WithoutCancel(ctx)
	log := s.log.With(slog.Uint64("import_job", uint64(id)))
	if err := s.store.StartImportJob(ctx, id, reader.Kind(), reader.Total()); err != nil {
		log.Error("start import job", "error", err)
	}
	last := time.Time{}
	rep, runErr := importer.Run(ctx, reader, s.store.BulkSink(actor), importer.RunOptions{
		Progress: func(p importer.Progress) {
			if time.Since(last) < 250*time.Millisecond {
				return
			}
			last = time.Now()
			if err := s.store.UpdateImportJob(final, id, p); err != nil {
				log.Error("update import job", "error", err)
			}
		},
	})
	if errors.Is(runErr, context.Canceled) {
		runErr = fmt.Errorf("%w. The server was shutting down; upload the file again to import the rest (what was imported is skipped)", runErr)
	}
	if err := s.store.FinishImportJob(final, id, rep, runErr); err != nil {
		log.Error("finish import job", "error", err)
	}
	log.Info("import job finished", "summary", rep.Summary(), "error", runErr)
}

func (s *Server) adminImportJob(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	job, err := s.store.ImportJobByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	p := s.page(c, "Import of "+job.FileName)
	if job.Running() {
		p.Refresh = jobRefreshSeconds
	}
	return s.render(c, http.StatusOK, views.ImportJobPage(p, job))
}

func (s *Server) adminImportSettings(c echo.Context) error {
	allow := c.FormValue("allow_private") == "on"
	if err := s.store.SetImportAllowPrivate(c.Request().Context(), currentUser(c), allow); err != nil {
		return err
	}
	if allow {
		s.flash(c, "Importing may now fetch from internal network addresses.")
	} else {
		s.flash(c, "Importing fetches from public addresses only.")
	}
	return c.Redirect(http.StatusSeeOther, views.RouteAdminImport)
}
