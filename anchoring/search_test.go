package anchoring

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveLastRow returns D[m][j] for j = 0..len(text) of the semi-global edit
// distance matrix, computed cell by cell (Sellers' algorithm).
func naiveLastRow(q, text []rune) []int {
	m := len(q)
	prev := make([]int, m+1)
	for i := range prev {
		prev[i] = i
	}
	row := []int{m}
	cur := make([]int, m+1)
	for _, c := range text {
		cur[0] = 0
		for i := 1; i <= m; i++ {
			cost := 1
			if q[i-1] == c {
				cost = 0
			}
			cur[i] = min(prev[i-1]+cost, prev[i]+1, cur[i-1]+1)
		}
		row = append(row, cur[m])
		prev, cur = cur, prev
	}
	return row
}

// levenshtein is the plain global edit distance.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func randomRunes(r *rand.Rand, n int, alphabet []rune) []rune {
	out := make([]rune, n)
	for i := range out {
		out[i] = alphabet[r.IntN(len(alphabet))]
	}
	return out
}

// TestSearchMatchesNaive checks the banded bit-parallel search and the start
// recovery against the cell-by-cell algorithm on random inputs, including
// quotes spanning several 64-row blocks and runes missing from the text.
func TestSearchMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabets := [][]rune{[]rune("ab"), []rune("abcd"), []rune("abcdefghij é漢😀")}
	for iter := range 1000 {
		alpha := alphabets[iter%len(alphabets)]
		n := r.IntN(400)
		m := 1 + r.IntN(200)
		text := randomRunes(r, n, alpha)
		var q []rune
		if n > 0 && r.IntN(2) == 0 {
			// Take the quote from the text and mutate it a little.
			s := r.IntN(n)
			q = slices.Clone(text[s:min(n, s+m)])
			for range r.IntN(len(q)/3 + 1) {
				q[r.IntN(len(q))] = alpha[r.IntN(len(alpha))]
			}
			if r.IntN(4) == 0 {
				q = append(q, 'Z') // a rune the text never has
			}
		} else {
			q = randomRunes(r, m, alpha)
		}
		k := r.IntN(len(q)/2 + 2)

		tx := NewText(string(text))
		row := naiveLastRow(q, text)
		wantBest := -1
		for j := 1; j < len(row); j++ {
			if row[j] <= k && (wantBest < 0 || row[j] < wantBest) {
				wantBest = row[j]
			}
		}
		var wantEnds []int
		for j := 1; j < len(row); j++ {
			if row[j] == wantBest {
				wantEnds = append(wantEnds, j)
			}
		}

		s := tx.getScratch()
		p := tx.compile(s, q, false)
		best, ends := s.searchEnds(p, tx.sym, 0, len(text), k)
		if best != wantBest || !slices.Equal(ends, wantEnds) {
			t.Fatalf("iter %d m=%d n=%d k=%d: got best %d ends %v, want %d %v", iter, len(q), n, k, best, ends, wantBest, wantEnds)
		}
		// The shortcuts (windows near hints, pigeonhole filter) must not
		// change the answer, wherever the hints point.
		hints := []int{r.IntN(n + 1), r.IntN(n+1) - 50}
		best, ends = tx.approxEnds(s, p, q, k, hints)
		if best != wantBest || !slices.Equal(ends, wantEnds) {
			t.Fatalf("iter %d m=%d n=%d k=%d hints %v: approxEnds gave %d %v, want %d %v", iter, len(q), n, k, hints, best, ends, wantBest, wantEnds)
		}
		s.release(p)
		if best >= 0 {
			rp := tx.compile(s, q, true)
			for _, e := range ends[:min(len(ends), 3)] {
				got := s.longestStart(rp, tx.sym, e, best)
				want := -1
				for st := 0; st < e; st++ {
					if levenshtein(q, text[st:e]) == best {
						want = st
						break
					}
				}
				if got != want {
					t.Fatalf("iter %d: start for end %d: got %d, want %d", iter, e, got, want)
				}
			}
			s.release(rp)
		}
		for _, fp := range s.free {
			for i, v := range fp.peq[:cap(fp.peq)] {
				if v != 0 {
					t.Fatalf("iter %d: release left peq[%d] = %x", iter, i, v)
				}
			}
		}
		tx.putScratch(s)
	}
}

func TestBoundedDistance(t *testing.T) {
	tests := []struct {
		pat, win string
		want     int
	}{
		{"abc", "xxabcxx", 0},
		{"abc", "xxabxx", 1},
		{"abc", "", 3},
		{"", "abc", 0},
		{"kitten", "sitting", 2}, // "sittin",
		{"the minister said", "the minster sad", 2},
	}
	for _, tc := range tests {
		if got := boundedDistance([]rune(tc.pat), []rune(tc.win)); got != tc.want {
			t.Errorf("boundedDistance(%q, %q) = %d, want %d", tc.pat, tc.win, got, tc.want)
		}
	}
}
