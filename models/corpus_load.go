package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Fixtures for load tests, added on top of a corpus (GenerateCorpus) or any
// database with public articles: the busy pages a breaking story makes —
// articles with many notes and claims, curated timelines, an entity with many
// claims, published fact-checks. Everything is made through the store's own
// methods, as the desk would make it, so the rows are what the pages expect.

// LoadFixtureOptions say how big the busy pages are.
type LoadFixtureOptions struct {
	BusyArticles     int   // articles that get the notes and claims
	NotesPerArticle  int   // public notes on passages of each busy article
	ClaimsPerArticle int   // claims tagged in each busy article, all by one claimant
	Timelines        []int // the sizes of the curated timelines to make
	FactChecks       int   // claims (the busy ones first) with a published fact-check
	// ClaimReports tags the first fact-checked claim again in this many other
	// articles, so that its fact-check lists that many reports.
	ClaimReports int
	// Scratch is how many other public articles to list for writes during a load test.
	Scratch int
}

// LoadFixtures says where the fixtures are.
type LoadFixtures struct {
	BusyArticles []uint
	Scratch      []uint         // public articles nothing else uses, for load-test writes
	Timelines    map[int]string // size asked for → slug
	TimelineSize map[int]int    // size asked for → entries it has
	Entity       string         // slug of the busy claims' claimant
	FactChecks   []uint         // verdict ids, the one with ClaimReports reports first
	Staff        *User          // a fact-checker who may annotate (no password)
	Editor       *User
}

// loadAccount makes an account with a random password nobody knows: load
// tests act through API tokens.
func (s *Store) loadAccount(ctx context.Context, email, name string, role Role) (*User, error) {
	if u, err := s.UserByEmail(ctx, email); err == nil {
		return u, nil
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	return s.CreateUser(ctx, nil, NewUser{Email: email, Name: name, Role: role, Password: base64.RawURLEncoding.EncodeToString(raw)})
}

// quotableSentences returns the sentences of a canonical text that occur in
// it exactly once, in order: passages a note or a mention can quote.
func quotableSentences(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		for _, part := range strings.SplitAfter(line, ". ") {
			q := strings.TrimSpace(part)
			if n := len([]rune(q)); n < 20 || n > 400 {
				continue
			}
			if strings.Count(text, q) == 1 {
				out = append(out, q)
			}
		}
	}
	return out
}

