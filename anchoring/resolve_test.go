package anchoring

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// floods is a realistic article in canonical form: a headline and five
// paragraphs, one per line.
const floods = "Floods force thousands from their homes in northern Italy\n" +
	"Heavy rain caused rivers to burst their banks across Emilia-Romagna on Tuesday, forcing more than 10,000 people to leave their homes.\n" +
	"The regional president said the damage would run into billions of euros and asked the government in Rome for emergency funds.\n" +
	"Rescue teams used boats and helicopters to reach villages cut off by the water. Several roads and railway lines remained closed on Wednesday.\n" +
	"Meteorologists warned that more rain was expected over the weekend, although the worst of the storm appeared to have passed.\n" +
	"The prime minister is due to visit the region on Friday and is expected to announce a relief package for farmers and small businesses."

// boilerplate is a paragraph a site might repeat inside one article; quotes
// in its middle have identical prefix and suffix at each occurrence.
const boilerplate = "For readers who want to follow events as they unfold, live updates are published on our website every hour, and photos can be shared with the newsroom."

func paragraphs(s string) []string { return strings.Split(s, "\n") }

func runeOffset(s, sub string, nth int) int {
	from := 0
	for i := 0; ; i++ {
		b := strings.Index(s[from:], sub)
		if b < 0 {
			return -1
		}
		if i == nth {
			return utf8.RuneCountInString(s[:from+b])
		}
		from += b + 1
	}
}

