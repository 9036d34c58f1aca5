package anchoring

import "sort"

// Finding the best approximate matches of a whole quote without scanning the
// whole text for each anchor.
//
// The answer wanted is the one a full scan with budget k gives: the fewest
// errors e any substring has, and every end position reaching e. It is
// computed in three steps that never change that answer, only its cost:
//
//  1. Look near where the passage is expected (its old start, after an exact
//     occurrence of its stored prefix, before one of its suffix). A match
//     there with e0 errors proves the global best is at most e0.
//  2. Pigeonhole filter: cut the quote into e0+1 pieces. e0 edits can spoil
//     at most e0 of them, so every match within e0 errors contains one piece
//     unchanged. The suffix array lists the pieces' occurrences, and only a
//     window of len(quote)+2·e0 around each is searched.
//  3. When step 1 finds nothing, or the pieces are too short or too frequent
//     to be selective, fall back to the banded scan of the whole text with
//     the tightest budget known.
//
// After a light edit, e0 is small and the pieces are long, so resolving a
// reworded anchor costs a few suffix-array lookups and a few short scans;
// only orphans (nothing near, nothing anywhere) pay for a full scan.

const (
	// windowSlack widens the windows of step 1 beyond the edit budget.
	windowSlack = 16
	// maxHints limits how many prefix/suffix occurrences seed step 1.
	maxHints = 4
	// minPiece is the shortest piece worth looking up in step 2; shorter
	// ones occur too often to filter anything.
	minPiece = 5
	// maxPieceHits abandons step 2 when a single piece occurs this often.
	maxPieceHits = 256
)

// approxEnds returns the lowest error count (at most k) of q against any
// substring of the text and all end positions reaching it, or -1 and nil.
// starts are positions where the passage is expected to begin.
func (t *Text) approxEnds(s *scratch, p *pattern, q []rune, k int, starts []int) (int, []int) {
	n := len(t.runes)
	bound := -1
	for _, h := range starts {
		lo := clamp(h-k-windowSlack, 0, n)
		hi := clamp(h+p.m+k+windowSlack, 0, n)
		if lo >= hi {
			continue
		}
		if b, _ := s.searchEnds(p, t.sym, lo, hi, k); b >= 0 && (bound < 0 || b < bound) {
			bound = b
			k = b
		}
	}
	if bound >= 0 {
		if windows, ok := t.pieceWindows(q, bound); ok {
			best := -1
			var all []int
			for _, w := range windows {
				b, ends := s.searchEnds(p, t.sym, w[0], w[1], bound)
				if b < 0 {
					continue
				}
				if best < 0 || b < best {
					best, all = b, all[:0]
				}
				if b == best {
					all = append(all, ends...)
				}
			}
			if best >= 0 {
				sort.Ints(all)
				return best, compactInts(all)
			}
		}
	}
	best, ends := s.searchEnds(p, t.sym, 0, n, k)
	if best < 0 {
		return -1, nil
	}
	return best, append([]int(nil), ends...)
}

// pieceWindows cuts q into e+1 pieces and returns the merged, sorted text
// windows [lo, hi) that can contain a match of q with at most e errors
// holding one of the pieces intact. ok is false when the filter would not be
// selective (short pieces, frequent pieces, or windows covering half the
// text), and the caller must scan everything instead.
func (t *Text) pieceWindows(q []rune, e int) (windows [][2]int, ok bool) {
	m, n := len(q), len(t.runes)
	pieces := e + 1
	size := m / pieces
	if size < minPiece {
		return nil, false
	}
	covered := 0
	for i := range pieces {
		from, to := i*size, (i+1)*size
		if i == pieces-1 {
			to = m
		}
		hits, ok := t.indexAll(string(q[from:to]), maxPieceHits)
		if !ok {
			return nil, false
		}
		for _, h := range hits {
			// The part of q before the piece (from runes) aligns with at
			// most from+e text runes, and likewise after it.
			lo := clamp(h-from-e, 0, n)
			hi := clamp(h-from+m+e, 0, n)
			windows = append(windows, [2]int{lo, hi})
			covered += hi - lo
		}
		if covered > 2*n {
			return nil, false // hopeless even before merging overlaps
		}
	}
	sort.Slice(windows, func(i, j int) bool { return windows[i][0] < windows[j][0] })
	merged := windows[:0]
	for _, w := range windows {
		if l := len(merged); l > 0 && w[0] <= merged[l-1][1] {
			merged[l-1][1] = max(merged[l-1][1], w[1])
			continue
		}
		merged = append(merged, w)
	}
	covered = 0
	for _, w := range merged {
		covered += w[1] - w[0]
	}
	if covered > n/2 {
		return nil, false
	}
	return merged, true
}

// compactInts removes adjacent duplicates from a sorted slice.
func compactInts(a []int) []int {
	out := a[:0]
	for i, v := range a {
		if i == 0 || v != a[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// expectedStarts lists where the passage probably begins in the new text:
// its old start, just after exact occurrences of its stored prefix and just
// before exact occurrences of its suffix (those nearest the old start).
func (sc *scorer) expectedStarts(m int) []int {
	starts := []int{sc.hint}
	add := func(ctx []rune, delta int) {
		if len(ctx) < minPiece {
			return
		}
		hits, ok := sc.t.indexAll(string(ctx), maxPieceHits)
		if !ok {
			return
		}
		sort.SliceStable(hits, func(i, j int) bool { return abs(hits[i]-sc.hint) < abs(hits[j]-sc.hint) })
		for _, h := range hits[:min(len(hits), maxHints)] {
			starts = append(starts, h+delta)
		}
	}
	add(sc.prefix, len(sc.prefix))
	add(sc.suffix, -m)
	return starts
}
