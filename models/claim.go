package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"newsgloss/anchoring"
	"newsgloss/dates"
)

// Stance is how a claim stands towards its statement.
type Stance string

const (
	StanceAsserts Stance = "asserts"
	StanceDenies  Stance = "denies"
	StanceRumour  Stance = "rumour"
)

// Stances lists the stances forms offer.
func Stances() []Stance { return []Stance{StanceAsserts, StanceDenies, StanceRumour} }

// Label is the stance's name for people.
func (s Stance) Label() string {
	switch s {
	case StanceAsserts:
		return "Asserts"
	case StanceDenies:
		return "Denies"
	case StanceRumour:
		return "Rumour"
	}
	return string(s)
}

// EventStatus is what became of an event.
type EventStatus string

const (
	EventPlanned   EventStatus = "planned"
	EventHeld      EventStatus = "held"
	EventCancelled EventStatus = "cancelled"
	EventPostponed EventStatus = "postponed"
	EventDenied    EventStatus = "denied"
	EventRumoured  EventStatus = "rumoured"
)

// EventStatuses lists the statuses forms offer.
func EventStatuses() []EventStatus {
	return []EventStatus{EventPlanned, EventHeld, EventCancelled, EventPostponed, EventDenied, EventRumoured}
}

// Label is the status's name for people.
func (s EventStatus) Label() string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// Tag is a topic label shared by claims and events.
type Tag struct {
	ID   uint
	Name string
	Slug string
}

