package richtext

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// normalizeBlocks prepares pasted HTML for the sanitiser, which removes the tags
// it does not allow but keeps their text. Layout containers (div, table cells,
// definition lists…) would then vanish with nothing between their texts, so
// "<div>Hello</div><div>world</div>" would read "Helloworld". Here a container
// holding only inline content becomes a paragraph, and one holding blocks is
// unwrapped, its loose inline runs wrapped in paragraphs. A pasted h1 becomes an
// h2, since the article's title is the page's h1.
func normalizeBlocks(src string) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), body)
	if err != nil {
		return src // a strings.Reader never fails; keep the input for the sanitiser
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	normalizeChildren(body)
	var buf bytes.Buffer
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&buf, c); err != nil {
			return src
		}
	}
	return buf.String()
}

// isContainer reports whether an element only lays out blocks of text and is
// not in the stored subset.
func isContainer(a atom.Atom) bool {
	switch a {
	case atom.Div, atom.Section, atom.Article, atom.Aside, atom.Header, atom.Footer, atom.Main,
		atom.Nav, atom.Figure, atom.Figcaption, atom.Address, atom.Details, atom.Summary,
		atom.Table, atom.Thead, atom.Tbody, atom.Tfoot, atom.Tr, atom.Td, atom.Th, atom.Caption,
		atom.Dl, atom.Dt, atom.Dd, atom.Center, atom.Form, atom.Fieldset:
		return true
	}
	return false
}

// holdsOnlyText reports whether an element of the stored subset may hold
// inline content only.
func holdsOnlyText(a atom.Atom) bool {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// isBlockLike reports whether an element starts its own block of text.
func isBlockLike(n *html.Node) bool {
	return n.Type == html.ElementNode && (isBlock(n.DataAtom) || isContainer(n.DataAtom))
}

func normalizeChildren(parent *html.Node) {
	for c := parent.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if c.DataAtom == atom.H1 {
				c.DataAtom, c.Data = atom.H2, "h2"
			}
			normalizeChildren(c)
			switch {
			case isContainer(c.DataAtom):
				replaceContainer(c)
			case holdsOnlyText(c.DataAtom) && hasBlockChild(c):
				// A paragraph or heading cannot hold a block ("<h1><a><h1>" nests
				// one heading in another through the link): the blocks stand on
				// their own and the loose text around them becomes paragraphs,
				// or the stored HTML would change when parsed again.
				replaceContainer(c)
			case !isBlock(c.DataAtom) && hasBlockChild(c):
				// An inline element (often one the sanitiser drops, like a stray
				// "<A0") cannot hold a paragraph: keep its content, not the wrapper,
				// or the stored HTML nests paragraphs and changes when parsed again.
				unwrap(c)
			}
		}
		c = next
	}
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isBlockLike(c) {
			return true
		}
	}
	return false
}

// replaceContainer turns a container into a paragraph, or unwraps it when it
// holds blocks, so its text keeps its own line.
func replaceContainer(n *html.Node) {
	hasBlock := hasBlockChild(n)
	parent := n.Parent
	if !hasBlock {
		if parent != nil && parent.Type == html.ElementNode && parent.DataAtom == atom.P {
			// A paragraph inside a paragraph is not valid HTML: just unwrap.
			unwrap(n)
			return
		}
		n.DataAtom, n.Data, n.Attr = atom.P, "p", nil
		return
	}
	// Wrap each run of inline children in a paragraph, then unwrap the container.
	var run *html.Node
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if isBlockLike(c) || (c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" && run == nil) {
			run = nil
		} else {
			if run == nil {
				run = &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
				n.InsertBefore(run, c)
			}
			n.RemoveChild(c)
			run.AppendChild(c)
		}
		c = next
	}
	unwrap(n)
}

// unwrap replaces a node by its children.
func unwrap(n *html.Node) {
	parent := n.Parent
	if parent == nil {
		return
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		parent.InsertBefore(c, n)
		c = next
	}
	parent.RemoveChild(n)
}
