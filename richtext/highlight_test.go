package richtext

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// markedText returns, for each mark id, the text of its <mark> pieces in
// document order, and the body's text with the note markers removed.
func markedText(t testing.TB, body string) (map[string]string, string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Sup {
			for _, a := range n.Attr {
				if a.Key == "class" && a.Val == "note-ref" {
					n.Parent.RemoveChild(n)
					return
				}
			}
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Mark {
			for _, a := range n.Attr {
				if a.Key == "data-marks" {
					for _, id := range strings.Fields(a.Val) {
						got[id] += n.FirstChild.Data
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			walk(c)
			c = next
		}
	}
	walk(doc)
	var buf strings.Builder
	if err := html.Render(&buf, doc); err != nil {
		t.Fatal(err)
	}
	return got, PlainText(buf.String())
}

// squash drops white space and decodes invalid UTF-8 as U+FFFD, as the canonical text does.
func squash(s string) string {
	return strings.Join(strings.FieldsFunc(string([]rune(s)), unicode.IsSpace), "")
}

func TestHighlight(t *testing.T) {
	body := `<p>The <em>summit</em> in Tiverne was   cancelled.</p><p>Officials said so on <strong>Sunday</strong>.</p>`
	text := []rune(PlainText(body)) // "The summit in Tiverne was cancelled.\nOfficials said so on Sunday."
	tests := []struct {
		name  string
		marks []Mark
		want  map[string]string
	}{
		{"inside one text node", []Mark{{Start: 14, End: 21, ID: "a", Href: "#n-a", Label: "1"}}, map[string]string{"a": "Tiverne"}},
		{"across inline markup", []Mark{{Start: 4, End: 21, ID: "a", Href: "#n-a", Label: "1"}}, map[string]string{"a": "summit in Tiverne"}},
		{"across blocks", []Mark{{Start: 26, End: 46, ID: "a", Href: "#n-a", Label: "1"}}, map[string]string{"a": "cancelled.Officials"}},
		{"overlapping", []Mark{{Start: 4, End: 21, ID: "a"}, {Start: 14, End: 35, ID: "b"}},
			map[string]string{"a": "summit in Tiverne", "b": "Tiverne was cancelled"}},
		{"out of range is clipped", []Mark{{Start: 58, End: 500, ID: "a"}}, map[string]string{"a": "Sunday."}},
		{"starting together", []Mark{{Start: 4, End: 10, ID: "a", Href: "#n-a", Label: "1"}, {Start: 4, End: 21, ID: "b"}},
			map[string]string{"a": "summit", "b": "summit in Tiverne"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Highlight(body, tt.marks)
			if err != nil {
				t.Fatal(err)
			}
			got, plain := markedText(t, out)
			if plain != string(text) {
				t.Errorf("highlighting changed the canonical text:\n%q\n%q", plain, string(text))
			}
			for id, want := range tt.want {
				if squash(got[id]) != squash(want) {
					t.Errorf("mark %s covers %q, want %q\n%s", id, got[id], want, out)
				}
			}
			if tt.marks[0].Href != "" && !strings.Contains(out, `<sup class="note-ref"><a href="#n-a" aria-label="Note 1">1</a></sup>`) {
				t.Errorf("no note marker:\n%s", out)
			}
			for _, m := range tt.marks {
				if strings.Count(out, `id="hl-`+m.ID+`"`) != 1 {
					t.Errorf("id hl-%s should be in the page exactly once:\n%s", m.ID, out)
				}
			}
			if strings.Contains(out, `" id="`) {
				t.Errorf("an element has two ids:\n%s", out)
			}
		})
	}
}

func FuzzHighlight(f *testing.F) {
	f.Add("<p>The <em>summit</em> was cancelled.</p><p>Then talks resumed.</p>", 4, 20, 10, 30)
	f.Add("<p>a  b</p>", 0, 3, 1, 2)
	f.Add("<ul><li>one</li><li>two <b>three</b></li></ul>", 2, 9, 0, 100)
	f.Fuzz(func(t *testing.T, body string, s1, e1, s2, e2 int) {
		clean := NewRenderer().policy.Sanitize(body)
		text := []rune(PlainText(clean))
		marks := []Mark{{Start: s1, End: e1, ID: "a", Href: "#a", Label: "1"}, {Start: s2, End: e2, ID: "b"}}
		out, err := Highlight(clean, marks)
		if err != nil {
			t.Fatal(err)
		}
		got, plain := markedText(t, out)
		if plain != string(text) {
			t.Fatalf("highlighting changed the canonical text:\n%q\n%q\n%s", plain, string(text), out)
		}
		if strings.Count(out, `id="hl-a"`) > 1 || strings.Count(out, `id="hl-b"`) > 1 {
			t.Fatalf("a mark's id appears twice:\n%s", out)
		}
		for _, m := range marks {
			start, end := max(m.Start, 0), min(m.End, len(text))
			want := ""
			if start < end {
				want = string(text[start:end])
			}
			if squash(got[m.ID]) != squash(want) {
				t.Fatalf("mark %s covers %q, want %q\n%s", m.ID, got[m.ID], want, out)
			}
		}
	})
}
