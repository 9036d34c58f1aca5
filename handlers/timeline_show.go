package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// A timeline is shown four ways (page, Atom feed, TimelineJS JSON, JSON API)
// for four kinds of subject (a curated timeline, an entity, a tag, a place).
// A timelineScope says what the subject is; a timelineSelection adds the
// reader's filters from the query string.

// timelineScope is the subject of a timeline: which entries belong to it.
type timelineScope struct {
	kind        string // "timeline", "entity", "tag" or "place"
	slug        string
	base        models.TimelineFilter
	empty       bool // a rule timeline whose tag or entity no longer exists
	title       string
	description string
	updated     *time.Time
	routes      [4]string // page, feed, TimelineJS and API route patterns ("" = none)
	timeline    *models.Timeline
	entity      *models.Entity
	tag         *models.Tag
}

func (sc *timelineScope) path() string     { return views.SlugURL(sc.routes[0], sc.slug) }
func (sc *timelineScope) feedPath() string { return views.SlugURL(sc.routes[1], sc.slug) }
func (sc *timelineScope) jsonPath() string { return views.SlugURL(sc.routes[2], sc.slug) }
func (sc *timelineScope) apiPath() string {
	if sc.routes[3] == "" {
		return ""
	}
	return views.SlugURL(sc.routes[3], sc.slug)
}

// slugParam reads the :slug of the path, decoded (slugs keep letters of any
// script), as text: what %00 or %FF decode to is replaced, as in
// every other parameter (cleanTextInput).
func slugParam(c echo.Context) string {
	slug := c.Param("slug")
	if s, err := url.PathUnescape(slug); err == nil {
		slug = s
	}
	slug, _ = asText(slug)
	return slug
}

// loadScope finds the subject a request's :slug names; unknown slugs are 404s.
func (s *Server) loadScope(c echo.Context, kind string) (*timelineScope, error) {
	ctx := c.Request().Context()
	slug := slugParam(c)
	sc := &timelineScope{kind: kind, slug: slug}
	switch kind {
	case "timeline":
		tl, err := s.store.TimelineBySlug(ctx, slug)
		if err != nil {
			return nil, err
		}
		sc.timeline, sc.title, sc.description, sc.updated = tl, tl.Title, tl.Description, &tl.UpdatedAt
		sc.routes = [4]string{views.RouteTimeline, views.RouteTimelineFeed, views.RouteTimelineJS, views.RouteAPITimeline}
		switch tl.RuleKind {
		case "tag":
			t, err := s.store.TagBySlug(ctx, tl.RuleValue)
			if models.ErrorCodeOf(err) == models.ENotFound {
				sc.empty = true
			} else if err != nil {
				return nil, err
			} else {
				sc.base.TagID = t.ID
			}
		case "entity":
			e, err := s.store.EntityBySlug(ctx, tl.RuleValue)
			if models.ErrorCodeOf(err) == models.ENotFound {
				sc.empty = true
			} else if err != nil {
				return nil, err
			} else {
				sc.base.EntityID = e.ID
			}
		default:
			sc.base.TimelineID = tl.ID
		}
	case "entity", "place":
		e, err := s.store.EntityBySlug(ctx, slug)
		if err != nil {
			return nil, err
		}
		if kind == "place" && e.Kind != models.EntityPlace {
			return nil, models.Errorf(models.ENotFound, "%s is not a place.", e.Name)
		}
		sc.entity, sc.title, sc.description, sc.updated = e, e.Name, e.Description, &e.UpdatedAt
		if kind == "place" {
			sc.base.PlaceID = e.ID
			sc.title = "Events in " + e.Name
			sc.routes = [4]string{views.RoutePlace, views.RoutePlaceFeed, views.RoutePlaceJS, views.RouteAPIEntity}
		} else {
			sc.base.EntityID = e.ID
			sc.routes = [4]string{views.RouteEntity, views.RouteEntityFeed, views.RouteEntityJS, views.RouteAPIEntity}
		}
	case "tag":
		t, err := s.store.TagBySlug(ctx, slug)
		if err != nil {
			return nil, err
		}
		sc.tag, sc.title = t, t.Name
		sc.routes = [4]string{views.RouteTag, views.RouteTagFeed, views.RouteTagJS, ""}
	default:
		return nil, fmt.Errorf("unknown timeline kind %q", kind)
	}
	if kind == "tag" {
		sc.base.TagID = sc.tag.ID
	}
	return sc, nil
}

