package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/richtext"
	"newsgloss/views"
)

// loadVisibleArticle loads an article the current person may read: published
// and retracted ones for everyone, drafts for editors.
func (s *Server) loadVisibleArticle(c echo.Context) (*models.Article, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.store.ArticleByID(c.Request().Context(), id, currentUser(c).Has(models.RoleEditor))
}

// articleShow is an article's public page.
func (s *Server) articleShow(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	viewer := currentUser(c)
	list, err := s.store.ListAnnotations(c.Request().Context(), viewer, models.AnnotationFilter{ArticleID: a.ID})
	if err != nil {
		return err
	}
	notes, marks := articleNotes(a, list, viewer)
	tagged, err := s.store.ArticleTagged(c.Request().Context(), a.ID)
	if err != nil {
		return err
	}
	marks = append(marks, claimMarks(tagged)...)
	body, err := s.highlight(a, marks) // cached per revision and marks (cache.go)
	if err != nil {
		return err
	}
	p := s.page(c, a.Title)
	p.Description = excerpt(a.BodyText, 180)
	p.Scripts = []string{"js/annotate.js"}
	v := views.ArticleView{
		Article:     a,
		JSONLD:      newsArticleJSONLD(a, absoluteURL(c, views.ArticleURL(a.ID))),
		CanEdit:     viewer.Has(models.RoleEditor),
		CanAnnotate: viewer.Has(models.RoleFactChecker) && (a.Status.Public() || viewer.Has(models.RoleEditor)),
		BodyHTML:    body,
		Notes:       notes,
		CanTag:      viewer.Has(models.RoleEditor),
		Tagged:      tagged,
	}
	return s.render(c, http.StatusOK, views.ArticlePage(p, v))
}

// claimMarks highlights the passages reporting claims, each followed by a
// marker linking to the claim in the list below the article: its published
// rating when it has one.
func claimMarks(tagged []models.Tagged) []richtext.Mark {
	var marks []richtext.Mark
	for _, t := range tagged {
		if t.Kind != "claim" || !t.Highlightable() {
			continue
		}
		id := "m" + uitoa(t.MentionID)
		m := richtext.Mark{Start: t.AnchorStart, End: t.AnchorEnd, ID: id, Href: "#tagged-" + id, Class: "hl--claim",
			Label: "claim", AriaLabel: "Claim: " + t.Title}
		if t.Verdict != nil {
			m.Label = t.Verdict.Label.Name
			m.AriaLabel = "Claim rated " + t.Verdict.Label.Name + ": " + t.Title
			m.Class = "hl--claim hl--checked"
		}
		marks = append(marks, m)
	}
	return marks
}

// articleRevision shows an article as it was at one revision.
func (s *Server) articleRevision(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	number, err := idParam(c, "number")
	if err != nil {
		return err
	}
	rev, err := s.store.Revision(c.Request().Context(), a.ID, int(number))
	if err != nil {
		return err
	}
	p := s.page(c, rev.Title+" (version "+itoa(rev.Number)+")")
	return s.render(c, http.StatusOK, views.RevisionPage(p, a, rev))
}

// newsArticleJSONLD describes the article for search engines (schema.org NewsArticle).
func newsArticleJSONLD(a *models.Article, url string) map[string]any {
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Title,
		"url":              url,
		"dateModified":     a.UpdatedAt.UTC().Format(time.RFC3339),
		"publisher":        map[string]any{"@type": "Organization", "name": a.Outlet.Name},
		"description":      excerpt(a.BodyText, 180),
		"inLanguage":       "en",
		"mainEntityOfPage": url,
	}
	if a.PublishedAt != nil {
		ld["datePublished"] = a.PublishedAt.UTC().Format(time.RFC3339)
	}
	if a.SourceURL != "" {
		ld["isBasedOn"] = a.SourceURL
	}
	if a.Outlet.HomeURL != "" {
		ld["publisher"].(map[string]any)["url"] = a.Outlet.HomeURL
	}
	if names := bylineNames(a.Byline); len(names) > 0 {
		var authors []map[string]string
		for _, n := range names {
			authors = append(authors, map[string]string{"@type": "Person", "name": n})
		}
		ld["author"] = authors
	}
	if a.Status == models.StatusRetracted {
		ld["creativeWorkStatus"] = "Retracted"
	}
	return ld
}

// bylineNames turns "By Ana Diaz and Li Wei" into ["Ana Diaz", "Li Wei"].
func bylineNames(byline string) []string {
	b := strings.TrimSpace(byline)
	if len(b) > 3 && strings.EqualFold(b[:3], "by ") {
		b = b[3:]
	}
	b = strings.ReplaceAll(b, " and ", ",")
	var names []string
	for _, n := range strings.Split(b, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// absoluteURL makes a site path absolute using the request's scheme and host.
func absoluteURL(c echo.Context, path string) string {
	return c.Scheme() + "://" + c.Request().Host + path
}

// excerpt cuts text to at most n runes at a word boundary.
func excerpt(text string, n int) string {
	if line, _, ok := strings.Cut(text, "\n"); ok {
		text = line
	}
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := n
	for cut > n/2 && r[cut] != ' ' {
		cut--
	}
	return strings.TrimSpace(string(r[:cut])) + "…"
}
