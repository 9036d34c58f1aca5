package handlers

import (
	"encoding/xml"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// Atom feeds (RFC 4287) of timelines, entities, tags and places. An entry is
// a claim or an event; its id is the absolute URL of the claim's or event's
// page, so the same entry keeps one id in every feed it appears in.

const (
	atomNS          = "http://www.w3.org/2005/Atom"
	atomContentType = "application/atom+xml; charset=utf-8"
	feedEntries     = 100 // the most recent entries a feed carries
)

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Label  string `xml:"label,attr,omitempty"`
	Scheme string `xml:"scheme,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// itemTimes are an entry's dates for a feed: published when first reported,
// updated when last reported (its sources are what change it).
func itemTimes(it models.TimelineItem) (published, updated time.Time) {
	for _, src := range it.Sources {
		if src.PublishedAt == nil {
			continue
		}
		if published.IsZero() || src.PublishedAt.Before(published) {
			published = *src.PublishedAt
		}
		if src.PublishedAt.After(updated) {
			updated = *src.PublishedAt
		}
	}
	if updated.IsZero() {
		updated = it.Sort
	}
	return published, updated
}

// itemDateLabel is an entry's date for people, at its precision.
func itemDateLabel(it models.TimelineItem) string {
	switch {
	case it.Date != "" && it.EndDate != "":
		return views.TimelineDateLabel(it.Date) + " to " + views.TimelineDateLabel(it.EndDate)
	case it.Date != "":
		return views.TimelineDateLabel(it.Date)
	case !it.Sort.IsZero():
		return "first reported " + views.FormatDate(it.Sort)
	}
	return "date not known"
}

// itemSummary is one line about an entry: what it is, who, where.
func itemSummary(it models.TimelineItem) string {
	parts := []string{kindName(it.Kind) + " (" + strings.ToLower(views.TimelineStatusLabel(it)) + ")"}
	if it.Claimant != nil {
		parts = append(parts, "by "+it.Claimant.Name)
	}
	if it.Place != nil {
		parts = append(parts, "in "+it.Place.Name)
	}
	if len(it.Participants) > 0 {
		names := make([]string, len(it.Participants))
		for i, p := range it.Participants {
			names[i] = p.Name
		}
		parts = append(parts, "with "+strings.Join(names, ", "))
	}
	return itemDateLabel(it) + ": " + strings.Join(parts, " ") + "."
}

func kindName(kind string) string {
	if kind == "event" {
		return "Event"
	}
	return "Claim"
}

// itemHTML describes an entry and every report of it, as escaped HTML for
// feed content and TimelineJS text.
func itemHTML(c echo.Context, it models.TimelineItem) string {
	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, "<p>%s</p>", esc(itemSummary(it)))
	if len(it.Tags) > 0 {
		b.WriteString("<p>Tags: ")
		for i, t := range it.Tags {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `<a href="%s">%s</a>`, esc(absoluteURL(c, views.SlugURL(views.RouteTag, t.Slug))), esc(t.Name))
		}
		b.WriteString("</p>")
	}
	if len(it.Sources) > 0 {
		b.WriteString("<p>Reported in:</p><ul>")
		for _, src := range it.Sources {
			b.WriteString("<li>")
			fmt.Fprintf(&b, "<blockquote>%s</blockquote>", esc(src.Quote))
			fmt.Fprintf(&b, `<a href="%s">%s</a>, %s`, esc(absoluteURL(c, views.ArticleURL(src.ArticleID))), esc(src.Title), esc(src.OutletName))
			if src.PublishedAt != nil {
				fmt.Fprintf(&b, ", %s", esc(views.FormatDate(*src.PublishedAt)))
			}
			if src.First {
				b.WriteString(" (first appearance)")
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	fmt.Fprintf(&b, `<p><a href="%s">%s page</a></p>`, esc(absoluteURL(c, views.TimelineItemURL(it))), kindName(it.Kind))
	return b.String()
}

// serveFeed answers a feed request for one kind of timeline; the page's
// filters apply to its feed too.
func (s *Server) serveFeed(c echo.Context, kind string) error {
	sc, err := s.loadScope(c, kind)
	if err != nil {
		return err
	}
	q, sel, items, _, err := s.loadSelected(c, sc)
	if err != nil {
		return err
	}
	if len(sel.problems) > 0 {
		return models.Errorf(models.EInvalid, "%s", strings.Join(sel.problems, " "))
	}
	q = feedQuery(q)
	pageURL := absoluteURL(c, q.URL(sc.path()))
	feed := atomFeed{
		NS:        atomNS,
		ID:        pageURL,
		Title:     sc.title + " · " + s.cfg.SiteName,
		Subtitle:  sc.description,
		Links:     []atomLink{{Rel: "self", Type: "application/atom+xml", Href: absoluteURL(c, q.URL(sc.feedPath()))}, {Rel: "alternate", Type: "text/html", Href: pageURL}},
		Author:    atomPerson{Name: s.cfg.SiteName, URI: absoluteURL(c, views.RouteHome)},
		Generator: s.cfg.SiteName,
	}
	if sc.kind == "tag" {
		feed.Title = "Tag: " + feed.Title
	}
	var latest time.Time
	if sc.updated != nil {
		latest = *sc.updated
	}
	// Newest first, at most feedEntries.
	for i := len(items) - 1; i >= 0 && len(feed.Entries) < feedEntries; i-- {
		it := items[i]
		published, updated := itemTimes(it)
		if updated.IsZero() {
			updated = latest
		}
		if updated.After(latest) {
			latest = updated
		}
		itemURL := absoluteURL(c, views.TimelineItemURL(it))
		e := atomEntry{
			ID:      itemURL,
			Title:   fmt.Sprintf("%s (%s): %s", itemDateLabel(it), views.TimelineStatusLabel(it), it.Title),
			Updated: atomTime(updated),
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: itemURL},
				{Rel: "related", Type: "text/html", Href: absoluteURL(c, sc.path()) + "#" + it.Anchor()}},
			Summary: atomText{Type: "text", Body: itemSummary(it)},
			Content: atomText{Type: "html", Body: itemHTML(c, it)},
		}
		if !published.IsZero() {
			e.Published = atomTime(published)
		}
		for _, t := range it.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t.Slug, Label: t.Name, Scheme: absoluteURL(c, "/tags/")})
		}
		feed.Entries = append(feed.Entries, e)
	}
	if latest.IsZero() {
		latest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // a feed with nothing in it yet
	}
	feed.Updated = atomTime(latest)
	return s.writeAtom(c, feed)
}

// writeAtom sends a feed with its validator, or 304 when the reader has it.
func (s *Server) writeAtom(c echo.Context, feed atomFeed) error {
	body, err := xml.Marshal(feed)
	if err != nil {
		return fmt.Errorf("encode feed: %w", err)
	}
	body = append([]byte(xml.Header), body...)
	apiCaching(c)
	return s.apiConditionalBody(c, atomContentType, listingETag(body), body)
}

func (s *Server) timelineFeed(c echo.Context) error { return s.serveFeed(c, "timeline") }
func (s *Server) entityFeed(c echo.Context) error   { return s.serveFeed(c, "entity") }
func (s *Server) tagFeed(c echo.Context) error      { return s.serveFeed(c, "tag") }
func (s *Server) placeFeed(c echo.Context) error    { return s.serveFeed(c, "place") }
