package anchoring

import (
	"math"
	"slices"
	"sort"
	"unicode"
)

// Status says how an anchor was found in a new revision.
type Status string

// The four outcomes of Resolve, from most to least certain.
const (
	StatusExact  Status = "exact"  // the quote is still at its old position
	StatusMoved  Status = "moved"  // the quote occurs unchanged elsewhere
	StatusFuzzy  Status = "fuzzy"  // a similar passage was found; see Score
	StatusOrphan Status = "orphan" // nothing close enough: list it under the article
)

// Result is where Resolve found an anchor.
type Result struct {
	Status     Status
	Start, End int     // code point range in the new text; 0, 0 for an orphan
	Score      float64 // confidence in [0,1]: 1 for exact, 0 for an orphan
	// NeedsConfirmation marks a fuzzy match scoring below ConfirmThreshold:
	// it must not be shown as if certain until a fact-checker confirms it.
	NeedsConfirmation bool
}

// ConfirmThreshold is the score below which a fuzzy match needs a human to
// confirm it before it is shown as anchored.
//
// The score is (50q + 20p + 20s + 2pos)/92, q being the share of the quote
// left intact (1 - edits/length) and p, s, pos the similarity of prefix,
// suffix and position. With the surroundings intact (p = s = pos ≈ 1) a
// score of 7/8 means q ≥ 0.77: at most about 23% of the quote's characters
// edited. Measured on news sentences of 60–80 characters (see the tests):
// replacing one word edits 3–12% and scores 0.94–0.98; even swapping
// "government" for "administration" in a 61-character quote (21%) scores
// 0.88 and passes. Rewriting half of a passage edits 35–50% and scores
// 0.73–0.80; two or three words changed (about 25%) score 0.87 and are
// flagged, as is a light rewording whose surroundings were rewritten too.
// The fuzzy budget itself stops at 50% edits (about 0.73 with intact
// context), so anything between "one word changed" and "half of it
// changed" is the zone where a person should look.
const ConfirmThreshold = 0.875

// Score weights, as in the Hypothesis client: the quote itself matters most,
// then its surroundings, and position only breaks near ties.
const (
	weightQuote    = 50
	weightPrefix   = 20
	weightSuffix   = 20
	weightPosition = 2
	weightTotal    = weightQuote + weightPrefix + weightSuffix + weightPosition
)

// Limits that keep one pathological anchor from costing much more than an
// ordinary one.
const (
	// maxBudget caps the edit budget, so a very long quote costs O(256/64)
	// words per text rune in the forward search, not O(length/64).
	maxBudget = 256
	// maxScored caps how many exact occurrences get the full context score;
	// a quote found thousands of times (a single common word) is first
	// ranked by how many context runes match outright, which is O(32) each.
	maxScored = 64
	// maxFuzzyEnds caps how many equally good approximate matches have their
	// start recovered and scored (the ones ending nearest the old position).
	maxFuzzyEnds = 32
	// startWork bounds the total block steps spent recovering starts
	// (each costs blocks·(m+errors)); for a huge quote fewer ends are kept.
	startWork = 1 << 21
	// maxRefined is how many of the best-scoring fuzzy candidates get their
	// boundaries refined (two anchored passes and up to 4·ContextLength
	// context comparisons each).
	maxRefined = 4
	// tieEpsilon absorbs floating-point noise when comparing ratings.
	tieEpsilon = 1e-9
)

type candidate struct {
	start, end int
	score      float64
}

