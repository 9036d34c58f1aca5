package richtext

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// allowedElements is the safe subset Render may emit.
var allowedElements = map[string]bool{
	"p": true, "br": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "blockquote": true, "em": true, "strong": true,
	"i": true, "b": true, "s": true, "del": true, "code": true, "pre": true, "sub": true,
	"sup": true, "hr": true, "a": true,
}

var allowedLinkSchemes = map[string]bool{"http": true, "https": true, "mailto": true}

// parseBody parses rendered HTML the way a browser would parse it inside <body>.
func parseBody(t testing.TB, s string) []*html.Node {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{
		Type: html.ElementNode, Data: "body", DataAtom: atom.Body,
	})
	if err != nil {
		t.Fatalf("output does not parse: %v\n%s", err, s)
	}
	return nodes
}

// unsafeParts walks the parsed output and lists everything outside the safe subset.
func unsafeParts(nodes []*html.Node) []string {
	var problems []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			if n.Namespace != "" {
				problems = append(problems, fmt.Sprintf("foreign element <%s:%s>", n.Namespace, n.Data))
			}
			if !allowedElements[n.Data] {
				problems = append(problems, fmt.Sprintf("element <%s> is not allowed", n.Data))
			}
			problems = append(problems, unsafeAttrs(n)...)
		case html.CommentNode:
			problems = append(problems, fmt.Sprintf("comment %q survived", n.Data))
		case html.DoctypeNode:
			problems = append(problems, "doctype survived")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return problems
}

