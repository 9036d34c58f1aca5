package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"newsgloss/dates"
	"newsgloss/models"
	"newsgloss/suggest"
	"newsgloss/views"
)

// tagView gathers what the tagging page needs besides the form values.
func (s *Server) tagView(c echo.Context, a *models.Article, quote, prefix, suffix string) (views.TagView, error) {
	ctx := c.Request().Context()
	v := views.TagView{Article: a, Quote: quote, Prefix: prefix, Suffix: suffix,
		Claim: models.ClaimInput{Stance: string(models.StanceAsserts), ClaimantKind: string(models.EntityPerson)},
		Event: models.EventInput{Status: string(models.EventHeld)}}
	entities, err := s.store.ListEntities(ctx, "", 2000)
	if err != nil {
		return v, err
	}
	v.Entities = entities
	if quote != "" {
		// A refused form may carry a quote of any length; similar items are
		// found from its start, as SQLite refuses LIKE patterns over 50 kB.
		similarTo := limit(quote, 5000)
		claims, err := s.store.SimilarItems(ctx, "claim", similarTo, "")
		if err != nil {
			return v, err
		}
		events, err := s.store.SimilarItems(ctx, "event", similarTo, "")
		if err != nil {
			return v, err
		}
		v.Similar = append(claims, events...)
		return v, nil
	}
	v.Suggestions, err = s.suggestions(c, a, entities)
	return v, err
}

// suggestions finds candidate claims, dates and known entities in the article's text.
func (s *Server) suggestions(c echo.Context, a *models.Article, entities []models.Entity) (views.SuggestionsView, error) {
	var out views.SuggestionsView
	dismissed, err := s.store.DismissedSuggestions(c.Request().Context(), a.ID)
	if err != nil {
		return out, err
	}
	known := make([]suggest.Entity, len(entities))
	for i, e := range entities {
		known[i] = suggest.Entity{ID: e.ID, Name: e.Name, Kind: string(e.Kind)}
		for _, al := range e.Aliases {
			known[i].Aliases = append(known[i].Aliases, al.Alias)
		}
	}
	dateline := a.CreatedAt
	if a.PublishedAt != nil {
		dateline = *a.PublishedAt
	}
	found := dates.Resolve(a.BodyText, dateline)
	text := []rune(a.BodyText)
	for _, cand := range suggest.FindClaims(a.BodyText, known) {
		key := suggestionKey("claim", cand.Sentence)
		if dismissed[key] {
			continue
		}
		sug := views.ClaimSuggestion{Key: key, Sentence: cand.Sentence, Cue: cand.Cue, Stance: cand.Stance, Speaker: cand.Speaker}
		for _, d := range found {
			if d.Start >= cand.Start && d.End <= cand.End {
				sug.Date = d.Date.ISO()
				break
			}
		}
		q := url.Values{"quote": {cand.Sentence}, "claimant": {cand.Speaker}, "stance": {cand.Stance}, "said_on": {sug.Date}}
		if cand.Start >= 0 && cand.End <= len(text) {
			q.Set("prefix", string(text[max(0, cand.Start-32):cand.Start]))
			q.Set("suffix", string(text[cand.End:min(len(text), cand.End+32)]))
		}
		sug.TagURL = views.ArticleTagURL(a.ID) + "?" + q.Encode()
		out.Claims = append(out.Claims, sug)
	}
	for _, d := range found {
		resolved := d.Date.String()
		if d.Part != "" {
			resolved = d.Part + " " + resolved // "early 2025": the precision stays the year's
		}
		if d.Through != nil {
			resolved += " to " + d.Through.String()
		}
		out.Dates = append(out.Dates, views.DateSuggestion{Text: d.Text, Resolved: resolved, Precision: string(d.Date.Precision)})
	}
	counts := map[uint]int{}
	alias := map[uint]string{}
	for _, hit := range suggest.FindEntities(a.BodyText, known) {
		counts[hit.EntityID]++
		alias[hit.EntityID] = hit.Alias
	}
	for _, e := range entities {
		if n := counts[e.ID]; n > 0 {
			out.Entities = append(out.Entities, views.EntitySuggestion{Name: e.Name, Slug: e.Slug, Alias: alias[e.ID], Count: n})
		}
	}
	return out, nil
}

