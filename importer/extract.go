package importer

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsgloss/richtext"
)

// Article is what was found on a page: the fields of a Newsgloss article,
// ready to pre-fill the form. BodyHTML is already cleaned to the safe subset.
type Article struct {
	URL       string // the page's normalised address (after redirects)
	Title     string
	Byline    string
	Published *time.Time
	Outlet    string // the publisher's name
	BodyHTML  string
	// Sources says where each field came from (e.g. "title": "JSON-LD"), and
	// Missing lists what was not found, so the editor knows what to check.
	Sources map[string]string
	Missing []string
}

// minArticleWords is the least text a page must have to count as an article.
const minArticleWords = 15

// Extract finds the article on a page: the main text by readability analysis,
// and the title, byline, publication date and publisher from the page's own
// metadata (schema.org JSON-LD, Open Graph, <meta>, <time>) before falling
// back to what readability guessed. The body is cleaned by the renderer to the
// safe subset Newsgloss stores.
func Extract(page []byte, pageURL *url.URL, r *richtext.Renderer) (*Article, error) {
	if !utf8.Valid(page) {
		return nil, fail(ErrEncoding, nil, "The page’s text is not valid UTF-8 after conversion.")
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fail(ErrNoArticle, err, "The page could not be read as HTML.")
	}
	meta := collectMetadata(doc)
	removeDatelines(doc)
	removeClutter(doc)

	parsed, err := readability.FromDocument(doc, pageURL)
	if err != nil {
		return nil, fail(ErrNoArticle, err, "Newsgloss could not find an article on this page.")
	}
	a := &Article{URL: NormalizeURL(pageURL.String()), Sources: map[string]string{}}

	// Title.
	a.Title, a.Sources["title"] = firstOf(
		pick{meta.ld.headline, "JSON-LD"}, pick{meta.props["og:title"], "Open Graph"},
		pick{meta.props["twitter:title"], "Twitter card"}, pick{parsed.Title(), "page"},
		pick{cleanTitle(meta.title, meta.siteName()), "page title"})

	// Byline.
	var names []string
	if len(meta.ld.authors) > 0 {
		names, a.Sources["byline"] = meta.ld.authors, "JSON-LD"
	} else if v := meta.props["author"]; v != "" && !looksLikeURL(v) {
		names, a.Sources["byline"] = []string{v}, "meta"
	} else if v := meta.props["article:author"]; v != "" && !looksLikeURL(v) {
		names, a.Sources["byline"] = []string{v}, "Open Graph"
	} else if v := parsed.Byline(); v != "" {
		names, a.Sources["byline"] = []string{v}, "page"
	} else if v := meta.bylineText; v != "" {
		names, a.Sources["byline"] = []string{v}, "page"
	}
	a.Byline = formatByline(names)

	// Publication date.
	for _, c := range []pick{
		{meta.ld.published, "JSON-LD"}, {meta.props["article:published_time"], "Open Graph"},
		{meta.itemDate, "page"}, {meta.props["date"], "meta"}, {meta.props["pubdate"], "meta"},
		{meta.props["publishdate"], "meta"}, {meta.props["dc.date.issued"], "meta"}, {meta.props["dc.date"], "meta"},
		{meta.props["dcterms.created"], "meta"}, {meta.props["citation_publication_date"], "meta"},
		{meta.props["parsely-pub-date"], "meta"}, {meta.timeDate, "<time>"},
	} {
		if t, ok := ParseDate(c.value); ok {
			a.Published, a.Sources["published"] = &t, c.source
			break
		}
	}
	if a.Published == nil {
		if t, err := parsed.PublishedTime(); err == nil && t.Year() >= 1800 {
			t = t.UTC()
			a.Published, a.Sources["published"] = &t, "page"
		}
	}

	// Outlet.
	a.Outlet, a.Sources["outlet"] = firstOf(
		pick{meta.ld.publisher, "JSON-LD"}, pick{meta.props["og:site_name"], "Open Graph"},
		pick{meta.props["application-name"], "meta"}, pick{parsed.SiteName(), "page"},
		pick{siteFromTitle(meta.title, a.Title), "page title"}, pick{HostOf(pageURL.String()), "address"})

	// Body.
	if parsed.Node == nil {
		return nil, fail(ErrNoArticle, nil, "Newsgloss found no article text on this page. Is it the article’s own page (not a front page, a gallery or a video)?")
	}
	var raw bytes.Buffer
	if err := parsed.RenderHTML(&raw); err != nil {
		return nil, fail(ErrNoArticle, err, "The article’s text could not be read.")
	}
	if raw.Len() > richtext.MaxSourceBytes {
		return nil, fail(ErrTooLarge, nil, "The article’s text is longer than Newsgloss stores (%d KB).", richtext.MaxSourceBytes/1000)
	}
	clean, err := r.Render(richtext.FormatHTML, raw.String())
	if err != nil {
		return nil, fail(ErrNoArticle, err, "The article’s text could not be cleaned: %v.", err)
	}
	if words := len(strings.Fields(richtext.PlainText(clean))); words < minArticleWords {
		return nil, fail(ErrNoArticle, nil, "Newsgloss found no article text on this page (only %d words). Is it the article’s own page (not a front page, a gallery or a video)?", words)
	}
	a.BodyHTML = breakBlocks(clean)

	for _, f := range []struct{ name, value string }{
		{"headline", a.Title}, {"byline", a.Byline}, {"outlet", a.Outlet},
	} {
		if strings.TrimSpace(f.value) == "" {
			a.Missing = append(a.Missing, f.name)
		}
	}
	if a.Published == nil {
		a.Missing = append(a.Missing, "publication date")
	}
	a.Title = truncateRunes(collapse(a.Title), 300)
	a.Byline = truncateRunes(collapse(a.Byline), 300)
	a.Outlet = truncateRunes(collapse(a.Outlet), 120)
	return a, nil
}

