package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Bulk file kinds.
const (
	KindJSONLines = "jsonl"
	KindFeed      = "feed"
)

// MaxLineBytes bounds one line of a JSON Lines file.
const MaxLineBytes = 2 << 20

// Record is one article from a bulk file, checked for shape (required
// fields, a readable date, one body) but not yet against the store's rules.
type Record struct {
	Line      int // line number (JSON Lines) or item number (feed), from 1
	Title     string
	Outlet    string
	OutletURL string // the outlet's home page, when known
	URL       string // normalised
	Byline    string
	Published string // "2006-01-02T15:04" (UTC) or ""
	Format    string // "html" or "markdown"
	Body      string
	Status    string // "draft" or "published"
}

// Rejection is a record that will not be imported, and why.
type Rejection struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// BulkOptions fill in what the file does not say.
type BulkOptions struct {
	Status string // status for records without one: "draft" (default) or "published"
	Outlet string // outlet for records without one (for a feed: instead of the feed's title)
}

// BulkReader yields the records of a JSON Lines file or of a feed.
type BulkReader struct {
	kind  string
	opts  BulkOptions
	total int

	lines *bufio.Reader
	line  int

	feed *Feed
	next int
}

// OpenBulk looks at the start of r to tell JSON Lines ('{') from a feed ('<').
// totalLines, if known, is the number of lines, for progress; for a feed the
// number of items is known after parsing.
func OpenBulk(r io.Reader, totalLines int, opts BulkOptions) (*BulkReader, error) {
	if opts.Status == "" {
		opts.Status = "draft"
	}
	if opts.Status != "draft" && opts.Status != "published" {
		return nil, fmt.Errorf("status %q: want draft or published", opts.Status)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := firstSignificantByte(br)
	if err != nil {
		return nil, err
	}
	switch first {
	case '{':
		return &BulkReader{kind: KindJSONLines, opts: opts, total: totalLines, lines: br}, nil
	case '<':
		body, err := io.ReadAll(io.LimitReader(br, 256<<20))
		if err != nil {
			return nil, fmt.Errorf("read the feed: %w", err)
		}
		f, err := ParseFeed(body, nil)
		if err != nil {
			return nil, err
		}
		return &BulkReader{kind: KindFeed, opts: opts, total: len(f.Items), feed: f}, nil
	}
	return nil, fail(ErrNotFeed, nil, "The file is neither JSON Lines (one {…} object per line) nor an RSS or Atom feed.")
}

func firstSignificantByte(br *bufio.Reader) (byte, error) {
	for i := 0; i < 4096; i++ {
		b, err := br.Peek(i + 1)
		if len(b) <= i {
			if err == nil || errors.Is(err, io.EOF) {
				return 0, fail(ErrNotFeed, nil, "The file is empty.")
			}
			return 0, err
		}
		switch c := b[i]; c {
		case ' ', '\t', '\r', '\n', 0xEF, 0xBB, 0xBF: // blanks and a UTF-8 byte-order mark
		default:
			return c, nil
		}
	}
	return 0, fail(ErrNotFeed, nil, "The file starts with more than 4 KB of blank space.")
}

// Kind is KindJSONLines or KindFeed.
func (b *BulkReader) Kind() string { return b.kind }

// Total is the number of lines or items, or 0 when unknown.
func (b *BulkReader) Total() int { return b.total }

// Unit names what Line counts in reports: "line" or "item".
func (b *BulkReader) Unit() string { return UnitFor(b.kind) }

// UnitFor names what a Rejection's Line counts for a kind of file.
func UnitFor(kind string) string {
	if kind == KindFeed {
		return "item"
	}
	return "line"
}

// Next returns the next record, or a rejection for it, or io.EOF at the end.
// Other errors mean the file itself could not be read.
func (b *BulkReader) Next() (Record, *Rejection, error) {
	if b.kind == KindFeed {
		return b.nextItem()
	}
	for {
		raw, tooLong, err := b.readLine()
		if err != nil {
			return Record{}, nil, err
		}
		b.line++
		if tooLong {
			return Record{}, &Rejection{b.line, fmt.Sprintf("the line is longer than %d MB", MaxLineBytes>>20)}, nil
		}
		raw = bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF")))
		if len(raw) == 0 {
			continue // blank lines are allowed and ignored
		}
		rec, reason := b.parseLine(raw)
		if reason != "" {
			return Record{}, &Rejection{b.line, reason}, nil
		}
		rec.Line = b.line
		return rec, nil, nil
	}
}

// readLine reads one line of any length, keeping at most MaxLineBytes of it.
func (b *BulkReader) readLine() (line []byte, tooLong bool, err error) {
	for {
		chunk, isPrefix, err := b.lines.ReadLine()
		if err != nil {
			if errors.Is(err, io.EOF) && (line != nil || tooLong) {
				return line, tooLong, nil
			}
			return nil, false, err
		}
		if !tooLong {
			if len(line)+len(chunk) > MaxLineBytes {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
				if line == nil {
					line = []byte{}
				}
			}
		}
		if !isPrefix {
			return line, tooLong, nil
		}
	}
}

// jsonRecord is one line of a JSON Lines file.
type jsonRecord struct {
	Title        string `json:"title"`
	Outlet       string `json:"outlet"`
	OutletURL    string `json:"outlet_url"`
	URL          string `json:"url"`
	Byline       string `json:"byline"`
	Published    string `json:"published"`
	BodyHTML     string `json:"body_html"`
	BodyMarkdown string `json:"body_markdown"`
	Body         string `json:"body"`
	Format       string `json:"format"`
	Status       string `json:"status"`
}

func (b *BulkReader) parseLine(raw []byte) (Record, string) {
	if raw[0] != '{' {
		return Record{}, "not a JSON object: each line must be one {…} object"
	}
	var j jsonRecord
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&j); err != nil {
		return Record{}, describeJSONError(err)
	}
	if dec.More() {
		return Record{}, "malformed JSON: more than one value on the line"
	}
	rec := Record{
		Title: collapse(j.Title), Outlet: collapse(j.Outlet), OutletURL: strings.TrimSpace(j.OutletURL),
		Byline: collapse(j.Byline), Status: strings.ToLower(strings.TrimSpace(j.Status)),
	}
	var bodies []string
	if strings.TrimSpace(j.BodyHTML) != "" {
		bodies = append(bodies, "body_html")
		rec.Format, rec.Body = "html", j.BodyHTML
	}
	if strings.TrimSpace(j.BodyMarkdown) != "" {
		bodies = append(bodies, "body_markdown")
		rec.Format, rec.Body = "markdown", j.BodyMarkdown
	}
	if strings.TrimSpace(j.Body) != "" {
		bodies = append(bodies, "body")
		rec.Body = j.Body
		switch f := strings.ToLower(strings.TrimSpace(j.Format)); f {
		case "html", "markdown":
			rec.Format = f
		case "", "md":
			rec.Format = "markdown"
		default:
			return Record{}, fmt.Sprintf("format %q: use \"html\" or \"markdown\"", j.Format)
		}
	}
	switch {
	case len(bodies) == 0:
		return Record{}, "no text: give body_html, body_markdown, or body (with format \"html\" or \"markdown\")"
	case len(bodies) > 1:
		return Record{}, "more than one text (" + strings.Join(bodies, ", ") + "): give exactly one"
	}
	return b.finish(rec, j.URL, j.Published)
}