func unsafeAttrs(n *html.Node) []string {
	var problems []string
	hasHref, hasRel := false, false
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"):
			problems = append(problems, fmt.Sprintf("<%s> has event handler %s=%q", n.Data, a.Key, a.Val))
		case key == "style":
			problems = append(problems, fmt.Sprintf("<%s> has style=%q", n.Data, a.Val))
		case n.Data == "a" && key == "href":
			hasHref = true
			u, err := url.Parse(a.Val)
			if err != nil {
				problems = append(problems, fmt.Sprintf("<a> href %q does not parse: %v", a.Val, err))
			} else if !allowedLinkSchemes[strings.ToLower(u.Scheme)] {
				problems = append(problems, fmt.Sprintf("<a> href %q has scheme %q", a.Val, u.Scheme))
			}
		case n.Data == "a" && key == "rel":
			hasRel = true
			rel := strings.Fields(a.Val)
			if !contains(rel, "nofollow") || !contains(rel, "noreferrer") {
				problems = append(problems, fmt.Sprintf("<a> rel=%q lacks nofollow or noreferrer", a.Val))
			}
		default:
			problems = append(problems, fmt.Sprintf("<%s> has attribute %s=%q", n.Data, a.Key, a.Val))
		}
	}
	if n.Data == "a" && (!hasHref || !hasRel) {
		problems = append(problems, fmt.Sprintf("<a> without href and rel: %v", n.Attr))
	}
	return problems
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// outline is a compact, whitespace-insensitive picture of a parsed tree:
// `h2(Title) p(a em(b) c)`; links show their href as a[href](text).
func outline(nodes []*html.Node) string {
	var parts []string
	for _, n := range nodes {
		if s := outlineNode(n); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

func outlineNode(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return strings.Join(strings.Fields(n.Data), " ")
	case html.ElementNode:
		var kids []*html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			kids = append(kids, c)
		}
		name := n.Data
		for _, a := range n.Attr {
			if a.Key == "href" {
				name += "[" + a.Val + "]"
			}
		}
		if len(kids) == 0 {
			return name
		}
		return name + "(" + outline(kids) + ")"
	}
	return ""
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{in: "markdown", want: FormatMarkdown},
		{in: "html", want: FormatHTML},
		{in: "", want: FormatMarkdown},
		{in: "HTML", wantErr: true},
		{in: "md", wantErr: true},
		{in: " html", wantErr: true},
		{in: "text", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseFormat(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestRenderRemovesHostileMarkup(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		src    string
		// plain is what the reader sees after sanitising: the harmless text kept.
		plain string
	}{
		{"script", FormatHTML, `<p>before</p><script>alert(1)</script><p>after</p>`, "before\nafter"},
		{"script uppercase", FormatHTML, `<SCRIPT SRC=//evil.example/x.js></SCRIPT>text`, "text"},
		{"img onerror", FormatHTML, `<p>hi<img src=x onerror=alert(1)></p>`, "hi"},
		{"javascript href", FormatHTML, `<a href="javascript:alert(1)">click</a>`, "click"},
		{"data href", FormatHTML, `<a href="data:text/html,<script>alert(1)</script>">click</a>`, "click"},
		{"mixed-case javascript with space", FormatHTML, `<a href=" JaVaScRiPt:alert(1)">click</a>`, "click"},
		{"entity-encoded javascript", FormatHTML, `<a href="&#106;avascript:alert(1)">click</a>`, "click"},
		{"tab inside javascript", FormatHTML, "<a href=\"java\tscript:alert(1)\">click</a>", "click"},
		{"vbscript href", FormatHTML, `<a href="vbscript:msgbox(1)">click</a>`, "click"},
		{"relative href", FormatHTML, `<a href="/admin">click</a>`, "click"},
		{"iframe", FormatHTML, `<iframe src="https://evil.example/">fallback</iframe><p>ok</p>`, "ok"},
		{"style element", FormatHTML, `<style>body{display:none}</style><p>ok</p>`, "ok"},
		{"svg onload", FormatHTML, `<svg onload=alert(1)><circle r=1 /></svg><p>ok</p>`, "ok"},
		{"math xlink", FormatHTML, `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`, "x"},
		{"object and embed", FormatHTML, `<object data="x.swf"><embed src="x.swf"></object><p>ok</p>`, "ok"},
		{"form", FormatHTML, `<form action="https://evil.example/"><input name=q><button>Send</button></form>`, "Send"},
		{"attribute break-out", FormatHTML, `<p title=""><script>alert(1)</script>">text</p>`, "\">text"},
		{"break-out inside href", FormatHTML, `<a href="https://ok.example/"><script>alert(1)</script>">x</a>`, "\">x"},
		{"noscript mutation", FormatHTML, `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`, "\">"},
		{"style attribute", FormatHTML, `<p style="position:fixed;top:0">styled</p>`, "styled"},
		{"div onclick", FormatHTML, `<div onclick="alert(1)">clickable</div>`, "clickable"},
		{"class and id", FormatHTML, `<p class="x" id="y">t</p>`, "t"},
		{"link target and rel override", FormatHTML, `<a href="https://ok.example/" target="_blank" rel="opener">x</a>`, "x"},
		{"meta refresh", FormatHTML, `<meta http-equiv="refresh" content="0;url=https://evil.example/"><p>ok</p>`, "ok"},
		{"base href", FormatHTML, `<base href="https://evil.example/"><p>ok</p>`, "ok"},
		{"comment", FormatHTML, `<p>a<!--[if IE]><script>alert(1)</script><![endif]-->b</p>`, "ab"},
		{"markdown javascript link", FormatMarkdown, `[x](javascript:alert(1))`, "x"},
		{"markdown uppercase javascript link", FormatMarkdown, `[x](JAVASCRIPT:alert(1))`, "x"},
		{"markdown data link", FormatMarkdown, `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`, "x"},
		{"markdown autolink javascript", FormatMarkdown, `<javascript:alert(1)>`, "javascript:alert(1)"},
		{"markdown reference javascript link", FormatMarkdown, "[x][r]\n\n[r]: javascript:alert(1)", "x"},
		{"markdown image", FormatMarkdown, `![alt](https://evil.example/track.png)`, ""},
		{"markdown raw script", FormatMarkdown, "para\n\n<script>alert(1)</script>\n\nafter", "para\nafter"},
		{"markdown raw inline html", FormatMarkdown, `text <img src=x onerror=alert(1)> <b onclick="alert(1)">bold</b>`, "text bold"},
		// Raw HTML in Markdown goes through the same cleaning as pasted HTML:
		// the handler goes, the text stays on its own line.
		{"markdown raw div", FormatMarkdown, "<div onclick=\"alert(1)\">kept</div>\n\nshown", "kept\nshown"},
		{"markdown raw style", FormatMarkdown, "<style>p{color:red}</style>\n\ntext", "text"},
	}
	r := NewRenderer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(tt.format, tt.src)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			for _, p := range unsafeParts(parseBody(t, out)) {
				t.Errorf("%s\noutput: %s", p, out)
			}
			if strings.Contains(strings.ToLower(out), "<script") {
				t.Errorf("output contains <script: %s", out)
			}
			if got := PlainText(out); got != tt.plain {
				t.Errorf("visible text = %q, want %q\noutput: %s", got, tt.plain, out)
			}
		})
	}
}

