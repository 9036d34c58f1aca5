package richtext

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DiffOp says whether a span of a word diff is unchanged, added or removed.
type DiffOp int

const (
	DiffEqual DiffOp = iota
	DiffInsert
	DiffDelete
)

// maxDiffTokens is how many distinct tokens fit in the code points from
// U+F0000 to U+10FFFF that stand for them during the diff.
const maxDiffTokens = 0x10FFFF - 0xF0000

// DiffSpan is a run of text with one operation.
type DiffSpan struct {
	Op   DiffOp
	Text string
}

// WordDiff compares two texts word by word (white space and punctuation are
// tokens of their own), so a changed word shows as one word removed and one
// added rather than as scattered letters.
func WordDiff(before, after string) []DiffSpan {
	tokens := map[string]rune{}
	var vocabulary []string
	tooMany := false
	encode := func(s string) string {
		var b strings.Builder
		for _, tok := range tokenize(s) {
			r, ok := tokens[tok]
			if !ok {
				if len(vocabulary) >= maxDiffTokens {
					tooMany = true
					return ""
				}
				// Tokens stand for themselves as code points of the supplementary
				// private-use planes, U+F0000 onwards (maxDiffTokens of them).
				r = rune(0xF0000 + len(vocabulary))
				tokens[tok] = r
				vocabulary = append(vocabulary, tok)
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	a, b := encode(before), encode(after)
	if tooMany {
		// More distinct words than code points to stand for them: show a whole replacement.
		return []DiffSpan{{Op: DiffDelete, Text: before}, {Op: DiffInsert, Text: after}}
	}

	dmp := diffmatchpatch.New()
	// A wholesale rewrite of a long article makes the exact diff quadratic;
	// past the timeout the library returns a correct but less minimal diff.
	dmp.DiffTimeout = 300 * time.Millisecond
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(a, b, false))

	spans := make([]DiffSpan, 0, len(diffs))
	for _, d := range diffs {
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(vocabulary[r-0xF0000])
		}
		op := DiffEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = DiffInsert
		case diffmatchpatch.DiffDelete:
			op = DiffDelete
		}
		spans = append(spans, DiffSpan{Op: op, Text: text.String()})
	}
	return spans
}

// tokenize splits text into words, single white-space runs and single
// punctuation marks, keeping every character.
func tokenize(s string) []string {
	var out []string
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		end := size
		switch {
		// A word may begin with stray marks (an accent typed before its letter):
		// they stay with the letters that follow, so no span cuts the word.
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r):
			for end < len(s) {
				r2, n := utf8.DecodeRuneInString(s[end:])
				// Combining and spacing marks (category M) belong to the word they
				// follow: vowel signs in Devanagari or Tamil, accents typed apart.
				if !(unicode.IsLetter(r2) || unicode.IsNumber(r2) || unicode.Is(unicode.M, r2)) {
					break
				}
				end += n
			}
		case unicode.IsSpace(r):
			for end < len(s) {
				r2, n := utf8.DecodeRuneInString(s[end:])
				if !unicode.IsSpace(r2) {
					break
				}
				end += n
			}
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

// DiffStats counts the words added and removed, for a revision summary line.
func DiffStats(spans []DiffSpan) (added, removed int) {
	for _, s := range spans {
		n := 0
		for _, tok := range tokenize(s.Text) {
			// Marks alone are not a word; marks before letters are part of one.
			if strings.IndexFunc(tok, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0 {
				n++
			}
		}
		switch s.Op {
		case DiffInsert:
			added += n
		case DiffDelete:
			removed += n
		}
	}
	return added, removed
}