func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("malformed JSON at character %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s, not a JSON %s", typ.Field, "text", typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the object is not closed"
	}
	return "malformed JSON: " + err.Error()
}

// finish applies the checks common to both kinds of file.
func (b *BulkReader) finish(rec Record, rawURL, published string) (Record, string) {
	if rec.Status == "" {
		rec.Status = b.opts.Status
	}
	if rec.Outlet == "" {
		rec.Outlet = b.opts.Outlet
	}
	var missing []string
	if rec.Title == "" {
		missing = append(missing, "title")
	}
	if rec.Outlet == "" {
		missing = append(missing, "outlet")
	}
	if strings.TrimSpace(rawURL) == "" {
		missing = append(missing, "url")
	}
	if len(missing) > 0 {
		return Record{}, "missing " + strings.Join(missing, ", ")
	}
	rec.URL = NormalizeURL(rawURL)
	if rec.URL == "" {
		return Record{}, fmt.Sprintf("url %q is not an absolute http(s) address", truncateRunes(rawURL, 80))
	}
	if rec.OutletURL != "" && NormalizeURL(rec.OutletURL) == "" {
		return Record{}, fmt.Sprintf("outlet_url %q is not an absolute http(s) address", truncateRunes(rec.OutletURL, 80))
	}
	if strings.TrimSpace(published) != "" {
		t, ok := ParseDate(published)
		if !ok {
			return Record{}, fmt.Sprintf("published %q is not a date (use e.g. 2025-03-14T09:30:00Z)", truncateRunes(published, 40))
		}
		rec.Published = FormValue(&t)
	}
	if rec.Status != "draft" && rec.Status != "published" {
		return Record{}, fmt.Sprintf("status %q: use \"draft\" or \"published\"", rec.Status)
	}
	return rec, ""
}

func (b *BulkReader) nextItem() (Record, *Rejection, error) {
	if b.next >= len(b.feed.Items) {
		return Record{}, nil, io.EOF
	}
	it := b.feed.Items[b.next]
	b.next++
	rec := Record{Title: it.Title, Outlet: b.feed.Title, Byline: it.Byline, Format: "html", Body: it.ContentHTML}
	if b.opts.Outlet != "" {
		rec.Outlet = b.opts.Outlet
	}
	if NormalizeURL(b.feed.Link) != "" {
		rec.OutletURL = b.feed.Link
	}
	if strings.TrimSpace(rec.Body) == "" {
		return Record{}, &Rejection{b.next, "the item has no text (neither content nor description)"}, nil
	}
	published := ""
	if it.Published != nil {
		published = it.Published.Format("2006-01-02T15:04:05Z07:00")
	}
	rec, reason := b.finish(rec, it.URL, published)
	if reason != "" {
		return Record{}, &Rejection{b.next, reason}, nil
	}
	rec.Line = b.next
	return rec, nil, nil
}

// CountLines counts the lines of r, for progress against a known total.
func CountLines(r io.Reader) (int, error) {
	buf := make([]byte, 64<<10)
	n, last := 0, byte('\n')
	for {
		k, err := r.Read(buf)
		if k > 0 {
			n += bytes.Count(buf[:k], []byte{'\n'})
			last = buf[k-1]
		}
		if errors.Is(err, io.EOF) {
			if last != '\n' {
				n++
			}
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
