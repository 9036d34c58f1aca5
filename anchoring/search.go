package anchoring

// Approximate search: Myers' bit-parallel edit distance (1999) in the
// block-wise form described by Hyyrö, with Ukkonen's cut-off applied per
// 64-row block.
//
// Picture the usual dynamic-programming matrix D with the quote Q (m runes)
// down the side and the text along the top: D[i][j] is the fewest edits
// (insert, delete, substitute, 1 each) turning Q[:i] into some substring of
// the text that ends at j. Row 0 is all zeros ("semi-global" search: the match
// may start anywhere), column 0 is D[i][0] = i, and D[m][j] <= k means a match
// with at most k errors ends at j.
//
// Instead of cells, each column is kept as two bit vectors per block of 64
// rows: which rows are one more than the row above (pv) and which are one less
// (mv). A whole block advances by one text rune in a dozen word operations, so
// a column costs O(m/64) instead of O(m).
//
// Ukkonen's cut-off: cells above k never matter once they exceed k, and the
// last row holding a value <= k moves down by at most one per column. So only
// the blocks from the top down to the one holding that row are kept active;
// the others are re-initialised with an upper bound ("every row one more than
// the one above") when the band reaches them again. While the search walks
// ordinary text the band stays about k rows deep, which makes the forward
// search O((k/64+1)·n) per quote in practice; it only widens to the whole
// quote where the text really resembles it.

const wordBits = 64

// pattern is a quote compiled against one Text's alphabet.
type pattern struct {
	m      int      // pattern length in runes
	blocks int      // ceil(m/64)
	peq    []uint64 // peq[sym*blocks+b]: bit i set when pattern rune 64b+i equals symbol sym
	syms   []int32  // symbols whose rows were set, to clear them afterwards
}

// scratch holds buffers reused across Resolve calls on one Text, so that
// resolving many anchors allocates little.
type scratch struct {
	free  []*pattern // released patterns, their tables all zero
	pv    []uint64
	mv    []uint64
	score []int
	ends  []int
	dist  [2][]int
}

func (t *Text) getScratch() *scratch {
	if s, ok := t.scratch.Get().(*scratch); ok {
		return s
	}
	return &scratch{}
}

func (t *Text) putScratch(s *scratch) { t.scratch.Put(s) }

// compile builds the match table of q (read backwards when reverse is set).
// The table has a row per symbol of the text; only the rows of q's runes are
// written, and release clears just those, so reusing a table costs O(len(q))
// rather than O(alphabet).
func (t *Text) compile(s *scratch, q []rune, reverse bool) *pattern {
	var p *pattern
	if l := len(s.free); l > 0 {
		p, s.free = s.free[l-1], s.free[:l-1]
	} else {
		p = &pattern{}
	}
	m := len(q)
	nb := (m + wordBits - 1) / wordBits
	size := (t.nsym + 1) * nb
	if cap(p.peq) < size {
		p.peq = make([]uint64, size)
	}
	p.m, p.blocks, p.peq, p.syms = m, nb, p.peq[:size], p.syms[:0]
	for i := range m {
		r := q[i]
		if reverse {
			r = q[m-1-i]
		}
		id, ok := t.symOf[r]
		if !ok {
			continue // a rune the text never contains matches nothing
		}
		p.peq[int(id)*nb+i/wordBits] |= 1 << uint(i%wordBits)
		p.syms = append(p.syms, id)
	}
	return p
}

// release clears the rows compile set and keeps the pattern for reuse.
func (s *scratch) release(p *pattern) {
	for _, id := range p.syms {
		clear(p.peq[int(id)*p.blocks : int(id+1)*p.blocks])
	}
	p.syms = p.syms[:0]
	s.free = append(s.free, p)
}

// rows returns how many pattern rows block b holds.
func (p *pattern) rows(b int) int {
	if b == p.blocks-1 {
		return p.m - wordBits*(p.blocks-1)
	}
	return wordBits
}

// lastRowBit returns the bit of block b's lowest pattern row, where the
// horizontal delta leaving the block is read.
func (p *pattern) lastRowBit(b int) uint64 {
	return 1 << uint(p.rows(b)-1)
}

