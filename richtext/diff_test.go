package richtext

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// sides reassembles the two texts a diff was computed from.
func sides(spans []DiffSpan) (before, after string) {
	var b, a strings.Builder
	for _, s := range spans {
		switch s.Op {
		case DiffEqual:
			b.WriteString(s.Text)
			a.WriteString(s.Text)
		case DiffDelete:
			b.WriteString(s.Text)
		case DiffInsert:
			a.WriteString(s.Text)
		}
	}
	return b.String(), a.String()
}

func eq(s string) DiffSpan  { return DiffSpan{Op: DiffEqual, Text: s} }
func ins(s string) DiffSpan { return DiffSpan{Op: DiffInsert, Text: s} }
func del(s string) DiffSpan { return DiffSpan{Op: DiffDelete, Text: s} }

func TestWordDiff(t *testing.T) {
	tests := []struct {
		name          string
		before, after string
		want          []DiffSpan
	}{
		{"identical", "The council met.", "The council met.", []DiffSpan{eq("The council met.")}},
		{"both empty", "", "", nil},
		{"empty before", "", "New text.", []DiffSpan{ins("New text.")}},
		{"empty after", "Old text.", "", []DiffSpan{del("Old text.")}},
		{"one word changed", "The minister resigned on Tuesday.", "The minister resigned on Wednesday.",
			[]DiffSpan{eq("The minister resigned on "), del("Tuesday"), ins("Wednesday"), eq(".")}},
		{"suffix added to word shows whole word", "the cat sat", "the cats sat",
			[]DiffSpan{eq("the "), del("cat"), ins("cats"), eq(" sat")}},
		{"shared letters are not kept", "a rebuttal", "a rebuke",
			[]DiffSpan{eq("a "), del("rebuttal"), ins("rebuke")}},
		{"number changed", "Turnout was 41.5%", "Turnout was 43.5%",
			[]DiffSpan{eq("Turnout was "), del("41"), ins("43"), eq(".5%")}},
		{"non-ASCII word changed", "Şenay Arık said", "Şenay Arıkan said",
			[]DiffSpan{eq("Şenay "), del("Arık"), ins("Arıkan"), eq(" said")}},
		{"word removed", "a very big deal", "a big deal", []DiffSpan{eq("a "), del("very "), eq("big deal")}},
		{"paragraph added", "First para.\nSecond para.", "First para.\nNew para.\nSecond para.",
			[]DiffSpan{eq("First para.\n"), ins("New para.\n"), eq("Second para.")}},
		{"paragraph appended", "First para.", "First para.\nSecond para.",
			[]DiffSpan{eq("First para."), ins("\nSecond para.")}},
		{"paragraph removed", "One.\nTwo.\nThree.", "One.\nThree.",
			[]DiffSpan{eq("One.\n"), del("Two.\n"), eq("Three.")}},
		{"completely different", "alpha beta", "gamma",
			[]DiffSpan{del("alpha beta"), ins("gamma")}},
		{"shared spaces alone do not fragment a rewrite", "the cat sat on the mat", "a dog lay in a box",
			[]DiffSpan{del("the cat sat on the mat"), ins("a dog lay in a box")}},
		{"several words changed", "Police said three people were hurt.", "Officials said four people had died.",
			[]DiffSpan{del("Police"), ins("Officials"), eq(" said "), del("three"), ins("four"), eq(" people "),
				del("were hurt"), ins("had died"), eq(".")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WordDiff(tt.before, tt.after)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("WordDiff(%q, %q)\n got %v\nwant %v", tt.before, tt.after, got, tt.want)
			}
		})
	}
}

