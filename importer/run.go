package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Sink is where a bulk import puts its articles: the store, in practice.
type Sink interface {
	// Check applies the store's own rules to a record without saving it and
	// returns a reason for people when it breaks one.
	Check(rec Record) error
	// Import saves a batch in one transaction: all of it or, on error, none.
	// Records whose address is already stored are skipped, not duplicated.
	Import(ctx context.Context, batch []Record) (BatchResult, error)
}

// BatchResult says what became of a batch.
type BatchResult struct {
	Imported int
	Skipped  int // already present (same normalised address)
}

// Progress is where a bulk import stands.
type Progress struct {
	Total     int // lines or items in the file; 0 when unknown
	Processed int // lines or items read so far
	Imported  int
	Skipped   int
	Rejected  int
	Elapsed   time.Duration
}

// Rate is the number of lines or items handled per second so far.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Processed) / p.Elapsed.Seconds()
}

// Report is the outcome of a bulk import.
type Report struct {
	Progress
	Kind       string
	Rejections []Rejection
}

// Summary is the one-line outcome people read.
func (r Report) Summary() string {
	return fmt.Sprintf("imported %d, skipped (already present) %d, rejected %d", r.Imported, r.Skipped, r.Rejected)
}

// RunOptions tune a bulk import.
type RunOptions struct {
	BatchSize int            // records per transaction; default 100
	Progress  func(Progress) // called after each batch and at the end
	Reject    func(Rejection)
}

// Run reads every record, rejects the ones that break a rule (each with its
// line number and reason) before they reach a batch, and imports the rest in
// batches of one transaction each. When a batch fails, it is rolled back whole
// and Run stops: what earlier batches imported stays, and running the same
// file again skips it and carries on.
func Run(ctx context.Context, b *BulkReader, sink Sink, opts RunOptions) (Report, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 100
	}
	start := time.Now()
	rep := Report{Kind: b.Kind()}
	rep.Total = b.Total()
	report := func() {
		rep.Elapsed = time.Since(start)
		if rep.Total > 0 && rep.Processed > rep.Total {
			rep.Total = rep.Processed
		}
		if opts.Progress != nil {
			opts.Progress(rep.Progress)
		}
	}
	reject := func(r Rejection) {
		rep.Rejected++
		rep.Rejections = append(rep.Rejections, r)
		if opts.Reject != nil {
			opts.Reject(r)
		}
	}
	var batch []Record
	pending := 0 // lines read since the last batch, rejected or not
	flush := func() error {
		if len(batch) > 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("import stopped before %s %d: %w", b.Unit(), batch[0].Line, err)
			}
			res, err := sink.Import(ctx, batch)
			if err != nil {
				return fmt.Errorf("the batch of %ss %d–%d failed and was rolled back (nothing from it was saved): %w",
					b.Unit(), batch[0].Line, batch[len(batch)-1].Line, err)
			}
			rep.Imported += res.Imported
			rep.Skipped += res.Skipped
		}
		rep.Processed += pending
		batch, pending = batch[:0], 0
		report()
		return nil
	}
	lastLine := 0
	for {
		rec, rej, err := b.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, fmt.Errorf("read the file after %s %d: %w", b.Unit(), lastLine, err)
		}
		if rej != nil {
			lastLine = rej.Line
		} else {
			lastLine = rec.Line
		}
		// Blank lines are skipped by Next, but still count as read.
		if b.Kind() == KindJSONLines {
			pending += lastLine - (rep.Processed + pending)
		} else {
			pending++
		}
		if rej != nil {
			reject(*rej)
		} else if err := sink.Check(rec); err != nil {
			reject(Rejection{Line: rec.Line, Reason: err.Error()})
		} else {
			batch = append(batch, rec)
		}
		if len(batch) >= opts.BatchSize || pending >= 4*opts.BatchSize {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if b.Kind() == KindJSONLines && rep.Total > rep.Processed+pending {
		pending = rep.Total - rep.Processed // trailing blank lines
	}
	if err := flush(); err != nil {
		return rep, err
	}
	return rep, nil
}
