package richtext

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Mark is a passage to highlight, in canonical-text code points [Start, End).
type Mark struct {
	Start, End int
	ID         string // unique per mark: the first piece gets id="hl-<ID>"
	Href       string // where the note marker after the passage links to
	Label      string // the marker's visible text, e.g. "1"
	Class      string // extra class on the <mark> pieces, e.g. "hl--staff"
	// AriaLabel names the marker link for screen readers; "Note <Label>" when empty.
	AriaLabel string
}

// Highlight wraps each mark's passage of a sanitised body in <mark> elements
// (several when it crosses inline tags or blocks) and puts a numbered link to
// its note after it. Overlapping marks share pieces, whose data-marks list
// every mark they belong to. Positions are those of PlainText on the same
// body; marks outside the text are ignored.
func Highlight(htmlBody string, marks []Mark) (string, error) {
	if len(marks) == 0 {
		return htmlBody, nil
	}
	doc, err := html.Parse(strings.NewReader(htmlBody))
	if err != nil {
		return "", fmt.Errorf("parse body: %w", err)
	}
	c := canonicalize(doc)
	n := len(c.text)

	// covering[i] lists the marks over canonical position i.
	covering := make([][]int, n)
	lastPos := map[int]int{} // mark index → its last canonical position with a source
	for mi, m := range marks {
		start, end := max(m.Start, 0), min(m.End, n)
		for i := start; i < end; i++ {
			if c.src[i].node != nil {
				covering[i] = append(covering[i], mi)
				lastPos[mi] = i
			}
		}
	}

	// Group canonical positions by text node, keeping document order.
	type piece struct{ off, canon int }
	byNode := map[*html.Node][]piece{}
	var nodes []*html.Node
	for i, s := range c.src {
		if s.node == nil {
			continue
		}
		if _, seen := byNode[s.node]; !seen {
			nodes = append(nodes, s.node)
		}
		byNode[s.node] = append(byNode[s.node], piece{s.off, i})
	}

	firstDone := map[int]bool{}
	for _, tn := range nodes {
		pieces := byNode[tn]
		if !anyCovered(pieces, func(p piece) []int { return covering[p.canon] }) {
			continue
		}
		// Cut the node's text where the set of covering marks changes.
		type segment struct {
			from, to int // bytes in tn.Data
			marks    []int
		}
		var segs []segment
		cur := segment{from: 0, marks: nil}
		for _, p := range pieces {
			set := covering[p.canon]
			if !slices.Equal(set, cur.marks) {
				// Collapsed white space between two pieces of the same marks stays
				// inside them; otherwise the cut falls just before this rune.
				cur.to = p.off
				segs = append(segs, cur)
				cur = segment{from: p.off, marks: set}
			}
		}
		cur.to = len(tn.Data)
		if cur.marks != nil {
			// Trailing white space after the last marked rune stays outside.
			last := pieces[len(pieces)-1]
			endOfRune := last.off + runeLen(tn.Data, last.off)
			segs = append(segs, segment{from: cur.from, to: endOfRune, marks: cur.marks}, segment{from: endOfRune, to: cur.to})
		} else {
			segs = append(segs, cur)
		}

		parent := tn.Parent
		for _, sg := range segs {
			if sg.from >= sg.to {
				continue
			}
			text := &html.Node{Type: html.TextNode, Data: tn.Data[sg.from:sg.to]}
			if len(sg.marks) == 0 {
				parent.InsertBefore(text, tn)
				continue
			}
			mark := &html.Node{Type: html.ElementNode, Data: "mark", DataAtom: atom.Mark}
			classes := []string{"hl"}
			var ids []string
			for _, mi := range sg.marks {
				ids = append(ids, marks[mi].ID)
				if marks[mi].Class != "" {
					classes = append(classes, marks[mi].Class)
				}
				if firstDone[mi] {
					continue
				}
				firstDone[mi] = true
				id := html.Attribute{Key: "id", Val: "hl-" + marks[mi].ID}
				if !hasAttr(mark, "id") {
					mark.Attr = append(mark.Attr, id)
					continue
				}
				// Another mark starts here too: an element holds one id, so this
				// one's link target is an empty span just before the piece.
				parent.InsertBefore(&html.Node{Type: html.ElementNode, Data: "span", DataAtom: atom.Span,
					Attr: []html.Attribute{id, {Key: "class", Val: "hl-anchor"}}}, tn)
			}
			mark.Attr = append(mark.Attr,
				html.Attribute{Key: "class", Val: strings.Join(dedupe(classes), " ")},
				html.Attribute{Key: "data-marks", Val: strings.Join(ids, " ")})
			mark.AppendChild(text)
			parent.InsertBefore(mark, tn)
			// After the piece holding a mark's last rune, its note marker.
			for _, mi := range sg.marks {
				if lp, ok := lastPos[mi]; ok && c.src[lp].node == tn && c.src[lp].off >= sg.from && c.src[lp].off < sg.to && marks[mi].Href != "" {
					parent.InsertBefore(noteRef(marks[mi]), tn)
				}
			}
		}
		parent.RemoveChild(tn)
	}

	body := findBody(doc)
	var buf bytes.Buffer
	for ch := body.FirstChild; ch != nil; ch = ch.NextSibling {
		if err := html.Render(&buf, ch); err != nil {
			return "", fmt.Errorf("render highlighted body: %w", err)
		}
	}
	return buf.String(), nil
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// noteRef is the small numbered link from a passage to its note.
func noteRef(m Mark) *html.Node {
	label, class := m.AriaLabel, "note-ref"
	if label == "" {
		label = "Note " + m.Label
	} else {
		class = "note-ref note-ref--item"
	}
	sup := &html.Node{Type: html.ElementNode, Data: "sup", DataAtom: atom.Sup,
		Attr: []html.Attribute{{Key: "class", Val: class}}}
	a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{
		{Key: "href", Val: m.Href}, {Key: "aria-label", Val: label}}}
	a.AppendChild(&html.Node{Type: html.TextNode, Data: m.Label})
	sup.AppendChild(a)
	return sup
}

func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Body {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

func anyCovered[P any](ps []P, set func(P) []int) bool {
	for _, p := range ps {
		if len(set(p)) > 0 {
			return true
		}
	}
	return false
}

func dedupe(s []string) []string {
	sort.Strings(s[1:])
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}
