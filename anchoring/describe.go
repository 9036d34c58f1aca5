package anchoring

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ContextLength is how many code points of text before and after a passage
// an anchor keeps as prefix and suffix (the figure the Hypothesis client
// uses). They disambiguate repeated quotes and weigh in the fuzzy score.
const ContextLength = 32

// MaxQuoteLength is the longest passage, in code points, that Describe and
// DescribeQuote accept (several paragraphs). Approximate search costs grow
// with the square of the quote's length, and a whole article is better
// annotated as a page note than as a passage.
const MaxQuoteLength = 5000

// maxOccurrences stops DescribeQuote counting a typed quote's occurrences.
const maxOccurrences = 1000

// Selector is what an anchor stores: the data of a W3C TextQuoteSelector
// (Exact, Prefix, Suffix) and of a TextPositionSelector (Start, End), all
// measured on the revision the anchor was made against.
type Selector struct {
	Exact  string // the passage itself
	Prefix string // up to ContextLength code points just before it
	Suffix string // up to ContextLength code points just after it
	Start  int    // code point offset of the first rune of Exact
	End    int    // code point offset just past Exact: the range is [Start, End)
}

// Errors from Describe and DescribeQuote. Their messages are written for the
// person who made the selection and are safe to show as they are.
var (
	ErrEmptySelection = errors.New("the selection is empty: select some words of the article")
	ErrOutOfRange     = errors.New("the selection is not within the article text")
	ErrQuoteMismatch  = errors.New("the selected text does not match the article at that position; reload the article and select it again")
	ErrQuoteNotFound  = errors.New("the quoted text does not occur in the article; copy it exactly as it appears")
	ErrQuoteTooLong   = fmt.Errorf("the selection is too long: select at most %d characters", MaxQuoteLength)
)

// AmbiguousError reports a typed quote that occurs more than once, so the
// anchor cannot tell which occurrence is meant.
type AmbiguousError struct {
	Count      int  // occurrences (overlapping ones included); counting stops past 1,000
	HintsTried bool // words before/after were given but did not single one out
}

// Error says how often the quote occurs and asks for a longer one.
func (e *AmbiguousError) Error() string {
	if e.Count > maxOccurrences {
		return fmt.Sprintf("the quoted text occurs more than %d times in the article; quote more words so that it occurs only once", maxOccurrences)
	}
	if e.HintsTried {
		return fmt.Sprintf("the quoted text occurs %d times in the article and the words given before and after it do not single one out; quote more words", e.Count)
	}
	return fmt.Sprintf("the quoted text occurs %d times in the article; quote more words so that it occurs only once", e.Count)
}

// Describe builds the selector for the code point range [start, end) of the
// text. The range is first shrunk to exclude leading and trailing white space
// (including line breaks), so a selection dragged across a paragraph end does
// not anchor on invisible characters; Start and End describe the shrunk range.
//
// When quote is not empty it is what the browser says was selected, and it
// must equal the text in the range; differences in white space only are
// accepted, because browsers render block breaks and spaces in their own way.
// A mismatch means the browser's offsets and the server's text disagree (a
// stale page, another revision), and the anchor is refused rather than
// attached to the wrong words. Passages longer than MaxQuoteLength are
// refused too. Every error's message can be shown to the user as it is.
func (t *Text) Describe(start, end int, quote string) (Selector, error) {
	n := len(t.runes)
	if start < 0 || end > n || start > end {
		return Selector{}, ErrOutOfRange
	}
	if quote != "" && !slices.Equal(normalize([]rune(quote), false), normalize(t.runes[start:end], false)) {
		return Selector{}, ErrQuoteMismatch
	}
	for start < end && unicode.IsSpace(t.runes[start]) {
		start++
	}
	for end > start && unicode.IsSpace(t.runes[end-1]) {
		end--
	}
	if start == end {
		return Selector{}, ErrEmptySelection
	}
	if end-start > MaxQuoteLength {
		return Selector{}, ErrQuoteTooLong
	}
	return Selector{
		Exact:  t.Slice(start, end),
		Prefix: t.Slice(start-ContextLength, start),
		Suffix: t.Slice(end, end+ContextLength),
		Start:  start,
		End:    end,
	}, nil
}

