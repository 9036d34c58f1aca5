package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The demonstration story's entities, claims, events and curated timeline,
// tagged in the demonstration articles.

type demoEntity struct {
	Kind    EntityKind
	Name    string
	Aliases []string
	Roles   [][3]string // title, starts on, ends on
}

func demoEntities() []demoEntity {
	return []demoEntity{
		{EntityPerson, "Ilse Vålund", []string{"Ms. Vålund", "Ilse Valund"}, [][3]string{{"Foreign Minister of Aldervane", "2023-05", ""}}},
		{EntityPerson, "Şenay Arık", []string{"Dr. Şenay Arık", "Dr. Arık", "Senay Arik"}, [][3]string{{"Foreign Minister of the Kessari Islands", "2024-02", ""}}},
		{EntityPerson, "Teodor Rask", []string{"Mr. Rask", "Deputy Foreign Minister Teodor Rask"}, [][3]string{
			{"Deputy Foreign Minister of Aldervane", "2024-01", "2025-11"}, {"Ambassador of Aldervane to Quillan", "2025-12-01", ""}}},
		{EntityPerson, "Mattias Oder", []string{"President Mattias Oder", "Mr. Oder"}, [][3]string{{"President of Aldervane", "2022", ""}}},
		{EntityPerson, "Maren Solt", []string{"Ms. Solt"}, [][3]string{{"Spokeswoman, Aldervane foreign ministry", "2024", ""}}},
		{EntityPerson, "Davin Errow", []string{"Col. Davin Errow"}, [][3]string{{"Spokesman, Kessari defence ministry", "2025", ""}}},
		{EntityOrganisation, "Anonymous officials in Dunmere", []string{"two officials"}, nil},
		{EntityPlace, "Amberfeld", nil, nil},
		{EntityPlace, "Port Sallow", nil, nil},
		{EntityPlace, "Dunmere", nil, nil},
		{EntityPlace, "Tiverne", nil, nil},
		{EntityPlace, "Corran Shoals", []string{"the shoals"}, nil},
	}
}

// demoTagging is one passage tagged in a demonstration article (by index).
type demoTagging struct {
	Article  int
	Quote    string
	ClaimKey string // attach to the claim made earlier under this key…
	EventKey string // …or to this event
	Claim    *ClaimInput
	Event    *EventInput
	Status   EventStatus // set the event's status afterwards (its history shows the change)
}

