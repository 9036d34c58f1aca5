package anchoring

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzDescribe: Describe never panics, refuses only with its documented
// errors, and an anchor described on a text resolves on that same text to
// exactly the same offsets.
func FuzzDescribe(f *testing.F) {
	f.Add(floods, 120, 160)
	f.Add(article, 0, 12)
	f.Add("Le préfet 🇫🇷 a démissionné.\n東京都知事が辞任した。", 3, 20)
	f.Add(" \n a\n ", 0, 7)
	f.Add("", 0, 0)
	f.Add("a\xffb\xc0", 0, 4)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		tx := NewText(text)
		n := tx.Len()
		for _, off := range []int{start, end, 0, n} {
			if u := tx.ToUTF16(off); u < 0 || u > tx.UTF16Len() {
				t.Fatalf("ToUTF16(%d) = %d outside [0, %d]", off, u, tx.UTF16Len())
			} else if back, err := tx.FromUTF16(u); err != nil || back != clamp(off, 0, n) {
				t.Fatalf("FromUTF16(ToUTF16(%d)) = %d, %v", off, back, err)
			}
		}
		sel, err := tx.Describe(start, end, "")
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrEmptySelection) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if sel.Start < start || sel.End > end || sel.Start >= sel.End {
			t.Fatalf("selector [%d,%d) not a non-empty part of [%d,%d)", sel.Start, sel.End, start, end)
		}
		if sel.Exact != tx.Slice(sel.Start, sel.End) || sel.Exact == "" {
			t.Fatalf("Exact %q is not the text at [%d,%d)", sel.Exact, sel.Start, sel.End)
		}
		first, _ := utf8.DecodeRuneInString(sel.Exact)
		last, _ := utf8.DecodeLastRuneInString(sel.Exact)
		if unicode.IsSpace(first) || unicode.IsSpace(last) {
			t.Fatalf("Exact %q not trimmed", sel.Exact)
		}
		if utf8.RuneCountInString(sel.Prefix) != min(ContextLength, sel.Start) ||
			utf8.RuneCountInString(sel.Suffix) != min(ContextLength, n-sel.End) {
			t.Fatalf("context lengths %d/%d wrong", utf8.RuneCountInString(sel.Prefix), utf8.RuneCountInString(sel.Suffix))
		}
		if again, err := tx.Describe(sel.Start, sel.End, sel.Exact); err != nil || again != sel {
			t.Fatalf("describing with its own quote gave %+v, %v", again, err)
		}
		r := tx.Resolve(sel)
		if r.Status != StatusExact || r.Start != sel.Start || r.End != sel.End || r.Score != 1 {
			t.Fatalf("exact anchor did not round-trip: %+v for %+v", r, sel)
		}
		// The typed form must find the quote too (possibly several times).
		qs, err := tx.DescribeQuote(sel.Exact, sel.Prefix, sel.Suffix)
		var amb *AmbiguousError
		switch {
		case errors.As(err, &amb):
			if amb.Count < 2 {
				t.Fatalf("ambiguous with count %d", amb.Count)
			}
		case err != nil:
			t.Fatalf("DescribeQuote(%q) failed: %v", sel.Exact, err)
		case tx.Resolve(qs).Status != StatusExact:
			t.Fatalf("DescribeQuote selector %+v does not resolve exactly", qs)
		}
	})
}

// FuzzResolve: Resolve never panics and its results are always well formed:
// within the text, scores in [0,1], non-empty for anything but an orphan,
// holding the quote when exact or moved. On small inputs the outcome is
// checked against a plain dynamic programme: moved exactly when the quote
// occurs, fuzzy exactly when some substring is within the budget.
func FuzzResolve(f *testing.F) {
	f.Add(floods, strings.Replace(floods, "run into", "amount to", 1), 200, 260, "")
	f.Add(floods, "Update.\n"+floods, 300, 340, "")
	f.Add(floods, strings.Replace(floods, "Rescue teams", "Crews", 1), 390, 470, "Rescue")
	f.Add("abc abc abc", "abc xabc abc", 4, 7, "abc")
	f.Add("😀 a 😀 b", "😀 b", 0, 3, "😀 a")
	f.Add("aaaaaaaa", "aaaaaaab", 0, 8, "a")
	f.Add("", "x", 0, 0, "x")
	f.Fuzz(func(t *testing.T, oldText, newText string, start, end int, exact string) {
		old, nt := NewText(oldText), NewText(newText)
		if sel, err := old.Describe(start, end, ""); err == nil {
			if r := old.Resolve(sel); r.Status != StatusExact || r.Start != sel.Start || r.End != sel.End {
				t.Fatalf("exact anchor did not round-trip: %+v for %+v", r, sel)
			}
			checkAgainstNaive(t, nt, sel, nt.Resolve(sel))
		}
		// A selector as a client or an old row might hold it, unchecked.
		sel := Selector{Exact: exact, Prefix: oldText, Suffix: newText, Start: start, End: end}
		checkAgainstNaive(t, nt, sel, nt.Resolve(sel))
	})
}

func checkAgainstNaive(t *testing.T, tx *Text, sel Selector, r Result) {
	t.Helper()
	checkResult(t, tx, sel, r)
	if r.Status != StatusOrphan && r.Start == r.End {
		t.Fatalf("empty %s result", r.Status)
	}
	q, text := []rune(sel.Exact), tx.runes
	if len(q) == 0 || len(q)*len(text) > 1<<18 {
		return
	}
	occurs := strings.Contains(tx.String(), string(q))
	k := min(maxBudget, len(q)/2)
	best := len(q)
	for _, d := range naiveLastRow(q, text) {
		best = min(best, d)
	}
	switch {
	case occurs:
		if r.Status != StatusExact && r.Status != StatusMoved {
			t.Fatalf("quote occurs but status is %s", r.Status)
		}
	case best <= k:
		if r.Status != StatusFuzzy {
			t.Fatalf("a match with %d errors (budget %d) exists but status is %s", best, k, r.Status)
		}
		if d := levenshtein(q, text[r.Start:r.End]); d < best || d > k {
			t.Fatalf("fuzzy range has %d errors; best possible %d, budget %d", d, best, k)
		}
	default:
		if r.Status != StatusOrphan {
			t.Fatalf("nothing within budget %d (best %d) but status is %s", k, best, r.Status)
		}
	}
}
