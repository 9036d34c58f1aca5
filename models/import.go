package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"newsgloss/importer"
)

// SettingImportAllowPrivate is the site setting that lets the importer fetch
// from loopback, private and link-local addresses ("on" or absent).
const SettingImportAllowPrivate = "import_allow_private"

// ImportAllowsPrivate reports whether an admin allowed fetching from internal addresses.
func (s *Store) ImportAllowsPrivate(ctx context.Context) (bool, error) {
	v, _, err := s.Setting(ctx, SettingImportAllowPrivate)
	return v == "on", err
}

// SetImportAllowPrivate changes the setting, with an audit entry.
func (s *Store) SetImportAllowPrivate(ctx context.Context, actor *User, allow bool) error {
	value := "off"
	if allow {
		value = "on"
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		before, _, err := getSetting(tx, SettingImportAllowPrivate)
		if err != nil {
			return err
		}
		if before == "" {
			before = "off"
		}
		if before == value {
			return nil
		}
		if err := putSetting(tx, SettingImportAllowPrivate, value); err != nil {
			return err
		}
		return audit(tx, actor, "setting.change", "setting", 0, SettingImportAllowPrivate+"="+before, SettingImportAllowPrivate+"="+value, s.nowUTC())
	})
}

// ArticleBySourceURL finds the live article imported from this address (or
// typed with it), comparing normalised addresses. It returns nil when there
// is none.
func (s *Store) ArticleBySourceURL(ctx context.Context, rawURL string) (*Article, error) {
	norm := importer.NormalizeURL(rawURL)
	if norm == "" {
		return nil, nil
	}
	db := s.reader(ctx)
	var a Article
	err := db.Preload("Outlet").Where("source_url = ?", norm).Order("id").Take(&a).Error
	if err == nil {
		return &a, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("find article by address: %w", err)
	}
	// Addresses typed into the form are stored as typed: compare those from
	// the same host after normalising them.
	host := importer.HostOf(norm)
	var candidates []Article
	err = db.Select("id", "source_url").Where("source_url <> '' AND source_url <> ? AND "+s.dialect.containsParam("lower(source_url)"), norm, host).
		Order("id").Limit(1000).Find(&candidates).Error
	if err != nil {
		return nil, fmt.Errorf("find article by address: %w", err)
	}
	for _, c := range candidates {
		if importer.NormalizeURL(c.SourceURL) == norm {
			return s.ArticleByID(ctx, c.ID, true)
		}
	}
	return nil, nil
}

// OutletForURL finds the outlet whose home page is on the same site as an
// article's address (the same host, or a subdomain of it). When several
// match, the most specific host wins. It returns nil when none matches.
func (s *Store) OutletForURL(ctx context.Context, articleURL string) (*Outlet, error) {
	host := importer.HostOf(articleURL)
	if host == "" {
		return nil, nil
	}
	var outlets []Outlet
	if err := s.reader(ctx).Where("home_url <> ''").Find(&outlets).Error; err != nil {
		return nil, fmt.Errorf("list outlets: %w", err)
	}
	var best *Outlet
	for i, o := range outlets {
		oh := importer.HostOf(o.HomeURL)
		if importer.SameSite(host, oh) && (best == nil || len(oh) > len(importer.HostOf(best.HomeURL))) {
			best = &outlets[i]
		}
	}
	return best, nil
}

// OutletByName finds an outlet by its name in any letter case, or nil.
func (s *Store) OutletByName(ctx context.Context, name string) (*Outlet, error) {
	var o Outlet
	err := s.reader(ctx).Where("lower(name) = lower(?)", strings.TrimSpace(name)).Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find outlet: %w", err)
	}
	return &o, nil
}

// BulkSink imports the records of a bulk file into the store; it implements
// importer.Sink.
type BulkSink struct {
	store *Store
	actor *User
	// known holds the normalised addresses of the articles already stored
	// (loaded once, then kept up to date), so addresses typed into the form in
	// another spelling are recognised too.
	known map[string]bool
	// fault, set by tests, makes the import of a batch's i-th record fail.
	fault func(i int, r importer.Record) error
}

func (b *BulkSink) loadKnown(ctx context.Context) error {
	if b.known != nil {
		return nil
	}
	var urls []string
	if err := b.store.reader(ctx).Unscoped().Model(&Article{}).Where("source_url <> ''").Pluck("source_url", &urls).Error; err != nil {
		return fmt.Errorf("list stored addresses: %w", err)
	}
	b.known = make(map[string]bool, len(urls))
	for _, u := range urls {
		if n := importer.NormalizeURL(u); n != "" {
			b.known[n] = true
		}
	}
	return nil
}

// BulkSink returns the sink for a bulk import made by actor (nil for the
// command line).
func (s *Store) BulkSink(actor *User) *BulkSink { return &BulkSink{store: s, actor: actor} }

