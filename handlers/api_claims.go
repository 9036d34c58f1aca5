package handlers

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// The JSON API for claims, events, entities and timelines. Lists are pages of
// apiPageSize with a "next" link; details carry every source. Field names are
// snake_case and stable; URLs are absolute. Only claims and events reported in
// a published (or retracted) article are public.

const (
	apiPageSize = 50
	apiMaxPage  = 10000
)

type apiEntityRef struct {
	ID     uint   `json:"id"`
	Name   string `json:"name"`
	Slug   string `json:"slug"`
	Kind   string `json:"kind"`
	URL    string `json:"url"`
	APIURL string `json:"api_url"`
}

type apiTag struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
	URL  string `json:"url"`
}

type apiOutlet struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
	URL  string `json:"url"`
}

type apiSource struct {
	MentionID       uint       `json:"mention_id"`
	ArticleID       uint       `json:"article_id"`
	ArticleTitle    string     `json:"article_title"`
	ArticleURL      string     `json:"article_url"`
	OriginalURL     string     `json:"original_url,omitempty"`
	Outlet          apiOutlet  `json:"outlet"`
	PublishedAt     *time.Time `json:"published_at"`
	Quote           string     `json:"quote"`
	AnchorStatus    string     `json:"anchor_status"`
	FirstAppearance bool       `json:"first_appearance"`
}

type apiClaim struct {
	Type          string        `json:"type"` // "claim"
	ID            uint          `json:"id"`
	URL           string        `json:"url"`
	APIURL        string        `json:"api_url"`
	Restatement   string        `json:"restatement"`
	Stance        string        `json:"stance"`
	StanceLabel   string        `json:"stance_label"`
	SaidOn        *string       `json:"said_on"`
	DatePrecision *string       `json:"date_precision"`
	FirstReported *time.Time    `json:"first_reported"`
	Claimant      *apiEntityRef `json:"claimant"`
	Tags          []apiTag      `json:"tags"`
	Sources       []apiSource   `json:"sources"`
	FactCheck     *apiFactCheck `json:"fact_check"` // the published fact-check, or null
}

// apiFactCheck is a claim's published rating and where to read the fact-check.
type apiFactCheck struct {
	URL    string `json:"url"`
	Rating string `json:"rating"`
}

type apiEvent struct {
	Type          string         `json:"type"` // "event"
	ID            uint           `json:"id"`
	URL           string         `json:"url"`
	APIURL        string         `json:"api_url"`
	Title         string         `json:"title"`
	StartsOn      string         `json:"starts_on"`
	EndsOn        *string        `json:"ends_on"`
	DatePrecision string         `json:"date_precision"`
	Status        string         `json:"status"`
	StatusLabel   string         `json:"status_label"`
	Place         *apiEntityRef  `json:"place"`
	Participants  []apiEntityRef `json:"participants"`
	Tags          []apiTag       `json:"tags"`
	Sources       []apiSource    `json:"sources"`
}

type apiRole struct {
	Title    string  `json:"title"`
	StartsOn *string `json:"starts_on"`
	EndsOn   *string `json:"ends_on"`
}

type apiEntity struct {
	ID             uint      `json:"id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
	Kind           string    `json:"kind"`
	Description    string    `json:"description"`
	Aliases        []string  `json:"aliases"`
	Roles          []apiRole `json:"roles"`
	URL            string    `json:"url"`
	APIURL         string    `json:"api_url"`
	FeedURL        string    `json:"feed_url"`
	TimelineJSURL  string    `json:"timelinejs_url"`
	PlaceURL       string    `json:"place_url,omitempty"`
	Entries        *[]any    `json:"entries,omitempty"` // details only
	EntriesPartial *bool     `json:"entries_truncated,omitempty"`
}

type apiTimeline struct {
	Slug           string    `json:"slug"`
	Title          string    `json:"title"`
	Description    string    `json:"description"`
	RuleKind       string    `json:"rule_kind"`
	RuleValue      *string   `json:"rule_value"`
	URL            string    `json:"url"`
	APIURL         string    `json:"api_url"`
	FeedURL        string    `json:"feed_url"`
	TimelineJSURL  string    `json:"timelinejs_url"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Entries        *[]any    `json:"entries,omitempty"` // details only
	EntriesPartial *bool     `json:"entries_truncated,omitempty"`
}

