package richtext

import (
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"only white space", " \n\t ", ""},
		{"empty blocks", "<p></p><p>  </p><ul><li></li></ul>", ""},
		{"paragraphs on separate lines", "<p>one</p><p>two</p>", "one\ntwo"},
		{"inline markup removed", "<p>a <em>b</em> c</p>", "a b c"},
		{"inline markup adds no space", "<p>un<strong>believ</strong>able</p>", "unbelievable"},
		{"link text kept", `<p>see <a href="https://example.com/">the report</a>.</p>`, "see the report."},
		{"white space runs collapsed", "<p>  a \n\n\t b   c  </p>", "a b c"},
		{"space across inline boundary not doubled", "<p>a <em> b </em> c</p>", "a b c"},
		{"no-break space collapsed", "<p>a&nbsp;&nbsp; b</p>", "a b"},
		{"br splits lines", "<p>line one<br>line two</p>", "line one\nline two"},
		{"repeated br leaves no empty line", "<p>a<br><br><br>b</p>", "a\nb"},
		{"headings on own lines", "<h2>Title</h2><p>body</p><h3>Sub</h3>", "Title\nbody\nSub"},
		{"list items on own lines", "<ul><li>one</li><li>two</li></ul><ol><li>three</li></ol>", "one\ntwo\nthree"},
		{"nested list", "<ul><li>outer<ul><li>inner</li></ul></li></ul>", "outer\ninner"},
		{"nested blockquote and paragraphs", "<blockquote><p>q1</p><p>q2</p></blockquote><p>after</p>", "q1\nq2\nafter"},
		{"blockquote without paragraph", "a<blockquote>quote</blockquote>after", "a\nquote\nafter"},
		{"blockquote inside list", "<ul><li>a<blockquote><p>quoted</p></blockquote>b</li></ul>", "a\nquoted\nb"},
		{"pre collapses white space", "<pre><code>x :=  1\n\ty := 2\n</code></pre>", "x := 1 y := 2"},
		{"hr separates", "<p>a</p><hr><p>b</p>", "a\nb"},
		{"div is a block", "<div>a</div><div>b</div>", "a\nb"},
		{"h1 is a block", "<h1>a</h1>b", "a\nb"},
		{"text outside blocks", "a<p>b</p>c", "a\nb\nc"},
		{"entities decoded", "<p>Tom &amp; Jerry &lt;3 &quot;x&quot; &#39;y&#39;</p>", "Tom & Jerry <3 \"x\" 'y'"},
		{"non-ASCII kept", "<p>Şenay Arık, İstanbul — “quoted” 👩🏽‍💻 🇹🇷</p>", "Şenay Arık, İstanbul — “quoted” 👩🏽‍💻 🇹🇷"},
		{"combining marks kept", "<p>Ame\u0301lie</p>", "Ame\u0301lie"},
		{"plain text without tags", "just text", "just text"},
		{"CRLF line endings", "<p>a\r\nb</p>\r\n<p>c</p>", "a b\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlainTextOfRenderedMarkdown(t *testing.T) {
	const article = `# Council approves budget

The council **approved** the 2025 budget on *Tuesday*,
after a [three-hour debate](https://example.com/debate).

## What changes

- Bus fares fall by 10%
- Libraries open on Sundays

> "It is a fair budget," said Şenay Arık.

Reporting by the desk.
`
	out, err := NewRenderer().Render(FormatMarkdown, article)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"Council approves budget",
		"The council approved the 2025 budget on Tuesday, after a three-hour debate.",
		"What changes",
		"Bus fares fall by 10%",
		"Libraries open on Sundays",
		`"It is a fair budget," said Şenay Arık.`,
		"Reporting by the desk.",
	}, "\n")
	if got := PlainText(out); got != want {
		t.Errorf("PlainText(Render(article)) =\n%s\nwant\n%s\nHTML:\n%s", got, want, out)
	}
}

func TestPlainTextIsStableUnderRerender(t *testing.T) {
	// The text anchors are computed on must not move when a stored body is
	// sanitised again (for example by a migration re-rendering every revision).
	r := NewRenderer()
	src := "# T\n\nA *b* [c](https://example.com/) d.\n\n- e\n- f\n\n> g"
	once, err := r.Render(FormatMarkdown, src)
	if err != nil {
		t.Fatal(err)
	}
	twice, err := r.Render(FormatHTML, once)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := PlainText(once), PlainText(twice); a != b {
		t.Errorf("plain text changed on re-render: %q then %q", a, b)
	}
}

// checkPlainTextShape reports lines that begin or end with space, empty lines, and
// white space other than single spaces inside a line.
func checkPlainTextShape(t *testing.T, in, got string) {
	t.Helper()
	if got == "" {
		return
	}
	for i, line := range strings.Split(got, "\n") {
		if line == "" {
			t.Errorf("PlainText(%q): line %d is empty; output %q", in, i, got)
			continue
		}
		first, _ := utf8.DecodeRuneInString(line)
		last, _ := utf8.DecodeLastRuneInString(line)
		if unicode.IsSpace(first) || unicode.IsSpace(last) {
			t.Errorf("PlainText(%q): line %d %q starts or ends with space", in, i, line)
		}
		if strings.Contains(line, "  ") {
			t.Errorf("PlainText(%q): line %d %q has a double space", in, i, line)
		}
		for _, r := range line {
			if unicode.IsSpace(r) && r != ' ' {
				t.Errorf("PlainText(%q): line %d %q has white space %U", in, i, line, r)
				break
			}
		}
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{
		"<p>a <em>b</em> c</p>",
		"<h2>T</h2><ul><li>x<br>y</li></ul>",
		"<blockquote><p>q</p></blockquote>",
		"<pre>  a\n\n b </pre>",
		"<p>Şenay Arık 👋🏽</p>",
		"a&nbsp;\u2003\u0085b",
		"<p>\x00</p><table><td>x",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := PlainText(in)
		if utf8.ValidString(in) && !utf8.ValidString(got) {
			t.Errorf("PlainText(%q) = %q is not valid UTF-8", in, got)
		}
		checkPlainTextShape(t, in, got)

		// Text in one paragraph comes back with its words intact and its white
		// space collapsed, whatever characters it holds.
		if utf8.ValidString(in) && !strings.ContainsRune(in, 0) {
			para := "<p>" + html.EscapeString(in) + "</p>"
			want := strings.Join(strings.Fields(in), " ")
			if got := PlainText(para); got != want {
				t.Errorf("PlainText(%q) = %q, want %q", para, got, want)
			}
		}
	})
}
