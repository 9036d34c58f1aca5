package searchquery

import "strings"

// FTS5 writes the query as an SQLite FTS5 MATCH expression. Every word is
// quoted, so nothing a user typed can act as FTS5 syntax (AND, OR, NOT, NEAR,
// ^, column filters, parentheses): each term is a quoted phrase, terms are
// joined by FTS5's implicit AND, and excluded terms follow NOT.
//
// Other databases get their own compiler beside this one, from the same Query
// (PostgreSQL: to_tsquery with & , <-> , :* and !).
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
