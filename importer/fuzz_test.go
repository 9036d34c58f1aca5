package importer

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsgloss/richtext"
)

// hostilePage is an article page with everything a hostile or broken site
// could put in it: scripts, frames, handlers, executable links, styles, SVG,
// forms, a JSON-LD block that tries to end its script, and markup in the
// metadata.
const hostilePage = `<!doctype html><html><head>
<title>Headline &lt;script&gt;alert(1)&lt;/script&gt; | Site</title>
<meta property="og:title" content="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">
<meta name="author" content="<svg onload=alert(1)>">
<meta property="og:site_name" content="Evil <b>Outlet</b>">
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"</script><script>alert(1)</script>","author":{"name":"<img src=x onerror=alert(1)>"},"datePublished":"2025-02-13T07:45:00Z"}</script>
<style>body{background:url(javascript:alert(1))}</style>
<base href="https://evil.example/">
</head><body onload="alert(1)">
<article>
<h1 onclick="alert(1)">Headline</h1>
<p>Fishing crews in the northern bays returned to harbour on Thursday as the storm warning was lifted by the coast guard.</p>
<p><a href="javascript:alert(1)">a link</a> <a href=" JaVaScRiPt:alert(2)">another</a> <a href="data:text/html,<script>alert(3)</script>">data</a>
<a href="&#106;avascript:alert(4)">encoded</a> <img src="x" onerror="alert(5)"> <img src="data:image/svg+xml,<svg onload=alert(6)>"></p>
<p style="position:fixed;top:0">The harbour master said the warning system would be reviewed before the next storm season began.</p>
<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name="password"><button formaction="javascript:alert(7)">go</button></form>
<svg><script>alert(8)</script><a xlink:href="javascript:alert(9)"><text>x</text></a></svg>
<math><mtext><table><mglyph><style><img src=x onerror=alert(10)>
<noscript><p title="</noscript><img src=x onerror=alert(11)>"></noscript>
<template><script>alert(12)</script></template>
</article></body></html>`

var extractSeeds = []string{
	hostilePage,
	"<html><body><article><p>" + strings.Repeat("word ", 40) + "</p></article></body></html>",
	"<p>" + strings.Repeat("<div>", 2000) + "deep" + strings.Repeat("</div>", 2000) + "</p>",
	"\xff\xfe<html>not utf-8",
	"",
	"<script>" + strings.Repeat("a", 1000),
	`<html><head><script type="application/ld+json">[{"@graph":[{"@type":["Thing","NewsArticle"],"headline":{"@value":"x"},"author":[{"name":1},"https://x/"]}]}]</script></head></html>`,
}

// FuzzExtract feeds arbitrary pages to the importer's extraction: it never
// panics, and whatever it returns is clean: valid UTF-8 fields, and a body
// inside the renderer's safe subset (no scripts, frames, styles, handlers or
// executable links), whatever the page held.
func FuzzExtract(f *testing.F) {
	for _, s := range extractSeeds {
		f.Add([]byte(s))
	}
	r := richtext.NewRenderer()
	pageURL, _ := url.Parse("https://news.example/2025/02/13/story")
	f.Fuzz(func(t *testing.T, page []byte) {
		if len(page) > 256<<10 {
			t.Skip("larger than a fetched page may be")
		}
		a, err := Extract(page, pageURL, r)
		if err != nil {
			return
		}
		for name, v := range map[string]string{"title": a.Title, "byline": a.Byline, "outlet": a.Outlet, "url": a.URL} {
			if !utf8.ValidString(v) {
				t.Errorf("%s is not valid UTF-8: %q", name, v)
			}
			if strings.ContainsAny(v, "\x00\r\n") {
				t.Errorf("%s holds a control character: %q", name, v)
			}
		}
		if a.URL != "" && !strings.HasPrefix(a.URL, "https://") && !strings.HasPrefix(a.URL, "http://") {
			t.Errorf("source address %q is not a web address", a.URL)
		}
		for _, problem := range unsafeBody(a.BodyHTML) {
			t.Errorf("%s\nbody: %q", problem, a.BodyHTML)
		}
	})
}