func TestWordDiffReassembles(t *testing.T) {
	pairs := [][2]string{
		{"The quick brown fox jumps over the lazy dog.", "The quick red fox leapt over the lazy dogs!"},
		{"a a a a b a a a", "a a b a a a a a"},
		{"Line one.\n\nLine two.\n", "Line one.\nLine 2.\n\n\nLine three."},
		{"  leading and trailing  ", "leading and trailing"},
		{"Şenay Arık 👩🏽‍💻 İstanbul", "Senay Arik 👩 Istanbul 🇹🇷"},
		{"Ame\u0301lie cafe\u0301", "Amelie café"},
		{"tab\tseparated\r\nline", "tab separated\nline"},
		{"x", "y"},
		{"", "only after"},
		{"only before", ""},
	}
	for _, p := range pairs {
		spans := WordDiff(p[0], p[1])
		b, a := sides(spans)
		if b != p[0] || a != p[1] {
			t.Errorf("WordDiff(%q, %q) = %v\nreassembles to %q, %q", p[0], p[1], spans, b, a)
		}
		for i, s := range spans {
			if s.Text == "" {
				t.Errorf("WordDiff(%q, %q): span %d is empty: %v", p[0], p[1], i, spans)
			}
		}
	}
}

func TestWordDiffTooManyDistinctWords(t *testing.T) {
	// More distinct tokens than the private-use planes can stand for: the diff
	// falls back to replacing the whole text, and still reassembles exactly.
	var b, a strings.Builder
	for i := 0; i < maxDiffTokens/2+10; i++ {
		fmt.Fprintf(&b, "b%d ", i)
		fmt.Fprintf(&a, "a%d ", i)
	}
	before, after := b.String(), a.String()
	got := WordDiff(before, after)
	want := []DiffSpan{del(before), ins(after)}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("WordDiff of more than %d distinct tokens: got %d spans, want whole delete then insert", maxDiffTokens, len(got))
	}
}

func TestDiffStats(t *testing.T) {
	tests := []struct {
		name                 string
		before, after        string
		wantAdded, wantRemov int
	}{
		{"identical", "same words here", "same words here", 0, 0},
		{"one word changed", "The minister resigned on Tuesday.", "The minister resigned on Wednesday.", 1, 1},
		{"sentence added", "First.", "First. Then three more.", 3, 0},
		{"words removed", "a very very big deal", "a big deal", 0, 2},
		{"all new", "", "one two three", 3, 0},
		{"all gone", "one two, three!", "", 0, 3},
		{"punctuation only", "Yes.", "Yes!", 0, 0},
		{"numbers count as words", "in 2024", "in 2025 and 2026", 3, 1},
		{"non-ASCII words", "Şenay Arık", "Şenay Arıkan İstanbul'da", 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := WordDiff(tt.before, tt.after)
			added, removed := DiffStats(spans)
			if added != tt.wantAdded || removed != tt.wantRemov {
				t.Errorf("DiffStats(WordDiff(%q, %q)) = +%d -%d, want +%d -%d\nspans %v",
					tt.before, tt.after, added, removed, tt.wantAdded, tt.wantRemov, spans)
			}
		})
	}
}

func TestDiffStatsOfSpans(t *testing.T) {
	spans := []DiffSpan{eq("one two "), del("three four"), ins("five"), eq(" six"), ins(", seven-eight")}
	added, removed := DiffStats(spans)
	if added != 3 || removed != 2 {
		t.Errorf("DiffStats = +%d -%d, want +3 -2", added, removed)
	}
	if a, r := DiffStats(nil); a != 0 || r != 0 {
		t.Errorf("DiffStats(nil) = +%d -%d, want +0 -0", a, r)
	}
}

// isWordRune: letters, digits and the marks that belong to them (vowel signs,
// combining accents) make up words.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r)
}

// wordCount counts maximal runs of word runes that start with a letter or digit
// (a mark standing alone after a space or punctuation is not a word).
func wordCount(s string) int {
	n := 0
	inWord := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			if !inWord {
				n++
			}
			inWord = true
		case unicode.Is(unicode.M, r) && inWord:
		default:
			inWord = false
		}
	}
	return n
}

// checkWordBoundaries reports a span boundary that falls between two letters or
// digits on either side of the diff, that is, a word cut in two.
func checkWordBoundaries(t *testing.T, spans []DiffSpan) {
	t.Helper()
	for _, side := range []DiffOp{DiffDelete, DiffInsert} {
		prev := ""
		for _, s := range spans {
			if s.Op != DiffEqual && s.Op != side {
				continue
			}
			if prev != "" {
				last, _ := utf8.DecodeLastRuneInString(prev)
				first, _ := utf8.DecodeRuneInString(s.Text)
				if isWordRune(last) && isWordRune(first) {
					t.Errorf("span boundary splits a word between %q and %q: %v", prev, s.Text, spans)
				}
			}
			prev = s.Text
		}
	}
}