// maxFilterValue bounds one query parameter; nothing longer can name anything.
const maxFilterValue = 200

// readTimelineQuery reads the filters and zoom from the query string.
func readTimelineQuery(c echo.Context) views.TimelineQuery {
	get := func(k string) string { return strings.TrimSpace(c.QueryParam(k)) }
	return views.TimelineQuery{Entity: get("entity"), Place: get("place"), Tag: get("tag"), Status: get("status"),
		Type: get("type"), From: get("from"), To: get("to"), By: get("by")}
}

// canonicalTimelineURL is where a request with blank parameters (as a GET
// form sends them) or the default zoom should go, so that one view has one
// URL; "" when the request is already canonical.
func canonicalTimelineURL(c echo.Context, path string) string {
	raw := c.QueryParams()
	redirect := false
	for _, k := range views.TimelineQueryKeys {
		if vals, ok := raw[k]; ok && (len(vals) != 1 || strings.TrimSpace(vals[0]) == "" || strings.TrimSpace(vals[0]) != vals[0]) {
			redirect = true
		}
	}
	if raw.Get("by") == "month" {
		redirect = true
	}
	if !redirect {
		return ""
	}
	q := readTimelineQuery(c)
	if q.By == "month" {
		q.By = ""
	}
	return q.URL(path)
}

// timelineSelection is a scope narrowed by the reader's filters.
type timelineSelection struct {
	filter   models.TimelineFilter
	post     []func(models.TimelineItem) bool // filters the model's one slot per kind could not take
	problems []string
	from, to *time.Time // the chosen dates: start inclusive, end exclusive
	zoom     string
}

// parseFilterDate reads YYYY, YYYY-MM or YYYY-MM-DD as the period it names.
func parseFilterDate(s string) (start, end time.Time, err error) {
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	if layout == "" {
		return start, end, errors.New("bad length")
	}
	start, err = time.Parse(layout, s)
	if err != nil {
		return start, end, err
	}
	if start.Year() < 1 {
		return start, end, errors.New("year zero")
	}
	switch len(s) {
	case 4:
		end = start.AddDate(1, 0, 0)
	case 7:
		end = start.AddDate(0, 1, 0)
	default:
		end = start.AddDate(0, 0, 1)
	}
	if end.Year() > 9999 { // the store compares four-digit years
		end = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	}
	return start, end, nil
}

func isEventStatus(s string) bool {
	for _, st := range models.EventStatuses() {
		if string(st) == s {
			return true
		}
	}
	return false
}

func isStance(s string) bool {
	for _, st := range models.Stances() {
		if string(st) == s {
			return true
		}
	}
	return false
}

func statusNames() string {
	var names []string
	for _, st := range models.EventStatuses() {
		names = append(names, string(st))
	}
	for _, st := range models.Stances() {
		names = append(names, string(st))
	}
	return strings.Join(names, ", ")
}

// involves mirrors the model's entity filter: claims the entity made, events
// it was the place or a participant of.
func involves(id uint) func(models.TimelineItem) bool {
	return func(it models.TimelineItem) bool {
		if it.Claimant != nil && it.Claimant.ID == id {
			return true
		}
		if it.Kind == "event" && it.Place != nil && it.Place.ID == id {
			return true
		}
		for _, p := range it.Participants {
			if p.ID == id {
				return true
			}
		}
		return false
	}
}

func heldAt(id uint) func(models.TimelineItem) bool {
	return func(it models.TimelineItem) bool { return it.Kind == "event" && it.Place != nil && it.Place.ID == id }
}

func taggedWith(id uint) func(models.TimelineItem) bool {
	return func(it models.TimelineItem) bool {
		for _, t := range it.Tags {
			if t.ID == id {
				return true
			}
		}
		return false
	}
}