func TestRenderKeepsSafeMarkup(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		src    string
		want   string // outline of the parsed output
	}{
		{"markdown headings", FormatMarkdown, "# Title\n\n## Section\n\n### Sub", "h2(Title) h2(Section) h3(Sub)"},
		{"markdown emphasis", FormatMarkdown, "a *b* **c** ~~d~~ `e`", "p(a em(b) strong(c) del(d) code(e))"},
		{"markdown lists", FormatMarkdown, "- one\n- two\n\n1. first\n2. second", "ul(li(one) li(two)) ol(li(first) li(second))"},
		{"markdown nested list", FormatMarkdown, "- one\n  - inner", "ul(li(one ul(li(inner))))"},
		{"markdown quote", FormatMarkdown, "> quoted *text*", "blockquote(p(quoted em(text)))"},
		{"markdown link", FormatMarkdown, "[site](https://example.com/a?b=1)", "p(a[https://example.com/a?b=1](site))"},
		{"markdown mailto", FormatMarkdown, "[mail](mailto:desk@example.com)", "p(a[mailto:desk@example.com](mail))"},
		{"markdown linkify", FormatMarkdown, "see www.example.com now", "p(see a[http://www.example.com](www.example.com) now)"},
		{"markdown code block", FormatMarkdown, "```\nx := <b>\n```", "pre(code(x := <b>))"},
		{"markdown rule", FormatMarkdown, "a\n\n---\n\nb", "p(a) hr p(b)"},
		{"markdown hard break", FormatMarkdown, "a\\\nb", "p(a br b)"},
		{"html h1 demoted", FormatHTML, `<h1>Headline</h1><p>Body</p>`, "h2(Headline) p(Body)"},
		{"html h1 with attributes demoted", FormatHTML, `<h1 class="title" id="t">Headline</h1>`, "h2(Headline)"},
		{"html div becomes a paragraph, span unwrapped", FormatHTML, `<div><span>text</span></div>`, "p(text)"},
		{"html layout divs keep their lines apart", FormatHTML, `<div>Hello</div><div>world</div>`, "p(Hello) p(world)"},
		{"html table cells keep their lines apart", FormatHTML, `<table><tr><td>Name</td><td>Age</td></tr></table>`, "p(Name) p(Age)"},
		{"html definition list", FormatHTML, `<dl><dt>Term</dt><dd>Definition</dd></dl>`, "p(Term) p(Definition)"},
		{"html div with blocks and loose text", FormatHTML, `<div>Intro <b>words</b><p>Para</p>tail</div>`, "p(Intro b(words)) p(Para) p(tail)"},
		{"markdown raw br keeps the break", FormatMarkdown, "line one<br>line two", "p(line one br line two)"},
		{"html inline kept", FormatHTML, `<p><b>b</b><i>i</i><s>s</s><sub>2</sub><sup>3</sup></p>`, "p(b(b) i(i) s(s) sub(2) sup(3))"},
		{"html link", FormatHTML, `<a href="https://example.com/">x</a>`, "a[https://example.com/](x)"},
		{"html entities", FormatHTML, `<p>Tom &amp; Jerry &lt;3</p>`, "p(Tom & Jerry <3)"},
		{"html non-ASCII", FormatHTML, `<p>Şenay Arık 👋🏽</p>`, "p(Şenay Arık 👋🏽)"},
	}
	r := NewRenderer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(tt.format, tt.src)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			nodes := parseBody(t, out)
			for _, p := range unsafeParts(nodes) {
				t.Errorf("%s\noutput: %s", p, out)
			}
			if got := outline(nodes); got != tt.want {
				t.Errorf("outline = %q, want %q\noutput: %s", got, tt.want, out)
			}
		})
	}
}

func TestRenderLinkAttributes(t *testing.T) {
	r := NewRenderer()
	out, err := r.Render(FormatHTML, `<a href="https://example.com/" title="t" target="_blank">x</a>`)
	if err != nil {
		t.Fatal(err)
	}
	want := `<a href="https://example.com/" rel="nofollow noreferrer">x</a>`
	if out != want {
		t.Errorf("Render = %s, want %s", out, want)
	}
}