// TestExtractCleansAHostilePage checks the seed that holds every trick, so the
// property above is known to hold for it on every ordinary test run.
func TestExtractCleansAHostilePage(t *testing.T) {
	pageURL, _ := url.Parse("https://news.example/2025/02/13/story")
	a, err := Extract([]byte(hostilePage), pageURL, richtext.NewRenderer())
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range unsafeBody(a.BodyHTML) {
		t.Errorf("%s\nbody: %q", problem, a.BodyHTML)
	}
	for _, want := range []string{"Fishing crews in the northern bays", "warning system would be reviewed"} {
		if !strings.Contains(a.BodyHTML, want) {
			t.Errorf("the story's text %q was lost: %q", want, a.BodyHTML)
		}
	}
	if strings.Contains(a.BodyHTML, "alert(") {
		t.Errorf("script text survived as text or markup: %q", a.BodyHTML)
	}
}

// unsafeBody lists the active parts of an HTML fragment.
func unsafeBody(body string) []string {
	nodes, err := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return []string{"unparseable body: " + err.Error()}
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch strings.ToLower(n.Data) {
			case "script", "style", "iframe", "frame", "object", "embed", "form", "input", "button", "svg", "math",
				"base", "meta", "link", "template", "noscript", "textarea", "select":
				out = append(out, "element <"+n.Data+">")
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || key == "formaction" || key == "srcdoc" {
					out = append(out, "attribute "+key+" on <"+n.Data+">")
				}
				if key == "href" || key == "src" || key == "action" || strings.HasSuffix(key, ":href") {
					v := strings.ToLower(strings.Map(func(r rune) rune {
						if r <= ' ' {
							return -1
						}
						return r
					}, a.Val))
					for _, scheme := range []string{"javascript:", "data:", "vbscript:"} {
						if strings.HasPrefix(v, scheme) {
							out = append(out, scheme+" URL in "+key+" on <"+n.Data+">")
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

var webURLSeeds = []string{
	"news.example/story", "https://news.example/a?b=c", "http://127.0.0.1:8080/", "https://[::1]/", "https://müller.example/",
	"0", "127.1", "2130706433", "0x7f.1", "nan", "<script>", "https://evil.example@news.example/", "javascript:alert(1)",
	"https://a..b/", "https://" + strings.Repeat("a", 64) + ".example/", "\xff\xfe", "https://host:99999/", " https://x.example/ ",
}

// FuzzParseWebURL: an address typed by a person is either refused or an
// http(s) address with a host name a resolver can be asked about, and parsing
// its own result gives it back.
func FuzzParseWebURL(f *testing.F) {
	for _, s := range webURLSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ParseWebURL(raw)
		if err != nil {
			return
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			t.Errorf("%q: scheme %q", raw, u.Scheme)
		}
		if !validHostname(u.Hostname()) {
			t.Errorf("%q: host %q accepted", raw, u.Hostname())
		}
		again, err := ParseWebURL(u.String())
		if err != nil || again.Hostname() != u.Hostname() {
			t.Errorf("%q: reparsing %q gives %v, %v", raw, u.String(), again, err)
		}
	})
}

func TestHostNamesAreCheckedBeforeAnyLookUp(t *testing.T) {
	cases := []struct {
		host string
		ok   bool
	}{
		{"news.example", true}, {"NEWS.Example.", true}, {"müller.example", true}, {"xn--mller-kva.example", true},
		{"127.0.0.1", true}, {"::1", true}, {"[::1]", true}, {"localhost", true}, {"intranet", true}, {"a-b.c-d.example", true},
		{"", false}, {"..", false}, {"a..b", false}, {"<script>", false}, {"a b", false}, {"a'b", false}, {"*", false}, {"^", false},
		{"0", false}, {"127.1", false}, {"2130706433", false}, {"0x7f.1", false}, {"example.0x1", false}, {"example.123", false},
		{"\xff\xfe", false}, {"\u202e\ufeff", false}, {"-start.example", false}, {strings.Repeat("a", 64) + ".example", false},
		{strings.Repeat("abcdefghi.", 26) + "example", false},
	}
	for _, c := range cases {
		if got := validHostname(c.host); got != c.ok {
			t.Errorf("validHostname(%q) = %v, want %v", c.host, got, c.ok)
		}
	}
}
