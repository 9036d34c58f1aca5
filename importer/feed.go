package importer

import (
	"bytes"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Feed is a parsed RSS, Atom or JSON feed.
type Feed struct {
	Title string
	Link  string // the site's home page, when the feed gives it
	Items []FeedItem
}

// FeedItem is one entry of a feed. ContentHTML is as the feed gives it: it is
// cleaned when an article is made from it.
type FeedItem struct {
	URL         string // normalised; "" when the entry links nowhere usable
	Title       string
	Published   *time.Time
	Byline      string
	ContentHTML string
}

// ParseFeed reads an RSS 2.0 / RSS 1.0 / Atom (or JSON Feed) document. feedURL,
// when known, resolves relative item links.
func ParseFeed(body []byte, feedURL *url.URL) (*Feed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fail(ErrNotFeed, nil, "The feed is empty.")
	}
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, fail(ErrNotFeed, err, "This is not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> element at the start).")
	}
	if err != nil {
		return nil, fail(ErrNotFeed, err, "The feed could not be read: %s.", strings.TrimSpace(err.Error()))
	}
	base := feedURL
	if l, err := url.Parse(parsed.Link); err == nil && l.IsAbs() {
		if base == nil {
			base = l
		}
	}
	f := &Feed{Title: collapse(parsed.Title), Link: parsed.Link}
	for _, it := range parsed.Items {
		item := FeedItem{Title: collapse(it.Title)}
		link := it.Link
		if link == "" && len(it.Links) > 0 {
			link = it.Links[0]
		}
		if link == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
			link = it.GUID
		}
		if link != "" {
			if u, err := url.Parse(strings.TrimSpace(link)); err == nil {
				if !u.IsAbs() && base != nil {
					u = base.ResolveReference(u)
				}
				item.URL = NormalizeURL(u.String())
			}
		}
		switch {
		case it.PublishedParsed != nil:
			t := it.PublishedParsed.UTC()
			item.Published = &t
		case it.UpdatedParsed != nil:
			t := it.UpdatedParsed.UTC()
			item.Published = &t
		}
		var names []string
		for _, p := range it.Authors {
			if p != nil && strings.TrimSpace(p.Name) != "" {
				names = append(names, p.Name)
			}
		}
		if len(names) == 0 && it.DublinCoreExt != nil {
			names = append(names, it.DublinCoreExt.Creator...)
		}
		item.Byline = formatByline(names)
		item.ContentHTML = it.Content
		if strings.TrimSpace(item.ContentHTML) == "" {
			item.ContentHTML = it.Description
		}
		f.Items = append(f.Items, item)
	}
	return f, nil
}