// Resolve finds the passage sel describes in this text (normally a newer
// revision than the one sel was made on). In order:
//
//  1. the text at sel.Start still reads sel.Exact: exact, score 1 (End is
//     recomputed from the quote's length rather than trusted);
//  2. sel.Exact occurs elsewhere, unchanged: moved. Among several
//     occurrences (overlapping ones count) the one whose prefix and suffix
//     are most like the stored ones wins, then the one nearest the old Start;
//  3. some substring is within min(256, len(Exact)/2) edits of sel.Exact
//     (Levenshtein distance, each insertion, deletion or substitution
//     costing 1; the match may be any substring of the text): fuzzy,
//     scored and flagged as described at ConfirmThreshold. The matches
//     with the fewest edits are found, prefix, suffix and position choose
//     among them, and the chosen range's ends may then move by up to 32
//     code points where that raises the score, so that a reworded passage
//     is covered whole (see refine);
//  4. otherwise: orphan. A quote longer than MaxQuoteLength (which
//     Describe never produces) is only looked up exactly, to bound the cost.
//
// Resolve never modifies sel; store the Result beside the original selector.
func (t *Text) Resolve(sel Selector) Result {
	q := []rune(sel.Exact)
	m, n := len(q), len(t.runes)
	if m == 0 || n == 0 {
		return Result{Status: StatusOrphan}
	}
	if sel.Start >= 0 && sel.Start+m <= n && slices.Equal(t.runes[sel.Start:sel.Start+m], q) {
		return Result{Status: StatusExact, Start: sel.Start, End: sel.Start + m, Score: 1}
	}
	s := t.getScratch()
	defer t.putScratch(s)
	sc := newScorer(t, s, sel)
	defer sc.release()

	if occ, _ := t.indexAll(string(q), -1); len(occ) > 0 {
		if len(occ) > maxScored {
			occ = sc.preRank(occ, m)
		}
		cands := make([]candidate, len(occ))
		for i, st := range occ {
			cands[i] = candidate{start: st, end: st + m, score: sc.score(st, st+m, 1)}
		}
		best := sc.best(cands)
		return Result{Status: StatusMoved, Start: best.start, End: best.end, Score: best.score}
	}

	k := min(maxBudget, m/2)
	if k == 0 || m-n > k || m > MaxQuoteLength {
		return Result{Status: StatusOrphan}
	}
	fw := t.compile(s, q, false)
	defer s.release(fw)
	errs, ends := t.approxEnds(s, fw, q, k, sc.expectedStarts(m))
	if errs < 0 {
		return Result{Status: StatusOrphan}
	}
	limit := min(maxFuzzyEnds, max(1, startWork/(fw.blocks*(m+errs))))
	if len(ends) > limit {
		// Keep the ends nearest where the passage used to end.
		want := sc.hint + m
		sort.SliceStable(ends, func(i, j int) bool { return abs(ends[i]-want) < abs(ends[j]-want) })
		ends = ends[:limit]
		sort.Ints(ends)
	}
	rv := t.compile(s, q, true)
	defer s.release(rv)
	cands := make([]candidate, len(ends))
	for i, e := range ends {
		st := s.longestStart(rv, t.sym, e, errs)
		cands[i] = candidate{start: st, end: e, score: sc.score(st, e, 1-float64(errs)/float64(m))}
	}
	// Refine the boundaries of the most promising few (see refine).
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	for i := range min(len(cands), maxRefined) {
		cands[i] = sc.refine(fw, rv, cands[i], k)
	}
	best := sc.best(cands)
	// The fewest edits can end a match inside a word ("missile laun" for
	// "missile launch"); a reader expects whole words, so widen to them when
	// that stays within the edit budget. The score stays the match's own.
	start, end := snapToWords(t.runes, q, best.start, best.end, k)
	return Result{
		Status:            StatusFuzzy,
		Start:             start,
		End:               end,
		Score:             best.score,
		NeedsConfirmation: best.score < ConfirmThreshold,
	}
}

// scorer rates candidate ranges by their context and position.
type scorer struct {
	t              *Text
	s              *scratch
	prefix, suffix []rune   // at most ContextLength runes each
	pp, sp         *pattern // prefix and suffix compiled, nil when empty
	hint           int      // old start, clamped into the text
}

func newScorer(t *Text, s *scratch, sel Selector) *scorer {
	sc := &scorer{
		t:      t,
		s:      s,
		prefix: lastRunes([]rune(sel.Prefix), ContextLength),
		suffix: firstRunes([]rune(sel.Suffix), ContextLength),
		hint:   clamp(sel.Start, 0, len(t.runes)),
	}
	if len(sc.prefix) > 0 {
		sc.pp = t.compile(s, sc.prefix, false)
	}
	if len(sc.suffix) > 0 {
		sc.sp = t.compile(s, sc.suffix, false)
	}
	return sc
}