type pick struct{ value, source string }

func firstOf(picks ...pick) (string, string) {
	for _, p := range picks {
		if v := collapse(p.value); v != "" {
			return v, p.source
		}
	}
	return "", ""
}

// pageMeta is everything the page says about itself outside its text.
type pageMeta struct {
	title      string
	props      map[string]string // <meta> by lower-case name or property, first wins
	bylineText string            // the text of an element marked as the byline or author
	ld         ldArticle
	itemDate   string // itemprop="datePublished" or <time pubdate>
	timeDate   string // the first <time datetime> in the content
}

func (m pageMeta) siteName() string {
	if m.ld.publisher != "" {
		return m.ld.publisher
	}
	return m.props["og:site_name"]
}

// ldArticle holds the fields of a schema.org Article found in JSON-LD.
type ldArticle struct {
	headline, published, publisher string
	authors                        []string
}

func collectMetadata(doc *html.Node) pageMeta {
	m := pageMeta{props: map[string]string{}}
	var walk func(n *html.Node, skip bool)
	walk = func(n *html.Node, skip bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if m.title == "" {
					m.title = textOf(n)
				}
			case atom.Meta:
				key := strings.ToLower(strings.TrimSpace(attr(n, "property")))
				if key == "" {
					key = strings.ToLower(strings.TrimSpace(attr(n, "name")))
				}
				if key == "" {
					key = strings.ToLower(strings.TrimSpace(attr(n, "itemprop")))
				}
				if v := strings.TrimSpace(attr(n, "content")); key != "" && v != "" {
					if _, seen := m.props[key]; !seen {
						m.props[key] = v
					}
				}
			case atom.Script:
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && m.ld.headline == "" {
					m.ld = parseJSONLD(textOf(n))
				}
				return
			case atom.Nav, atom.Footer, atom.Aside:
				skip = true
			}
			if strings.EqualFold(attr(n, "itemprop"), "datePublished") && m.itemDate == "" {
				if v := attr(n, "datetime"); v != "" {
					m.itemDate = v
				} else if v := attr(n, "content"); v != "" {
					m.itemDate = v
				}
			}
			if n.DataAtom == atom.Time && m.itemDate == "" {
				if _, ok := attrOK(n, "pubdate"); ok {
					m.itemDate = attr(n, "datetime")
				}
			}
			if n.DataAtom == atom.Time && !skip && m.timeDate == "" {
				m.timeDate = attr(n, "datetime")
			}
			if m.bylineText == "" && !skip && looksLikeByline(n) {
				if t := collapse(textOf(n)); len(t) >= 3 && len(t) <= 100 {
					m.bylineText = t
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, skip)
		}
	}
	walk(doc, false)
	return m
}