// selectTimeline checks the reader's filters and turns them into a model
// filter. Values that name nothing become problems for the page to show;
// only faults of the store are errors.
func (s *Server) selectTimeline(ctx context.Context, sc *timelineScope, q views.TimelineQuery) (timelineSelection, error) {
	sel := timelineSelection{filter: sc.base, zoom: q.By}
	problem := func(format string, args ...any) { sel.problems = append(sel.problems, fmt.Sprintf(format, args...)) }
	for _, k := range views.TimelineQueryKeys {
		if len(q.Get(k)) > maxFilterValue {
			problem("The %s filter is too long.", k)
			return sel, nil
		}
	}
	// slot puts an id in the model filter's field when it is free; otherwise
	// (the page fixes another value) the items are filtered afterwards.
	slot := func(field *uint, id uint, post func(uint) func(models.TimelineItem) bool) {
		switch {
		case *field == 0:
			*field = id
		case *field != id:
			sel.post = append(sel.post, post(id))
		}
	}
	if q.Entity != "" {
		e, err := s.store.EntityBySlug(ctx, q.Entity)
		switch {
		case models.ErrorCodeOf(err) == models.ENotFound:
			problem("There is no person, organisation or place with the address “%s”.", q.Entity)
		case err != nil:
			return sel, err
		default:
			slot(&sel.filter.EntityID, e.ID, involves)
		}
	}
	if q.Place != "" {
		e, err := s.store.EntityBySlug(ctx, q.Place)
		switch {
		case models.ErrorCodeOf(err) == models.ENotFound:
			problem("There is no place with the address “%s”.", q.Place)
		case err != nil:
			return sel, err
		case e.Kind != models.EntityPlace:
			problem("%s is not a place; choose it as a person or organisation instead.", e.Name)
		default:
			slot(&sel.filter.PlaceID, e.ID, heldAt)
		}
	}
	if q.Tag != "" {
		t, err := s.store.TagBySlug(ctx, q.Tag)
		switch {
		case models.ErrorCodeOf(err) == models.ENotFound:
			problem("There is no tag “%s”.", q.Tag)
		case err != nil:
			return sel, err
		default:
			slot(&sel.filter.TagID, t.ID, taggedWith)
		}
	}
	switch q.Type {
	case "", "claim", "event":
		sel.filter.Type = q.Type
	default:
		problem("Unknown type “%s”: choose claim or event.", q.Type)
	}
	if q.Status != "" {
		switch {
		case isEventStatus(q.Status) && q.Type == "claim":
			problem("“%s” is a status of events; claims do not have it.", q.Status)
		case isStance(q.Status) && q.Type == "event":
			problem("“%s” is a stance of claims; events do not have it.", q.Status)
		case isEventStatus(q.Status) || isStance(q.Status):
			sel.filter.Status = q.Status
		default:
			problem("Unknown status “%s”: choose one of %s.", q.Status, statusNames())
		}
	}
	if q.From != "" {
		start, _, err := parseFilterDate(q.From)
		if err != nil {
			problem("“%s” is not a date the From filter understands: write YYYY, YYYY-MM or YYYY-MM-DD.", q.From)
		} else {
			sel.from = &start
		}
	}
	if q.To != "" {
		_, end, err := parseFilterDate(q.To)
		if err != nil {
			problem("“%s” is not a date the To filter understands: write YYYY, YYYY-MM or YYYY-MM-DD.", q.To)
		} else {
			sel.to = &end
		}
	}
	if sel.from != nil && sel.to != nil && !sel.to.After(*sel.from) {
		problem("The To date (%s) is before the From date (%s).", q.To, q.From)
	}
	sel.filter.From, sel.filter.To = sel.from, sel.to
	switch q.By {
	case "":
		sel.zoom = "month"
	case "year", "month", "day":
	default:
		problem("Entries can be grouped by year, month or day, not “%s”.", q.By)
		sel.zoom = "month"
	}
	return sel, nil
}