func demoTaggings() []demoTagging {
	talks := "talks"
	return []demoTagging{
		{Article: 0, Quote: "The foreign ministers of Aldervane and the Kessari Islands met on Tuesday and Wednesday in the Osmund city of Amberfeld",
			EventKey: "round1", Event: &EventInput{Title: "First round of ministerial talks", StartsOn: "2025-02-11", EndsOn: "2025-02-12",
				Status: string(EventHeld), PlaceName: "Amberfeld", Participants: "Ilse Vålund, Şenay Arık", Tags: talks}},
		{Article: 0, Quote: "We did not come here to solve everything in one week",
			ClaimKey: "basis", Claim: &ClaimInput{ClaimantName: "Ilse Vålund", SaidOn: "2025-02-12", Stance: string(StanceAsserts),
				Restatement: "The first talks showed there is a basis for a negotiating process.", Tags: talks}},
		{Article: 1, Quote: "a second round of talks between the foreign ministers",
			EventKey: "round2", Event: &EventInput{Title: "Second round of talks; coast guard hotline agreed", StartsOn: "2025-04-08", EndsOn: "2025-04-09",
				Status: string(EventHeld), PlaceName: "Port Sallow", Participants: "Ilse Vålund, Şenay Arık", Tags: talks + ", hotline"}},
		{Article: 2, Quote: "after a third round of talks in the Aldervane capital",
			EventKey: "round3", Event: &EventInput{Title: "Third round of talks", StartsOn: "2025-06-17",
				Status: string(EventHeld), PlaceName: "Dunmere", Participants: "Ilse Vålund, Şenay Arık", Tags: talks}},
		{Article: 2, Quote: "The leaders of Aldervane and the Kessari Islands will meet on Sept. 18 in Tiverne",
			EventKey: "summit", Event: &EventInput{Title: "Leaders' summit in Tiverne", StartsOn: "2025-09-18",
				Status: string(EventPlanned), PlaceName: "Tiverne", Participants: "Mattias Oder, Corin Halloway", Tags: "summit"}},
		{Article: 2, Quote: "began operating on June 2, both ministers said, and has been used four times since",
			ClaimKey: "hotline", Claim: &ClaimInput{ClaimantName: "Ilse Vålund", SaidOn: "2025-06-17", Stance: string(StanceAsserts),
				Restatement: "The coast guard hotline has settled four encounters at sea since June 2.", Tags: "hotline"}},
		{Article: 3, Quote: "test-fired a medium-range ballistic missile on Friday that came down in the sea west of the disputed Corran Shoals",
			EventKey: "test", Event: &EventInput{Title: "Kessari missile test near the Corran Shoals", StartsOn: "2025-08-29T06:10",
				Status: string(EventHeld), PlaceName: "Corran Shoals", Tags: "missile test"}},
		{Article: 3, Quote: "a routine test planned many months ago",
			ClaimKey: "routine", Claim: &ClaimInput{ClaimantName: "Davin Errow", SaidOn: "2025-08-29", Stance: string(StanceAsserts),
				Restatement: "The missile test was routine and planned months in advance.", Tags: "missile test"}},
		{Article: 4, Quote: "Aldervane on Sunday cancelled the summit with the Kessari Islands that had been planned for Sept. 18 in Tiverne",
			EventKey: "summit", Status: EventCancelled},
		{Article: 4, Quote: "That promise was broken on Friday morning.",
			ClaimKey: "promise", Claim: &ClaimInput{ClaimantName: "Mattias Oder", SaidOn: "2025-08-31", Stance: string(StanceAsserts),
				Restatement: "The missile test broke the good faith the summit depended on.", Tags: "summit, missile test"}},
		{Article: 5, Quote: "has been removed from the talks and kept out of key meetings since the cancellation of this month's planned summit",
			ClaimKey: "removed", Claim: &ClaimInput{ClaimantName: "Anonymous officials in Dunmere", ClaimantKind: string(EntityOrganisation), SaidOn: "2025-09-23",
				Stance: string(StanceRumour), Restatement: "Teodor Rask has been removed from the Kessari talks.", Tags: "Teodor Rask"}},
		{Article: 5, Quote: "Deputy Minister Rask has not been dismissed, suspended or removed from any of his responsibilities",
			ClaimKey: "denial", Claim: &ClaimInput{ClaimantName: "Maren Solt", SaidOn: "2025-09-23", Stance: string(StanceDenies),
				Restatement: "The foreign ministry denies that Teodor Rask was dismissed or removed.", Tags: "Teodor Rask"}},
		{Article: 6, Quote: "The foreign ministers of Aldervane and the Kessari Islands met on Tuesday and Wednesday in Tiverne",
			EventKey: "round4", Event: &EventInput{Title: "Fourth round of talks", StartsOn: "2025-10-14", EndsOn: "2025-10-15",
				Status: string(EventHeld), PlaceName: "Tiverne", Participants: "Ilse Vålund, Şenay Arık", Tags: talks}},
		{Article: 6, Quote: "an account the foreign ministry formally denied on Sept. 23", ClaimKey: "denial"},
		{Article: 7, Quote: "has been appointed ambassador to Quillan",
			EventKey: "posting", Event: &EventInput{Title: "Teodor Rask named ambassador to Quillan", StartsOn: "2025-10-31",
				Status: string(EventHeld), Participants: "Teodor Rask", Tags: "Teodor Rask"}},
		{Article: 7, Quote: "are now scheduled for Nov. 24 in Amberfeld",
			EventKey: "technical", Event: &EventInput{Title: "Technical talks on fishing rights", StartsOn: "2025-11-24",
				Status: string(EventPlanned), PlaceName: "Amberfeld", Tags: talks}},
	}
}