// advanceBlock moves one 64-row block of the column one text position to the
// right. eq marks the block's rows whose pattern rune equals the text rune;
// hin is the horizontal difference D[top-1][j]-D[top-1][j-1] entering from
// the row just above the block (-1, 0 or +1). It returns the horizontal
// difference at the row selected by last.
func advanceBlock(pv, mv *uint64, eq uint64, hin int, last uint64) int {
	vp, vm := *pv, *mv
	var hinNeg, hinPos uint64
	if hin < 0 {
		hinNeg = 1
	} else if hin > 0 {
		hinPos = 1
	}
	xv := eq | vm
	eq |= hinNeg // a -1 entering at the top acts like a match in the first row
	xh := (((eq & vp) + vp) ^ vp) | eq
	hp := vm | ^(xh | vp)
	hm := vp & xh
	hout := 0
	if hp&last != 0 {
		hout = 1
	} else if hm&last != 0 {
		hout = -1
	}
	hp = hp<<1 | hinPos
	hm = hm<<1 | hinNeg
	*pv = hm | ^(xv | hp)
	*mv = hp & xv
	return hout
}

// searchEnds scans text symbols sym[lo:hi] for substrings within k edits of
// the pattern. It returns the lowest error count found and every end position
// (absolute, exclusive) reaching it, or best = -1 when nothing is within k.
// The budget shrinks to the best count found so far, so work drops as soon
// as a good match is seen.
func (s *scratch) searchEnds(p *pattern, sym []int32, lo, hi, k int) (best int, ends []int) {
	nb := p.blocks
	if cap(s.pv) < nb {
		s.pv = make([]uint64, nb)
		s.mv = make([]uint64, nb)
		s.score = make([]int, nb)
	}
	pv, mv, score := s.pv[:nb], s.mv[:nb], s.score[:nb]
	ends = s.ends[:0]
	best = -1

	// Column 0: D[i][0] = i. Activate every block that can hold a cell <= k.
	y := 0
	pv[0], mv[0], score[0] = ^uint64(0), 0, p.rows(0)
	for y < nb-1 && score[y] <= k {
		y++
		pv[y], mv[y], score[y] = ^uint64(0), 0, score[y-1]+p.rows(y)
	}
	// The horizontal delta leaving a block is read at its lowest row: bit 63,
	// or bit lastShift in the last block. Reading it with shifts instead of
	// branches matters: the branches are unpredictable on real text.
	lastShift := uint(p.rows(nb-1) - 1)
	sym = sym[:hi]

	if nb == 1 {
		// Single-block fast path: quotes of up to 64 runes.
		vp, vm, sc := pv[0], mv[0], score[0]
		peq := p.peq
		for j := lo; j < hi; j++ {
			eq := peq[sym[j]]
			xv := eq | vm
			xh := (((eq & vp) + vp) ^ vp) | eq
			hp := vm | ^(xh | vp)
			hm := vp & xh
			sc += int((hp>>lastShift)&1) - int((hm>>lastShift)&1)
			hp <<= 1
			hm <<= 1
			vp = hm | ^(xv | hp)
			vm = hp & xv
			if sc <= k {
				if sc < best || best < 0 {
					best, k = sc, sc
					ends = ends[:0]
				}
				ends = append(ends, j+1)
			}
		}
		s.ends = ends
		return best, ends
	}

	lastRows := p.rows(nb - 1)
	for j := lo; j < hi; j++ {
		eqs := p.peq[int(sym[j])*nb : int(sym[j]+1)*nb]
		// Advance blocks 0..y (advanceBlock, written out: this is the hot loop).
		var hinNeg, hinPos uint64 // row 0 is free: nothing enters block 0
		for b := 0; b <= y; b++ {
			vp, vm := pv[b], mv[b]
			eq := eqs[b]
			xv := eq | vm
			eq |= hinNeg
			xh := (((eq & vp) + vp) ^ vp) | eq
			hp := vm | ^(xh | vp)
			hm := vp & xh
			shift := uint(wordBits - 1)
			if b == nb-1 {
				shift = lastShift
			}
			outPos, outNeg := (hp>>shift)&1, (hm>>shift)&1
			hp = hp<<1 | hinPos
			hm = hm<<1 | hinNeg
			pv[b] = hm | ^(xv | hp)
			mv[b] = hp & xv
			score[b] += int(outPos) - int(outNeg)
			hinPos, hinNeg = outPos, outNeg
		}
		// Drop trailing blocks whose every cell now exceeds k: the lowest
		// row is score[y], and a row r rows higher is at least score[y]-r.
		for y > 0 {
			rows := wordBits
			if y == nb-1 {
				rows = lastRows
			}
			if score[y] < k+rows {
				break
			}
			y--
		}
		// The band can grow by one row per column: if the lowest row of the
		// last active block is within budget, the next block may be needed
		// from the next column on. Start it from the upper bound "each row
		// one more than the one above", which is never below the truth.
		if y < nb-1 && score[y] <= k {
			y++
			pv[y], mv[y], score[y] = ^uint64(0), 0, score[y-1]+p.rows(y)
		} else if y == nb-1 && score[y] <= k {
			if score[y] < best || best < 0 {
				best, k = score[y], score[y]
				ends = ends[:0]
			}
			ends = append(ends, j+1)
		}
	}
	s.ends = ends
	return best, ends
}