func TestResolve(t *testing.T) {
	p := paragraphs(floods)
	insertedLead := "Updated on Wednesday with comments from the prime minister's office.\n"
	withBoilerplate := strings.Join([]string{p[0], p[1], boilerplate, p[2], p[3], boilerplate, p[4], p[5]}, "\n")
	farApart := strings.Join([]string{p[0], boilerplate, p[1], p[2], p[3], p[4], p[5], boilerplate}, "\n")
	copyBefore := "Earlier forecasts had suggested more rain was expected over the weekend in the Alps, not in the plains.\n"

	tests := []struct {
		name    string
		old     string
		quote   string
		nth     int    // which occurrence of quote in old is anchored
		new     string // the edited text
		status  Status
		slice   string // text expected at the result ("" for orphans)
		sliceAt int    // expected occurrence of slice in new (when several)
		confirm bool   // NeedsConfirmation expected
	}{
		{
			name: "unchanged", old: floods, quote: "reach villages cut off by the water", new: floods,
			status: StatusExact, slice: "reach villages cut off by the water",
		},
		{
			name: "edited only after the passage", old: floods, quote: "burst their banks",
			new:    strings.Replace(floods, "small businesses", "shops", 1),
			status: StatusExact, slice: "burst their banks",
		},
		{
			name: "text inserted before", old: floods, quote: "asked the government in Rome for emergency funds",
			new:    insertedLead + floods,
			status: StatusMoved, slice: "asked the government in Rome for emergency funds",
		},
		{
			name: "passage spanning a line break, text inserted before", old: floods, quote: "homes.\nThe regional president",
			new:    strings.Replace(floods, "northern Italy", "northern Italy and Slovenia", 1),
			status: StatusMoved, slice: "homes.\nThe regional president",
		},
		{
			name: "its paragraph moved to the end", old: floods, quote: "Rescue teams used boats and helicopters",
			new:    strings.Join([]string{p[0], p[1], p[2], p[4], p[5], p[3]}, "\n"),
			status: StatusMoved, slice: "Rescue teams used boats and helicopters",
		},
		{
			name: "repeated: prefix and suffix beat a nearer copy", old: floods, quote: "more rain was expected over the weekend",
			new:    strings.Replace(floods, "Meteorologists", copyBefore+"Meteorologists", 1),
			status: StatusMoved, slice: "more rain was expected over the weekend", sliceAt: 1,
		},
		{
			name: "repeated: the prefix alone beats a nearer copy", old: floods, quote: "more rain was expected over the weekend",
			new:    strings.Replace(floods, "Meteorologists", "Farmers feared that more rain was expected over the weekend, although the worst of the storm appeared to have passed.\nMeteorologists", 1),
			status: StatusMoved, slice: "more rain was expected over the weekend", sliceAt: 1,
		},
		{
			name: "repeated: the suffix alone beats a nearer copy", old: floods, quote: "more rain was expected over the weekend",
			new:    strings.Replace(floods, "Rescue teams", "Schools stayed closed on Wednesday.\nMeteorologists warned that more rain was expected over the weekend in the mountains, where ski resorts had already closed their lifts and hotels were told to prepare for evacuations.\nRescue teams", 1),
			status: StatusMoved, slice: "more rain was expected over the weekend", sliceAt: 1,
		},
		{
			// One character of context (20/32 of a point) weighs less than
			// being most of the article away (2 points × distance/length).
			name: "repeated: position outweighs a one-character context change", old: farApart, quote: "live updates are published on our website", nth: 0,
			new:    insertedLead + strings.Replace(farApart, "unfold,", "unfold;", 1),
			status: StatusMoved, slice: "live updates are published on our website", sliceAt: 0,
		},
		{
			name: "repeated with identical context: first stays first", old: withBoilerplate, quote: "live updates are published on our website", nth: 0,
			new:    insertedLead + withBoilerplate,
			status: StatusMoved, slice: "live updates are published on our website", sliceAt: 0,
		},
		{
			name: "repeated with identical context: nearest the old position wins", old: withBoilerplate, quote: "live updates are published on our website", nth: 1,
			new:    insertedLead + withBoilerplate,
			status: StatusMoved, slice: "live updates are published on our website", sliceAt: 1,
		},
		{
			name: "one word changed", old: floods, quote: "said the damage would run into billions of euros and asked the government",
			new:    strings.Replace(floods, "run into", "amount to", 1),
			status: StatusFuzzy, slice: "said the damage would amount to billions of euros and asked the government",
		},
		{
			name: "one long word swapped in a 60-character quote", old: floods, quote: "would run into billions of euros and asked the government in",
			new:    strings.Replace(floods, "the government in", "the administration in", 1),
			status: StatusFuzzy, slice: "would run into billions of euros and asked the administration in",
		},
		{
			name: "one word changed and text inserted before", old: floods, quote: "more rain was expected over the weekend, although the worst",
			new:    insertedLead + strings.Replace(floods, "expected over", "forecast over", 1),
			status: StatusFuzzy, slice: "more rain was forecast over the weekend, although the worst",
		},
		{
			name: "half rewritten", old: floods, quote: "Rescue teams used boats and helicopters to reach villages cut off by the water.",
			new:    strings.Replace(floods, "to reach villages cut off by the water.", "as floodwater isolated dozens of villages.", 1),
			status: StatusFuzzy, slice: "Rescue teams used boats and helicopters as floodwater isolated dozens of villages.", confirm: true,
		},
		{
			name: "half rewritten, start of sentence", old: floods, quote: "more rain was expected over the weekend, although the worst",
			new:    strings.Replace(floods, "more rain was expected over the weekend", "forecasters expect further showers on Saturday", 1),
			status: StatusFuzzy, slice: "forecasters expect further showers on Saturday, although the worst", confirm: true,
		},
		{
			name: "rewritten beyond the budget", old: floods, quote: "Rescue teams used boats and helicopters to reach villages cut off by the water.",
			new:    strings.Replace(floods, "Rescue teams used boats and helicopters to reach villages cut off by the water.", "Emergency services deployed dinghies and aircraft to isolated hamlets.", 1),
			status: StatusOrphan,
		},
		{
			name: "paragraph deleted", old: floods, quote: "although the worst of the storm appeared to have passed",
			new:    strings.Join([]string{p[0], p[1], p[2], p[3], p[5]}, "\n"),
			status: StatusOrphan,
		},
		{
			name: "accented and emoji text moved", old: "Le préfet 🇫🇷 a démissionné jeudi.\nLa séance est levée.", quote: "a démissionné jeudi",
			new:    "Mise à jour 🕐\nLe préfet 🇫🇷 a démissionné jeudi.\nLa séance est levée.",
			status: StatusMoved, slice: "a démissionné jeudi",
		},
		{
			name: "text emptied", old: floods, quote: "burst their banks", new: "",
			status: StatusOrphan,
		},
		{
			name: "quote longer than the new text", old: floods, quote: "said the damage would run into billions of euros", new: "Floods in Italy.",
			status: StatusOrphan,
		},
		{
			// The whole text is left, without the old surroundings: found,
			// but with prefix and suffix gone it needs confirming.
			name: "new text a little shorter than the quote", old: floods, quote: "said the damage would run into billions of euros", new: "the damage would run into billions of euros",
			status: StatusFuzzy, slice: "the damage would run into billions of euros", confirm: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := runeOffset(tc.old, tc.quote, tc.nth)
			if start < 0 {
				t.Fatalf("quote not in old text")
			}
			sel, err := NewText(tc.old).Describe(start, start+utf8.RuneCountInString(tc.quote), tc.quote)
			if err != nil {
				t.Fatal(err)
			}
			nt := NewText(tc.new)
			r := nt.Resolve(sel)
			checkResult(t, nt, sel, r)
			t.Logf("%s, score %.3f, %q", r.Status, r.Score, nt.Slice(r.Start, r.End))
			if r.Status != tc.status {
				t.Fatalf("status %q, want %q (result %+v, text %q)", r.Status, tc.status, r, nt.Slice(r.Start, r.End))
			}
			if tc.status == StatusOrphan {
				return
			}
			if got := nt.Slice(r.Start, r.End); got != tc.slice {
				t.Errorf("resolved to %q, want %q", got, tc.slice)
			}
			if want := runeOffset(tc.new, tc.slice, tc.sliceAt); r.Start != want {
				t.Errorf("Start = %d, want %d", r.Start, want)
			}
			if r.NeedsConfirmation != tc.confirm {
				t.Errorf("NeedsConfirmation = %v with score %.3f, want %v", r.NeedsConfirmation, r.Score, tc.confirm)
			}
		})
	}
}

