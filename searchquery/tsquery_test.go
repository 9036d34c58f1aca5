package searchquery

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestTSQuery(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
	}{
		{"one word", "summit", `'summit'`},
		{"words are all required", "Tiverne summit", `'tiverne' & 'summit'`},
		{"phrase", `"missile test" Kessari`, `('missile' <-> 'test') & 'kessari'`},
		{"exclusion", "summit -postponed", `'summit' & !'postponed'`},
		{"excluded phrase", `talks -"port sallow"`, `'talks' & !('port' <-> 'sallow')`},
		{"prefix", "kess*", `'kess':*`},
		{"prefix phrase: the last word", `"foreign min"*`, `('foreign' <-> 'min':*)`},
		{"excluded prefix", "talks -kess*", `'talks' & !'kess':*`},
		{"inner punctuation is a phrase", "covid-19", `('covid' <-> '19')`},
		{"accents left for search_fold", "Zürich", `'zürich'`},
		{"non-latin scripts", "東京 Москва", `'東京' & 'москва'`},
		{"tsquery operators are words", "a & b | !c <-> d:*", `'a' & 'b' & 'c' & 'd'`},
		{"sql fragment", `'; DROP TABLE articles; --`, `'drop' & 'table' & 'articles'`},
		{"quotes and backslashes stay inside", `o'brien \x`, `('o' <-> 'brien') & 'x'`},
		{"private-use marks are letters", "a\uE000b", "'a\uE000b'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := q.TSQuery(); got != tt.want {
				t.Errorf("TSQuery of %q = %s, want %s", tt.in, got, tt.want)
			}
			if err := checkTSQuery(q.TSQuery()); err != nil {
				t.Errorf("TSQuery of %q: %v", tt.in, err)
			}
		})
	}

	// Built by hand, terms the parser never makes are still written safely.
	odd := Query{
		Include: []Term{{Words: []string{"it's", `back\slash`}}, {Words: []string{""}}, {Words: []string{"", "x"}, Prefix: true}},
		Exclude: []Term{{Words: []string{""}}, {Words: []string{"y'"}}},
	}
	want := `('it''s' <-> 'back\\slash') & 'x':* & !'y'''`
	if got := odd.TSQuery(); got != want {
		t.Errorf("TSQuery of odd terms = %s, want %s", got, want)
	}
	if err := checkTSQuery(odd.TSQuery()); err != nil {
		t.Error(err)
	}
	// Nothing to find, or only exclusions: nothing to ask.
	for _, q := range []Query{{}, {Include: []Term{{Words: []string{""}}}, Exclude: []Term{{Words: []string{"x"}}}}} {
		if got := q.TSQuery(); got != "" {
			t.Errorf("TSQuery of %+v = %q, want nothing", q, got)
		}
	}
}

// FuzzTSQuery checks that every query Parse accepts becomes a well-made
// tsquery holding each of its words, and nothing else a user typed.
func FuzzTSQuery(f *testing.F) {
	for _, s := range []string{"summit", `"missile test" -rask kess*`, `"foreign min"* -"a b"*`, "a & b | !c <-> d:*",
		`o'brien \' \\ ''`, "sum\x00mit", "\xff\xfe", `""`, "“curly”", "東京 -Москва", strings.Repeat("a ", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q, err := Parse(in)
		if err != nil {
			return // FuzzParse checks the refusals
		}
		tsq := q.TSQuery()
		if err := checkTSQuery(tsq); err != nil {
			t.Fatalf("TSQuery of %q = %s: %v", in, tsq, err)
		}
		for _, term := range append(append([]Term{}, q.Include...), q.Exclude...) {
			for _, w := range term.Words {
				if !strings.Contains(tsq, "'"+strings.ReplaceAll(w, "'", "''")) {
					t.Fatalf("TSQuery of %q = %s lacks the word %q", in, tsq, w)
				}
			}
		}
	})
}

// checkTSQuery reads s by the grammar TSQuery writes, a subset of
// PostgreSQL's tsquery syntax:
//
//	query  = term { " & " term }
//	term   = [ "!" ] ( lexeme | "(" lexeme { " <-> " lexeme } ")" )
//	lexeme = "'" { char | "''" | "\\" char } "'" [ ":*" ]   (at least one char)
func checkTSQuery(s string) error {
	r := tsReader{s: s}
	if s == "" {
		return errors.New("empty")
	}
	for {
		if err := r.term(); err != nil {
			return err
		}
		if r.done() {
			return nil
		}
		if !r.take(" & ") {
			return r.fail("want & between terms")
		}
	}
}

type tsReader struct {
	s   string
	pos int
}

func (r *tsReader) done() bool { return r.pos == len(r.s) }

func (r *tsReader) take(lit string) bool {
	if strings.HasPrefix(r.s[r.pos:], lit) {
		r.pos += len(lit)
		return true
	}
	return false
}

func (r *tsReader) fail(msg string) error {
	return fmt.Errorf("%s at %d of %q", msg, r.pos, r.s)
}

func (r *tsReader) term() error {
	r.take("!")
	if !r.take("(") {
		return r.lexeme()
	}
	for {
		if err := r.lexeme(); err != nil {
			return err
		}
		if r.take(")") {
			return nil
		}
		if !r.take(" <-> ") {
			return r.fail("want <-> or ) in a phrase")
		}
	}
}

func (r *tsReader) lexeme() error {
	if !r.take("'") {
		return r.fail("want a quoted lexeme")
	}
	n := 0
	for {
		switch {
		case r.done():
			return r.fail("unterminated lexeme")
		case r.take("''"), r.take(`\\`), r.take(`\'`):
			n++
		case r.s[r.pos] == '\\':
			return r.fail("a lone backslash")
		case r.take("'"):
			if n == 0 {
				return r.fail("an empty lexeme")
			}
			r.take(":*")
			return nil
		default:
			r.pos++
			n++
		}
	}
}