// AddLoadFixtures adds the busy pages. It refuses a database that already has
// them (its accounts exist) rather than adding them twice.
func (s *Store) AddLoadFixtures(ctx context.Context, opts LoadFixtureOptions) (*LoadFixtures, error) {
	if _, err := s.UserByEmail(ctx, "load-staff@load.invalid"); err == nil {
		return nil, Errorf(EConflict, "This database already has load-test fixtures.")
	}
	fx := &LoadFixtures{Timelines: map[int]string{}, TimelineSize: map[int]int{}}
	var err error
	if fx.Staff, err = s.loadAccount(ctx, "load-staff@load.invalid", "Load fact-checker", RoleFactChecker); err != nil {
		return nil, fmt.Errorf("load fixtures: %w", err)
	}
	if fx.Editor, err = s.loadAccount(ctx, "load-editor@load.invalid", "Load editor", RoleEditor); err != nil {
		return nil, fmt.Errorf("load fixtures: %w", err)
	}

	// The newest public articles long enough to quote from are the busy ones;
	// the next ones report the checked claim again or take the writes.
	need := opts.NotesPerArticle + opts.ClaimsPerArticle
	var candidates []Article
	if err := s.reader(ctx).Select("id, body_text").
		Where("deleted_at IS NULL AND status IN ('published', 'retracted')").
		Order("published_at DESC, id DESC").Limit(max(200, 4*(opts.BusyArticles+opts.ClaimReports+opts.Scratch))).
		Find(&candidates).Error; err != nil {
		return nil, fmt.Errorf("load fixtures: pick articles: %w", err)
	}
	sentences := map[uint][]string{}
	var others []uint
	for _, a := range candidates {
		qs := quotableSentences(a.BodyText)
		sentences[a.ID] = qs
		switch {
		case len(fx.BusyArticles) < opts.BusyArticles && len(qs) >= need:
			fx.BusyArticles = append(fx.BusyArticles, a.ID)
		case len(qs) > 0:
			others = append(others, a.ID)
		}
	}
	if len(fx.BusyArticles) < opts.BusyArticles {
		return nil, fmt.Errorf("load fixtures: only %d recent articles have %d quotable sentences", len(fx.BusyArticles), need)
	}
	if len(others) < opts.ClaimReports+opts.Scratch {
		return nil, fmt.Errorf("load fixtures: want %d more public articles, found %d", opts.ClaimReports+opts.Scratch, len(others))
	}
	reports, scratch := others[:opts.ClaimReports], others[opts.ClaimReports:opts.ClaimReports+opts.Scratch]
	fx.Scratch = scratch

	claimant := "Load Claimant " + strconv.FormatInt(int64(len(candidates)), 10)
	var busyClaims []uint
	var notes = map[uint][]uint{} // article → its notes
	motivations := []Motivation{MotivationCommenting, MotivationQuestioning, MotivationAssessing}
	for _, id := range fx.BusyArticles {
		qs := sentences[id]
		for i := range opts.NotesPerArticle {
			a, err := s.CreateAnnotation(ctx, fx.Staff, id, AnnotationInput{
				Motivation: string(motivations[i%len(motivations)]), Visibility: string(VisibilityPublic),
				Body:    fmt.Sprintf("Note %d on this passage: the figure is **disputed** by the ministry's own report. See the [record](https://record.example/%d/%d).", i+1, id, i),
				Passage: &Passage{Quote: qs[i]},
			})
			if err != nil {
				return nil, fmt.Errorf("load fixtures: note %d on article %d: %w", i, id, err)
			}
			notes[id] = append(notes[id], a.ID)
		}
		for i := range opts.ClaimsPerArticle {
			q := qs[opts.NotesPerArticle+i]
			claimID, _, err := s.TagPassage(ctx, fx.Editor, id, TagRequest{Passage: Passage{Quote: q}, Claim: &ClaimInput{
				ClaimantName: claimant, ClaimantKind: string(EntityPerson), SaidOn: "2025-09-" + fmt.Sprintf("%02d", 1+i%28),
				Stance: string(Stances()[i%3]), Restatement: fmt.Sprintf("Load claim %d of article %d: %s", i+1, id, shortText(q, 120)),
				Tags: "load fixture"}})
			if err != nil {
				return nil, fmt.Errorf("load fixtures: claim %d in article %d: %w", i, id, err)
			}
			busyClaims = append(busyClaims, claimID)
		}
	}
	if len(busyClaims) > 0 {
		c, _, err := s.ClaimByID(ctx, busyClaims[0])
		if err != nil {
			return nil, fmt.Errorf("load fixtures: %w", err)
		}
		if c.Claimant != nil {
			fx.Entity = c.Claimant.Slug
		}
	}
	if len(busyClaims) > 0 {
		for _, id := range reports {
			if _, _, err := s.TagPassage(ctx, fx.Editor, id, TagRequest{Passage: Passage{Quote: sentences[id][0]}, ExistingClaimID: busyClaims[0]}); err != nil {
				return nil, fmt.Errorf("load fixtures: report of claim %d in article %d: %w", busyClaims[0], id, err)
			}
		}
	}

	// Timelines: the busy claims first, then the newest claims and events
	// reported in public articles.
	largest := 0
	for _, n := range opts.Timelines {
		largest = max(largest, n)
	}
	type entry struct{ Claim, Event uint }
	var entries []entry
	for _, id := range busyClaims {
		entries = append(entries, entry{Claim: id})
	}
	if more := largest - len(entries); more > 0 {
		var rows []entry
		if err := s.reader(ctx).Raw(`
			SELECT COALESCE(m.claim_id, 0) AS claim, COALESCE(m.event_id, 0) AS event FROM mentions m
			JOIN articles a ON a.id = m.article_id AND a.deleted_at IS NULL AND a.status IN ('published', 'retracted')
			GROUP BY m.claim_id, m.event_id ORDER BY MAX(m.id) DESC LIMIT ?`, 2*largest).
			Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("load fixtures: pick timeline entries: %w", err)
		}
		seen := map[entry]bool{}
		for _, e := range entries {
			seen[e] = true
		}
		for _, r := range rows {
			if !seen[r] && len(entries) < largest {
				seen[r] = true
				entries = append(entries, r)
			}
		}
	}
	for _, n := range opts.Timelines {
		tl, err := s.CreateTimeline(ctx, fx.Editor, TimelineInput{Title: fmt.Sprintf("Load story in %d entries", n),
			Description: "Claims and events picked for load tests."})
		if err != nil {
			return nil, fmt.Errorf("load fixtures: %w", err)
		}
		k := min(n, len(entries))
		for _, e := range entries[:k] {
			if err := s.AddToTimeline(ctx, fx.Editor, tl.ID, e.Claim, e.Event); err != nil {
				return nil, fmt.Errorf("load fixtures: timeline entry: %w", err)
			}
		}
		fx.Timelines[n], fx.TimelineSize[n] = tl.Slug, k
	}

	// Published fact-checks, written by the fact-checker and approved and
	// published by the editor; the first relies on the notes of its article.
	scale, err := s.RatingScale(ctx)
	if err != nil {
		return nil, err
	}
	active := scale.Active()
	if len(active) == 0 && opts.FactChecks > 0 {
		return nil, fmt.Errorf("load fixtures: the rating scale has no active label")
	}
	for i := range min(opts.FactChecks, len(busyClaims)) {
		in := VerdictInput{ClaimID: busyClaims[i], RatingLabelID: strconv.FormatUint(uint64(active[i%len(active)].ID), 10),
			Conclusion:  fmt.Sprintf("Load fact-check %d: the figure does not match the record.", i+1),
			Explanation: "The ministry's report gives another figure.\n\nWe compared the two line by line; the **record** is public.",
			Sources: []VerdictSource{{URL: fmt.Sprintf("https://record.example/report/%d", i), Title: "The ministry's report", Publisher: "Ministry"},
				{URL: "https://record.example/archive", Title: "The archive", AccessedOn: "2025-09-30"}}}
		if i == 0 && len(fx.BusyArticles) > 0 {
			in.AnnotationIDs = notes[fx.BusyArticles[0]]
		}
		v, err := s.CreateVerdict(ctx, fx.Staff, in)
		if err != nil {
			return nil, fmt.Errorf("load fixtures: verdict on claim %d: %w", busyClaims[i], err)
		}
		if err := s.Transition(ctx, fx.Staff, v.ID, ActionSubmit, "", v.LockVersion); err != nil {
			return nil, fmt.Errorf("load fixtures: submit verdict %d: %w", v.ID, err)
		}
		if err := s.Transition(ctx, fx.Editor, v.ID, ActionApproveAndPublish, "", v.LockVersion+1); err != nil {
			return nil, fmt.Errorf("load fixtures: publish verdict %d: %w", v.ID, err)
		}
		fx.FactChecks = append(fx.FactChecks, v.ID)
	}
	return fx, nil
}

// shortText cuts s to at most n runes.
func shortText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