// apiList is one page of a listing.
type apiList struct {
	Items   any    `json:"items"`
	Page    int    `json:"page"`
	PerPage int    `json:"per_page"`
	Count   int    `json:"count"`
	HasMore bool   `json:"has_more"`
	Self    string `json:"self"`
	Next    string `json:"next,omitempty"`
	Prev    string `json:"prev,omitempty"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (s *Server) apiRef(c echo.Context, r *models.EntityRef) *apiEntityRef {
	if r == nil {
		return nil
	}
	return &apiEntityRef{ID: r.ID, Name: r.Name, Slug: r.Slug, Kind: string(r.Kind),
		URL: absoluteURL(c, views.TimelineEntityURL(*r)), APIURL: absoluteURL(c, views.SlugURL(views.RouteAPIEntity, r.Slug))}
}

func entityRef(e *models.Entity) *models.EntityRef {
	if e == nil {
		return nil
	}
	return &models.EntityRef{ID: e.ID, Name: e.Name, Slug: e.Slug, Kind: e.Kind}
}

func (s *Server) apiSources(c echo.Context, sources []models.Source) []apiSource {
	out := make([]apiSource, 0, len(sources))
	for _, src := range sources {
		out = append(out, apiSource{MentionID: src.MentionID, ArticleID: src.ArticleID, ArticleTitle: src.Title,
			ArticleURL: absoluteURL(c, views.ArticleURL(src.ArticleID)), OriginalURL: src.SourceURL,
			Outlet:      apiOutlet{Name: src.OutletName, Slug: src.OutletSlug, URL: absoluteURL(c, views.OutletURL(src.OutletSlug))},
			PublishedAt: src.PublishedAt, Quote: src.Quote, AnchorStatus: string(src.Status), FirstAppearance: src.First})
	}
	return out
}

func (s *Server) apiTags(c echo.Context, tags []models.Tag) []apiTag {
	out := make([]apiTag, 0, len(tags))
	for _, t := range tags {
		out = append(out, apiTag{Name: t.Name, Slug: t.Slug, URL: absoluteURL(c, views.SlugURL(views.RouteTag, t.Slug))})
	}
	return out
}

// apiItem is a timeline entry as the API shows it: an apiClaim or an apiEvent.
func (s *Server) apiItem(c echo.Context, it models.TimelineItem) any {
	if it.Kind == "event" {
		_, prec, _ := views.ParseTimelineDate(it.Date)
		e := apiEvent{Type: "event", ID: it.ID, URL: absoluteURL(c, views.EventURL(it.ID)),
			APIURL: absoluteURL(c, withIDPath(views.RouteAPIEvent, it.ID)), Title: it.Title, StartsOn: it.Date,
			EndsOn: optional(it.EndDate), DatePrecision: prec, Status: it.Status, StatusLabel: views.TimelineStatusLabel(it),
			Place: s.apiRef(c, it.Place), Participants: []apiEntityRef{}, Tags: s.apiTags(c, it.Tags), Sources: s.apiSources(c, it.Sources)}
		for i := range it.Participants {
			e.Participants = append(e.Participants, *s.apiRef(c, &it.Participants[i]))
		}
		return e
	}
	cl := apiClaim{Type: "claim", ID: it.ID, URL: absoluteURL(c, views.ClaimURL(it.ID)),
		APIURL: absoluteURL(c, withIDPath(views.RouteAPIClaim, it.ID)), Restatement: it.Title, Stance: it.Status,
		StanceLabel: views.TimelineStatusLabel(it), SaidOn: optional(it.Date), Claimant: s.apiRef(c, it.Claimant),
		Tags: s.apiTags(c, it.Tags), Sources: s.apiSources(c, it.Sources)}
	if _, prec, ok := views.ParseTimelineDate(it.Date); ok {
		cl.DatePrecision = &prec
	}
	if it.Verdict != nil {
		cl.FactCheck = &apiFactCheck{URL: absoluteURL(c, views.FactCheckURL(it.Verdict.VerdictID)), Rating: it.Verdict.Label.Name}
	}
	for _, src := range it.Sources {
		if src.First && src.PublishedAt != nil {
			t := *src.PublishedAt
			cl.FirstReported = &t
			break
		}
	}
	return cl
}

func withIDPath(pattern string, id uint) string {
	return strings.Replace(pattern, ":id", strconv.FormatUint(uint64(id), 10), 1)
}

// apiJSON sends a JSON body with an ETag, or 304 when the client has it.
func (s *Server) apiJSON(c echo.Context, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	apiCaching(c)
	return s.apiConditionalBody(c, echo.MIMEApplicationJSON, listingETag(body), body)
}

// apiPage reads ?page=N for a listing; absurd pages are refused.
func apiPage(c echo.Context) (int, error) {
	if raw := c.QueryParam("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return 0, models.Errorf(models.EInvalid, "The page must be a whole number from 1.")
		}
		if n > apiMaxPage {
			return 0, models.Errorf(models.EInvalid, "The page must be at most %d.", apiMaxPage)
		}
		return n, nil
	}
	return 1, nil
}

// pageLink is the absolute URL of another page of the current listing, with its other parameters.
func pageLink(c echo.Context, page int) string {
	q := url.Values{}
	for k, v := range c.QueryParams() {
		q[k] = v
	}
	q.Del("page")
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	path := c.Request().URL.Path
	if e := q.Encode(); e != "" {
		path += "?" + e
	}
	return absoluteURL(c, path)
}

// listPage cuts page `page` out of a listing loaded up to at least one item
// past that page, so whether there is a next page is known.
func listPage[T any](c echo.Context, all []T, page int) apiList {
	start := min((page-1)*apiPageSize, len(all))
	end := min(start+apiPageSize, len(all))
	items := all[start:end]
	if items == nil {
		items = []T{}
	}
	l := apiList{Items: items, Page: page, PerPage: apiPageSize, Count: len(items), Self: pageLink(c, page),
		HasMore: len(all) > end}
	if l.HasMore {
		l.Next = pageLink(c, page+1)
	}
	if page > 1 {
		l.Prev = pageLink(c, page-1)
	}
	return l
}

// apiItems lists claims or events, filtered like a timeline.
func (s *Server) apiItems(c echo.Context, kind string) error {
	page, err := apiPage(c)
	if err != nil {
		return s.apiError(c, err)
	}
	if t := c.QueryParam("type"); t != "" && t != kind {
		return s.apiError(c, models.Errorf(models.EInvalid, "This list only has %ss.", kind))
	}
	q := readTimelineQuery(c)
	q.Type, q.By = kind, ""
	sc := &timelineScope{kind: "api"}
	sel, err := s.selectTimeline(c.Request().Context(), sc, q)
	if err != nil {
		return err
	}
	sel.filter.Limit = page*apiPageSize + 1
	items, _, err := s.items(c.Request().Context(), sc, &sel)
	if err != nil {
		return err
	}
	if len(sel.problems) > 0 {
		return s.apiError(c, models.Errorf(models.EInvalid, "%s", strings.Join(sel.problems, " ")))
	}
	out := make([]any, 0, len(items))
	for _, it := range items {
		out = append(out, s.apiItem(c, it))
	}
	return s.apiJSON(c, listPage(c, out, page))
}

func (s *Server) apiClaims(c echo.Context) error { return s.apiItems(c, "claim") }
func (s *Server) apiEvents(c echo.Context) error { return s.apiItems(c, "event") }

// apiClaim is one public claim with its sources.
func (s *Server) apiClaim(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return s.apiError(c, err)
	}
	cl, sources, err := s.store.ClaimByID(c.Request().Context(), id)
	if err == nil && len(sources) == 0 {
		err = models.Errorf(models.ENotFound, "There is no claim number %d.", id)
	}
	if err != nil {
		return s.apiError(c, err)
	}
	it := models.TimelineItem{Kind: "claim", ID: cl.ID, Title: cl.Restatement, Date: cl.SaidOn, Status: string(cl.Stance),
		Claimant: entityRef(cl.Claimant), Tags: cl.Tags, Sources: sources}
	badges, err := s.store.VerdictBadges(c.Request().Context(), []uint{cl.ID})
	if err != nil {
		return s.apiError(c, err)
	}
	if b, ok := badges[cl.ID]; ok {
		it.Verdict = &b
	}
	return s.apiJSON(c, s.apiItem(c, it))
}

// apiEvent is one public event with its sources.
func (s *Server) apiEvent(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return s.apiError(c, err)
	}
	e, sources, err := s.store.EventByID(c.Request().Context(), id)
	if err == nil && len(sources) == 0 {
		err = models.Errorf(models.ENotFound, "There is no event number %d.", id)
	}
	if err != nil {
		return s.apiError(c, err)
	}
	it := models.TimelineItem{Kind: "event", ID: e.ID, Title: e.Title, Date: e.StartsOn, EndDate: e.EndsOn, Status: string(e.Status),
		Place: entityRef(e.Place), Tags: e.Tags, Sources: sources}
	for i := range e.Participants {
		it.Participants = append(it.Participants, *entityRef(&e.Participants[i]))
	}
	return s.apiJSON(c, s.apiItem(c, it))
}

func (s *Server) apiEntityOf(c echo.Context, e *models.Entity) apiEntity {
	out := apiEntity{ID: e.ID, Slug: e.Slug, Name: e.Name, Kind: string(e.Kind), Description: e.Description,
		Aliases: []string{}, Roles: []apiRole{},
		URL:           absoluteURL(c, views.SlugURL(views.RouteEntity, e.Slug)),
		APIURL:        absoluteURL(c, views.SlugURL(views.RouteAPIEntity, e.Slug)),
		FeedURL:       absoluteURL(c, views.SlugURL(views.RouteEntityFeed, e.Slug)),
		TimelineJSURL: absoluteURL(c, views.SlugURL(views.RouteEntityJS, e.Slug))}
	if e.Kind == models.EntityPlace {
		out.PlaceURL = absoluteURL(c, views.SlugURL(views.RoutePlace, e.Slug))
	}
	for _, a := range e.Aliases {
		if a.Alias != e.Name {
			out.Aliases = append(out.Aliases, a.Alias)
		}
	}
	for _, r := range e.Roles {
		out.Roles = append(out.Roles, apiRole{Title: r.Title, StartsOn: optional(r.StartsOn), EndsOn: optional(r.EndsOn)})
	}
	return out
}

// apiEntities lists entities by name (?kind=person|organisation|place).
func (s *Server) apiEntities(c echo.Context) error {
	page, err := apiPage(c)
	if err != nil {
		return s.apiError(c, err)
	}
	kind := models.EntityKind(c.QueryParam("kind"))
	switch kind {
	case "", models.EntityPerson, models.EntityOrganisation, models.EntityPlace:
	default:
		return s.apiError(c, models.Errorf(models.EInvalid, "Unknown kind %q: use person, organisation or place.", string(kind)))
	}
	list, err := s.store.ListEntities(c.Request().Context(), kind, page*apiPageSize+1)
	if err != nil {
		return err
	}
	out := make([]apiEntity, 0, len(list))
	for i := range list {
		out = append(out, s.apiEntityOf(c, &list[i]))
	}
	return s.apiJSON(c, listPage(c, out, page))
}

// apiEntity is an entity with its aliases, roles and timeline entries.
func (s *Server) apiEntity(c echo.Context) error {
	sc, err := s.loadScope(c, "entity")
	if err != nil {
		return s.apiError(c, err)
	}
	items, truncated, err := s.store.TimelineItems(c.Request().Context(), sc.base)
	if err != nil {
		return err
	}
	out := s.apiEntityOf(c, sc.entity)
	entries := make([]any, 0, len(items))
	for _, it := range items {
		entries = append(entries, s.apiItem(c, it))
	}
	out.Entries, out.EntriesPartial = &entries, &truncated
	return s.apiJSON(c, out)
}

func (s *Server) apiTimelineOf(c echo.Context, tl *models.Timeline) apiTimeline {
	out := apiTimeline{Slug: tl.Slug, Title: tl.Title, Description: tl.Description, RuleKind: tl.RuleKind, RuleValue: optional(tl.RuleValue),
		URL:           absoluteURL(c, views.SlugURL(views.RouteTimeline, tl.Slug)),
		APIURL:        absoluteURL(c, views.SlugURL(views.RouteAPITimeline, tl.Slug)),
		FeedURL:       absoluteURL(c, views.SlugURL(views.RouteTimelineFeed, tl.Slug)),
		TimelineJSURL: absoluteURL(c, views.SlugURL(views.RouteTimelineJS, tl.Slug)),
		CreatedAt:     tl.CreatedAt.UTC(), UpdatedAt: tl.UpdatedAt.UTC()}
	return out
}

// apiTimelines lists the curated timelines, most recently changed first.
func (s *Server) apiTimelines(c echo.Context) error {
	page, err := apiPage(c)
	if err != nil {
		return s.apiError(c, err)
	}
	list, err := s.store.ListTimelines(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]apiTimeline, 0, len(list))
	for i := range list {
		out = append(out, s.apiTimelineOf(c, &list[i]))
	}
	return s.apiJSON(c, listPage(c, out, page))
}

// apiTimeline is a curated timeline with its entries and their sources.
func (s *Server) apiTimeline(c echo.Context) error {
	sc, err := s.loadScope(c, "timeline")
	if err != nil {
		return s.apiError(c, err)
	}
	sel := timelineSelection{filter: sc.base}
	items, truncated, err := s.items(c.Request().Context(), sc, &sel)
	if err != nil {
		return err
	}
	out := s.apiTimelineOf(c, sc.timeline)
	entries := make([]any, 0, len(items))
	for _, it := range items {
		entries = append(entries, s.apiItem(c, it))
	}
	out.Entries, out.EntriesPartial = &entries, &truncated
	return s.apiJSON(c, out)
}