// checkResult asserts what must hold for any Resolve result.
func checkResult(t *testing.T, tx *Text, sel Selector, r Result) {
	t.Helper()
	if r.Start < 0 || r.Start > r.End || r.End > tx.Len() {
		t.Fatalf("result %+v out of bounds for a text of %d runes", r, tx.Len())
	}
	if r.Score < 0 || r.Score > 1 {
		t.Fatalf("score %v outside [0,1]", r.Score)
	}
	// Invalid UTF-8 in a stored quote reads as U+FFFD, as in the text.
	quote := string([]rune(sel.Exact))
	switch r.Status {
	case StatusExact:
		if r.Score != 1 || tx.Slice(r.Start, r.End) != quote {
			t.Fatalf("exact result %+v does not hold the quote", r)
		}
	case StatusMoved:
		if tx.Slice(r.Start, r.End) != quote {
			t.Fatalf("moved result %+v does not hold the quote", r)
		}
	case StatusFuzzy:
		if r.Start == r.End {
			t.Fatalf("empty fuzzy result %+v", r)
		}
		if r.NeedsConfirmation != (r.Score < ConfirmThreshold) {
			t.Fatalf("NeedsConfirmation %v inconsistent with score %v", r.NeedsConfirmation, r.Score)
		}
	case StatusOrphan:
		if r.Start != 0 || r.End != 0 || r.Score != 0 || r.NeedsConfirmation {
			t.Fatalf("orphan result %+v should be zero", r)
		}
	default:
		t.Fatalf("unknown status %q", r.Status)
	}
	if r.Status != StatusFuzzy && r.NeedsConfirmation {
		t.Fatalf("only fuzzy results need confirmation: %+v", r)
	}
}

func TestResolveScoresOrder(t *testing.T) {
	// Moving costs nothing but a little position; rewording costs more.
	old := NewText(floods)
	start := runeOffset(floods, "asked the government in Rome", 0)
	sel, _ := old.Describe(start, start+28, "")
	exact := old.Resolve(sel)
	moved := NewText("Update.\n" + floods).Resolve(sel)
	fuzzy := NewText(strings.Replace(floods, "government in Rome", "government in Roma", 1)).Resolve(sel)
	if !(exact.Score == 1 && moved.Score < 1 && moved.Score > 0.99 && fuzzy.Score < moved.Score) {
		t.Errorf("scores exact %v, moved %v, fuzzy %v: want 1 > moved > fuzzy", exact.Score, moved.Score, fuzzy.Score)
	}
}

