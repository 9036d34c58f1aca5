// Package searchquery reads what people type into a search box: words (all
// must match), "quoted phrases", -excluded words or phrases and word* prefixes.
// It turns any input into a neutral query (a list of terms made of plain
// tokens) that each database's compiler writes in its own syntax; nothing the
// user typed reaches a database as syntax. It has no database inside.
package searchquery

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on one query. They keep the work a query asks of the index bounded.
const (
	MaxRunes  = 500 // characters of the query as it is written back (Query.String)
	MaxTerms  = 16  // words and phrases, included and excluded together
	MaxTokens = 32  // words in all terms together
	MinPrefix = 2   // characters before a * (shorter prefixes match too much to be useful)
)

// Errors a query can be refused with. Their messages are meant for people.
var (
	ErrNoWords      = errors.New("Type at least one word to search for; punctuation and symbols on their own are not searched.")
	ErrOnlyExcluded = errors.New("A search needs at least one word to find, not only words to leave out (those start with -).")
	ErrTooLong      = errors.New("This search is too long: use at most 500 characters.")
	ErrTooManyTerms = errors.New("This search has too many words: use at most 16 words or phrases.")
)

// Term is one thing to look for: a single word, or several words that must
// appear next to each other in this order (a phrase).
type Term struct {
	Words  []string // lower-case tokens; never empty
	Prefix bool     // the last word may be the start of a longer word
	Quoted bool     // typed in quotes (a word with inner punctuation is a phrase too, but not quoted)
}

// Phrase reports whether the term needs its words next to each other.
func (t Term) Phrase() bool { return len(t.Words) > 1 }

// String writes the term back in the syntax people type.
func (t Term) String() string {
	s := strings.Join(t.Words, " ")
	if t.Quoted || t.Phrase() {
		s = `"` + s + `"`
	}
	if t.Prefix {
		s += "*"
	}
	return s
}

// Query is a parsed search: every Include term must match and no Exclude term may.
type Query struct {
	Include []Term
	Exclude []Term
}

// String writes the query back in the syntax people type, normalised.
func (q Query) String() string {
	var parts []string
	for _, t := range q.Include {
		parts = append(parts, t.String())
	}
	for _, t := range q.Exclude {
		parts = append(parts, "-"+t.String())
	}
	return strings.Join(parts, " ")
}

// Words lists every word the query looks for (not the excluded ones), for
// messages such as "no results for …".
func (q Query) Words() []string {
	var out []string
	for _, t := range q.Include {
		out = append(out, t.Words...)
	}
	return out
}

func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '‟', '«', '»': // phones type curly quotes
		return true
	}
	return false
}

func isMinus(r rune) bool { return r == '-' || r == '−' || r == '–' }

// IsTokenRune reports whether r belongs to a word. It follows SQLite FTS5's
// unicode61 tokenizer (letters, numbers and private-use characters; everything
// else separates words), so a word here is a word in the index too.
func IsTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// tokens splits text into lower-case words.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !IsTokenRune(r) })
}

// Parse reads a search. Malformed syntax is read as plain words: an unmatched
// quote is ignored, a lone - or * is dropped, operators such as AND, OR, NEAR
// or column: are ordinary words. It fails only when nothing is left to search
// for, or the query is too long.
func Parse(input string) (Query, error) {
	input = strings.ToValidUTF8(input, " ")
	// The raw input is bounded generously, to bound the work; the limit people
	// are told about applies to the normalised query below, so that the
	// normalised form of an accepted search (quotes added around words that
	// a symbol joined, say) is always accepted again.
	if utf8.RuneCountInString(input) > 4*MaxRunes {
		return Query{}, ErrTooLong
	}
	var q Query
	tokenCount := 0
	add := func(t Term, exclude bool) {
		if len(t.Words) == 0 {
			return
		}
		tokenCount += len(t.Words)
		if exclude {
			q.Exclude = append(q.Exclude, t)
		} else {
			q.Include = append(q.Include, t)
		}
	}

	rs := []rune(input)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		exclude := false
		for i < len(rs) && isMinus(rs[i]) {
			exclude = true
			i++
		}
		if i < len(rs) && isQuote(rs[i]) {
			end := i + 1
			for end < len(rs) && !isQuote(rs[end]) {
				end++
			}
			if end < len(rs) { // a closed phrase
				t := Term{Words: tokens(string(rs[i+1 : end])), Quoted: true}
				i = end + 1
				if i < len(rs) && rs[i] == '*' {
					t.Prefix = true
					i++
				}
				add(finishPrefix(t), exclude)
				continue
			}
			// An unmatched quote is ignored: what follows is read as words.
			i++
			if exclude && i < len(rs) && !unicode.IsSpace(rs[i]) {
				// -"word stays an exclusion of the word.
				end := chunkEnd(rs, i)
				add(wordTerm(string(rs[i:end])), true)
				i = end
			}
			continue
		}
		end := chunkEnd(rs, i)
		add(wordTerm(string(rs[i:end])), exclude)
		i = end
	}

	switch {
	case len(q.Include)+len(q.Exclude) > MaxTerms || tokenCount > MaxTokens:
		return Query{}, ErrTooManyTerms
	case len(q.Include) == 0 && len(q.Exclude) > 0:
		return Query{}, ErrOnlyExcluded
	case len(q.Include) == 0:
		return Query{}, ErrNoWords
	}
	if utf8.RuneCountInString(q.String()) > MaxRunes {
		return Query{}, ErrTooLong
	}
	return q, nil
}

// chunkEnd finds the end of a run of characters that is not space or a quote.
func chunkEnd(rs []rune, i int) int {
	for i < len(rs) && !unicode.IsSpace(rs[i]) && !isQuote(rs[i]) {
		i++
	}
	return i
}

// wordTerm reads one unquoted chunk: a word, a word*, or a few words joined by
// punctuation ("o'brien", "covid-19"), which the index also stores as
// neighbouring words and so is searched as a phrase.
func wordTerm(chunk string) Term {
	t := Term{Words: tokens(chunk)}
	t.Prefix = strings.HasSuffix(chunk, "*")
	return finishPrefix(t)
}

// finishPrefix drops a * that follows too short a word (or none).
func finishPrefix(t Term) Term {
	if t.Prefix && (len(t.Words) == 0 || utf8.RuneCountInString(t.Words[len(t.Words)-1]) < MinPrefix) {
		t.Prefix = false
	}
	return t
}
