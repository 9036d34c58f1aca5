package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/richtext"
	"newsgloss/views"
)

// Public fact-check pages: one fact-check with its ClaimReview data, the
// list, and the Atom feed.

const factChecksPerPage = 20

func (s *Server) factCheckShow(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, err := s.store.FactCheckByID(ctx, id)
	if err != nil {
		return err
	}
	explanation, err := s.store.Renderer().Render(richtext.FormatMarkdown, f.Current.Explanation)
	if err != nil {
		return fmt.Errorf("render explanation of fact-check %d: %w", id, err)
	}
	site, err := s.store.SiteSettings(ctx, s.cfg.SiteName)
	if err != nil {
		return err
	}
	v := views.FactCheckView{F: f, ExplanationHTML: explanation}
	if f.Verdict.State == models.VerdictPublished {
		v.JSONLD = claimReviewJSONLD(c, f, site)
	}
	if currentUser(c).Has(models.RoleFactChecker) {
		v.DeskURL = views.VerdictURL(f.Verdict.ID)
	}
	p := s.page(c, "Fact-check: "+f.Claim.Restatement)
	p.Description = f.Current.RatingLabel.Name + ". " + f.Current.Conclusion
	return s.render(c, http.StatusOK, views.FactCheckPage(p, v))
}

// claimReviewJSONLD describes a published fact-check as schema.org ClaimReview.
func claimReviewJSONLD(c echo.Context, f *models.FactCheck, site models.SiteSettings) map[string]any {
	label := f.Current.RatingLabel
	rating := map[string]any{"@type": "Rating", "alternateName": label.Name}
	if label.Value != nil && f.Scale.Best != nil && f.Scale.Worst != nil {
		rating["ratingValue"] = *label.Value
		rating["bestRating"] = *f.Scale.Best
		rating["worstRating"] = *f.Scale.Worst
	}
	org := map[string]any{"@type": "Organization", "name": site.OrganisationName}
	if site.OrganisationURL != "" {
		org["url"] = site.OrganisationURL
	} else {
		org["url"] = absoluteURL(c, views.RouteHome)
	}
	claim := map[string]any{"@type": "Claim"}
	if cl := f.Claim.Claimant; cl != nil {
		kind := "Person"
		if cl.Kind != models.EntityPerson {
			kind = "Organization"
		}
		claim["author"] = map[string]any{"@type": kind, "name": cl.Name, "url": absoluteURL(c, views.SlugURL(views.RouteEntity, cl.Slug))}
	}
	if f.Claim.SaidOn != "" {
		claim["datePublished"] = f.Claim.SaidOn
	}
	var appearances []map[string]any
	for _, m := range f.Mentions {
		work := map[string]any{"@type": "CreativeWork", "url": absoluteURL(c, views.ArticleURL(m.ArticleID)), "headline": m.Title}
		if m.SourceURL != "" {
			work["sameAs"] = m.SourceURL
		}
		if m.PublishedAt != nil {
			work["datePublished"] = m.PublishedAt.UTC().Format(time.RFC3339)
		}
		work["publisher"] = map[string]any{"@type": "Organization", "name": m.OutletName}
		if m.First {
			claim["firstAppearance"] = work
		}
		appearances = append(appearances, work)
	}
	if len(appearances) > 0 {
		claim["appearance"] = appearances
	}
	ld := map[string]any{
		"@context":      "https://schema.org",
		"@type":         "ClaimReview",
		"url":           absoluteURL(c, views.FactCheckURL(f.Verdict.ID)),
		"claimReviewed": f.Claim.Restatement,
		"reviewRating":  rating,
		"author":        org,
		"datePublished": f.FirstPublished().UTC().Format(time.RFC3339),
		"itemReviewed":  claim,
		"reviewBody":    f.Current.Conclusion,
	}
	if f.Current.Number > 1 {
		ld["dateModified"] = f.Current.PublishedAt.UTC().Format(time.RFC3339)
	}
	return ld
}

func (s *Server) factCheckList(c echo.Context) error {
	ctx := c.Request().Context()
	scale, err := s.store.RatingScale(ctx)
	if err != nil {
		return err
	}
	v := views.FactChecksView{Scale: scale, Page: pageParam(c)}
	if raw := c.QueryParam("rating"); raw != "" {
		id, err := strconv.ParseUint(raw, 10, 32)
		if _, ok := scale.Label(uint(id)); err != nil || !ok {
			return models.Errorf(models.EInvalid, "There is no rating %q on the scale; choose one from the list.", limit(raw, 40))
		}
		v.RatingID = uint(id)
	}
	items, err := s.store.ListFactChecks(ctx, models.FactCheckFilter{RatingID: v.RatingID, Limit: factChecksPerPage + 1, Offset: (v.Page - 1) * factChecksPerPage})
	if err != nil {
		return err
	}
	if len(items) == 0 && v.Page > 1 {
		return echo.ErrNotFound
	}
	if len(items) > factChecksPerPage {
		items, v.HasNext = items[:factChecksPerPage], true
	}
	v.Items = items
	p := s.page(c, "Fact-checks")
	p.Description = "Claims in the news, checked and rated, with sources and corrections."
	return s.render(c, http.StatusOK, views.FactChecksPage(p, v))
}

func (s *Server) factCheckFeed(c echo.Context) error {
	items, err := s.store.ListFactChecks(c.Request().Context(), models.FactCheckFilter{Limit: feedEntries})
	if err != nil {
		return err
	}
	pageURL := absoluteURL(c, views.RouteFactChecks)
	feed := atomFeed{
		NS:        atomNS,
		ID:        pageURL,
		Title:     "Fact-checks · " + s.cfg.SiteName,
		Subtitle:  "Claims in the news, checked and rated.",
		Links:     []atomLink{{Rel: "self", Type: "application/atom+xml", Href: absoluteURL(c, views.RouteFactCheckFeed)}, {Rel: "alternate", Type: "text/html", Href: pageURL}},
		Author:    atomPerson{Name: s.cfg.SiteName, URI: absoluteURL(c, views.RouteHome)},
		Generator: s.cfg.SiteName,
		Updated:   atomTime(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)), // a feed with nothing in it yet
	}
	for i, it := range items {
		if i == 0 {
			feed.Updated = atomTime(it.UpdatedAt)
		}
		title := it.LabelName + ": " + it.Restatement
		summary := it.Conclusion
		switch {
		case it.State == models.VerdictWithdrawn:
			title = "Withdrawn: " + it.Restatement
			summary = "This fact-check was withdrawn. " + summary
		case it.Corrected():
			summary = "Corrected. " + summary
		}
		url := absoluteURL(c, views.FactCheckURL(it.VerdictID))
		feed.Entries = append(feed.Entries, atomEntry{
			ID:         url,
			Title:      title,
			Updated:    atomTime(it.UpdatedAt),
			Published:  atomTime(it.FirstPublished),
			Links:      []atomLink{{Rel: "alternate", Type: "text/html", Href: url}},
			Categories: []atomCategory{{Term: it.LabelName, Label: it.LabelName, Scheme: absoluteURL(c, views.RouteFactChecks+"#scale")}},
			Summary:    atomText{Type: "text", Body: summary},
			Content:    atomText{Type: "text", Body: summary},
		})
	}
	return s.writeAtom(c, feed)
}