// parseJSONLD finds the first schema.org article object in a JSON-LD script,
// looking through arrays and @graph.
func parseJSONLD(src string) ldArticle {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return ldArticle{}
	}
	var found map[string]any
	var search func(v any)
	search = func(v any) {
		if found != nil {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				search(e)
			}
		case map[string]any:
			if isArticleType(x["@type"]) {
				found = x
				return
			}
			if g, ok := x["@graph"]; ok {
				search(g)
			}
		}
	}
	search(v)
	if found == nil {
		return ldArticle{}
	}
	out := ldArticle{
		headline:  ldString(found["headline"]),
		published: ldString(found["datePublished"]),
		publisher: ldName(found["publisher"]),
	}
	if out.headline == "" {
		out.headline = ldString(found["name"])
	}
	if out.published == "" {
		out.published = ldString(found["dateCreated"])
	}
	switch a := found["author"].(type) {
	case []any:
		for _, e := range a {
			if n := ldName(e); n != "" {
				out.authors = append(out.authors, n)
			}
		}
	default:
		if n := ldName(a); n != "" {
			out.authors = append(out.authors, n)
		}
	}
	return out
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		x = strings.TrimPrefix(strings.TrimPrefix(x, "http://schema.org/"), "https://schema.org/")
		return strings.HasSuffix(x, "Article") || strings.HasSuffix(x, "BlogPosting") || x == "Report"
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	case map[string]any:
		return ldString(x["@value"])
	}
	return ""
}

func ldName(v any) string {
	switch x := v.(type) {
	case string:
		if looksLikeURL(x) {
			return ""
		}
		return strings.TrimSpace(x)
	case map[string]any:
		return ldString(x["name"])
	case []any:
		if len(x) > 0 {
			return ldName(x[0])
		}
	}
	return ""
}

// formatByline writes authors the way Newsgloss shows them: "By A and B".
func formatByline(names []string) string {
	var clean []string
	for _, n := range names {
		n = collapse(n)
		if n == "" {
			continue
		}
		if len(names) == 1 && strings.HasPrefix(strings.ToLower(n), "by ") {
			return "By " + strings.TrimSpace(n[3:])
		}
		clean = append(clean, n)
	}
	switch len(clean) {
	case 0:
		return ""
	case 1:
		return "By " + clean[0]
	}
	return "By " + strings.Join(clean[:len(clean)-1], ", ") + " and " + clean[len(clean)-1]
}

// cleanTitle drops a " | Site" or " - Site" tail from a <title>.
func cleanTitle(title, site string) string {
	title = collapse(title)
	for _, sep := range []string{" | ", " – ", " — ", " - ", " · "} {
		if i := strings.LastIndex(title, sep); i > 0 {
			tail := strings.TrimSpace(title[i+len(sep):])
			if site == "" || strings.EqualFold(tail, site) {
				return strings.TrimSpace(title[:i])
			}
		}
	}
	return title
}

// looksLikeByline reports whether an element is marked as the author line.
func looksLikeByline(n *html.Node) bool {
	if strings.EqualFold(attr(n, "rel"), "author") || strings.EqualFold(attr(n, "itemprop"), "author") {
		return true
	}
	marks := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
	return strings.Contains(marks, "byline") || strings.Contains(marks, "author")
}