func FuzzWordDiff(f *testing.F) {
	for _, p := range [][2]string{
		{"The minister resigned on Tuesday.", "The minister resigned on Wednesday."},
		{"", ""},
		{"a", ""},
		{"First para.\nSecond para.", "First para.\nNew para.\nSecond para."},
		{"Şenay Arık 👩🏽‍💻", "Senay Arik 👩"},
		{"a a a b a a", "a b a a a a"},
		{"\uFFFD\U000F0000\U0010FFFF", "\U000F0000 x"},
		{"abc abc abc", "abcabc abc"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, before, after string) {
		spans := WordDiff(before, after)
		b, a := sides(spans)
		if b != before || a != after {
			t.Fatalf("WordDiff(%q, %q) = %v\nreassembles to %q, %q", before, after, spans, b, a)
		}
		for i, s := range spans {
			if s.Text == "" {
				t.Errorf("span %d is empty: %v", i, spans)
			}
			if s.Op != DiffEqual && s.Op != DiffInsert && s.Op != DiffDelete {
				t.Errorf("span %d has unknown op %d", i, s.Op)
			}
		}
		checkWordBoundaries(t, spans)

		added, removed := DiffStats(spans)
		if added < 0 || removed < 0 || added > wordCount(after) || removed > wordCount(before) {
			t.Errorf("DiffStats = +%d -%d for texts of %d and %d words", added, removed, wordCount(before), wordCount(after))
		}
		if got, want := added-removed, wordCount(after)-wordCount(before); got != want {
			t.Errorf("DiffStats = +%d -%d: net %d, but word count changed by %d", added, removed, got, want)
		}
	})
}

// benchTexts builds two texts of about n words that differ in `changes` places.
func benchTexts(n, changes int) (before, after string) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := strings.Fields(`the council approved budget on Tuesday after debate
		minister said that city would spend more money schools roads buses
		libraries parks residents complained about rising rents and taxes while
		officials promised new housing projects next year in the north district`)
	words := make([]string, n)
	for i := range words {
		words[i] = vocab[rng.IntN(len(vocab))]
	}
	changed := append([]string(nil), words...)
	for i := 0; i < changes; i++ {
		changed[rng.IntN(n)] = fmt.Sprintf("changed%d", i)
	}
	join := func(ws []string) string {
		var b strings.Builder
		for i, w := range ws {
			if i > 0 {
				if i%40 == 0 {
					b.WriteString(".\n")
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(w)
		}
		return b.String()
	}
	return join(words), join(changed)
}

func BenchmarkWordDiff(b *testing.B) {
	before, after := benchTexts(10_000, 20)
	b.SetBytes(int64(len(before) + len(after)))
	for b.Loop() {
		WordDiff(before, after)
	}
}

func BenchmarkRenderMarkdown(b *testing.B) {
	words, _ := benchTexts(2_000, 0)
	paras := strings.Split(words, ".\n")
	var src strings.Builder
	src.WriteString("# A long article\n\n")
	for i, p := range paras {
		switch {
		case i%10 == 5:
			src.WriteString("## Section " + fmt.Sprint(i) + "\n\n")
		case i%10 == 7:
			src.WriteString("> " + p + "\n\n")
			continue
		case i%10 == 9:
			src.WriteString("- " + p[:len(p)/2] + "\n- " + p[len(p)/2:] + "\n\n")
			continue
		}
		ws := strings.Fields(p)
		ws[1] = "*" + ws[1] + "*"
		ws[3] = "[" + ws[3] + "](https://example.com/" + fmt.Sprint(i) + ")"
		src.WriteString(strings.Join(ws, " ") + ".\n\n")
	}
	r := NewRenderer()
	b.SetBytes(int64(src.Len()))
	for b.Loop() {
		if _, err := r.Render(FormatMarkdown, src.String()); err != nil {
			b.Fatal(err)
		}
	}
}
