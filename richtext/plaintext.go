package richtext

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// isBlock reports whether an element ends a line of canonical text.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li,
		atom.Blockquote, atom.Pre, atom.Ul, atom.Ol, atom.Hr, atom.Div:
		return true
	}
	return false
}

// PlainText returns the canonical text of a sanitised body: each block on its own
// line, inline markup removed, runs of white space inside a block collapsed to one
// space. It is a pure function of the HTML, so positions in it are stable for a
// given revision.
func PlainText(htmlBody string) string {
	doc, err := html.Parse(strings.NewReader(htmlBody))
	if err != nil {
		// html.Parse only fails on reader errors, which a strings.Reader never gives.
		return ""
	}
	var lines []string
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		if line != "" {
			lines = append(lines, line)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			writeCollapsed(&cur, n.Data)
		case html.ElementNode:
			if n.DataAtom == atom.Br {
				flush()
				return
			}
		}
		block := n.Type == html.ElementNode && isBlock(n.DataAtom)
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(doc)
	flush()
	return strings.Join(lines, "\n")
}

// writeCollapsed appends s with every run of white space turned into one space,
// never starting a line with a space and never doubling one.
func writeCollapsed(b *strings.Builder, s string) {
	for _, r := range s {
		if unicode.IsSpace(r) {
			str := b.String()
			if len(str) == 0 || str[len(str)-1] == ' ' {
				continue
			}
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
}