func (sc *scorer) release() {
	if sc.pp != nil {
		sc.s.release(sc.pp)
	}
	if sc.sp != nil {
		sc.s.release(sc.sp)
	}
}

// contextSim is 1 - (edits to find the context pattern anywhere in the
// window [lo, hi))/its length; 1 when there is no stored context, 0 when
// the window is empty (the passage now starts or ends the text).
func (sc *scorer) contextSim(p *pattern, lo, hi int) float64 {
	if p == nil {
		return 1
	}
	if lo >= hi {
		return 0
	}
	d, _ := sc.s.searchEnds(p, sc.t.sym, lo, hi, p.m)
	return 1 - float64(d)/float64(p.m)
}

// prefixSim compares the stored prefix with the text just before start.
func (sc *scorer) prefixSim(start int) float64 {
	return sc.contextSim(sc.pp, max(0, start-len(sc.prefix)), start)
}

// suffixSim compares the stored suffix with the text just after end.
func (sc *scorer) suffixSim(end int) float64 {
	return sc.contextSim(sc.sp, end, min(len(sc.t.runes), end+len(sc.suffix)))
}

// posSim is 1 at the old start and falls linearly to 0 a text length away.
func (sc *scorer) posSim(start int) float64 {
	return 1 - float64(abs(start-sc.hint))/float64(len(sc.t.runes))
}

// score combines the quote similarity q (in [0,1]) with prefix, suffix and
// position similarity into the weighted score.
func (sc *scorer) score(start, end int, q float64) float64 {
	return clamp01((weightQuote*q + weightPrefix*sc.prefixSim(start) +
		weightSuffix*sc.suffixSim(end) + weightPosition*sc.posSim(start)) / weightTotal)
}

// best returns the candidate with the highest score, then the one nearest
// the hint, then the earliest.
func (sc *scorer) best(cands []candidate) candidate {
	best := cands[0]
	for _, c := range cands[1:] {
		if c.score > best.score ||
			(c.score == best.score && abs(c.start-sc.hint) < abs(best.start-sc.hint)) ||
			(c.score == best.score && abs(c.start-sc.hint) == abs(best.start-sc.hint) && c.start < best.start) {
			best = c
		}
	}
	return best
}

// refine moves a fuzzy match's boundaries to where the whole score is best.
//
// The search keeps only the substrings with the fewest edits, and the
// fewest edits can come from a truncated passage: a quote ending in
// "government in" matches "asked the adminis" with fewer edits than "asked
// the administration in". The stored suffix says where the passage really
// ends. So, with the start fixed, every end within w = min(k, ContextLength)
// runes is rated by 50·(quote similarity) + 20·(suffix similarity), and the
// best kept; then, with that end fixed, every start within w is rated by
// quote, prefix and position. A move must strictly improve the rating and
// keep the quote within the budget k. The edit distances for all ends (or
// starts) come from one anchored pass each, O(blocks·(m+k)); a position is
// only rated when its quote part alone could still beat the best.
func (sc *scorer) refine(fw, rv *pattern, c candidate, k int) candidate {
	t, s := sc.t, sc.s
	n, m := len(t.runes), fw.m
	w := min(k, ContextLength)
	qv := func(d int) float64 { return weightQuote * (1 - float64(d)/float64(m)) }

	dF := s.anchoredDistances(fw, t.sym, c.start, true, min(n-c.start, m+k), s.dist[1])
	s.dist[1] = dF
	end := c.end
	bestV := qv(dF[end-c.start]) + weightSuffix*sc.suffixSim(end)
	for e := max(c.start+1, c.end-w); e <= min(c.start+len(dF)-1, c.end+w); e++ {
		d := dF[e-c.start]
		if e == c.end || d > k || qv(d)+weightSuffix < bestV-tieEpsilon {
			continue
		}
		// On a tie, take the longer range: it covers more of the rewording.
		if v := qv(d) + weightSuffix*sc.suffixSim(e); v > bestV+tieEpsilon || (v >= bestV-tieEpsilon && e > end) {
			end, bestV = e, max(v, bestV)
		}
	}

	dR := s.anchoredDistances(rv, t.sym, end, false, min(end, m+k), s.dist[0])
	s.dist[0] = dR
	start := c.start
	rate := func(st int) float64 {
		return qv(dR[end-st]) + weightPrefix*sc.prefixSim(st) + weightPosition*sc.posSim(st)
	}
	bestV = rate(start)
	for st := max(0, c.start-w); st <= min(end-1, c.start+w); st++ {
		if st == c.start || end-st >= len(dR) {
			continue
		}
		d := dR[end-st]
		if d > k || qv(d)+weightPrefix+weightPosition < bestV-tieEpsilon {
			continue
		}
		if v := rate(st); v > bestV+tieEpsilon || (v >= bestV-tieEpsilon && st < start) {
			start, bestV = st, max(v, bestV)
		}
	}
	q := 1 - float64(dR[end-start])/float64(m)
	return candidate{start: start, end: end, score: sc.score(start, end, q)}
}

