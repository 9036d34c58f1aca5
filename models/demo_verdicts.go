package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The demonstration fact-checks: one corrected after publication, one
// published as first written, one waiting for review.

const demoVerdictsKey = "demo.verdicts"

type demoVerdict struct {
	Claim      string // the claim's restatement in the demo story
	Rating     string
	Conclusion string
	Body       string
	Sources    []VerdictSource
	Published  time.Time // zero: leave the verdict in review
	Correction *demoCorrection
}

type demoCorrection struct {
	Rating, Conclusion, Note string
	At                       time.Time
}

func demoVerdicts() []demoVerdict {
	return []demoVerdict{
		{
			Claim:      "The coast guard hotline has settled four encounters at sea since June 2.",
			Rating:     "Mostly true",
			Conclusion: "The hotline was used four times, but one encounter was settled by the two captains before any call was made.",
			Body: "Foreign Minister Ilse Vålund said in Dunmere that the coast guard hotline agreed in April \"has been used four times\" since it began operating on June 2.\n\n" +
				"The Aldervane coast guard's public incident log lists four calls on the line between June 2 and June 16. " +
				"Three of them ended with both vessels leaving the area, as the log records. " +
				"In the fourth, on June 11, the log notes that the fishing vessels involved had already separated when the call was placed.\n\n" +
				"The minister's figure is therefore right about the number of calls. Saying the hotline *settled* four encounters overstates what it did in one of them.",
			Sources: []VerdictSource{
				{URL: "https://coastguard.aldervane.example/incident-log/2025-06", Title: "Incident log, June 2025", Publisher: "Aldervane Coast Guard", AccessedOn: "2025-06-19"},
				{URL: "https://mfa.aldervane.example/statements/2025-06-17-dunmere", Title: "Joint statement after the third round of talks", Publisher: "Aldervane Ministry of Foreign Affairs", AccessedOn: "2025-06-18"},
			},
			Published: time.Date(2025, 6, 20, 9, 0, 0, 0, time.UTC),
			Correction: &demoCorrection{
				Rating:     "Half true",
				Conclusion: "The hotline was used four times, but two of the encounters were over before any call was made.",
				Note:       "The coast guard revised its June log on June 23: the call on June 14 was also placed after the vessels had separated. We changed the rating from Mostly true to Half true.",
				At:         time.Date(2025, 6, 24, 15, 30, 0, 0, time.UTC),
			},
		},
		{
			Claim:      "The missile test was routine and planned months in advance.",
			Rating:     "Mostly false",
			Conclusion: "The only advance notice of the test was a navigation warning issued two days before it.",
			Body: "Col. Davin Errow, speaking for the Kessari defence ministry, called the launch west of the Corran Shoals \"a routine test planned many months ago\".\n\n" +
				"Launches that close a sea area are announced to mariners in advance. The Kessari hydrographic office's notices for 2025 contain one warning for that area, " +
				"published on Aug. 27, two days before the launch. Its published test calendar for the year, released in January, lists no launch in August.\n\n" +
				"A test can be planned without being announced, and the ministry has not published any document from earlier in the year. " +
				"The public record shows no sign of the months of planning the spokesman described.",
			Sources: []VerdictSource{
				{URL: "https://hydro.kessari.example/notices/2025/nw-0412", Title: "Navigation warning NW-0412: Corran Shoals west", Publisher: "Kessari Hydrographic Office", AccessedOn: "2025-09-02"},
				{URL: "https://defence.kessari.example/2025/test-calendar", Title: "Test and exercise calendar 2025", Publisher: "Kessari Ministry of Defence", AccessedOn: "2025-09-02"},
			},
			Published: time.Date(2025, 9, 3, 11, 0, 0, 0, time.UTC),
		},
		{
			Claim:      "Teodor Rask has been removed from the Kessari talks.",
			Rating:     "Unproven",
			Conclusion: "Two officials said so anonymously and the ministry denied it; no document settles the question.",
			Body: "Two officials in Dunmere told reporters that Deputy Foreign Minister Teodor Rask had been kept out of key meetings since the summit was cancelled. " +
				"The ministry's spokeswoman denied it the same day.\n\nThe delegation lists published for the fourth round of talks do not include him, " +
				"but they did not include him for the third round either.",
			Sources: []VerdictSource{
				{URL: "https://mfa.aldervane.example/delegations/2025-10-14", Title: "Delegation list, fourth round", Publisher: "Aldervane Ministry of Foreign Affairs", AccessedOn: "2025-10-16"},
			},
		},
	}
}

