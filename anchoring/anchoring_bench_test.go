package anchoring

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// syntheticArticle returns a deterministic news-like article of about words
// words: paragraphs of sentences over a Zipf-distributed vocabulary of
// made-up words, one paragraph per line like the canonical text.
func syntheticArticle(r *rand.Rand, words int) string {
	syll := []string{"ta", "re", "mi", "son", "del", "ka", "vor", "lu", "pen", "ti", "sa", "gor", "ne", "bri", "ol", "man", "que", "dis", "ro", "fa"}
	vocab := []string{"the", "of", "and", "to", "a", "in", "said", "that", "for", "on", "was", "with", "minister", "council", "percent", "year", "government", "report"}
	for len(vocab) < 3000 {
		var b strings.Builder
		for range 1 + r.IntN(4) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		vocab = append(vocab, b.String())
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	var out strings.Builder
	count := 0
	for count < words {
		if out.Len() > 0 {
			out.WriteByte('\n')
		}
		for s := range 3 + r.IntN(4) {
			if s > 0 {
				out.WriteByte(' ')
			}
			n := 8 + r.IntN(18)
			for w := range n {
				word := vocab[zipf.Uint64()]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				} else {
					out.WriteByte(' ')
				}
				out.WriteString(word)
				if w == n/2 && r.IntN(3) == 0 {
					out.WriteByte(',')
				}
			}
			out.WriteByte('.')
			count += n
		}
	}
	return out.String()
}

type edit struct {
	pos, del int
	ins      string
}

// applyEdits applies non-overlapping edits (on rune offsets of old).
func applyEdits(old []rune, edits []edit) string {
	sort.Slice(edits, func(i, j int) bool { return edits[i].pos > edits[j].pos })
	out := old
	for _, e := range edits {
		out = append(append(append([]rune(nil), out[:e.pos]...), []rune(e.ins)...), out[e.pos+e.del:]...)
	}
	return string(out)
}

// editScenario builds an old article, nAnchors selectors on it (40–200 runes,
// word aligned), and a new revision in which the first half is unchanged
// (exact), a paragraph is inserted in the middle (anchors after it move), and
// in the second half about 15% of the anchored passages have one word
// replaced (fuzzy) and 1% are deleted (orphans). Anchors overlap each other,
// so an edit can also touch neighbours.
func editScenario(seed uint64, words, nAnchors int) (oldText string, sels []Selector, newText string) {
	r := rand.New(rand.NewPCG(seed, 7))
	oldText = syntheticArticle(r, words)
	old := NewText(oldText)
	runes := []rune(oldText)
	var wordStarts []int
	for i := range runes {
		if !unicode.IsSpace(runes[i]) && (i == 0 || unicode.IsSpace(runes[i-1])) {
			wordStarts = append(wordStarts, i)
		}
	}
	for len(sels) < nAnchors {
		wi := r.IntN(len(wordStarts))
		st := wordStarts[wi]
		want := 40 + r.IntN(161)
		end := st + want
		// Stop at a word end, keeping 40..200 runes.
		for end > st+40 && end < len(runes) && !unicode.IsSpace(runes[end]) {
			end--
		}
		if end > len(runes) || end-st < 40 {
			continue
		}
		sel, err := old.Describe(st, end, "")
		if err != nil || sel.End-sel.Start < 40 {
			continue
		}
		sels = append(sels, sel)
	}

	var edits []edit
	taken := func(a, b int) bool {
		for _, e := range edits {
			if a < e.pos+e.del+1 && e.pos-1 < b {
				return true
			}
		}
		return false
	}
	// A new paragraph in the middle.
	mid := strings.Index(oldText[len(oldText)/2:], "\n") + len(oldText)/2
	midRune := len([]rune(oldText[:mid]))
	edits = append(edits, edit{pos: midRune, ins: "\nIn a statement released on Tuesday evening, the ministry added that the figures would be revised once the regional offices had reported, and that no decision on the budget had yet been taken."})
	for _, i := range r.Perm(len(sels)) {
		sel := sels[i]
		// Leave the first half alone so its anchors stay exact.
		if sel.Start <= midRune || taken(sel.Start, sel.End) {
			continue
		}
		switch {
		case len(edits) < 150:
			// Replace one word inside the passage.
			q := []rune(sel.Exact)
			var ws []int
			for j := 1; j < len(q)-1; j++ {
				if !unicode.IsSpace(q[j]) && unicode.IsSpace(q[j-1]) {
					ws = append(ws, j)
				}
			}
			if len(ws) == 0 {
				continue
			}
			w := ws[r.IntN(len(ws))]
			e := w
			for e < len(q) && !unicode.IsSpace(q[e]) {
				e++
			}
			edits = append(edits, edit{pos: sel.Start + w, del: e - w, ins: "reportedly"})
		case len(edits) < 160:
			edits = append(edits, edit{pos: sel.Start, del: sel.End - sel.Start})
		}
	}
	return oldText, sels, applyEdits(runes, edits)
}

// BenchmarkResolveAfterEdit measures one editor save: preparing the new
// revision's text and re-resolving 1,000 anchors of a ~10,000-word article.
func BenchmarkResolveAfterEdit(b *testing.B) {
	_, sels, newText := editScenario(42, 10000, 1000)
	counts := map[Status]int{}
	for b.Loop() {
		t := NewText(newText)
		clear(counts)
		for _, sel := range sels {
			counts[t.Resolve(sel).Status]++
		}
	}
	b.ReportMetric(float64(len([]rune(newText))), "runes")
	for _, s := range []Status{StatusExact, StatusMoved, StatusFuzzy, StatusOrphan} {
		b.ReportMetric(float64(counts[s]), string(s))
	}
}