// Claim is a statement attributed to an entity, reported by one or more articles.
type Claim struct {
	ID          uint
	ClaimantID  *uint
	Claimant    *Entity
	SaidOn      string // ISO text, its length its precision
	SaidSort    *time.Time
	Restatement string
	Stance      Stance
	Tags        []Tag `gorm:"many2many:claim_tags"`
	CreatedByID *uint
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Event is something that happened or was planned.
type Event struct {
	ID           uint
	Title        string
	StartsOn     string
	StartsSort   time.Time
	EndsOn       string
	EndsSort     *time.Time
	Status       EventStatus
	PlaceID      *uint
	Place        *Entity
	Participants []Entity `gorm:"many2many:event_participants"`
	Tags         []Tag    `gorm:"many2many:event_tags"`
	CreatedByID  *uint
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Mention is a passage of an article reporting a claim or an event.
type Mention struct {
	ID            uint
	ArticleID     uint
	ClaimID       *uint
	EventID       *uint
	PassageAnchor `gorm:"embedded"`
	// AnchorText is the passage as it reads in the current revision ("" when
	// it has no place there), kept with the anchor for the pages that list reports.
	AnchorText  string
	CreatedByID *uint
	CreatedAt   time.Time
}

// parseOptionalDate reads an ISO date of any precision; "" is no date.
func parseOptionalDate(s string) (*dates.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	d, err := dates.ParseISO(s)
	if err != nil {
		return nil, fmt.Errorf("Enter a date as YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM (%v).", err)
	}
	return &d, nil
}

// findOrCreateTags turns "a, b" into tags, creating the new ones.
func findOrCreateTags(tx *gorm.DB, csv string) ([]Tag, error) {
	var tags []Tag
	seen := map[string]bool{}
	for _, name := range strings.Split(csv, ",") {
		name = strings.Join(strings.Fields(name), " ")
		slug := Slugify(name)
		if name == "" || slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		var t Tag
		err := tx.Where("slug = ?", slug).Take(&t).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			t = Tag{Name: name, Slug: slug}
			err = tx.Create(&t).Error
		}
		if err != nil {
			return nil, fmt.Errorf("tag %q: %w", name, err)
		}
		tags = append(tags, t)
	}
	return tags, nil
}

// ClaimInput is the claim part of the tagging form.
type ClaimInput struct {
	ClaimantName string
	ClaimantKind string // for a claimant not yet known
	SaidOn       string
	Restatement  string
	Stance       string
	Tags         string
}

// EventInput is the event part of the tagging form.
type EventInput struct {
	Title        string
	StartsOn     string
	EndsOn       string
	Status       string
	PlaceName    string
	Participants string // names separated by commas or lines
	Tags         string
}

type claimValues struct {
	said     *dates.Date
	in       ClaimInput
	stance   Stance
	claimant EntityKind
}

func validateClaim(in ClaimInput) (claimValues, error) {
	v := ValidationErrors{}
	out := claimValues{in: in, stance: Stance(in.Stance), claimant: EntityKind(in.ClaimantKind)}
	out.in.Restatement = strings.Join(strings.Fields(in.Restatement), " ")
	if out.in.Restatement == "" {
		v.Add("restatement", "Restate the claim neutrally in one line.")
	}
	checkLength(v, "restatement", out.in.Restatement, 300)
	checkLength(v, "claimant", in.ClaimantName, maxEntityName)
	checkLength(v, "tags", in.Tags, maxTagsLength)
	switch out.stance {
	case StanceAsserts, StanceDenies, StanceRumour:
	default:
		v.Add("stance", "Choose asserts, denies or rumour.")
	}
	if !out.claimant.valid() {
		out.claimant = EntityPerson
	}
	said, err := parseOptionalDate(in.SaidOn)
	if err != nil {
		v.Add("said_on", err.Error())
	}
	out.said = said
	return out, v.Err()
}

type eventValues struct {
	in           EventInput
	start        dates.Date
	end          *dates.Date
	status       EventStatus
	participants []string
}

func validateEvent(in EventInput) (eventValues, error) {
	v := ValidationErrors{}
	out := eventValues{in: in, status: EventStatus(in.Status)}
	out.in.Title = strings.Join(strings.Fields(in.Title), " ")
	if out.in.Title == "" {
		v.Add("title", "Give the event a short title.")
	}
	checkLength(v, "title", out.in.Title, 200)
	checkLength(v, "place", in.PlaceName, maxEntityName)
	checkLength(v, "tags", in.Tags, maxTagsLength)
	valid := false
	for _, s := range EventStatuses() {
		valid = valid || s == out.status
	}
	if !valid {
		v.Add("status", "Choose what became of the event.")
	}
	start, err := parseOptionalDate(in.StartsOn)
	switch {
	case err != nil:
		v.Add("starts_on", err.Error())
	case start == nil:
		v.Add("starts_on", "Enter when the event happened or is planned, at least the year.")
	default:
		out.start = *start
	}
	end, err := parseOptionalDate(in.EndsOn)
	if err != nil {
		v.Add("ends_on", err.Error())
	} else if end != nil && start != nil && end.Time.Before(start.Time) {
		v.Add("ends_on", "The event cannot end before it starts.")
	}
	out.end = end
	for _, name := range strings.FieldsFunc(in.Participants, func(r rune) bool { return r == ',' || r == '\n' }) {
		if name = strings.TrimSpace(name); name != "" {
			out.participants = append(out.participants, name)
		}
	}
	if len(out.participants) > 50 {
		v.Add("participants", "List at most 50 participants.")
	}
	return out, v.Err()
}

// TagRequest is an editor tagging a passage of an article: as a new claim or
// event, or as another mention of an existing one.
type TagRequest struct {
	Passage         Passage
	ExistingClaimID uint
	ExistingEventID uint
	Claim           *ClaimInput
	Event           *EventInput
}

// TagPassage anchors a passage of an article and records what it reports.
// Editors only. It returns the claim or event the mention belongs to.
func (s *Store) TagPassage(ctx context.Context, actor *User, articleID uint, req TagRequest) (claimID, eventID uint, err error) {
	if !actor.Has(RoleEditor) {
		return 0, 0, Errorf(EForbidden, "Only editors tag claims and events.")
	}
	var cv claimValues
	var ev eventValues
	switch {
	case req.ExistingClaimID != 0 || req.ExistingEventID != 0:
	case req.Claim != nil:
		if cv, err = validateClaim(*req.Claim); err != nil {
			return 0, 0, err
		}
	case req.Event != nil:
		if ev, err = validateEvent(*req.Event); err != nil {
			return 0, 0, err
		}
	default:
		return 0, 0, Errorf(EInvalid, "Say whether the passage reports a claim or an event.")
	}
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		art, err := annotatableArticle(tx, actor, articleID)
		if err != nil {
			return err
		}
		sel, err := describePassage(anchoring.NewText(art.BodyText), &req.Passage)
		if err != nil {
			return err
		}
		now := s.nowUTC()
		m := Mention{ArticleID: art.ID, CreatedByID: &actor.ID, CreatedAt: now}
		m.setSelector(sel, art.Version)
		m.AnchorText = m.Current([]rune(art.BodyText))
		switch {
		case req.ExistingClaimID != 0:
			if err := tx.Select("id").Take(&Claim{}, req.ExistingClaimID).Error; err != nil {
				return Errorf(ENotFound, "There is no claim number %d.", req.ExistingClaimID)
			}
			claimID = req.ExistingClaimID
		case req.ExistingEventID != 0:
			if err := tx.Select("id").Take(&Event{}, req.ExistingEventID).Error; err != nil {
				return Errorf(ENotFound, "There is no event number %d.", req.ExistingEventID)
			}
			eventID = req.ExistingEventID
		case req.Claim != nil:
			c, err := createClaim(tx, actor, cv, now)
			if err != nil {
				return err
			}
			claimID = c.ID
		default:
			e, err := createEvent(tx, actor, ev, now)
			if err != nil {
				return err
			}
			eventID = e.ID
		}
		if claimID != 0 {
			m.ClaimID = &claimID
		} else {
			m.EventID = &eventID
		}
		if err := tx.Create(&m).Error; err != nil {
			return fmt.Errorf("insert mention: %w", err)
		}
		return audit(tx, actor, "mention.create", "article", art.ID, "", fmt.Sprintf("claim %d event %d", claimID, eventID), now)
	})
	return claimID, eventID, err
}