// DescribeQuote anchors a quote typed or pasted into the no-JavaScript form.
// Matching tolerates what typing changes: any run of white space in the quote
// matches any run of white space in the text (line breaks included), leading
// and trailing white space is ignored, and curly quotes, apostrophes and
// dashes match their plain ASCII forms. Letters and case must match.
//
// The quote must occur in the text. If it occurs more than once, prefixHint
// and suffixHint (the words just before and after it, both optional) pick the
// occurrence whose surroundings resemble them most; when they are absent or
// do not single out one occurrence, an *AmbiguousError asks for more words.
func (t *Text) DescribeQuote(quote, prefixHint, suffixHint string) (Selector, error) {
	q := normalize([]rune(quote), true)
	if len(q) == 0 {
		return Selector{}, ErrEmptySelection
	}
	if len(q) > MaxQuoteLength {
		return Selector{}, ErrQuoteTooLong
	}
	norm, orig := t.normalized()
	occ := indexRunes(norm, q, maxOccurrences+1)
	if len(occ) == 0 {
		return Selector{}, ErrQuoteNotFound
	}
	if len(occ) > maxOccurrences {
		return Selector{}, &AmbiguousError{Count: len(occ)}
	}
	pick := occ[0]
	if len(occ) > 1 {
		// Only the hint words nearest the quote count, which also bounds
		// the cost of comparing them.
		ph := lastRunes(normalize([]rune(prefixHint), true), 2*ContextLength)
		sh := firstRunes(normalize([]rune(suffixHint), true), 2*ContextLength)
		if len(ph) == 0 && len(sh) == 0 {
			return Selector{}, &AmbiguousError{Count: len(occ)}
		}
		// Score each occurrence by how closely the text around it matches
		// the hints; +2 slack lets the hint skip the separating space.
		best, second := -1.0, -1.0
		for _, o := range occ {
			sc := 0.0
			if len(ph) > 0 {
				win := norm[max(0, o-len(ph)-2):o]
				sc += 1 - float64(boundedDistance(ph, win))/float64(len(ph))
			}
			if len(sh) > 0 {
				e := o + len(q)
				win := norm[e:min(len(norm), e+len(sh)+2)]
				sc += 1 - float64(boundedDistance(sh, win))/float64(len(sh))
			}
			switch {
			case sc > best:
				best, second, pick = sc, best, o
			case sc > second:
				second = sc
			}
		}
		if best <= 0 || best == second {
			return Selector{}, &AmbiguousError{Count: len(occ), HintsTried: true}
		}
	}
	return t.Describe(orig[pick], orig[pick+len(q)-1]+1, "")
}

// indexRunes returns the offsets of up to limit occurrences of needle in
// hay, overlapping ones included.
func indexRunes(hay, needle []rune, limit int) []int {
	hs, ns := string(hay), string(needle)
	step := utf8.RuneLen(needle[0])
	if step < 0 {
		step = 1
	}
	var out []int
	from, r, rb := 0, 0, 0 // search from byte from; byte rb is rune r
	for len(out) < limit {
		i := strings.Index(hs[from:], ns)
		if i < 0 {
			break
		}
		b := from + i
		r += utf8.RuneCountInString(hs[rb:b])
		rb = b
		out = append(out, r)
		from = b + step
	}
	return out
}

// normalized returns the text with every white-space run turned into one
// space and typographic punctuation folded (see fold), plus, for each rune of
// that form, the offset of the original rune it came from.
func (t *Text) normalized() (norm []rune, orig []int) {
	norm = make([]rune, 0, len(t.runes))
	orig = make([]int, 0, len(t.runes))
	for i, r := range t.runes {
		if unicode.IsSpace(r) {
			if len(norm) > 0 && norm[len(norm)-1] == ' ' {
				continue
			}
			r = ' '
		}
		norm = append(norm, fold(r))
		orig = append(orig, i)
	}
	return norm, orig
}

// normalize trims white space from rs, turns inner white-space runs into one
// space and, when folding, replaces typographic punctuation with ASCII.
func normalize(rs []rune, folding bool) []rune {
	out := make([]rune, 0, len(rs))
	space := false
	for _, r := range rs {
		if unicode.IsSpace(r) {
			space = len(out) > 0
			continue
		}
		if space {
			out = append(out, ' ')
			space = false
		}
		if folding {
			r = fold(r)
		}
		out = append(out, r)
	}
	return out
}

// fold maps the punctuation people type differently from how it is printed
// to one form, one rune for one rune so offsets are unaffected.
func fold(r rune) rune {
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u02BC':
		return '\''
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB':
		return '"'
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return '-'
	}
	return r
}
