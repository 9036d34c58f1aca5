// Package richtext turns what an editor types or pastes (Markdown, or HTML copied
// from a publisher's page) into the safe HTML subset Newsgloss stores, and derives
// the canonical plain text that diffs and anchors are computed on.
//
// It has no HTTP or database inside: the same input always gives the same output.
package richtext

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// Format is how an article body was entered.
type Format string

const (
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
)

// ParseFormat accepts the form values "markdown" and "html".
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case FormatMarkdown, FormatHTML:
		return Format(s), nil
	case "":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("unknown body format %q", s)
}

// Renderer converts bodies to safe HTML. Build one with NewRenderer and share it:
// it holds no per-request state and is safe for concurrent use.
type Renderer struct {
	markdown goldmark.Markdown
	policy   *bluemonday.Policy
}

// NewRenderer builds the Markdown converter and the sanitising policy.
func NewRenderer() *Renderer {
	return &Renderer{
		// Raw HTML inside Markdown is passed through (WithUnsafe) so that a <br> or
		// a pasted fragment keeps its shape; the sanitiser below removes anything
		// outside the safe subset, exactly as for pasted HTML.
		markdown: goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Linkify),
			goldmark.WithRendererOptions(gmhtml.WithUnsafe())),
		policy: articlePolicy(),
	}
}

// articlePolicy allows paragraphs, headings, lists, quotes, links and emphasis:
// what a news article needs, and nothing that can run script or change layout.
func articlePolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
		"blockquote", "em", "strong", "i", "b", "s", "del", "code", "pre", "sub", "sup", "hr")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}

// MaxSourceBytes bounds a body so one paste cannot exhaust memory or storage.
const MaxSourceBytes = 400_000

// Render returns the sanitised HTML for a body in the given format.
func (r *Renderer) Render(format Format, source string) (string, error) {
	if len(source) > MaxSourceBytes {
		return "", fmt.Errorf("body is %d bytes; the limit is %d", len(source), MaxSourceBytes)
	}
	var raw string
	switch format {
	case FormatMarkdown:
		var buf bytes.Buffer
		if err := r.markdown.Convert([]byte(source), &buf); err != nil {
			return "", fmt.Errorf("convert markdown: %w", err)
		}
		raw = buf.String()
	case FormatHTML:
		raw = source
	default:
		return "", fmt.Errorf("unknown body format %q", format)
	}
	clean := r.policy.Sanitize(normalizeBlocks(raw))
	return strings.TrimSpace(clean), nil
}
