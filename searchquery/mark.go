package searchquery

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Marking matches in Go, for a database whose own highlighting does not
// compare words as its index does: PostgreSQL's ts_headline reads the text as
// written, so a search for "zurich" would find "Zürich" but not mark it.
// Highlight and Snippet follow SQLite FTS5's highlight() and snippet(), so
// results read the same on both engines.

// Fold is a word as search compares it: lower case, accents dropped (the
// combining marks of its canonical decomposition, as search_fold does in
// PostgreSQL's migration 0007_search.sql).
func Fold(s string) string {
	s = strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(func(r rune) rune {
				if isFoldedMark(r) {
					return -1
				}
				return r
			}, norm.NFD.String(s))
		}
	}
	return s
}

// isFoldedMark reports whether Fold drops r: the blocks of combining
// diacritical marks, as search_fold's pattern lists them.
func isFoldedMark(r rune) bool {
	return r >= 0x0300 && r <= 0x036f || r >= 0x1ab0 && r <= 0x1aff || r >= 0x1dc0 && r <= 0x1dff ||
		r >= 0x20d0 && r <= 0x20ff || r >= 0xfe20 && r <= 0xfe2f
}

// textToken is a word of a text: where it is, and its folded form.
type textToken struct {
	start, end int // byte offsets
	folded     string
}

// textTokens splits text into words as the index does; combining marks
// inside a word (a decomposed "ü") stay part of it.
func textTokens(text string) []textToken {
	out := make([]textToken, 0, len(text)/6) // about a word per six bytes of prose
	start := -1
	for i, r := range text {
		var inWord bool
		if r < utf8.RuneSelf {
			inWord = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		} else {
			inWord = IsTokenRune(r) || (start >= 0 && unicode.Is(unicode.Mn, r))
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, textToken{start: start, end: i, folded: Fold(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, textToken{start: start, end: len(text), folded: Fold(text[start:])})
	}
	return out
}

// instance is a match of one included term: tokens first to last.
type instance struct{ term, first, last int }

// instances finds every match of the query's included terms, in text order.
func (q Query) instances(toks []textToken) []instance {
	type folded struct {
		words  []string
		prefix bool
	}
	var terms []folded
	for _, t := range q.Include {
		f := folded{prefix: t.Prefix}
		for _, w := range t.Words {
			if w != "" {
				f.words = append(f.words, Fold(w))
			}
		}
		terms = append(terms, f)
	}
	var out []instance
	for i := range toks {
		for ti, t := range terms {
			n := len(t.words)
			if n == 0 || i+n > len(toks) {
				continue
			}
			ok := true
			for j, w := range t.words {
				got := toks[i+j].folded
				if j == n-1 && t.prefix {
					ok = strings.HasPrefix(got, w)
				} else {
					ok = got == w
				}
				if !ok {
					break
				}
			}
			if ok {
				out = append(out, instance{term: ti, first: i, last: i + n - 1})
			}
		}
	}
	return out
}

// Highlight puts MarkStart and MarkEnd around every match of the query's
// words in text (overlapping matches as one), as FTS5's highlight() does.
func (q Query) Highlight(text string) string {
	toks := textTokens(text)
	if len(toks) == 0 {
		return text
	}
	return render(text, toks, q.instances(toks), 0, len(toks)-1, true)
}

// Snippet cuts about n words out of text, where the most different terms of
// the query match closest together, with the matches marked and an ellipsis
// where the text goes on, as FTS5's snippet() does. A text without a match
// gives its beginning.
func (q Query) Snippet(text string, n int) string {
	toks := textTokens(text)
	if len(toks) == 0 || n <= 0 {
		return text
	}
	insts := q.instances(toks)
	nDoc := len(toks)

	// score counts the different terms matching in the n words from pos (a
	// thousand each) and their repeats (one each), and where to start for
	// the matches to sit in the middle.
	seen := make([]bool, len(q.Include))
	score := func(pos int) (int, int) {
		total, first, end := 0, -1, 0
		clear(seen)
		for _, in := range insts[sort.Search(len(insts), func(i int) bool { return insts[i].first >= pos }):] {
			if in.first >= pos+n {
				break
			}
			if seen[in.term] {
				total++
			} else {
				total += 1000
			}
			seen[in.term] = true
			if first < 0 {
				first = in.first
			}
			end = in.last + 1
		}
		adj := first - (n-(end-first))/2
		if adj+n > nDoc {
			adj = nDoc - n
		}
		return total, max(adj, 0)
	}
	// Sentences start at the first word and after a '.' or ':' and a space;
	// starting there is worth a little. sentenceStart finds the last one at
	// or before token i, for i in increasing order, reading each gap once.
	lastStart, scanned := 0, 0
	sentenceStart := func(i int) int {
		for j := i; j > scanned; j-- {
			gap := text[toks[j-1].end:toks[j].start]
			trimmed := strings.TrimRight(gap, " \t\r\n")
			if len(trimmed) < len(gap) && (strings.HasSuffix(trimmed, ".") || strings.HasSuffix(trimmed, ":")) {
				lastStart = j
				break
			}
		}
		scanned = max(scanned, i)
		return lastStart
	}

	best, start := 0, 0
	for _, in := range insts {
		if in.first < start {
			continue
		}
		if s, adj := score(in.first); s > best {
			best, start = s, adj
		}
		if nDoc > n {
			if first := sentenceStart(in.first); first < in.first {
				s, _ := score(first)
				if first == 0 {
					s += 120
				} else {
					s += 100
				}
				if s > best {
					best, start = s, first
				}
			}
		}
	}

	end := start + n - 1
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	if end >= nDoc-1 {
		b.WriteString(render(text, toks, insts, start, nDoc-1, true))
	} else {
		b.WriteString(render(text, toks, insts, start, end, false))
		b.WriteString("…")
	}
	return b.String()
}

// render writes the text of tokens lo to hi with the matches among them
// marked: from the text's start when lo is 0, to its end when toEnd.
func render(text string, toks []textToken, insts []instance, lo, hi int, toEnd bool) string {
	// The matches within the range, clipped to it, overlapping ones merged.
	var spans [][2]int
	for _, in := range insts {
		first, last := max(in.first, lo), min(in.last, hi)
		if first > last {
			continue
		}
		if k := len(spans) - 1; k >= 0 && first <= spans[k][1] {
			spans[k][1] = max(spans[k][1], last)
			continue
		}
		spans = append(spans, [2]int{first, last})
	}
	pos, stop := toks[lo].start, toks[hi].end
	if lo == 0 {
		pos = 0
	}
	if toEnd {
		stop = len(text)
	}
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(text[pos:toks[s[0]].start])
		b.WriteString(MarkStart)
		b.WriteString(text[toks[s[0]].start:toks[s[1]].end])
		b.WriteString(MarkEnd)
		pos = toks[s[1]].end
	}
	b.WriteString(text[pos:stop])
	return b.String()
}