// suggestionKey identifies a suggestion by its text, so a dismissal holds
// across revisions that leave the sentence alone.
func suggestionKey(kind, text string) string {
	sum := sha256.Sum256([]byte(text))
	return kind + ":" + hex.EncodeToString(sum[:8])
}

// tagPage shows suggestions, or, with ?quote=…, the forms to tag that passage.
func (s *Server) tagPage(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	quote := strings.TrimSpace(limit(c.QueryParam("quote"), 5000))
	v, err := s.tagView(c, a, quote, limit(c.QueryParam("prefix"), 200), limit(c.QueryParam("suffix"), 200))
	if err != nil {
		return err
	}
	// A suggestion's "Tag as a claim" link pre-fills the claim form.
	if name := c.QueryParam("claimant"); name != "" {
		v.Claim.ClaimantName = limit(name, 200)
	}
	if st := c.QueryParam("stance"); st != "" {
		v.Claim.Stance = st
	}
	v.Claim.SaidOn = limit(c.QueryParam("said_on"), 25)
	return s.render(c, http.StatusOK, views.TagPage(s.page(c, "Tag “"+a.Title+"”"), v))
}

// tagCreate records the passage as a new claim or event, or as another report
// of an existing one.
func (s *Server) tagCreate(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	req := models.TagRequest{Passage: models.Passage{Quote: c.FormValue("quote"), Prefix: c.FormValue("prefix"), Suffix: c.FormValue("suffix")}}
	if id, err := strconv.ParseUint(c.FormValue("existing_claim"), 10, 32); err == nil {
		req.ExistingClaimID = uint(id)
	}
	if id, err := strconv.ParseUint(c.FormValue("existing_event"), 10, 32); err == nil {
		req.ExistingEventID = uint(id)
	}
	claimIn := models.ClaimInput{ClaimantName: c.FormValue("claimant"), ClaimantKind: c.FormValue("claimant_kind"),
		SaidOn: c.FormValue("said_on"), Restatement: c.FormValue("restatement"), Stance: c.FormValue("stance"), Tags: c.FormValue("tags")}
	eventIn := models.EventInput{Title: c.FormValue("title"), StartsOn: c.FormValue("starts_on"), EndsOn: c.FormValue("ends_on"),
		Status: c.FormValue("status"), PlaceName: c.FormValue("place"), Participants: c.FormValue("participants"), Tags: c.FormValue("tags")}
	kind := c.FormValue("kind")
	if req.ExistingClaimID == 0 && req.ExistingEventID == 0 {
		switch kind {
		case "claim":
			req.Claim = &claimIn
		case "event":
			req.Event = &eventIn
		}
	}
	claimID, eventID, err := s.store.TagPassage(c.Request().Context(), currentUser(c), a.ID, req)
	if code := models.ErrorCodeOf(err); code == models.EInvalid {
		v, verr := s.tagView(c, a, strings.TrimSpace(req.Passage.Quote), req.Passage.Prefix, req.Passage.Suffix)
		if verr != nil {
			return verr
		}
		if v.Quote == "" {
			v.Quote = " " // keep showing the forms, with the error about the quote
		}
		v.Kind, v.Errors = kind, models.FieldErrors(err)
		var appErr *models.Error
		if errors.As(err, &appErr) {
			v.Message = appErr.Message
		}
		if kind == "claim" {
			v.Claim = claimIn
		} else if kind == "event" {
			v.Event = eventIn
		}
		return s.render(c, http.StatusUnprocessableEntity, views.TagPage(s.page(c, "Tag “"+a.Title+"”"), v))
	}
	if err != nil {
		return err
	}
	if claimID != 0 {
		s.flash(c, "Claim recorded with this article as a source.")
		return c.Redirect(http.StatusSeeOther, views.ClaimURL(claimID))
	}
	s.flash(c, "Event recorded with this article as a source.")
	return c.Redirect(http.StatusSeeOther, views.EventURL(eventID))
}

func (s *Server) suggestionDismiss(c echo.Context) error {
	a, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	if err := s.store.DismissSuggestion(c.Request().Context(), currentUser(c), a.ID, c.FormValue("key")); err != nil {
		return err
	}
	s.flash(c, "Suggestion dismissed.")
	return c.Redirect(http.StatusSeeOther, views.ArticleTagURL(a.ID))
}
