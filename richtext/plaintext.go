package richtext

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
// space, no space at either end of a line. It is a pure function of the HTML, so
// positions in it (counted in code points) are stable for a given revision.
func PlainText(htmlBody string) string {
	doc, err := html.Parse(strings.NewReader(htmlBody))
	if err != nil {
		// html.Parse only fails on reader errors, which a strings.Reader never gives.
		return ""
	}
	return string(canonicalize(doc).text)
}

// source is where a rune of canonical text came from: a text node and the
// byte offset in it. Line breaks between blocks have no source.
type source struct {
	node *html.Node
	off  int
}

// canonical is the canonical text of a parsed body with, for each of its code
// points, the place in the document it came from.
type canonical struct {
	text []rune
	src  []source
}

// canonicalize walks the document once, building the canonical text and its
// index together, so highlights can be mapped back to the very text nodes the
// canonical positions were counted in.
func canonicalize(doc *html.Node) canonical {
	var c canonical
	lineHasText, needNewline := false, false
	pendingSpace := false
	var pendingSrc source
	emit := func(r rune, s source) {
		if needNewline {
			c.text = append(c.text, '\n')
			c.src = append(c.src, source{})
			needNewline = false
		}
		if pendingSpace {
			c.text = append(c.text, ' ')
			c.src = append(c.src, pendingSrc)
			pendingSpace = false
		}
		c.text = append(c.text, r)
		c.src = append(c.src, s)
		lineHasText = true
	}
	flush := func() {
		if lineHasText {
			needNewline = true
		}
		lineHasText, pendingSpace = false, false
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			for off, r := range n.Data {
				if unicode.IsSpace(r) {
					// Spaces at the start of a line are dropped; a run inside a
					// line becomes one space, written only if text follows.
					if lineHasText && !pendingSpace {
						pendingSpace, pendingSrc = true, source{n, off}
					}
					continue
				}
				emit(r, source{n, off})
			}
			return
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
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
		if block {
			flush()
		}
	}
	walk(doc)
	return c
}

// runeLen is the byte length of the rune at s[off:].
func runeLen(s string, off int) int {
	_, n := utf8.DecodeRuneInString(s[off:])
	return n
}