const demoClaimsKey = "demo.claims"

// loadDemoClaims tags the demonstration story once, after its articles exist.
func (s *Store) loadDemoClaims(ctx context.Context, editor *User) error {
	if _, done, err := s.Setting(ctx, demoClaimsKey); err != nil || done {
		return err
	}
	for _, de := range demoEntities() {
		if _, err := s.EntityBySlug(ctx, Slugify(de.Name)); err == nil {
			continue
		}
		e, err := s.CreateEntity(ctx, editor, EntityInput{Kind: string(de.Kind), Name: de.Name, Aliases: de.Aliases})
		if err != nil {
			return fmt.Errorf("entity %s: %w", de.Name, err)
		}
		for _, r := range de.Roles {
			if err := s.AddEntityRole(ctx, editor, e.ID, r[0], r[1], r[2]); err != nil {
				return fmt.Errorf("role of %s: %w", de.Name, err)
			}
		}
	}
	articles := demoArticles()
	claims, events := map[string]uint{}, map[string]uint{}
	var order []TimelineEntry
	for _, dt := range demoTaggings() {
		var articleID uint
		if err := s.reader(ctx).Model(&Article{}).Select("id").Where("source_url = ?", articles[dt.Article].SourceURL).Scan(&articleID).Error; err != nil || articleID == 0 {
			return fmt.Errorf("demo article %d not found: %v", dt.Article, err)
		}
		req := TagRequest{Passage: Passage{Quote: dt.Quote}, Claim: dt.Claim, Event: dt.Event}
		if dt.Claim == nil && dt.ClaimKey != "" {
			req.ExistingClaimID = claims[dt.ClaimKey]
		}
		if dt.Event == nil && dt.EventKey != "" {
			req.ExistingEventID = events[dt.EventKey]
		}
		claimID, eventID, err := s.TagPassage(ctx, editor, articleID, req)
		if err != nil {
			return fmt.Errorf("tag %q: %w", dt.Quote, err)
		}
		if dt.Claim != nil {
			claims[dt.ClaimKey] = claimID
			order = append(order, TimelineEntry{ClaimID: &claimID})
		}
		if dt.Event != nil {
			events[dt.EventKey] = eventID
			order = append(order, TimelineEntry{EventID: &eventID})
		}
		if dt.Status != "" {
			if err := s.SetEventStatus(ctx, editor, eventID, dt.Status); err != nil {
				return err
			}
		}
	}
	tl, err := s.CreateTimeline(ctx, editor, TimelineInput{
		Title:       "Aldervane–Kessari talks, 2025",
		Description: "Four rounds of talks between two foreign ministers, a summit planned for Tiverne and cancelled after a missile test, and the fate of the negotiator at the centre of it.",
	})
	if err != nil {
		return err
	}
	for _, e := range order {
		if err := s.AddToTimeline(ctx, editor, tl.ID, deref(e.ClaimID), deref(e.EventID)); err != nil {
			return err
		}
	}
	// Date the demo records like the story rather than today.
	return s.inTx(ctx, func(tx *gorm.DB) error {
		story := time.Date(2025, 11, 5, 12, 0, 0, 0, time.UTC)
		for _, table := range []string{"claims", "events", "timelines"} {
			if err := tx.Exec("UPDATE "+table+" SET created_at = ?, updated_at = ?", story, story).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec("UPDATE audit_entries SET created_at = ? WHERE subject_type IN ('claim', 'event', 'timeline', 'entity')", story).Error; err != nil {
			return err
		}
		return putSetting(tx, demoClaimsKey, s.nowUTC().Format(time.RFC3339))
	})
}
