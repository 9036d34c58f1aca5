// Package anchoring attaches annotations to passages of an article revision's
// canonical plain text and finds them again after the article is edited.
//
// Every position in this package is a Unicode code point (rune) index into the
// canonical text, the unit the W3C Web Annotation model uses. Browsers count in
// UTF-16 code units, so their offsets go through [Text.FromUTF16] first.
//
// An anchor is made with [Text.Describe] (offsets from a selection) or
// [Text.DescribeQuote] (a quote typed into the no-JavaScript form). Both
// recompute everything from the server's own text. When a new revision is
// saved, [Text.Resolve] finds each stored [Selector] in the new text and says
// how sure it is: exact, moved, fuzzy (with a score, flagged for a
// fact-checker below [ConfirmThreshold]) or orphan.
package anchoring

import (
	"errors"
	"index/suffixarray"
	"sort"
	"sync"
)

// Text is one revision's canonical text prepared for anchoring: the runes,
// the maps needed to convert byte and UTF-16 offsets, and a compact alphabet
// for the approximate search. Build it once per revision and reuse it for all
// of that revision's anchors. A Text is read-only after NewText and safe for
// concurrent use.
type Text struct {
	s     string // the text as valid UTF-8 (invalid bytes become U+FFFD, as in []rune)
	runes []rune

	// byteOff[i] is the byte offset in s of rune i (len(runes)+1 entries);
	// nil when the text is ASCII and byte and rune offsets coincide.
	byteOff []int32

	// astral lists, in increasing order, the rune indices of code points
	// outside the Basic Multilingual Plane: each takes two UTF-16 units.
	astral []int

	// sym maps each rune of the text to a dense symbol number 1..nsym, so the
	// bit-parallel search can index its match table with a slice instead of a
	// map. Symbol 0 is never used by the text; pattern runes that do not occur
	// in the text have no symbol and can never match.
	sym   []int32
	symOf map[rune]int32
	nsym  int

	scratch sync.Pool // of *scratch, reused buffers for Resolve

	saOnce sync.Once
	sa     *suffixarray.Index // built on first use by indexAll
}

// NewText prepares s for anchoring. Invalid UTF-8 bytes are replaced by
// U+FFFD one byte at a time, exactly as a []rune conversion does, so the
// text's offsets agree with any other Go code that indexes []rune(s).
func NewText(s string) *Text {
	runes := []rune(s)
	t := &Text{runes: runes}
	t.s = string(runes)
	if len(t.s) != len(runes) {
		t.byteOff = make([]int32, len(runes)+1)
		b := 0
		for i, r := range runes {
			t.byteOff[i] = int32(b)
			b += runeLen(r)
		}
		t.byteOff[len(runes)] = int32(b)
	}
	t.sym = make([]int32, len(runes))
	t.symOf = make(map[rune]int32)
	for i, r := range runes {
		if r > 0xFFFF {
			t.astral = append(t.astral, i)
		}
		id, ok := t.symOf[r]
		if !ok {
			t.nsym++
			id = int32(t.nsym)
			t.symOf[r] = id
		}
		t.sym[i] = id
	}
	return t
}

func runeLen(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case r < 0x800:
		return 2
	case r < 0x10000:
		return 3
	default:
		return 4
	}
}

// Len returns the length of the text in code points.
func (t *Text) Len() int { return len(t.runes) }

// String returns the text (with invalid UTF-8 replaced, see NewText).
func (t *Text) String() string { return t.s }

// Slice returns the text between code point offsets start and end. Offsets
// are clamped to [0, Len()], and an inverted range gives "", so a stale
// position can be shown without a bounds check.
func (t *Text) Slice(start, end int) string {
	start = clamp(start, 0, len(t.runes))
	end = clamp(end, 0, len(t.runes))
	if start >= end {
		return ""
	}
	return t.s[t.byteAt(start):t.byteAt(end)]
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// byteAt converts a rune offset (0..Len()) to a byte offset into t.s.
func (t *Text) byteAt(i int) int {
	if t.byteOff == nil {
		return i
	}
	return int(t.byteOff[i])
}

// runeAt converts a byte offset that starts a rune (or equals len(t.s)) to a
// rune offset.
func (t *Text) runeAt(b int) int {
	if t.byteOff == nil {
		return b
	}
	return sort.Search(len(t.byteOff), func(i int) bool { return int(t.byteOff[i]) >= b })
}

// Errors returned by FromUTF16.
var (
	ErrUTF16OutOfRange = errors.New("the position is outside the article text")
	ErrUTF16InsidePair = errors.New("the position falls inside a character (between the two halves of a UTF-16 surrogate pair)")
)

// UTF16Len returns the length of the text in UTF-16 code units, the unit of
// JavaScript string offsets.
func (t *Text) UTF16Len() int { return len(t.runes) + len(t.astral) }

// FromUTF16 converts an offset counted in UTF-16 code units, as a browser
// sends it, into a code point offset. It refuses offsets outside
// [0, UTF16Len()] and offsets between the two halves of a surrogate pair,
// which no real selection boundary can produce.
func (t *Text) FromUTF16(offset int) (int, error) {
	if offset < 0 || offset > t.UTF16Len() {
		return 0, ErrUTF16OutOfRange
	}
	if len(t.astral) == 0 {
		return offset, nil
	}
	// u(r) = r + (number of astral runes before r) is strictly increasing;
	// find the first rune offset whose UTF-16 offset reaches the input.
	r := sort.Search(len(t.runes)+1, func(r int) bool { return t.ToUTF16(r) >= offset })
	if t.ToUTF16(r) != offset {
		return 0, ErrUTF16InsidePair
	}
	return r, nil
}

// ToUTF16 converts a code point offset into UTF-16 code units, for handing
// positions back to a browser. The offset is clamped to [0, Len()].
func (t *Text) ToUTF16(offset int) int {
	offset = clamp(offset, 0, len(t.runes))
	return offset + sort.SearchInts(t.astral, offset)
}

// indexAll returns the rune offsets of every occurrence of q (overlapping
// occurrences included) in increasing order. q must be valid UTF-8. At most
// limit offsets are returned when limit >= 0, and ok is false if there were
// more. The first call builds a suffix array of the text (about 1 ms for
// 60,000 runes); after that each lookup costs O(len(q)·log n) plus the
// number of hits, instead of a scan of the whole text per anchor.
func (t *Text) indexAll(q string, limit int) (offs []int, ok bool) {
	if q == "" {
		return nil, true
	}
	t.saOnce.Do(func() { t.sa = suffixarray.New([]byte(t.s)) })
	n := -1
	if limit >= 0 {
		n = limit + 1
	}
	// A valid UTF-8 pattern can only match at the start of a rune, so every
	// byte offset maps to a rune offset.
	bs := t.sa.Lookup([]byte(q), n)
	if limit >= 0 && len(bs) > limit {
		return nil, false
	}
	offs = make([]int, len(bs))
	for i, b := range bs {
		offs[i] = t.runeAt(b)
	}
	sort.Ints(offs)
	return offs, true
}
