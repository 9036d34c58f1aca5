package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Timeline is a curated story: an editor's chosen entries, or a rule (every
// claim and event with a tag, or involving an entity).
type Timeline struct {
	ID          uint
	Slug        string
	Title       string
	Description string
	RuleKind    string // "manual", "tag" or "entity"
	RuleValue   string // the tag's or entity's slug
	CreatedByID *uint
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TimelineEntry puts a claim or an event on a manual timeline.
type TimelineEntry struct {
	ID         uint
	TimelineID uint
	ClaimID    *uint
	EventID    *uint
}

// EntityRef is the little of an entity a timeline entry shows.
type EntityRef struct {
	ID   uint
	Name string
	Slug string
	Kind EntityKind
}

// TimelineItem is one claim or event as a timeline shows it.
type TimelineItem struct {
	Kind         string // "claim" or "event"
	ID           uint
	Title        string // the event's title, or the claim's restatement
	Date         string // ISO text, its length its precision; "" when unknown
	Sort         time.Time
	EndDate      string
	Status       string // the event's status, or the claim's stance
	Claimant     *EntityRef
	Place        *EntityRef
	Participants []EntityRef
	Tags         []Tag
	Sources      []Source
	Verdict      *VerdictBadge // a claim's published fact-check rating, if any
}

// Anchor is the entry's stable fragment id on timeline pages.
func (it TimelineItem) Anchor() string { return fmt.Sprintf("%s-%d", it.Kind, it.ID) }

// TimelineFilter narrows a timeline. Zero values mean "any".
type TimelineFilter struct {
	TimelineID uint
	EntityID   uint // claims by the entity, events where it is the place or a participant
	TagID      uint
	PlaceID    uint   // events at the place
	Type       string // "claim" or "event"
	Status     string // an event status, or a claim stance
	From, To   *time.Time
	Limit      int
}

// maxTimelineItems bounds one timeline page however wide the range asked for.
const maxTimelineItems = 1000

// validate refuses filter values that cannot match anything meaningful.
func (f *TimelineFilter) validate() error {
	switch f.Type {
	case "", "claim", "event":
	default:
		return Errorf(EInvalid, "Unknown type %q: use claim or event.", f.Type)
	}
	if f.Status != "" {
		isEvent := false
		for _, s := range EventStatuses() {
			isEvent = isEvent || string(s) == f.Status
		}
		isStance := f.Status == string(StanceAsserts) || f.Status == string(StanceDenies) || f.Status == string(StanceRumour)
		switch {
		case isEvent && f.Type != "claim":
			f.Type = "event"
		case isStance && f.Type != "event":
			f.Type = "claim"
		default:
			return Errorf(EInvalid, "Unknown status %q for this type.", f.Status)
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return Errorf(EInvalid, "The end of the date range is before its start.")
	}
	if f.Limit <= 0 || f.Limit > maxTimelineItems {
		f.Limit = maxTimelineItems
	}
	return nil
}

// publicMention is true for rows with a mention in a published or retracted article.
const claimHasPublicMention = `EXISTS (SELECT 1 FROM mentions m JOIN articles a ON a.id = m.article_id
	WHERE m.claim_id = claims.id AND a.deleted_at IS NULL AND a.status IN ('published', 'retracted'))`
const eventHasPublicMention = `EXISTS (SELECT 1 FROM mentions m JOIN articles a ON a.id = m.article_id
	WHERE m.event_id = events.id AND a.deleted_at IS NULL AND a.status IN ('published', 'retracted'))`

// TimelineItems returns the claims and events a filter selects, in date
// order, with their entities, tags and sources, in a fixed number of queries
// whatever the timeline's size. Only items reported in a public article are
// included. truncated says the limit cut the list.
func (s *Store) TimelineItems(ctx context.Context, f TimelineFilter) (items []TimelineItem, truncated bool, err error) {
	if err := f.validate(); err != nil {
		return nil, false, err
	}
	db := s.reader(ctx)
	if f.TimelineID != 0 {
		var tl Timeline
		if err := db.Take(&tl, f.TimelineID).Error; err != nil {
			return nil, false, Errorf(ENotFound, "There is no timeline number %d.", f.TimelineID)
		}
		switch tl.RuleKind {
		case "tag":
			var t Tag
			if err := db.Where("slug = ?", tl.RuleValue).Take(&t).Error; err != nil {
				return nil, false, nil
			}
			f.TagID, f.TimelineID = t.ID, 0
		case "entity":
			var e Entity
			if err := db.Where("slug = ?", tl.RuleValue).Take(&e).Error; err != nil {
				return nil, false, nil
			}
			f.EntityID, f.TimelineID = e.ID, 0
		}
	}

	type claimRow struct {
		Claim
		SortAt string // an expression's value: SQLite hands it back as text
	}
	var claims []claimRow
	if f.Type != "event" && f.PlaceID == 0 {
		sortExpr := `COALESCE(claims.said_sort, (SELECT MIN(a.published_at) FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.claim_id = claims.id))`
		q := db.Table("claims").Select("claims.*, " + sortExpr + " AS sort_at").Where(claimHasPublicMention)
		if f.TimelineID != 0 {
			// "IS NOT NULL" lets SQLite use the partial index timeline_entries_claim.
			q = q.Where("claims.id IN (SELECT claim_id FROM timeline_entries WHERE timeline_id = ? AND claim_id IS NOT NULL)", f.TimelineID)
		}
		if f.EntityID != 0 {
			q = q.Where("claims.claimant_id = ?", f.EntityID)
		}
		if f.TagID != 0 {
			q = q.Where("claims.id IN (SELECT claim_id FROM claim_tags WHERE tag_id = ?)", f.TagID)
		}
		if f.Status != "" {
			q = q.Where("claims.stance = ?", f.Status)
		}
		if f.From != nil {
			q = q.Where(sortExpr+" >= ?", *f.From)
		}
		if f.To != nil {
			q = q.Where(sortExpr+" < ?", *f.To)
		}
		if err := q.Order("sort_at, claims.id").Limit(f.Limit + 1).Scan(&claims).Error; err != nil {
			return nil, false, fmt.Errorf("timeline claims: %w", err)
		}
	}
	var events []Event
	if f.Type != "claim" {
		q := db.Model(&Event{}).Where(eventHasPublicMention)
		if f.TimelineID != 0 {
			q = q.Where("events.id IN (SELECT event_id FROM timeline_entries WHERE timeline_id = ? AND event_id IS NOT NULL)", f.TimelineID)
		}
		if f.EntityID != 0 {
			q = q.Where("events.place_id = ? OR events.id IN (SELECT event_id FROM event_participants WHERE entity_id = ?)", f.EntityID, f.EntityID)
		}
		if f.PlaceID != 0 {
			q = q.Where("events.place_id = ?", f.PlaceID)
		}
		if f.TagID != 0 {
			q = q.Where("events.id IN (SELECT event_id FROM event_tags WHERE tag_id = ?)", f.TagID)
		}
		if f.Status != "" {
			q = q.Where("events.status = ?", f.Status)
		}
		if f.From != nil {
			q = q.Where("events.starts_sort >= ?", *f.From)
		}
		if f.To != nil {
			q = q.Where("events.starts_sort < ?", *f.To)
		}
		if err := q.Order("starts_sort, id").Limit(f.Limit + 1).Find(&events).Error; err != nil {
			return nil, false, fmt.Errorf("timeline events: %w", err)
		}
	}

	// Entities, participants, tags and sources for all of them at once.
	var claimIDs, eventIDs, entityIDs []uint
	for _, c := range claims {
		claimIDs = append(claimIDs, c.ID)
		if c.ClaimantID != nil {
			entityIDs = append(entityIDs, *c.ClaimantID)
		}
	}
	for _, e := range events {
		eventIDs = append(eventIDs, e.ID)
		if e.PlaceID != nil {
			entityIDs = append(entityIDs, *e.PlaceID)
		}
	}
	type participation struct{ EventID, EntityID uint }
	var parts []participation
	if len(eventIDs) > 0 {
		if err := db.Table("event_participants").Where("event_id IN ?", eventIDs).Scan(&parts).Error; err != nil {
			return nil, false, fmt.Errorf("timeline participants: %w", err)
		}
		for _, p := range parts {
			entityIDs = append(entityIDs, p.EntityID)
		}
	}
	refs := map[uint]EntityRef{}
	if len(entityIDs) > 0 {
		var list []EntityRef
		if err := db.Table("entities").Select("id, name, slug, kind").Where("id IN ?", entityIDs).Scan(&list).Error; err != nil {
			return nil, false, fmt.Errorf("timeline entities: %w", err)
		}
		for _, r := range list {
			refs[r.ID] = r
		}
	}
	type tagRow struct {
		OwnerID uint
		Tag
	}
	claimTags, eventTags := map[uint][]Tag{}, map[uint][]Tag{}
	if len(claimIDs) > 0 {
		var rows []tagRow
		if err := db.Table("claim_tags").Select("claim_tags.claim_id AS owner_id, tags.*").Joins("JOIN tags ON tags.id = claim_tags.tag_id").
			Where("claim_tags.claim_id IN ?", claimIDs).Order("tags.name").Scan(&rows).Error; err != nil {
			return nil, false, fmt.Errorf("timeline claim tags: %w", err)
		}
		for _, r := range rows {
			claimTags[r.OwnerID] = append(claimTags[r.OwnerID], r.Tag)
		}
	}
	if len(eventIDs) > 0 {
		var rows []tagRow
		if err := db.Table("event_tags").Select("event_tags.event_id AS owner_id, tags.*").Joins("JOIN tags ON tags.id = event_tags.tag_id").
			Where("event_tags.event_id IN ?", eventIDs).Order("tags.name").Scan(&rows).Error; err != nil {
			return nil, false, fmt.Errorf("timeline event tags: %w", err)
		}
		for _, r := range rows {
			eventTags[r.OwnerID] = append(eventTags[r.OwnerID], r.Tag)
		}
	}
	sources, err := sourcesFor(db, claimIDs, eventIDs)
	if err != nil {
		return nil, false, err
	}
	claimSources, eventSources := map[uint][]Source{}, map[uint][]Source{}
	for _, src := range sources {
		if src.ClaimID != nil {
			claimSources[*src.ClaimID] = append(claimSources[*src.ClaimID], src)
		} else if src.EventID != nil {
			eventSources[*src.EventID] = append(eventSources[*src.EventID], src)
		}
	}
	ref := func(id *uint) *EntityRef {
		if id == nil {
			return nil
		}
		if r, ok := refs[*id]; ok {
			return &r
		}
		return nil
	}
	badges, err := verdictBadges(db, claimIDs)
	if err != nil {
		return nil, false, err
	}
	for _, c := range claims {
		it := TimelineItem{Kind: "claim", ID: c.ID, Title: c.Restatement, Date: c.SaidOn, Sort: parseStoredTime(c.SortAt),
			Status: string(c.Stance), Claimant: ref(c.ClaimantID), Tags: claimTags[c.ID], Sources: claimSources[c.ID]}
		if b, ok := badges[c.ID]; ok {
			it.Verdict = &b
		}
		items = append(items, it)
	}
	for _, e := range events {
		it := TimelineItem{Kind: "event", ID: e.ID, Title: e.Title, Date: e.StartsOn, Sort: e.StartsSort, EndDate: e.EndsOn,
			Status: string(e.Status), Place: ref(e.PlaceID), Tags: eventTags[e.ID], Sources: eventSources[e.ID]}
		for _, p := range parts {
			if p.EventID == e.ID {
				if r, ok := refs[p.EntityID]; ok {
					it.Participants = append(it.Participants, r)
				}
			}
		}
		items = append(items, it)
	}
	sort.SliceStable(items, func(i, j int) bool {
		if !items[i].Sort.Equal(items[j].Sort) {
			return items[i].Sort.Before(items[j].Sort)
		}
		return items[i].Kind > items[j].Kind // events before claims on the same instant
	})
	if len(items) > f.Limit {
		items, truncated = items[:f.Limit], true
	}
	return items, truncated, nil
}

// TimelineInput is what an editor submits for a curated timeline.
type TimelineInput struct {
	Title       string
	Description string
	RuleKind    string
	RuleValue   string
}

// CreateTimeline adds a curated timeline. Editors only.
func (s *Store) CreateTimeline(ctx context.Context, actor *User, in TimelineInput) (*Timeline, error) {
	if !actor.Has(RoleEditor) {
		return nil, Errorf(EForbidden, "Only editors curate timelines.")
	}
	v := ValidationErrors{}
	in.Title = strings.Join(strings.Fields(in.Title), " ")
	if in.Title == "" {
		v.Add("title", "Give the timeline a title.")
	}
	checkLength(v, "title", in.Title, 200)
	checkLength(v, "description", in.Description, 2000)
	switch in.RuleKind {
	case "", "manual":
		in.RuleKind, in.RuleValue = "manual", ""
	case "tag", "entity":
		if strings.TrimSpace(in.RuleValue) == "" {
			v.Add("rule_value", "Name the tag or entity the timeline follows.")
		}
	default:
		v.Add("rule_kind", "Choose hand-picked entries, a tag or an entity.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var tl Timeline
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		slug, err := uniqueSlug(tx, "timelines", Slugify(in.Title))
		if err != nil {
			return err
		}
		now := s.nowUTC()
		tl = Timeline{Slug: slug, Title: in.Title, Description: strings.TrimSpace(in.Description), RuleKind: in.RuleKind,
			RuleValue: Slugify(in.RuleValue), CreatedByID: &actor.ID, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&tl).Error; err != nil {
			return fmt.Errorf("insert timeline: %w", err)
		}
		return audit(tx, actor, "timeline.create", "timeline", tl.ID, "", tl.Title, now)
	})
	return &tl, err
}

// AddToTimeline puts a claim or event on a manual timeline (again is a no-op).
func (s *Store) AddToTimeline(ctx context.Context, actor *User, timelineID, claimID, eventID uint) error {
	if !actor.Has(RoleEditor) {
		return Errorf(EForbidden, "Only editors curate timelines.")
	}
	if (claimID == 0) == (eventID == 0) {
		return Errorf(EInvalid, "Choose one claim or one event.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var tl Timeline
		if err := tx.Take(&tl, timelineID).Error; err != nil {
			return Errorf(ENotFound, "There is no timeline number %d.", timelineID)
		}
		if tl.RuleKind != "manual" {
			return Errorf(EInvalid, "This timeline follows a %s; its entries are chosen by that rule.", tl.RuleKind)
		}
		entry := TimelineEntry{TimelineID: timelineID}
		col, id := "claim_id", claimID
		if claimID != 0 {
			entry.ClaimID = &claimID
		} else {
			entry.EventID, col, id = &eventID, "event_id", eventID
		}
		var n int64
		if err := tx.Model(&TimelineEntry{}).Where("timeline_id = ? AND "+col+" = ?", timelineID, id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := tx.Create(&entry).Error; err != nil {
			return fmt.Errorf("add entry: %w", err)
		}
		return tx.Model(&Timeline{}).Where("id = ?", timelineID).Update("updated_at", s.nowUTC()).Error
	})
}

// TimelineBySlug loads a curated timeline.
func (s *Store) TimelineBySlug(ctx context.Context, slug string) (*Timeline, error) {
	var tl Timeline
	err := s.reader(ctx).Where("slug = ?", slug).Take(&tl).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no timeline at this address.")
	}
	if err != nil {
		return nil, fmt.Errorf("load timeline %q: %w", slug, err)
	}
	return &tl, nil
}

// ListTimelines returns the curated timelines, most recently changed first.
func (s *Store) ListTimelines(ctx context.Context) ([]Timeline, error) {
	var list []Timeline
	err := s.reader(ctx).Order("updated_at DESC, id DESC").Find(&list).Error
	return list, err
}

// TagBySlug loads a tag.
func (s *Store) TagBySlug(ctx context.Context, slug string) (*Tag, error) {
	var t Tag
	err := s.reader(ctx).Where("slug = ?", slug).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "There is no tag at this address.")
	}
	if err != nil {
		return nil, fmt.Errorf("load tag %q: %w", slug, err)
	}
	return &t, nil
}

// parseStoredTime reads a timestamp the SQLite driver wrote, when it comes back
// as text (from an expression rather than a typed column).
func parseStoredTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