func recordInput(r importer.Record) ArticleInput {
	return ArticleInput{
		Title: r.Title, NewOutlet: r.Outlet, Byline: r.Byline, SourceURL: r.URL, PublishedAt: r.Published,
		Status: r.Status, BodyFormat: r.Format, Body: r.Body, Summary: "Imported",
	}
}

// Check applies the article rules (lengths, a readable body after cleaning,
// a valid date and status) without saving.
func (b *BulkSink) Check(r importer.Record) error {
	_, err := b.store.validateArticle(recordInput(r))
	if fields := FieldErrors(err); fields != nil {
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		sort.Strings(names)
		parts := make([]string, 0, len(names))
		for _, f := range names {
			parts = append(parts, f+": "+fields[f])
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return err
}

// Import saves a batch in one transaction. An article whose normalised
// address is already stored (deleted articles included, so a re-run does not
// bring back what an editor deleted; and addresses typed into the form in
// another spelling, compared normalised) is skipped. If anything fails, nothing
// of the batch is saved.
func (b *BulkSink) Import(ctx context.Context, batch []importer.Record) (importer.BatchResult, error) {
	s := b.store
	if err := b.loadKnown(ctx); err != nil {
		return importer.BatchResult{}, err
	}
	var res importer.BatchResult
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		res = importer.BatchResult{}
		now := s.nowUTC()
		outlets := map[string]*Outlet{}
		inBatch := map[string]bool{}
		for i, r := range batch {
			if b.fault != nil {
				if err := b.fault(i, r); err != nil {
					return err
				}
			}
			if inBatch[r.URL] || b.known[r.URL] {
				res.Skipped++
				continue
			}
			var n int64
			if err := tx.Unscoped().Model(&Article{}).Where("source_url = ?", r.URL).Count(&n).Error; err != nil {
				return fmt.Errorf("look for line %d's address: %w", r.Line, err)
			}
			if n > 0 {
				res.Skipped++
				continue
			}
			in := recordInput(r)
			vals, err := s.validateArticle(in)
			if err != nil {
				return fmt.Errorf("line %d: %w", r.Line, err)
			}
			key := strings.ToLower(r.Outlet)
			outlet := outlets[key]
			if outlet == nil {
				home := ""
				if r.OutletURL != "" {
					home = importer.NormalizeURL(r.OutletURL)
				}
				if outlet, err = findOrCreateOutlet(tx, r.Outlet, home, now); err != nil {
					return err
				}
				outlets[key] = outlet
			}
			a := Article{
				OutletID: outlet.ID, Title: vals.title, Byline: vals.byline, SourceURL: vals.sourceURL,
				PublishedAt: vals.publishedAt, Status: vals.status, BodyFormat: vals.format, BodySource: vals.source,
				BodyHTML: vals.html, BodyText: vals.text, Version: 1, CreatedAt: now, UpdatedAt: now,
			}
			if b.actor != nil {
				a.CreatedByID = &b.actor.ID
			}
			if err := tx.Omit("Outlet").Create(&a).Error; err != nil {
				return fmt.Errorf("insert the article of line %d: %w", r.Line, err)
			}
			if err := insertRevision(tx, &a, b.actor, "Imported", now); err != nil {
				return err
			}
			if err := audit(tx, b.actor, "article.import", "article", a.ID, "", string(a.Status), now); err != nil {
				return err
			}
			inBatch[r.URL] = true
			res.Imported++
		}
		return nil
	})
	if err != nil {
		return importer.BatchResult{}, err
	}
	for _, r := range batch {
		b.known[r.URL] = true
	}
	return res, nil
}

// Import job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// maxStoredRejections bounds the report kept for one job.
const maxStoredRejections = 1000

// ImportJob is a bulk import started from the browser: its progress while it
// runs and its report afterwards.
type ImportJob struct {
	ID          uint
	FileName    string
	Kind        string
	Status      string
	State       string
	Total       int
	Processed   int
	Imported    int
	Skipped     int
	Rejected    int
	Rate        float64
	Rejections  string
	Error       string
	CreatedByID *uint
	CreatedBy   *User
	CreatedAt   time.Time
	StartedAt   *time.Time
	FinishedAt  *time.Time
	UpdatedAt   time.Time
}

// Running reports whether the job has not finished yet.
func (j *ImportJob) Running() bool { return j.State == JobQueued || j.State == JobRunning }

// Percent is how far the job is, 0–100 (0 while the total is unknown).
func (j *ImportJob) Percent() int {
	if j.Total <= 0 {
		return 0
	}
	p := j.Processed * 100 / j.Total
	return min(p, 100)
}

// RejectionList decodes the stored report of rejected lines.
func (j *ImportJob) RejectionList() []importer.Rejection {
	var out []importer.Rejection
	_ = json.Unmarshal([]byte(j.Rejections), &out)
	return out
}

// Unit names what the job's line numbers count ("line" or "item").
func (j *ImportJob) Unit() string { return importer.UnitFor(j.Kind) }

