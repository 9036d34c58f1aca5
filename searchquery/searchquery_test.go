package searchquery

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // the normalised query (Query.String)
		fts5     string
	}{
		{"one word", "summit", `summit`, `"summit"`},
		{"words are all required", "Tiverne  summit", `tiverne summit`, `"tiverne" "summit"`},
		{"phrase", `"missile test" Kessari`, `"missile test" kessari`, `"missile test" "kessari"`},
		{"curly quotes from a phone", "“missile test”", `"missile test"`, `"missile test"`},
		{"french quotes", "«missile test»", `"missile test"`, `"missile test"`},
		{"exclusion", "summit -postponed", `summit -postponed`, `("summit") NOT "postponed"`},
		{"excluded phrase", `talks -"port sallow"`, `talks -"port sallow"`, `("talks") NOT "port sallow"`},
		{"unicode minus", "talks −rask", `talks -rask`, `("talks") NOT "rask"`},
		{"prefix", "kess*", `kess*`, `"kess"*`},
		{"prefix phrase", `"foreign min"*`, `"foreign min"*`, `"foreign min"*`},
		{"one-letter prefix is a word", "k* talks", `k talks`, `"k" "talks"`},
		{"excluded prefix", "talks -kess*", `talks -kess*`, `("talks") NOT "kess"*`},
		{"inner punctuation is a phrase", "o'brien covid-19", `"o brien" "covid 19"`, `"o brien" "covid 19"`},
		{"accents kept for the index to fold", "Zürich Şenay", `zürich şenay`, `"zürich" "şenay"`},
		{"non-latin scripts", "東京 Москва", `東京 москва`, `"東京" "москва"`},
		{"unmatched quote is ignored", `"missile test`, `missile test`, `"missile" "test"`},
		{"unmatched quote after minus excludes the word", `talks -"rask`, `talks -rask`, `("talks") NOT "rask"`},
		{"empty quotes dropped", `"" summit`, `summit`, `"summit"`},
		{"lone minus and star dropped", "- * summit", `summit`, `"summit"`},
		{"fts5 operators are words", "summit OR talks NOT NEAR(a b)", `summit or talks not "near a" b`, `"summit" "or" "talks" "not" "near a" "b"`},
		{"column filter is words", "title:summit", `"title summit"`, `"title summit"`},
		{"caret and plus", "^summit +talks", `summit talks`, `"summit" "talks"`},
		{"sql fragment", `'; DROP TABLE articles; --`, `drop table articles`, `"drop" "table" "articles"`},
		{"quote inside a word ends it", `sum"mit talks"`, `sum "mit talks"`, `"sum" "mit talks"`},
		{"null bytes separate words", "sum\x00mit", `"sum mit"`, `"sum mit"`},
		{"invalid utf-8 separates words", "sum\xffmit", `sum mit`, `"sum" "mit"`},
		{"double minus", "talks --rask", `talks -rask`, `("talks") NOT "rask"`},
		{"star in the middle", "foo*bar", `"foo bar"`, `"foo bar"`},
		{"private-use marks are letters to the index", "a\uE000b", "a\uE000b", `"a` + "\uE000" + `b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if got := q.FTS5(); got != tt.fts5 {
				t.Errorf("FTS5 of %q = %s, want %s", tt.in, got, tt.fts5)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"nothing", "", ErrNoWords},
		{"spaces", "   \t ", ErrNoWords},
		{"punctuation only", `!!! ... "" ***`, ErrNoWords},
		{"only excluded", "-summit -talks", ErrOnlyExcluded},
		{"too long", strings.Repeat("a", MaxRunes+1), ErrTooLong},
		{"10,000 characters", strings.Repeat("summit ", 1500), ErrTooLong},
		{"too many terms", strings.Repeat("w ", MaxTerms+1), ErrTooManyTerms},
		{"too many words in phrases", `"` + strings.Repeat("w ", MaxTokens+1) + `"`, ErrTooManyTerms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%.40q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
	// The limit counts characters, not bytes.
	if _, err := Parse(strings.Repeat("é", MaxRunes)); err != nil {
		t.Errorf("500 two-byte letters: %v", err)
	}
}

func TestSegments(t *testing.T) {
	tests := []struct {
		in   string
		want string // marked runs in [brackets]
	}{
		{"plain", "plain"},
		{"a " + MarkStart + "hit" + MarkEnd + " b", "a [hit] b"},
		{MarkStart + "x" + MarkEnd + MarkStart + "y" + MarkEnd, "[x][y]"},
		{"unpaired " + MarkEnd + "end", "unpaired end"},
		{"open " + MarkStart + "to the end", "open [to the end]"},
		{"<b>&amp;" + MarkStart + "<i>" + MarkEnd, "<b>&amp;[<i>]"},
		{"", ""},
	}
	for _, tt := range tests {
		var b strings.Builder
		for _, s := range Segments(tt.in) {
			if s.Marked {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		if b.String() != tt.want {
			t.Errorf("Segments(%q) = %q, want %q", tt.in, b.String(), tt.want)
		}
	}
	if got := StripMarks("a " + MarkStart + "b" + MarkEnd); got != "a b" {
		t.Errorf("StripMarks = %q", got)
	}
}

// FuzzParse checks that any input either parses into a query whose FTS5
// form is well made, or is refused with one of the known errors.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"summit", `"missile test" -rask kess*`, `"unbalanced`, "NEAR(a b) OR c:d ^e",
		"sum\x00mit", "\xff\xfe", "-", "*", `""`, "“curly”", strings.Repeat("a ", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q, err := Parse(in)
		if err != nil {
			switch {
			case errors.Is(err, ErrNoWords), errors.Is(err, ErrOnlyExcluded), errors.Is(err, ErrTooLong), errors.Is(err, ErrTooManyTerms):
				return
			}
			t.Fatalf("Parse(%q): unexpected error %v", in, err)
		}
		if len(q.Include) == 0 {
			t.Fatalf("Parse(%q) has nothing to include", in)
		}
		tokens := 0
		for _, term := range append(append([]Term{}, q.Include...), q.Exclude...) {
			if len(term.Words) == 0 {
				t.Fatalf("Parse(%q) has an empty term", in)
			}
			for _, w := range term.Words {
				tokens++
				if w == "" || !utf8.ValidString(w) {
					t.Fatalf("Parse(%q) has the word %q", in, w)
				}
				for _, r := range w {
					if !IsTokenRune(r) {
						t.Fatalf("Parse(%q): word %q holds %q, which the index treats as a separator", in, w, r)
					}
				}
			}
		}
		if tokens > MaxTokens || len(q.Include)+len(q.Exclude) > MaxTerms {
			t.Fatalf("Parse(%q) exceeds the limits", in)
		}
		// The FTS5 form: balanced quotes, and outside quotes only the syntax we write.
		fts := q.FTS5()
		outside := ""
		inQuote := false
		for _, r := range fts {
			if r == '"' {
				inQuote = !inQuote
				continue
			}
			if !inQuote {
				outside += string(r)
			}
		}
		if inQuote {
			t.Fatalf("FTS5 form of %q has an unbalanced quote: %s", in, fts)
		}
		rest := strings.NewReplacer("NOT", "", "(", "", ")", "", "*", "", " ", "").Replace(outside)
		if rest != "" {
			t.Fatalf("FTS5 form of %q has %q outside quotes: %s", in, rest, fts)
		}
		// Parsing the normalised form gives the same query.
		again, err := Parse(q.String())
		if err != nil || again.String() != q.String() {
			t.Fatalf("Parse(%q) = %s, which parses again as %s (%v)", in, q.String(), again.String(), err)
		}
	})
}