// preRank keeps the maxScored most promising of many exact occurrences of an
// m-rune quote: most context runes matching outright next to the quote, then
// nearest the hint.
func (sc *scorer) preRank(occ []int, m int) []int {
	runes := sc.t.runes
	type ranked struct{ start, agree int }
	rs := make([]ranked, len(occ))
	for i, st := range occ {
		a := 0
		for a < len(sc.prefix) && st-1-a >= 0 && runes[st-1-a] == sc.prefix[len(sc.prefix)-1-a] {
			a++
		}
		b := 0
		for b < len(sc.suffix) && st+m+b < len(runes) && runes[st+m+b] == sc.suffix[b] {
			b++
		}
		rs[i] = ranked{st, a + b}
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].agree != rs[j].agree {
			return rs[i].agree > rs[j].agree
		}
		return abs(rs[i].start-sc.hint) < abs(rs[j].start-sc.hint)
	})
	out := make([]int, maxScored)
	for i := range out {
		out[i] = rs[i].start
	}
	sort.Ints(out)
	return out
}

func lastRunes(rs []rune, n int) []rune {
	if len(rs) > n {
		return rs[len(rs)-n:]
	}
	return rs
}

func firstRunes(rs []rune, n int) []rune {
	if len(rs) > n {
		return rs[:n]
	}
	return rs
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

// maxSnap bounds how far snapToWords may move each end: enough for a word,
// not for a whole line of a script written without spaces.
const maxSnap = 16

// snapToWords widens [start, end) of text so it neither starts nor ends inside
// a word, if the widened range still differs from the quote q by at most k
// edits; otherwise it returns the range unchanged.
func snapToWords(text, q []rune, start, end, k int) (int, int) {
	if start < 0 || end > len(text) || start >= end {
		return start, end
	}
	inWord := func(i int) bool {
		return i >= 0 && i < len(text) && (unicode.IsLetter(text[i]) || unicode.IsDigit(text[i]) || unicode.IsMark(text[i]))
	}
	s, e := start, end
	for inWord(s) && inWord(s-1) && start-s < maxSnap {
		s--
	}
	for inWord(e-1) && inWord(e) && e-end < maxSnap {
		e++
	}
	if (s == start && e == end) || (inWord(s) && inWord(s-1)) || (inWord(e-1) && inWord(e)) ||
		!withinEdits(q, text[s:e], k) {
		return start, end
	}
	return s, e
}

// withinEdits reports whether a and b are at most k edits apart (Levenshtein),
// computing only the diagonal band |i-j| <= k.
func withinEdits(a, b []rune, k int) bool {
	if abs(len(a)-len(b)) > k {
		return false
	}
	const far = 1 << 30
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = far
		if j <= k {
			prev[j] = j
		}
	}
	for i := 1; i <= len(a); i++ {
		rowMin := far
		for j := range cur {
			cur[j] = far
		}
		if i <= k {
			cur[0] = i
			rowMin = i
		}
		for j := max(1, i-k); j <= min(len(b), i+k); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= k
}