func TestResolveDegenerateSelectors(t *testing.T) {
	tx := NewText(floods)
	tests := []struct {
		name   string
		sel    Selector
		status Status
	}{
		{"empty exact", Selector{Start: 0, End: 0}, StatusOrphan},
		{"positions past the end", Selector{Exact: "Floods force", Start: 5000, End: 5012}, StatusMoved},
		{"negative positions", Selector{Exact: "Floods force", Start: -3, End: 9}, StatusMoved},
		{"end inconsistent with the quote", Selector{Exact: "Floods force", Start: 0, End: 3}, StatusExact},
		{"one rune, absent", Selector{Exact: "Ж", Start: 0, End: 1}, StatusOrphan},
		{"two runes, one matches", Selector{Exact: "Жo", Start: 0, End: 2}, StatusFuzzy},
		{"invalid UTF-8 in the quote", Selector{Exact: "Floods\xff force", Start: 0, End: 13}, StatusFuzzy},
		{"long prefix and suffix are cut to ContextLength", Selector{Exact: "Floods force", Prefix: strings.Repeat("x", 500), Suffix: strings.Repeat("y", 500), Start: 1, End: 13}, StatusMoved},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tx.Resolve(tc.sel)
			checkResult(t, tx, tc.sel, r)
			if r.Status != tc.status {
				t.Fatalf("status %q, want %q (%+v)", r.Status, tc.status, r)
			}
		})
	}
}

// TestApproxEndsMatchesFullScan checks that the shortcuts of approxEnds
// (local windows, pigeonhole filter) give exactly what a scan of the whole
// text with the full budget gives, on an article after many edits.
func TestApproxEndsMatchesFullScan(t *testing.T) {
	_, sels, newText := editScenario(3, 3000, 300)
	tx := NewText(newText)
	checked := 0
	for _, sel := range sels {
		q := []rune(sel.Exact)
		if _, ok := tx.indexAll(string(q), 0); !ok {
			continue // exact occurrence: approximate search not used
		}
		checked++
		k := min(maxBudget, len(q)/2)
		s := tx.getScratch()
		sc := newScorer(tx, s, sel)
		p := tx.compile(s, q, false)
		gotBest, gotEnds := tx.approxEnds(s, p, q, k, sc.expectedStarts(len(q)))
		wantBest, wantEnds := s.searchEnds(p, tx.sym, 0, tx.Len(), k)
		if gotBest != wantBest || !slices.Equal(gotEnds, wantEnds) {
			t.Fatalf("%q: approxEnds = %d %v, full scan = %d %v", sel.Exact, gotBest, gotEnds, wantBest, wantEnds)
		}
		s.release(p)
		sc.release()
		tx.putScratch(s)
	}
	if checked < 50 {
		t.Fatalf("only %d anchors needed the approximate search; the scenario is too easy", checked)
	}
}

// TestEditScenario checks the benchmark's scenario resolves as designed.
func TestEditScenario(t *testing.T) {
	_, sels, newText := editScenario(42, 10000, 1000)
	tx := NewText(newText)
	counts := map[Status]int{}
	for _, sel := range sels {
		r := tx.Resolve(sel)
		checkResult(t, tx, sel, r)
		counts[r.Status]++
	}
	if counts[StatusExact] < 400 || counts[StatusMoved] < 50 || counts[StatusFuzzy] < 150 || counts[StatusOrphan] < 5 {
		t.Errorf("unexpected mix %v", counts)
	}
}

// TestConcurrentResolve shares one Text between goroutines, as a server
// resolving several articles' anchors at once would (run with -race).
func TestConcurrentResolve(t *testing.T) {
	_, sels, newText := editScenario(9, 2000, 200)
	tx := NewText(newText)
	want := make([]Result, len(sels))
	for i, sel := range sels {
		want[i] = NewText(newText).Resolve(sel)
	}
	done := make(chan error, 4)
	for g := range 4 {
		go func() {
			for i := g; i < len(sels); i += 2 {
				if got := tx.Resolve(sels[i]); got != want[i] {
					done <- fmt.Errorf("anchor %d: concurrent %+v, alone %+v", i, got, want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