func createClaim(tx *gorm.DB, actor *User, v claimValues, now time.Time) (*Claim, error) {
	claimant, err := findOrCreateEntity(tx, v.in.ClaimantName, v.claimant, now)
	if err != nil {
		return nil, err
	}
	tags, err := findOrCreateTags(tx, v.in.Tags)
	if err != nil {
		return nil, err
	}
	c := &Claim{Restatement: v.in.Restatement, Stance: v.stance, Tags: tags, CreatedByID: &actor.ID, CreatedAt: now, UpdatedAt: now}
	if claimant != nil {
		c.ClaimantID = &claimant.ID
	}
	if v.said != nil {
		c.SaidOn, c.SaidSort = v.said.ISO(), &v.said.Time
	}
	if err := tx.Omit("Claimant", "Tags.*").Create(c).Error; err != nil {
		return nil, fmt.Errorf("insert claim: %w", err)
	}
	return c, audit(tx, actor, "claim.create", "claim", c.ID, "", string(c.Stance)+": "+c.Restatement, now)
}

func createEvent(tx *gorm.DB, actor *User, v eventValues, now time.Time) (*Event, error) {
	place, err := findOrCreateEntity(tx, v.in.PlaceName, EntityPlace, now)
	if err != nil {
		return nil, err
	}
	tags, err := findOrCreateTags(tx, v.in.Tags)
	if err != nil {
		return nil, err
	}
	var participants []Entity
	for _, name := range v.participants {
		p, err := findOrCreateEntity(tx, name, EntityPerson, now)
		if err != nil {
			return nil, err
		}
		dup := false
		for _, q := range participants {
			dup = dup || q.ID == p.ID
		}
		if !dup {
			participants = append(participants, *p)
		}
	}
	e := &Event{Title: v.in.Title, StartsOn: v.start.ISO(), StartsSort: v.start.Time, Status: v.status,
		Participants: participants, Tags: tags, CreatedByID: &actor.ID, CreatedAt: now, UpdatedAt: now}
	if v.end != nil {
		e.EndsOn, e.EndsSort = v.end.ISO(), &v.end.Time
	}
	if place != nil {
		e.PlaceID = &place.ID
	}
	if err := tx.Omit("Place", "Participants.*", "Tags.*").Create(e).Error; err != nil {
		return nil, fmt.Errorf("insert event: %w", err)
	}
	return e, audit(tx, actor, "event.create", "event", e.ID, "", string(e.Status)+": "+e.Title, now)
}