// items loads a selection's entries. A filter the model refuses becomes a problem.
func (s *Server) items(ctx context.Context, sc *timelineScope, sel *timelineSelection) ([]models.TimelineItem, bool, error) {
	if sc.empty || len(sel.problems) > 0 {
		return nil, false, nil
	}
	list, truncated, err := s.store.TimelineItems(ctx, sel.filter)
	var appErr *models.Error
	if errors.As(err, &appErr) && appErr.Code == models.EInvalid {
		sel.problems = append(sel.problems, appErr.Message)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if len(sel.post) == 0 {
		return list, truncated, nil
	}
	kept := list[:0]
	for _, it := range list {
		ok := true
		for _, p := range sel.post {
			ok = ok && p(it)
		}
		if ok {
			kept = append(kept, it)
		}
	}
	return kept, truncated, nil
}

// loadSelected resolves the query and loads the entries it selects; the
// problems are the reader's to fix (a 422), the error a fault.
func (s *Server) loadSelected(c echo.Context, sc *timelineScope) (views.TimelineQuery, timelineSelection, []models.TimelineItem, bool, error) {
	ctx := c.Request().Context()
	q := readTimelineQuery(c)
	sel, err := s.selectTimeline(ctx, sc, q)
	if err != nil {
		return q, sel, nil, false, err
	}
	items, truncated, err := s.items(ctx, sc, &sel)
	return q, sel, items, truncated, err
}

// timelineView prepares the shared timeline component for a scope.
func (s *Server) timelineView(c echo.Context, sc *timelineScope) (views.TimelineView, error) {
	ctx := c.Request().Context()
	q, sel, shown, truncated, err := s.loadSelected(c, sc)
	if err != nil {
		return views.TimelineView{}, err
	}
	base := shown
	if q.Filtered() || len(sel.problems) > 0 {
		all := timelineSelection{filter: sc.base}
		if base, _, err = s.items(ctx, sc, &all); err != nil {
			return views.TimelineView{}, err
		}
	}
	v := views.TimelineView{
		Path:      sc.path(),
		Query:     q,
		Problems:  sel.problems,
		Shown:     len(shown),
		Total:     len(base),
		Truncated: truncated,
		FeedURL:   feedQuery(q).URL(sc.feedPath()),
		JSONURL:   feedQuery(q).URL(sc.jsonPath()),
		APIURL:    sc.apiPath(),
	}
	if sc.kind == "place" {
		v.Hide = "place"
	}
	for _, z := range []struct{ by, label string }{{"year", "Year"}, {"month", "Month"}, {"day", "Day"}} {
		zq := q
		zq.By = z.by
		if z.by == "month" {
			zq.By = ""
		}
		v.Zooms = append(v.Zooms, views.TimelineZoom{Label: z.label, URL: zq.URL(sc.path()), Current: sel.zoom == z.by})
	}
	if len(sel.problems) == 0 {
		v.Groups = groupTimeline(shown, sel.zoom)
	}
	v.Entities, v.Places, v.Tags = filterOptions(base, sc, q)
	v.Overview = buildOverview(base, shown, sel, q)
	return v, nil
}

// feedQuery is the query a feed or TimelineJS link of the view carries: its
// filters, not its zoom.
func feedQuery(q views.TimelineQuery) views.TimelineQuery {
	q.By = ""
	return q
}

// filterOptions offers the entities, places and tags of the whole timeline
// (and the current values, so a shared URL shows what it filters by).
func filterOptions(base []models.TimelineItem, sc *timelineScope, q views.TimelineQuery) (entities, places, tags []views.TimelineOption) {
	own := ""
	if sc.entity != nil {
		own = sc.entity.Slug
	}
	seenE, seenP, seenT := map[string]bool{own: true}, map[string]bool{own: true}, map[string]bool{}
	if sc.tag != nil {
		seenT[sc.tag.Slug] = true
	}
	addEntity := func(r *models.EntityRef) {
		if r == nil {
			return
		}
		if r.Kind == models.EntityPlace {
			if !seenP[r.Slug] {
				seenP[r.Slug] = true
				places = append(places, views.TimelineOption{Value: r.Slug, Label: r.Name})
			}
			return
		}
		if !seenE[r.Slug] {
			seenE[r.Slug] = true
			entities = append(entities, views.TimelineOption{Value: r.Slug, Label: r.Name})
		}
	}
	for _, it := range base {
		addEntity(it.Claimant)
		addEntity(it.Place)
		for i := range it.Participants {
			addEntity(&it.Participants[i])
		}
		for _, t := range it.Tags {
			if !seenT[t.Slug] {
				seenT[t.Slug] = true
				tags = append(tags, views.TimelineOption{Value: t.Slug, Label: t.Name})
			}
		}
	}
	// The current value stays selectable even when the timeline has no entry for it.
	if q.Entity != "" && !seenE[q.Entity] {
		entities = append(entities, views.TimelineOption{Value: q.Entity, Label: q.Entity})
	}
	if q.Place != "" && !seenP[q.Place] {
		places = append(places, views.TimelineOption{Value: q.Place, Label: q.Place})
	}
	if q.Tag != "" && !seenT[q.Tag] {
		tags = append(tags, views.TimelineOption{Value: q.Tag, Label: q.Tag})
	}
	for _, list := range [][]views.TimelineOption{entities, places, tags} {
		sort.SliceStable(list, func(i, j int) bool { return strings.ToLower(list[i].Label) < strings.ToLower(list[j].Label) })
	}
	return entities, places, tags
}

// itemPeriod is the date an entry is placed by, and how precisely it is
// known: "year", "month", "day" (a time counts as a day), or "" if unknown.
func itemPeriod(it models.TimelineItem) (time.Time, string) {
	if it.Date != "" {
		switch _, p, _ := views.ParseTimelineDate(it.Date); p {
		case "year", "month", "day":
			return it.Sort, p
		case "time":
			return it.Sort, "day"
		}
	}
	if it.Sort.IsZero() {
		return it.Sort, ""
	}
	return it.Sort, "day" // a claim with no date is placed on its first report
}

// groupTimeline groups entries under headings for the zoom: years; years
// then months; or months then days. An entry known less precisely than the
// zoom gets a "sometime in" group of its own rather than a false place.
func groupTimeline(items []models.TimelineItem, zoom string) []views.TimelineGroup {
	var groups []views.TimelineGroup
	index := map[string]int{}
	outer := func(id, heading, datetime string) *views.TimelineGroup {
		i, ok := index[id]
		if !ok {
			groups = append(groups, views.TimelineGroup{ID: id, Heading: heading, DateTime: datetime})
			i = len(groups) - 1
			index[id] = i
		}
		return &groups[i]
	}
	inner := func(g *views.TimelineGroup, id, heading, datetime string) *views.TimelineGroup {
		for i := range g.Groups {
			if g.Groups[i].ID == id {
				return &g.Groups[i]
			}
		}
		g.Groups = append(g.Groups, views.TimelineGroup{ID: id, Heading: heading, DateTime: datetime})
		return &g.Groups[len(g.Groups)-1]
	}
	for _, it := range items {
		t, prec := itemPeriod(it)
		t = t.UTC()
		year, month, day := t.Format("2006"), t.Format("2006-01"), t.Format("2006-01-02")
		var g *views.TimelineGroup
		switch {
		case prec == "":
			g = outer("undated", "Date not known", "")
		case zoom == "year":
			g = outer("y"+year, year, year)
		case zoom == "month" && prec == "year":
			g = inner(outer("y"+year, year, year), "y"+year+"-sometime", "Sometime in "+year, year)
		case zoom == "month":
			g = inner(outer("y"+year, year, year), "m"+month, t.Format("January 2006"), month)
		case prec == "year": // zoom day
			g = outer("y"+year, "Sometime in "+year, year)
		case prec == "month":
			g = inner(outer("m"+month, t.Format("January 2006"), month), "m"+month+"-sometime", "Sometime in "+t.Format("January 2006"), month)
		default:
			g = inner(outer("m"+month, t.Format("January 2006"), month), "d"+day, t.Format("2 January 2006"), day)
		}
		g.Items = append(g.Items, it)
	}
	return groups
}

// Overview chart geometry, in SVG user units.
const (
	overviewWidth  = 640.0
	overviewHeight = 96.0
	overviewTop    = 6.0 // room above the tallest bar
)

// buildOverview draws the whole timeline as bars per month (or per year when
// it spans more than five years), the entries of the current view darker and
// the chosen date range as a band, with a text equivalent.
func buildOverview(base, shown []models.TimelineItem, sel timelineSelection, q views.TimelineQuery) *views.TimelineOverview {
	filtered := q.Filtered() && len(sel.problems) == 0
	var first, last time.Time
	dated := 0
	for _, it := range base {
		if it.Sort.IsZero() {
			continue
		}
		t := it.Sort.UTC()
		if dated == 0 || t.Before(first) {
			first = t
		}
		if dated == 0 || t.After(last) {
			last = t
		}
		dated++
	}
	if dated == 0 {
		return nil
	}
	// Periods are counted from an origin: months, or years for long stories.
	// A story of one or two periods gets one empty period either side, so its
	// bars do not fill the whole width.
	monthly := monthIndex(last)-monthIndex(first) <= 60
	index := func(t time.Time) int {
		if t = t.UTC(); monthly {
			return monthIndex(t)
		}
		return t.Year()
	}
	origin, n := index(first), index(last)-index(first)+1
	if n < 3 {
		origin, n = origin-1, n+2
	}
	bucket := func(t time.Time) int { return index(t) - origin }
	label := func(i int) string {
		if monthly {
			m := origin + i
			return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC).Format("January 2006")
		}
		return fmt.Sprint(origin + i)
	}
	total, inView := make([]int, n), make([]int, n)
	for _, it := range base {
		if !it.Sort.IsZero() {
			total[bucket(it.Sort)]++
		}
	}
	for _, it := range shown {
		if !it.Sort.IsZero() {
			if i := bucket(it.Sort); i >= 0 && i < n {
				inView[i]++
			}
		}
	}
	peak, busy, peaks := 0, 0, []int(nil)
	for i, k := range total {
		switch {
		case k > peak:
			peak, peaks = k, []int{i}
		case k == peak && k > 0:
			peaks = append(peaks, i)
		}
		if k > 0 {
			busy++
		}
	}

	o := &views.TimelineOverview{Width: overviewWidth, Height: overviewHeight, Start: label(0), End: label(n - 1)}
	// The chosen range, clamped to the chart; none when it misses the timeline.
	lo, hi := 0, n-1
	if sel.from != nil {
		lo = bucket(*sel.from)
	}
	if sel.to != nil {
		hi = bucket(sel.to.Add(-time.Nanosecond))
	}
	outside := lo > n-1 || hi < 0
	lo, hi = max(lo, 0), min(hi, n-1)
	barW := overviewWidth / float64(n)
	gap := min(2.0, barW*0.2)
	if filtered && (sel.from != nil || sel.to != nil) && !outside && lo <= hi {
		o.HasRange, o.RangeX, o.RangeW = true, float64(lo)*barW, float64(hi-lo+1)*barW
	}
	unit := (overviewHeight - overviewTop) / float64(peak)
	for i := 0; i < n; i++ {
		x := float64(i) * barW
		h, sh := float64(total[i])*unit, float64(inView[i])*unit
		b := views.TimelineBar{X: x + gap/2, W: barW - gap, Y: overviewHeight - h, H: h, ShownY: overviewHeight - sh, ShownH: sh,
			Label: fmt.Sprintf("%s: %s", label(i), countPhrase(total[i]))}
		if filtered {
			b.Label += fmt.Sprintf(", %d in this view", inView[i])
		} else {
			b.H = 0 // everything is shown: one dark bar
		}
		if monthly && i > 0 && (origin+i)%12 == 0 {
			b.FirstOfYear = true
		}
		o.Bars = append(o.Bars, b)
	}

	unitName := "month"
	if !monthly {
		unitName = "year"
	}
	o.Legend = fmt.Sprintf("A bar chart with one bar per %s from %s to %s; each bar's height is the number of entries.", unitName, o.Start, o.End)
	if filtered {
		o.Legend += " The darker part of each bar is the entries this view shows."
	}
	if o.HasRange {
		o.Legend += " A shaded band marks the dates chosen."
	}

	var sum strings.Builder
	firstLabel, lastLabel := label(bucket(first)), label(bucket(last))
	switch {
	case dated == 1:
		fmt.Fprintf(&sum, "1 entry, in %s.", firstLabel)
	case firstLabel == lastLabel:
		fmt.Fprintf(&sum, "%d entries, all in %s.", dated, firstLabel)
	default:
		fmt.Fprintf(&sum, "%d entries from %s to %s", dated, firstLabel, lastLabel)
		switch {
		case len(peaks) == busy: // evenly spread: no period stands out
		case len(peaks) == 1:
			fmt.Fprintf(&sum, ", most in %s (%d)", label(peaks[0]), peak)
		case len(peaks) <= 3:
			names := make([]string, len(peaks))
			for i, p := range peaks {
				names[i] = label(p)
			}
			fmt.Fprintf(&sum, ", most in %s and %s (%d each)", strings.Join(names[:len(names)-1], ", "), names[len(names)-1], peak)
		}
		sum.WriteString(".")
	}
	switch undated := len(base) - dated; {
	case undated == 1:
		sum.WriteString(" 1 more entry has no date.")
	case undated > 1:
		fmt.Fprintf(&sum, " %d more entries have no date.", undated)
	}
	if filtered {
		fmt.Fprintf(&sum, " This view shows %d of them", len(shown))
		switch {
		case q.From != "" && q.To != "":
			fmt.Fprintf(&sum, ", from %s to %s", views.TimelineDateLabel(q.From), views.TimelineDateLabel(q.To))
		case q.From != "":
			fmt.Fprintf(&sum, ", from %s on", views.TimelineDateLabel(q.From))
		case q.To != "":
			fmt.Fprintf(&sum, ", up to %s", views.TimelineDateLabel(q.To))
		}
		sum.WriteString(".")
		if outside {
			sum.WriteString(" The dates chosen fall outside the timeline.")
		}
	}
	o.Summary = sum.String()
	return o
}

