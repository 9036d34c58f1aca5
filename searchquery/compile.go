package searchquery

import "strings"

// FTS5 writes the query as an SQLite FTS5 MATCH expression. Every word is
// quoted, so nothing a user typed can act as FTS5 syntax (AND, OR, NOT, NEAR,
// ^, column filters, parentheses): each term is a quoted phrase, terms are
// joined by FTS5's implicit AND, and excluded terms follow NOT.
// PostgreSQL's compiler, TSQuery, is below.
func (q Query) FTS5() string {
	var b strings.Builder
	if len(q.Exclude) > 0 {
		b.WriteByte('(')
	}
	for i, t := range q.Include {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeFTS5Term(&b, t)
	}
	if len(q.Exclude) > 0 {
		b.WriteByte(')')
	}
	for _, t := range q.Exclude {
		b.WriteString(" NOT ")
		writeFTS5Term(&b, t)
	}
	return b.String()
}

func writeFTS5Term(b *strings.Builder, t Term) {
	b.WriteByte('"')
	for i, w := range t.Words {
		if i > 0 {
			b.WriteByte(' ')
		}
		// Words hold only letters and numbers, but a quote inside an FTS5
		// string is doubled, so even a stray one could not end the string.
		b.WriteString(strings.ReplaceAll(w, `"`, `""`))
	}
	b.WriteByte('"')
	if t.Prefix {
		b.WriteByte('*')
	}
}

// TSQuery writes the query as PostgreSQL tsquery text, for to_tsquery (the
// models read it through their search_query function, which folds accents
// first). Every word is a quoted lexeme, so nothing a user typed can act as
// tsquery syntax: included terms are joined by &, a phrase's words by <->,
// a prefix ends in :*, and excluded terms follow & !. It is "" when the
// query has nothing to find.
func (q Query) TSQuery() string {
	var b strings.Builder
	n := 0
	for _, t := range q.Include {
		if !hasWord(t) {
			continue
		}
		if n > 0 {
			b.WriteString(" & ")
		}
		writeTSTerm(&b, t)
		n++
	}
	if n == 0 { // exclusions alone would match nearly everything
		return ""
	}
	for _, t := range q.Exclude {
		if !hasWord(t) {
			continue
		}
		b.WriteString(" & !")
		writeTSTerm(&b, t)
	}
	return b.String()
}

func hasWord(t Term) bool {
	for _, w := range t.Words {
		if w != "" {
			return true
		}
	}
	return false
}

// writeTSTerm writes a term, a phrase in parentheses so that ! applies to all
// of it. An empty word is skipped: an empty quoted lexeme is a syntax
// error in a tsquery.
func writeTSTerm(b *strings.Builder, t Term) {
	var words []string
	for _, w := range t.Words {
		if w != "" {
			words = append(words, w)
		}
	}
	if len(words) > 1 {
		b.WriteByte('(')
	}
	for i, w := range words {
		if i > 0 {
			b.WriteString(" <-> ")
		}
		b.WriteByte('\'')
		// Words hold only letters and numbers, but inside a quoted lexeme a
		// quote is doubled and a backslash escaped, so even a stray one could
		// not end it.
		for _, r := range w {
			switch r {
			case '\'':
				b.WriteString("''")
			case '\\':
				b.WriteString(`\\`)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('\'')
		if t.Prefix && i == len(words)-1 {
			b.WriteString(":*")
		}
	}
	if len(words) > 1 {
		b.WriteByte(')')
	}
}