// CreateImportJob records a new job before it starts.
func (s *Store) CreateImportJob(ctx context.Context, actor *User, fileName, status string) (*ImportJob, error) {
	if status != "published" {
		status = "draft"
	}
	now := s.nowUTC()
	j := ImportJob{FileName: truncate(fileName, 200), Status: status, State: JobQueued, Rejections: "[]", CreatedAt: now, UpdatedAt: now}
	if actor != nil {
		j.CreatedByID = &actor.ID
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("CreatedBy").Create(&j).Error; err != nil {
			return fmt.Errorf("create import job: %w", err)
		}
		return audit(tx, actor, "import.start", "import_job", j.ID, "", j.FileName, now)
	})
	if err != nil {
		return nil, err
	}
	return &j, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// StartImportJob marks a job running once its file has been recognised.
func (s *Store) StartImportJob(ctx context.Context, id uint, kind string, total int) error {
	now := s.nowUTC()
	return s.write.WithContext(ctx).Model(&ImportJob{}).Where("id = ?", id).UpdateColumns(map[string]any{
		"state": JobRunning, "kind": kind, "total": total, "started_at": now, "updated_at": now,
	}).Error
}

// UpdateImportJob records a running job's progress.
func (s *Store) UpdateImportJob(ctx context.Context, id uint, p importer.Progress) error {
	return s.write.WithContext(ctx).Model(&ImportJob{}).Where("id = ?", id).UpdateColumns(map[string]any{
		"total": p.Total, "processed": p.Processed, "imported": p.Imported, "skipped": p.Skipped,
		"rejected": p.Rejected, "rate": p.Rate(), "updated_at": s.nowUTC(),
	}).Error
}

// FinishImportJob stores a job's final report; runErr, when set, is why it
// stopped early.
func (s *Store) FinishImportJob(ctx context.Context, id uint, rep importer.Report, runErr error) error {
	rejections := rep.Rejections
	if len(rejections) > maxStoredRejections {
		rejections = rejections[:maxStoredRejections]
	}
	if rejections == nil {
		rejections = []importer.Rejection{}
	}
	state, msg := JobDone, ""
	if runErr != nil {
		state, msg = JobFailed, truncate(runErr.Error(), 2000)
	}
	now := s.nowUTC()
	updates := map[string]any{
		"state": state, "error": msg, "processed": rep.Processed, "imported": rep.Imported, "skipped": rep.Skipped,
		"rejected": rep.Rejected, "rate": rep.Rate(), "rejections": mustJSON(rejections), "finished_at": now, "updated_at": now,
	}
	if rep.Kind != "" {
		updates["kind"] = rep.Kind
	}
	if rep.Total > 0 {
		updates["total"] = rep.Total
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&ImportJob{}).Where("id = ?", id).UpdateColumns(updates).Error; err != nil {
			return fmt.Errorf("finish import job: %w", err)
		}
		return audit(tx, nil, "import.finish", "import_job", id, "", state+": "+rep.Summary(), now)
	})
}

// ImportJobByID loads one job with the person who started it.
func (s *Store) ImportJobByID(ctx context.Context, id uint) (*ImportJob, error) {
	var j ImportJob
	err := s.reader(ctx).Preload("CreatedBy").Take(&j, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no import number %d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load import job %d: %w", id, err)
	}
	return &j, nil
}

// RecentImportJobs lists the newest jobs.
func (s *Store) RecentImportJobs(ctx context.Context, limit int) ([]ImportJob, error) {
	var jobs []ImportJob
	err := s.reader(ctx).Preload("CreatedBy").Order("created_at DESC, id DESC").Limit(limit).Find(&jobs).Error
	if err != nil {
		return nil, fmt.Errorf("list import jobs: %w", err)
	}
	return jobs, nil
}

// importJobSilence is how long a job on a shared (PostgreSQL) database may go
// without recording progress before another instance takes it for dead: a
// running job records it after every batch, seconds apart.
const importJobSilence = 5 * time.Minute

// FailInterruptedImportJobs marks jobs left queued or running by a server that
// stopped (a crash, a kill) as failed, so their pages stop waiting. Batches
// that committed stay imported, and uploading the file again adds only the
// rest. Call it at start, before any job of this process begins. With one
// process per database (SQLite) no other process can be running them; on
// PostgreSQL other instances may be, so only jobs silent for
// importJobSilence are taken for dead.
func (s *Store) FailInterruptedImportJobs(ctx context.Context) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		now := s.nowUTC()
		q := tx.Model(&ImportJob{}).Where("state IN ?", []string{JobQueued, JobRunning})
		if s.dialect == Postgres {
			q = q.Where("updated_at < ?", now.Add(-importJobSilence))
		}
		res := q.Updates(map[string]any{
			"state": JobFailed, "finished_at": now, "updated_at": now,
			"error": "The server stopped while this import ran. Finished batches were kept; upload the file again to import the rest (nothing is imported twice).",
		})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}