func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func countPhrase(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

// renderTimelineScope shows one of the timeline pages.
func (s *Server) renderTimelineScope(c echo.Context, sc *timelineScope) error {
	if to := canonicalTimelineURL(c, sc.path()); to != "" {
		return c.Redirect(http.StatusSeeOther, to)
	}
	v, err := s.timelineView(c, sc)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(v.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	p := s.page(c, sc.title)
	p.Description = sc.description
	switch sc.kind {
	case "entity", "place":
		ev := views.EntityView{Entity: sc.entity, AsPlace: sc.kind == "place", Timeline: v, CanEdit: currentUser(c).Has(models.RoleEditor)}
		if sc.kind == "place" {
			p.Title = sc.entity.Name + " (place)"
			ev.OtherURL, ev.OtherText = views.SlugURL(views.RouteEntity, sc.entity.Slug), "Everything involving "+sc.entity.Name
		} else if sc.entity.Kind == models.EntityPlace {
			ev.OtherURL, ev.OtherText = views.SlugURL(views.RoutePlace, sc.entity.Slug), "Only the events held in "+sc.entity.Name
		}
		return s.render(c, status, views.EntityPage(p, ev))
	case "tag":
		return s.render(c, status, views.TimelinePage(p, views.TimelinePageView{Kicker: "Tag", Title: sc.title, Timeline: v}))
	}
	return s.render(c, status, views.TimelinePage(p, views.TimelinePageView{Kicker: "Timeline", Title: sc.title,
		Description: sc.description, Updated: sc.updated, Timeline: v}))
}

func (s *Server) showScope(c echo.Context, kind string) error {
	sc, err := s.loadScope(c, kind)
	if err != nil {
		return err
	}
	return s.renderTimelineScope(c, sc)
}

// timelineList lists the curated timelines and the entities with derived ones.
func (s *Server) timelineList(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.store.ListTimelines(ctx)
	if err != nil {
		return err
	}
	entities, err := s.store.ListEntities(ctx, "", 500)
	if err != nil {
		return err
	}
	p := s.page(c, "Timelines")
	p.Description = "Stories followed across articles: claims and events with the reports they rest on."
	return s.render(c, http.StatusOK, views.TimelinesPage(p, views.TimelinesView{Timelines: list, Entities: entities}))
}

// timelineShow is a curated timeline.
func (s *Server) timelineShow(c echo.Context) error { return s.showScope(c, "timeline") }

// tagShow is the derived timeline of a tag.
func (s *Server) tagShow(c echo.Context) error { return s.showScope(c, "tag") }

// placeShow is the derived timeline of the events held at a place.
func (s *Server) placeShow(c echo.Context) error { return s.showScope(c, "place") }