// SetEventStatus records what became of an event; the change is kept in the
// audit log, which the event page shows as its status history.
func (s *Store) SetEventStatus(ctx context.Context, actor *User, id uint, status EventStatus) error {
	if !actor.Has(RoleEditor) {
		return Errorf(EForbidden, "Only editors change events.")
	}
	valid := false
	for _, st := range EventStatuses() {
		valid = valid || st == status
	}
	if !valid {
		return Errorf(EInvalid, "Choose one of the listed statuses.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var e Event
		if err := tx.Take(&e, id).Error; err != nil {
			return Errorf(ENotFound, "There is no event number %d.", id)
		}
		if e.Status == status {
			return nil
		}
		now := s.nowUTC()
		if err := tx.Model(&Event{}).Where("id = ?", id).Updates(map[string]any{"status": status, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit(tx, actor, "event.status", "event", id, string(e.Status), string(status), now)
	})
}

// SetClaimStance changes a claim's stance, kept in its history.
func (s *Store) SetClaimStance(ctx context.Context, actor *User, id uint, stance Stance) error {
	if !actor.Has(RoleEditor) {
		return Errorf(EForbidden, "Only editors change claims.")
	}
	if stance != StanceAsserts && stance != StanceDenies && stance != StanceRumour {
		return Errorf(EInvalid, "Choose asserts, denies or rumour.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var c Claim
		if err := tx.Take(&c, id).Error; err != nil {
			return Errorf(ENotFound, "There is no claim number %d.", id)
		}
		if c.Stance == stance {
			return nil
		}
		now := s.nowUTC()
		if err := tx.Model(&Claim{}).Where("id = ?", id).Updates(map[string]any{"stance": stance, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit(tx, actor, "claim.stance", "claim", id, string(c.Stance), string(stance), now)
	})
}

// History returns the recorded changes of a claim or event, oldest first.
func (s *Store) History(ctx context.Context, subjectType string, id uint) ([]AuditEntry, error) {
	var entries []AuditEntry
	err := s.reader(ctx).Preload("Actor").Where("subject_type = ? AND subject_id = ?", subjectType, id).
		Order("created_at, id").Find(&entries).Error
	return entries, err
}

// Source is an article passage reporting a claim or event, for pages and feeds.
type Source struct {
	MentionID   uint
	ClaimID     *uint
	EventID     *uint
	ArticleID   uint
	Title       string
	SourceURL   string
	OutletName  string
	OutletSlug  string
	PublishedAt *time.Time
	Quote       string // the passage as it reads now, or as quoted if it is gone
	Status      AnchorStatus
	First       bool // the earliest report: the first appearance
}

// sourcesFor loads the public mentions of the given claims and events with
// their articles, in one query, earliest report first; the first of each
// claim or event is marked as its first appearance.
func sourcesFor(db *gorm.DB, claimIDs, eventIDs []uint) ([]Source, error) {
	if len(claimIDs) == 0 && len(eventIDs) == 0 {
		return nil, nil
	}
	// The passage as it reads now was kept with the anchor: no article's
	// text is read here. Rows are scanned by hand: a timeline lists hundreds.
	q := db.Table("mentions").
		Select("mentions.id, mentions.claim_id, mentions.event_id, mentions.article_id, articles.title, " +
			"articles.source_url, outlets.name, outlets.slug, articles.published_at, " +
			"mentions.anchor_text, mentions.quote_exact, mentions.anchor_status, mentions.needs_confirmation").
		Joins("JOIN articles ON articles.id = mentions.article_id AND articles.deleted_at IS NULL AND articles.status IN ('published', 'retracted')").
		Joins("JOIN outlets ON outlets.id = articles.outlet_id")
	switch {
	case len(claimIDs) > 0 && len(eventIDs) > 0:
		q = q.Where("mentions.claim_id IN ? OR mentions.event_id IN ?", claimIDs, eventIDs)
	case len(claimIDs) > 0:
		q = q.Where("mentions.claim_id IN ?", claimIDs)
	default:
		q = q.Where("mentions.event_id IN ?", eventIDs)
	}
	rows, err := q.Order("articles.published_at, mentions.id").Rows()
	if err != nil {
		return nil, fmt.Errorf("load sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	type subject struct{ claim, event uint }
	firstSeen := map[subject]bool{}
	for rows.Next() {
		var src Source
		var claimID, eventID sql.NullInt64
		var published sql.NullTime
		var anchorText, quoteExact string
		var needsConfirmation bool
		if err := rows.Scan(&src.MentionID, &claimID, &eventID, &src.ArticleID, &src.Title, &src.SourceURL, &src.OutletName,
			&src.OutletSlug, &published, &anchorText, &quoteExact, &src.Status, &needsConfirmation); err != nil {
			return nil, fmt.Errorf("read sources: %w", err)
		}
		if claimID.Valid {
			id := uint(claimID.Int64)
			src.ClaimID = &id
		}
		if eventID.Valid {
			id := uint(eventID.Int64)
			src.EventID = &id
		}
		if published.Valid {
			t := published.Time
			src.PublishedAt = &t
		}
		src.Quote = anchorText
		if src.Quote == "" || needsConfirmation {
			src.Quote = quoteExact
		}
		key := subject{deref(src.ClaimID), deref(src.EventID)}
		if !firstSeen[key] {
			src.First, firstSeen[key] = true, true
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	return out, nil
}

func deref(p *uint) uint {
	if p == nil {
		return 0
	}
	return *p
}

// ClaimByID loads a claim with its claimant and tags.
func (s *Store) ClaimByID(ctx context.Context, id uint) (*Claim, []Source, error) {
	var c Claim
	err := s.reader(ctx).Preload("Claimant").Preload("Tags").Take(&c, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, Errorf(ENotFound, "There is no claim number %d.", id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load claim %d: %w", id, err)
	}
	sources, err := sourcesFor(s.reader(ctx), []uint{id}, nil)
	return &c, sources, err
}

// EventByID loads an event with its place, participants and tags.
func (s *Store) EventByID(ctx context.Context, id uint) (*Event, []Source, error) {
	var e Event
	err := s.reader(ctx).Preload("Place").Preload("Participants").Preload("Tags").Take(&e, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, Errorf(ENotFound, "There is no event number %d.", id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load event %d: %w", id, err)
	}
	sources, err := sourcesFor(s.reader(ctx), nil, []uint{id})
	return &e, sources, err
}

// ArticleMentions lists the mentions tagged in an article, for its page.
func (s *Store) ArticleMentions(ctx context.Context, articleID uint) ([]Mention, error) {
	var list []Mention
	err := s.reader(ctx).Where("article_id = ?", articleID).Order("anchor_start, id").Find(&list).Error
	return list, err
}

// Similar is an existing claim or event that looks like a new one.
type Similar struct {
	ClaimID, EventID uint
	Text             string
	Score            float64
}

// similarityWords are the words two descriptions are compared on.
func similarityWords(s string) map[string]bool {
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		if len([]rune(w)) >= 3 && !stopWord(w) {
			words[w] = true
		}
	}
	return words
}

func stopWord(w string) bool {
	switch w {
	case "the", "and", "for", "that", "with", "was", "were", "has", "had", "have", "from", "this", "said", "says",
		"its", "his", "her", "their", "but", "not", "are", "will", "would", "after", "before", "into", "about", "they":
		return true
	}
	return false
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// SimilarItems finds existing claims (kind "claim") or events ("event") whose
// restatement, title or reported passages share words with the new passage and
// description, so an editor can attach a mention instead of a duplicate.
func (s *Store) SimilarItems(ctx context.Context, kind, quote, description string) ([]Similar, error) {
	want := similarityWords(quote + " " + description)
	if len(want) == 0 {
		return nil, nil
	}
	// Candidates: anything whose text or mentions contain one of the longest words.
	words := make([]string, 0, len(want))
	for w := range want {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		return len(words[i]) > len(words[j]) || (len(words[i]) == len(words[j]) && words[i] < words[j])
	})
	if len(words) > 4 {
		words = words[:4]
	}
	type cand struct {
		ID   uint
		Text string
	}
	var cands []cand
	db := s.reader(ctx)
	for _, w := range words {
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(w) + "%"
		var rows []cand
		var err error
		if kind == "event" {
			err = db.Raw(`SELECT events.id, events.title || ' ' || COALESCE(`+s.dialect.stringAgg("mentions.quote_exact")+`, '') AS text
				FROM events LEFT JOIN mentions ON mentions.event_id = events.id
				WHERE events.id IN (SELECT events.id FROM events LEFT JOIN mentions m ON m.event_id = events.id
					WHERE lower(events.title) LIKE ? OR lower(m.quote_exact) LIKE ?)
				GROUP BY events.id LIMIT 50`, like, like).Scan(&rows).Error
		} else {
			err = db.Raw(`SELECT claims.id, claims.restatement || ' ' || COALESCE(`+s.dialect.stringAgg("mentions.quote_exact")+`, '') AS text
				FROM claims LEFT JOIN mentions ON mentions.claim_id = claims.id
				WHERE claims.id IN (SELECT claims.id FROM claims LEFT JOIN mentions m ON m.claim_id = claims.id
					WHERE lower(claims.restatement) LIKE ? OR lower(m.quote_exact) LIKE ?)
				GROUP BY claims.id LIMIT 50`, like, like).Scan(&rows).Error
		}
		if err != nil {
			return nil, fmt.Errorf("find similar: %w", err)
		}
		cands = append(cands, rows...)
	}
	seen := map[uint]bool{}
	var out []Similar
	for _, c := range cands {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		score := jaccard(want, similarityWords(c.Text))
		if score < 0.15 {
			continue
		}
		sim := Similar{Score: score}
		if kind == "event" {
			sim.EventID = c.ID
		} else {
			sim.ClaimID = c.ID
		}
		out = append(out, sim)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > 5 {
		out = out[:5]
	}
	// Give each a display text: the restatement or title.
	for i := range out {
		if out[i].ClaimID != 0 {
			var c Claim
			if err := db.Select("restatement").Take(&c, out[i].ClaimID).Error; err == nil {
				out[i].Text = c.Restatement
			}
		} else {
			var e Event
			if err := db.Select("title", "starts_on").Take(&e, out[i].EventID).Error; err == nil {
				out[i].Text = e.Title + " (" + e.StartsOn + ")"
			}
		}
	}
	return out, nil
}

// DismissedSuggestions returns the keys of the suggestions dismissed for an article.
func (s *Store) DismissedSuggestions(ctx context.Context, articleID uint) (map[string]bool, error) {
	var keys []string
	if err := s.reader(ctx).Table("suggestion_dismissals").Where("article_id = ?", articleID).Pluck("key", &keys).Error; err != nil {
		return nil, fmt.Errorf("load dismissed suggestions: %w", err)
	}
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, nil
}

// DismissSuggestion hides a suggestion for an article (again is a no-op).
func (s *Store) DismissSuggestion(ctx context.Context, actor *User, articleID uint, key string) error {
	if !actor.Has(RoleEditor) {
		return Errorf(EForbidden, "Only editors tag articles.")
	}
	if key == "" || len(key) > 100 {
		return Errorf(EInvalid, "That suggestion cannot be dismissed.")
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		return tx.Exec("INSERT INTO suggestion_dismissals (article_id, key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			articleID, key, s.nowUTC()).Error
	})
}

// Tagged is a claim or event reported by an article, for the article's page.
type Tagged struct {
	Kind              string // "claim" or "event"
	ID                uint
	MentionID         uint
	Title             string
	Status            string
	Quote             string
	AnchorStart       int
	AnchorEnd         int
	AnchorStatus      AnchorStatus
	NeedsConfirmation bool
	HasPassage        bool
	Verdict           *VerdictBadge `gorm:"-"` // a claim's published fact-check rating, if any
}

// Highlightable reports whether the mention's passage can be marked in the
// current text as certain (not orphaned, not waiting for confirmation).
func (t Tagged) Highlightable() bool {
	return t.HasPassage && t.AnchorStatus != AnchorOrphan && !t.NeedsConfirmation && t.AnchorStart < t.AnchorEnd
}

// ArticleTagged lists the claims and events tagged in an article, in reading
// order, with the published rating of each claim that has one.
func (s *Store) ArticleTagged(ctx context.Context, articleID uint) ([]Tagged, error) {
	var rows []Tagged
	const passage = "mentions.id AS mention_id, mentions.quote_exact AS quote, mentions.anchor_start, mentions.anchor_end, " +
		"mentions.anchor_status, mentions.needs_confirmation, mentions.has_passage"
	db := s.reader(ctx)
	err := db.Raw(`
		SELECT 'claim' AS kind, claims.id, claims.restatement AS title, claims.stance AS status, `+passage+`
		FROM mentions JOIN claims ON claims.id = mentions.claim_id WHERE mentions.article_id = ?
		UNION ALL
		SELECT 'event', events.id, events.title, events.status, `+passage+`
		FROM mentions JOIN events ON events.id = mentions.event_id WHERE mentions.article_id = ?
		ORDER BY anchor_start, mention_id`, articleID, articleID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list tagged items: %w", err)
	}
	var claimIDs []uint
	for _, r := range rows {
		if r.Kind == "claim" {
			claimIDs = append(claimIDs, r.ID)
		}
	}
	badges, err := verdictBadges(db, claimIDs)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if b, ok := badges[rows[i].ID]; ok && rows[i].Kind == "claim" {
			rows[i].Verdict = &b
		}
	}
	return rows, nil
}