// loadDemoVerdicts walks the demonstration fact-checks through the real
// workflow (the fact-checker drafts, the editor reviews and publishes), then
// dates them like the story.
func (s *Store) loadDemoVerdicts(ctx context.Context) error {
	if _, done, err := s.Setting(ctx, demoVerdictsKey); err != nil || done {
		return err
	}
	checker, err := s.UserByEmail(ctx, "factchecker@newsgloss.example")
	if err != nil {
		return nil // the demo accounts are gone: leave the data alone
	}
	editor, err := s.UserByEmail(ctx, "editor@newsgloss.example")
	if err != nil {
		return nil
	}
	scale, err := s.RatingScale(ctx)
	if err != nil {
		return err
	}
	labelID := func(name string) string {
		for _, l := range scale.Labels {
			if l.Name == name {
				return fmt.Sprint(l.ID)
			}
		}
		return ""
	}
	lock := func(id uint) (int, error) {
		var v Verdict
		err := s.reader(ctx).Take(&v, id).Error
		return v.LockVersion, err
	}
	for _, dv := range demoVerdicts() {
		var claimID uint
		if err := s.reader(ctx).Model(&Claim{}).Select("id").Where("restatement = ?", dv.Claim).Scan(&claimID).Error; err != nil || claimID == 0 {
			continue // the claim is not in this database's demo
		}
		in := VerdictInput{ClaimID: claimID, RatingLabelID: labelID(dv.Rating), Conclusion: dv.Conclusion, Explanation: dv.Body, Sources: dv.Sources}
		v, err := s.CreateVerdict(ctx, checker, in)
		if err != nil {
			return fmt.Errorf("demo verdict on %q: %w", dv.Claim, err)
		}
		if err := s.Transition(ctx, checker, v.ID, ActionSubmit, "", v.LockVersion); err != nil {
			return err
		}
		if dv.Published.IsZero() {
			continue
		}
		n, err := lock(v.ID)
		if err != nil {
			return err
		}
		if err := s.Transition(ctx, editor, v.ID, ActionApproveAndPublish, "", n); err != nil {
			return err
		}
		if c := dv.Correction; c != nil {
			if n, err = lock(v.ID); err != nil {
				return err
			}
			in.RatingLabelID, in.Conclusion, in.CorrectionNote, in.LockVersion = labelID(c.Rating), c.Conclusion, c.Note, n
			if err := s.UpdateVerdict(ctx, editor, v.ID, in); err != nil {
				return err
			}
		}
		err = s.inTx(ctx, func(tx *gorm.DB) error {
			at := func(number int) time.Time {
				if number > 1 && dv.Correction != nil {
					return dv.Correction.At
				}
				return dv.Published
			}
			for number := 1; number <= 2; number++ {
				if err := tx.Exec("UPDATE verdict_versions SET published_at = ? WHERE verdict_id = ? AND number = ?", at(number), v.ID, number).Error; err != nil {
					return err
				}
			}
			return tx.Exec("UPDATE verdicts SET created_at = ?, published_at = ?, updated_at = ? WHERE id = ?",
				dv.Published.Add(-48*time.Hour), dv.Published, at(2), v.ID).Error
		})
		if err != nil {
			return fmt.Errorf("date demo verdict: %w", err)
		}
	}
	return s.inTx(ctx, func(tx *gorm.DB) error { return putSetting(tx, demoVerdictsKey, s.nowUTC().Format(time.RFC3339)) })
}