func TestRenderTrimsSurroundingSpace(t *testing.T) {
	r := NewRenderer()
	tests := []struct {
		format    Format
		src, want string
	}{
		{FormatMarkdown, "\n\n   x  \n\n", "<p>x</p>"},
		{FormatHTML, "\n\n  <p>x</p>  \n\n", "<p>x</p>"},
		{FormatHTML, " \n ", ""},
	}
	for _, tt := range tests {
		out, err := r.Render(tt.format, tt.src)
		if err != nil {
			t.Fatal(err)
		}
		if out != tt.want {
			t.Errorf("Render(%s, %q) = %q, want %q", tt.format, tt.src, out, tt.want)
		}
	}
}

func TestRenderSizeLimit(t *testing.T) {
	r := NewRenderer()
	for _, f := range []Format{FormatMarkdown, FormatHTML} {
		atLimit := strings.Repeat("a", MaxSourceBytes)
		if _, err := r.Render(f, atLimit); err != nil {
			t.Errorf("Render(%s) of exactly MaxSourceBytes: %v", f, err)
		}
		out, err := r.Render(f, atLimit+"a")
		if err == nil {
			t.Errorf("Render(%s) of MaxSourceBytes+1 gave no error", f)
		}
		if out != "" {
			t.Errorf("Render(%s) of oversized body returned %d bytes of output", f, len(out))
		}
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	r := NewRenderer()
	for _, f := range []Format{"", "rtf", "HTML", "Markdown"} {
		out, err := r.Render(f, "text")
		if err == nil {
			t.Errorf("Render(%q) = %q, want an error", f, out)
		}
	}
}

func TestRendererConcurrentUse(t *testing.T) {
	r := NewRenderer()
	src := "# T\n\nSome *text* with [a link](https://example.com/).\n\n- a\n- b"
	want, err := r.Render(FormatMarkdown, src)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				got, err := r.Render(FormatMarkdown, src)
				if err != nil || got != want {
					errs <- fmt.Sprintf("got %q, %v", got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

var fuzzRenderSeeds = []string{
	"# Title\n\nSome *emphasis* and [a link](https://example.com/).",
	`<h1>T</h1><p style="x" onclick="y">p</p><script>alert(1)</script>`,
	`<a href=" JaVaScRiPt:alert(1)">x</a>`,
	`<svg><style><img src=x onerror=alert(1)></style></svg>`,
	"[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
	"> quote\n>\n> - list\n\n```\n<code>\n```",
	"&lt;script&gt; &amp;lt; &#60;b&#62;",
	"",
}

// FuzzRender checks, for each format, that whatever is typed or pasted comes out
// as parseable HTML inside the safe subset, and that sanitising is idempotent.
func FuzzRender(f *testing.F) {
	for _, s := range fuzzRenderSeeds {
		f.Add(s)
	}
	r := NewRenderer()
	f.Fuzz(func(t *testing.T, src string) {
		for _, format := range []Format{FormatMarkdown, FormatHTML} {
			out, err := r.Render(format, src)
			if err != nil {
				if len(src) <= MaxSourceBytes {
					t.Fatalf("Render(%s): %v", format, err)
				}
				continue
			}
			for _, p := range unsafeParts(parseBody(t, out)) {
				t.Errorf("Render(%s): %s\noutput: %q", format, p, out)
			}
			if strings.Contains(strings.ToLower(out), "<script") {
				t.Errorf("Render(%s): output contains <script: %q", format, out)
			}
			// Text cannot invent a '<': without one in the source, either literal
			// or behind an entity or backslash escape, there is none to show.
			if !strings.ContainsAny(src, "<&") {
				if plain := PlainText(out); strings.Contains(plain, "<") {
					t.Errorf("Render(%s): visible text %q contains '<' absent from source", format, plain)
				}
			}
			again, err := r.Render(FormatHTML, out)
			if err != nil {
				t.Fatalf("re-Render: %v", err)
			}
			if again != out {
				t.Errorf("Render(%s) is not idempotent:\nonce:  %q\ntwice: %q", format, out, again)
			}
		}
	})
}
