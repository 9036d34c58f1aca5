package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// bulkFile has good lines and bad ones, each bad in a different way.
const bulkFile = `{"title": "Talks resume in the capital", "outlet": "Meridian Wire", "url": "https://meridian.example/talks?utm_source=x", "byline": "By A. Writer", "published": "2025-03-14T09:30:00Z", "body_markdown": "The talks **resumed** on Friday."}
{"title": "No outlet here", "url": "https://meridian.example/2", "body_html": "<p>Text.</p>"}
this is not json
{"title": "Bad date", "outlet": "Meridian Wire", "url": "https://meridian.example/3", "published": "last Tuesday", "body_html": "<p>Text.</p>"}

{"title": "HTML body", "outlet": "Harbour Ledger", "url": "https://ledger.example/a", "body": "<p>Ships <b>queued</b>.</p><script>x()</script>", "format": "html", "status": "published"}
{"title": "Two bodies", "outlet": "Harbour Ledger", "url": "https://ledger.example/b", "body_html": "<p>a</p>", "body_markdown": "b"}
{"title": 42, "outlet": "Harbour Ledger", "url": "https://ledger.example/c", "body_html": "<p>a</p>"}
{"title": "No body", "outlet": "Harbour Ledger", "url": "https://ledger.example/d"}
{"title": "Relative URL", "outlet": "Harbour Ledger", "url": "/news/e", "body_html": "<p>a</p>"}
["an", "array"]
{"title": "Cut off", "outlet": "Harbour Ledger", "url": "https://ledger.example/f", "body_html": "<p>a</p>"
{"title": "Last good line", "outlet": "Northgate Post", "url": "https://northgate.example/z", "body_markdown": "Fine."}`

// fakeSink records batches; it refuses titles that contain "REFUSE" (as the
// store's own rules would refuse some records) and fails a batch on request.
type fakeSink struct {
	batches  [][]Record
	seen     map[string]bool
	failWhen func(batch []Record) bool
}

func (s *fakeSink) Check(r Record) error {
	if strings.Contains(r.Title, "REFUSE") {
		return errors.New("title: refused by the store")
	}
	return nil
}

