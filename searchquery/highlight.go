package searchquery

import "strings"

// Marks put around matching words by the database (FTS5's highlight() and
// snippet()). They are private-use characters, which never mean anything in
// HTML, so the text can be escaped whole and the marks turned into elements
// afterwards.
const (
	MarkStart = "\uE000"
	MarkEnd   = "\uE001"
)

// Segment is a run of text, marked (a matching word) or not.
type Segment struct {
	Text   string
	Marked bool
}

// Segments splits text with marks into runs, for a view to wrap the marked
// ones in <mark>. Marks that do not pair up (the same characters typed in the
// text itself) only switch marking on or off; they never leave the text.
func Segments(s string) []Segment {
	var out []Segment
	marked := false
	for s != "" {
		i := strings.IndexAny(s, MarkStart+MarkEnd)
		if i < 0 {
			out = append(out, Segment{Text: s, Marked: marked})
			break
		}
		if i > 0 {
			out = append(out, Segment{Text: s[:i], Marked: marked})
		}
		marked = strings.HasPrefix(s[i:], MarkStart)
		s = s[i+len(MarkStart):] // both marks are three bytes in UTF-8
	}
	return out
}

// StripMarks removes the marks, leaving the plain text.
func StripMarks(s string) string {
	return strings.NewReplacer(MarkStart, "", MarkEnd, "").Replace(s)
}