// removeDatelines drops <time> elements that stand on their own (a dateline
// under the headline) rather than inside a sentence: the date is already in
// the metadata and would otherwise open the body as a paragraph of its own.
func removeDatelines(doc *html.Node) {
	var times []*html.Node
	var walk func(n *html.Node, inText bool)
	walk = func(n *html.Node, inText bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.P, atom.Li, atom.Blockquote, atom.Td, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				inText = true
			case atom.Time:
				if !inText {
					times = append(times, n)
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inText)
		}
	}
	walk(doc, false)
	for _, t := range times {
		t.Parent.RemoveChild(t)
	}
}

// clutterMarks are class and id words that mark ads, promotions and sharing
// widgets rather than the article (readability misses some of the short ones).
var clutterMarks = map[string]bool{
	"ad": true, "ads": true, "adv": true, "advert": true, "adverts": true, "advertisement": true, "adslot": true,
	"adunit": true, "dfp": true, "sponsored": true, "sponsor": true, "promo": true, "promoted": true, "outbrain": true,
	"taboola": true, "newsletter": true, "subscribe": true, "paywall": true, "share": true, "sharing": true,
}

// removeClutter drops elements that are never part of an article's text:
// forms, frames, asides and anything whose class or id marks it as an ad or
// a promotion.
func removeClutter(doc *html.Node) {
	var doomed []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html, atom.Body, atom.Main, atom.Article, atom.Head:
			case atom.Aside, atom.Form, atom.Iframe, atom.Button, atom.Noscript, atom.Template, atom.Dialog:
				doomed = append(doomed, n)
				return
			default:
				if markedAsClutter(n) {
					doomed = append(doomed, n)
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, n := range doomed {
		n.Parent.RemoveChild(n)
	}
}

func markedAsClutter(n *html.Node) bool {
	for _, word := range strings.FieldsFunc(strings.ToLower(attr(n, "class")+" "+attr(n, "id")), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
	}) {
		if clutterMarks[word] {
			return true
		}
	}
	return false
}

// siteFromTitle reads the site's name from a <title> of the form
// "Headline | Site" when the headline is already known.
func siteFromTitle(title, headline string) string {
	title = collapse(title)
	if headline == "" || !strings.HasPrefix(title, headline) {
		return ""
	}
	rest := strings.TrimSpace(title[len(headline):])
	for _, sep := range []string{"|", "–", "—", "-", "·", ":"} {
		if strings.HasPrefix(rest, sep) {
			return strings.TrimSpace(rest[len(sep):])
		}
	}
	return ""
}

// dateLayouts are the ways pages write publication dates.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	time.RFC1123Z, time.RFC1123, time.RFC850, time.RFC822Z, time.RFC822, "Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST", "January 2, 2006", "2 January 2006", "Jan 2, 2006", "2006/01/02",
}

// ParseDate reads a publication date in any of the usual formats, in UTC.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1800 || t.Year() > 2200 {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// FormValue writes a time as the article form's datetime-local value (UTC).
func FormValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04")
}

// breakBlocks puts each block of cleaned HTML on its own line, so the body
// is readable in the form's text area. Whitespace between blocks changes
// nothing in the rendered article or its canonical text.
func breakBlocks(s string) string {
	if !strings.Contains(s, "<pre") {
		s = strings.Join(strings.Fields(s), " ") // outside <pre>, any run of white space reads as one space
	}
	r := strings.NewReplacer("</p>", "</p>\n", "</h2>", "</h2>\n", "</h3>", "</h3>\n", "</h4>", "</h4>\n",
		"</li>", "</li>\n", "</blockquote>", "</blockquote>\n", "</ul>", "</ul>\n", "</ol>", "</ol>\n", "</pre>", "</pre>\n")
	return strings.TrimSpace(strings.ReplaceAll(r.Replace(s), ">\n ", ">\n"))
}

func looksLikeURL(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "/")
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