// anchoredDistances fills out[l] with the edit distance between the whole
// pattern and the l text runes next to from, for l = 0..maxLen: the runes
// after from when forward (sym[from:from+l]), else the runes before it
// (sym[from-l:from], which needs a pattern compiled in reverse). Unlike
// searchEnds the match is pinned at from, so row 0 is D[0][l] = l and a +1
// enters the top block at every step. Cost: O(blocks·maxLen).
func (s *scratch) anchoredDistances(p *pattern, sym []int32, from int, forward bool, maxLen int, out []int) []int {
	nb := p.blocks
	if cap(s.pv) < nb {
		s.pv = make([]uint64, nb)
		s.mv = make([]uint64, nb)
		s.score = make([]int, nb)
	}
	pv, mv := s.pv[:nb], s.mv[:nb]
	for b := range nb {
		pv[b], mv[b] = ^uint64(0), 0
	}
	lastBit := p.lastRowBit(nb - 1)
	const high = uint64(1) << (wordBits - 1)
	out = append(out[:0], p.m)
	d := p.m
	for l := 1; l <= maxLen; l++ {
		j := from - l
		if forward {
			j = from + l - 1
		}
		base := int(sym[j]) * nb
		hin := 1
		for b := range nb {
			last := high
			if b == nb-1 {
				last = lastBit
			}
			hin = advanceBlock(&pv[b], &mv[b], p.peq[base+b], hin, last)
		}
		d += hin
		out = append(out, d)
	}
	return out
}

// longestStart finds where a match ending at end with exactly errs errors
// begins, given the reversed pattern rp, preferring the longest such match so
// a highlight covers the whole reworded passage rather than a shorter core
// of it. A match within errs errors is at most m+errs runes long.
func (s *scratch) longestStart(rp *pattern, sym []int32, end, errs int) int {
	d := s.anchoredDistances(rp, sym, end, false, min(end, rp.m+errs), s.dist[0])
	s.dist[0] = d
	for l := len(d) - 1; l > 0; l-- {
		if d[l] == errs {
			return end - l
		}
	}
	// Cannot happen when errs came from searchEnds; stay safe anyway.
	return max(0, end-rp.m)
}

// boundedDistance returns the fewest edits turning pat into any substring of
// win (0 for an exact occurrence), or len(pat) if that is the best possible.
// It is a plain dynamic programme over the two rune slices, O(len(pat)·
// len(win)); its one caller (DescribeQuote's hints) cuts both to about
// 2·ContextLength runes. Resolve uses the bit-parallel search instead.
func boundedDistance(pat, win []rune) int {
	m := len(pat)
	if m == 0 {
		return 0
	}
	var buf [2 * (ContextLength + 1)]int
	var col []int
	if m+1 <= len(buf) {
		col = buf[:m+1]
	} else {
		col = make([]int, m+1)
	}
	for i := range col {
		col[i] = i
	}
	best := m
	for _, c := range win {
		diag := 0 // D[0][j-1]; row 0 is free (match may start anywhere)
		for i := 1; i <= m; i++ {
			up := col[i]
			cost := 1
			if pat[i-1] == c {
				cost = 0
			}
			v := diag + cost
			if col[i-1]+1 < v {
				v = col[i-1] + 1
			}
			if up+1 < v {
				v = up + 1
			}
			diag = up
			col[i] = v
		}
		if col[m] < best {
			best = col[m]
		}
	}
	return best
}