func (s *fakeSink) Import(_ context.Context, batch []Record) (BatchResult, error) {
	if s.failWhen != nil && s.failWhen(batch) {
		return BatchResult{}, errors.New("disk full")
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	var res BatchResult
	for _, r := range batch {
		if s.seen[r.URL] {
			res.Skipped++
			continue
		}
		s.seen[r.URL] = true
		res.Imported++
	}
	s.batches = append(s.batches, append([]Record(nil), batch...))
	return res, nil
}

func TestBulkJSONLinesReportsEveryBadLine(t *testing.T) {
	total, _ := CountLines(strings.NewReader(bulkFile))
	b, err := OpenBulk(strings.NewReader(bulkFile), total, BulkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Kind() != KindJSONLines || total != 13 {
		t.Fatalf("kind %s, %d lines", b.Kind(), total)
	}
	sink := &fakeSink{}
	var progress []Progress
	rep, err := Run(t.Context(), b, sink, RunOptions{BatchSize: 2, Progress: func(p Progress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		2:  "missing outlet",
		3:  "not a JSON object",
		4:  `published "last Tuesday" is not a date`,
		7:  "more than one text (body_html, body_markdown)",
		8:  `field "title" must be text`,
		9:  "no text",
		10: `url "/news/e" is not an absolute http(s) address`,
		11: "not a JSON object",
		12: "malformed JSON",
	}
	if len(rep.Rejections) != len(want) {
		t.Errorf("rejections %+v", rep.Rejections)
	}
	for _, r := range rep.Rejections {
		if !strings.Contains(r.Reason, want[r.Line]) || want[r.Line] == "" {
			t.Errorf("line %d rejected as %q, want %q", r.Line, r.Reason, want[r.Line])
		}
	}
	if rep.Imported != 3 || rep.Rejected != 9 || rep.Skipped != 0 || rep.Processed != 13 || rep.Total != 13 {
		t.Errorf("report %+v", rep.Progress)
	}
	if got := rep.Summary(); got != "imported 3, skipped (already present) 0, rejected 9" {
		t.Errorf("summary %q", got)
	}
	first := sink.batches[0][0]
	if first.URL != "https://meridian.example/talks" || first.Published != "2025-03-14T09:30" || first.Format != "markdown" ||
		first.Status != "draft" || first.Line != 1 {
		t.Errorf("first record %+v", first)
	}
	html := sink.batches[0][1]
	if html.Line != 6 || html.Format != "html" || html.Status != "published" {
		t.Errorf("record of line 6 %+v", html)
	}
	if len(progress) == 0 || progress[len(progress)-1].Processed != 13 {
		t.Errorf("progress %+v", progress)
	}
}

func TestBulkRunStopsAtAFailedBatch(t *testing.T) {
	var lines []string
	for i := 1; i <= 10; i++ {
		lines = append(lines, fmt.Sprintf(`{"title": "T%d", "outlet": "O", "url": "https://o.example/%d", "body_markdown": "x"}`, i, i))
	}
	sink := &fakeSink{failWhen: func(b []Record) bool { return b[0].Line == 5 }}
	b, _ := OpenBulk(strings.NewReader(strings.Join(lines, "\n")), 10, BulkOptions{})
	rep, err := Run(t.Context(), b, sink, RunOptions{BatchSize: 4})
	if err == nil || !strings.Contains(err.Error(), "lines 5–8 failed and was rolled back") {
		t.Fatalf("err = %v", err)
	}
	if rep.Imported != 4 || len(sink.batches) != 1 {
		t.Errorf("report %+v, batches %d", rep.Progress, len(sink.batches))
	}
}

func TestBulkStoreRulesRejectBeforeTheBatch(t *testing.T) {
	src := `{"title": "fine", "outlet": "O", "url": "https://o.example/1", "body_markdown": "x"}
{"title": "REFUSE me", "outlet": "O", "url": "https://o.example/2", "body_markdown": "x"}
{"title": "fine too", "outlet": "O", "url": "https://o.example/1", "body_markdown": "x"}`
	b, _ := OpenBulk(strings.NewReader(src), 0, BulkOptions{Status: "published"})
	sink := &fakeSink{}
	rep, err := Run(t.Context(), b, sink, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.batches) != 1 || len(sink.batches[0]) != 2 {
		t.Fatalf("batches %+v", sink.batches)
	}
	if rep.Imported != 1 || rep.Skipped != 1 || rep.Rejected != 1 || rep.Rejections[0].Line != 2 ||
		rep.Rejections[0].Reason != "title: refused by the store" {
		t.Errorf("report %+v", rep)
	}
}

func TestBulkFeedFile(t *testing.T) {
	b, err := OpenBulk(strings.NewReader(feedRSS), 0, BulkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Kind() != KindFeed || b.Total() != 2 || b.Unit() != "item" {
		t.Fatalf("kind %s total %d", b.Kind(), b.Total())
	}
	sink := &fakeSink{}
	rep, err := Run(t.Context(), b, sink, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || rep.Rejected != 0 {
		t.Errorf("report %+v", rep)
	}
	// The second item's link is relative: it is resolved against the feed's own link.
	if got := sink.batches[0][1].URL; got != "https://coastline.example/news/dredging" {
		t.Errorf("second item's URL %q", got)
	}
	rec := sink.batches[0][0]
	if rec.Outlet != "Coastline Courier" || rec.OutletURL != "https://coastline.example/" || rec.Format != "html" ||
		rec.Byline != "By Ilse Marrow" || rec.Published != "2025-02-13T07:45" {
		t.Errorf("record %+v", rec)
	}
}

func TestOpenBulkRefusesOtherFiles(t *testing.T) {
	for name, src := range map[string]string{
		"empty": "", "blank": "\n\n  \n", "csv": "title,outlet,url\nA,B,C\n", "html": pageArticleTag,
	} {
		_, err := OpenBulk(strings.NewReader(src), 0, BulkOptions{})
		if !errors.Is(err, ErrNotFeed) {
			t.Errorf("%s: %v, want ErrNotFeed", name, err)
		}
	}
	if _, err := OpenBulk(strings.NewReader("{}"), 0, BulkOptions{Status: "retracted"}); err == nil {
		t.Error("status retracted accepted")
	}
}

func TestBulkOverlongLineIsRejectedAndReadingGoesOn(t *testing.T) {
	long := `{"title": "` + strings.Repeat("x", MaxLineBytes+10) + `"}`
	src := long + "\n" + `{"title": "after", "outlet": "O", "url": "https://o.example/1", "body_markdown": "x"}`
	b, _ := OpenBulk(strings.NewReader(src), 0, BulkOptions{})
	sink := &fakeSink{}
	rep, err := Run(t.Context(), b, sink, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 1 || rep.Rejections[0].Line != 1 || !strings.Contains(rep.Rejections[0].Reason, "longer than") || rep.Imported != 1 {
		t.Errorf("report %+v", rep)
	}
}
