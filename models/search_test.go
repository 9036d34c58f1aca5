package models

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"newsgloss/models/testdb"
	"newsgloss/searchquery"
)

// searchWorld is a small corpus built for the search rules: articles of two
// outlets (one a draft, one deleted, two identical but for their date), a
// claim and an event tagged in them, an entity, and notes of every visibility.
type searchWorld struct {
	s                                  *Store
	editor, checker, checker2, reader  *User
	harbour, fishing, weather, draft   *Article
	deleted, ferryOld, ferryNew        *Article
	claim, draftClaim, event           uint
	notePublic, noteStaff, notePrivate uint
	noteOnDraft, noteHidden            uint
	entity                             *Entity
}

func newSearchWorld(t *testing.T) *searchWorld {
	t.Helper()
	s, _ := newTestStore(t)
	return newSearchWorldIn(t, s)
}

// newSearchWorldIn builds the corpus in a store of the test's choosing.
func newSearchWorldIn(t *testing.T, s *Store) *searchWorld {
	t.Helper()
	ctx := t.Context()
	w := &searchWorld{s: s}
	w.editor = quickUser(t, s, "editor@search.test", RoleEditor)
	w.checker = quickUser(t, s, "checker@search.test", RoleFactChecker)
	w.checker2 = quickUser(t, s, "checker2@search.test", RoleFactChecker)
	w.reader = quickUser(t, s, "reader@search.test", RoleReader)

	article := func(title, outlet, date, status, body string) *Article {
		in := ArticleInput{Title: title, NewOutlet: outlet, Byline: "By Test Writer", PublishedAt: date,
			Status: status, BodyFormat: "markdown", Body: body}
		return mustCreateArticle(t, s, w.editor, in)
	}
	w.harbour = article("Summit at the harbour", "North Gazette", "2025-01-10T09:00", "published",
		"Ministers met at the harbour in Zürich for the summit.\n\nThe summit ended early, officials said.")
	w.fishing = article("Fishing rights", "South Courier", "2025-02-10T09:00", "published",
		"A missile test near the shoals worried fishermen.\n\nTalks on fishing rights continue next week.")
	w.weather = article("Weather report", "North Gazette", "2025-03-10T09:00", "published",
		"The test of the new missile system was postponed.\n\nSummit weather will be fine.")
	w.draft = article("Secret draft about the summit", "North Gazette", "", "draft",
		"Unpublished summit plans with the codeword zephyr.")
	w.deleted = article("Deleted summit story", "North Gazette", "2025-01-20T09:00", "published",
		"A story with the codeword quokka about the summit.")
	if err := s.DeleteArticle(ctx, w.editor, w.deleted.ID); err != nil {
		t.Fatal(err)
	}
	w.ferryOld = article("Ferry timetable", "South Courier", "2025-04-01T09:00", "published", "The ferry timetable changed.")
	w.ferryNew = article("Ferry timetable", "South Courier", "2025-05-01T09:00", "published", "The ferry timetable changed.")

	var err error
	w.claim, _, err = s.TagPassage(ctx, w.editor, w.fishing.ID, TagRequest{
		Passage: Passage{Quote: "A missile test near the shoals"},
		Claim: &ClaimInput{ClaimantName: "Kessari Ministry", ClaimantKind: "organisation", SaidOn: "2025-02-09",
			Restatement: "The missile launch was routine.", Stance: "asserts", Tags: "Defence"},
	})
	if err != nil {
		t.Fatal(err)
	}
	w.draftClaim, _, err = s.TagPassage(ctx, w.editor, w.draft.ID, TagRequest{
		Passage: Passage{Quote: "codeword zephyr"},
		Claim: &ClaimInput{ClaimantName: "Kessari Ministry", SaidOn: "2025-02-01",
			Restatement: "A secret plan exists.", Stance: "rumour"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, w.event, err = s.TagPassage(ctx, w.editor, w.harbour.ID, TagRequest{
		Passage: Passage{Quote: "Ministers met at the harbour"},
		Event: &EventInput{Title: "Harbour ministerial meeting", StartsOn: "2025-01-09", Status: "held",
			PlaceName: "Zürich", Participants: "Teodor Rask", Tags: "Diplomacy"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if w.entity, err = s.EntityBySlug(ctx, "teodor-rask"); err != nil {
		t.Fatal(err)
	}

	note := func(author *User, articleID uint, visibility, body string) uint {
		a, err := s.CreateAnnotation(ctx, author, articleID, AnnotationInput{Motivation: "commenting", Body: body, Visibility: visibility})
		if err != nil {
			t.Fatalf("CreateAnnotation(%q): %v", body, err)
		}
		return a.ID
	}
	w.notePublic = note(w.checker, w.harbour.ID, "public", "Background: sardine quotas were discussed at the summit.")
	w.noteStaff = note(w.checker, w.harbour.ID, "staff", "Staff only: check the sardine figures.")
	w.notePrivate = note(w.checker, w.harbour.ID, "private", "Private reminder about sardine sources.")
	w.noteOnDraft = note(w.editor, w.draft.ID, "public", "A sardine note on the draft.")
	w.noteHidden = note(w.checker2, w.fishing.ID, "public", "A rude sardine remark.")
	if err := s.Moderate(ctx, w.editor, w.noteHidden, true, "rude"); err != nil {
		t.Fatal(err)
	}
	return w
}

// quickUser adds an account that never signs in, without hashing a password.
func quickUser(t testing.TB, s *Store, email string, role Role) *User {
	t.Helper()
	now := s.nowUTC()
	u := &User{Email: email, Name: "Test " + string(role), PasswordHash: "-", Role: role, CreatedAt: now, UpdatedAt: now}
	if err := s.write.Create(u).Error; err != nil {
		t.Fatalf("add user %s: %v", email, err)
	}
	return u
}

// find runs a search that must succeed and returns its results as "kind:id".
func (w *searchWorld) find(t *testing.T, viewer *User, in SearchInput) []string {
	t.Helper()
	res, err := w.s.Search(t.Context(), viewer, in)
	if err != nil {
		t.Fatalf("Search(%+v): %v", in, err)
	}
	var out []string
	for _, r := range res.Results {
		out = append(out, fmt.Sprintf("%s:%d", r.Kind, r.ID))
	}
	return out
}

func ref(k SearchKind, id uint) string { return fmt.Sprintf("%s:%d", k, id) }

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestSearchMatching(t *testing.T) {
	w := newSearchWorld(t)
	art := func(a *Article) string { return ref(SearchArticle, a.ID) }
	tests := []struct {
		name    string
		in      SearchInput
		want    []string
		ordered bool // the order matters, not just the set
	}{
		{"a word", SearchInput{Query: "fishermen"}, []string{art(w.fishing)}, false},
		{"all words must match", SearchInput{Query: "missile postponed"}, []string{art(w.weather)}, false},
		{"phrase keeps words together and in order", SearchInput{Query: `"missile test"`},
			[]string{art(w.fishing), ref(SearchClaim, w.claim)}, false},
		{"the same words apart are not the phrase", SearchInput{Query: `"test missile"`}, nil, false},
		{"exclusion", SearchInput{Query: "missile -postponed"}, []string{art(w.fishing), ref(SearchClaim, w.claim)}, false},
		{"excluded phrase", SearchInput{Query: `missile -"new missile"`}, []string{art(w.fishing), ref(SearchClaim, w.claim)}, false},
		{"prefix", SearchInput{Query: "fisherm*"}, []string{art(w.fishing)}, false},
		{"two-letter prefix", SearchInput{Query: "zü*"}, []string{art(w.harbour), ref(SearchEntity, placeID(t, w))}, false},
		{"accents are folded", SearchInput{Query: "zurich"}, []string{art(w.harbour), ref(SearchEntity, placeID(t, w))}, false},
		{"case is folded", SearchInput{Query: "HARBOUR"}, []string{art(w.harbour), ref(SearchEvent, w.event)}, false},
		{"byline", SearchInput{Query: "writer timetable"}, []string{art(w.ferryNew), art(w.ferryOld)}, true},
		{"claim by its restatement", SearchInput{Query: "routine launch"}, []string{ref(SearchClaim, w.claim)}, false},
		{"claim by a quote reporting it", SearchInput{Query: "shoals", Type: "claim"}, []string{ref(SearchClaim, w.claim)}, false},
		{"event by title", SearchInput{Query: "ministerial"}, []string{ref(SearchEvent, w.event)}, false},
		{"entity by name", SearchInput{Query: "rask"}, []string{ref(SearchEntity, w.entity.ID)}, false},
		{"public note", SearchInput{Query: "quotas"}, []string{ref(SearchAnnotation, w.notePublic)}, false},
		{"equal matches: newest first", SearchInput{Query: "ferry"}, []string{art(w.ferryNew), art(w.ferryOld)}, true},
		{"title outranks body", SearchInput{Query: "summit", Type: "article"}, []string{art(w.harbour), art(w.weather)}, true},
		{"operators typed are words", SearchInput{Query: "summit OR zephyr"}, nil, false},
		{"nothing matches", SearchInput{Query: "xylophone"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := w.find(t, nil, tt.in)
			if !tt.ordered {
				got, tt.want = sorted(got), sorted(tt.want)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.in.Query, got, tt.want)
			}
		})
	}
}

func placeID(t *testing.T, w *searchWorld) uint {
	t.Helper()
	e, err := w.s.EntityBySlug(t.Context(), "zürich")
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func TestSearchHighlightsMatchingWords(t *testing.T) {
	w := newSearchWorld(t)
	res, err := w.s.Search(t.Context(), nil, SearchInput{Query: "harbour summ*", Type: "article"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 1 {
		t.Fatalf("results %+v, want the harbour article", res.Results)
	}
	r := res.Results[0]
	mark := func(w string) string { return searchquery.MarkStart + w + searchquery.MarkEnd }
	if want := mark("Summit") + " at the " + mark("harbour"); r.Title != want {
		t.Errorf("title %q, want %q", r.Title, want)
	}
	for _, w := range []string{mark("harbour"), mark("summit")} {
		if !strings.Contains(r.Snippet, w) {
			t.Errorf("snippet %q lacks %q", r.Snippet, w)
		}
	}
	if got := searchquery.StripMarks(r.Snippet); !strings.Contains(got, "Ministers met at the harbour in Zürich") {
		t.Errorf("snippet text %q is not the article's", got)
	}
	if r.OutletName != "North Gazette" || r.Date == nil || r.Date.Format("2006-01-02") != "2025-01-10" {
		t.Errorf("result details %+v", r)
	}
}

func TestSearchVisibility(t *testing.T) {
	w := newSearchWorld(t)
	note := func(id uint) string { return ref(SearchAnnotation, id) }
	tests := []struct {
		query string
		typ   string
		who   map[string][]string // viewer → what they find
	}{
		{"sardine", "annotation", map[string][]string{
			"anonymous": {note(w.notePublic)},
			"reader":    {note(w.notePublic)},
			"checker":   {note(w.notePublic), note(w.noteStaff), note(w.notePrivate)},
			"checker2":  {note(w.notePublic), note(w.noteStaff)},
			"editor":    {note(w.notePublic), note(w.noteStaff), note(w.noteOnDraft), note(w.noteHidden)},
		}},
		{"zephyr", "", map[string][]string{
			"anonymous": nil, "reader": nil, "checker": nil, "checker2": nil,
			// The draft, and the claim tagged only in it; the draft's quote
			// is not part of the claim's text, since the draft is not public.
			"editor": {ref(SearchArticle, w.draft.ID)},
		}},
		{"secret plan", "", map[string][]string{
			"anonymous": nil, "reader": nil, "checker": nil,
			"editor": {ref(SearchClaim, w.draftClaim)},
		}},
		{"quokka", "", map[string][]string{"anonymous": nil, "editor": nil}}, // deleted: nobody
	}
	viewers := map[string]*User{"anonymous": nil, "reader": w.reader, "checker": w.checker, "checker2": w.checker2, "editor": w.editor}
	for _, tt := range tests {
		for who, want := range tt.who {
			t.Run(tt.query+"/"+who, func(t *testing.T) {
				got := sorted(w.find(t, viewers[who], SearchInput{Query: tt.query, Type: tt.typ}))
				if !slices.Equal(got, sorted(want)) {
					t.Errorf("%s finds %v, want %v", who, got, sorted(want))
				}
			})
		}
	}

	// A disabled account finds only what anyone finds.
	if err := w.s.SetDisabled(t.Context(), quickUser(t, w.s, "admin@search.test", RoleAdmin), w.checker.ID, true); err != nil {
		t.Fatal(err)
	}
	disabled, err := w.s.UserByID(t.Context(), w.checker.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.find(t, disabled, SearchInput{Query: "sardine"}); !slices.Equal(got, []string{note(w.notePublic)}) {
		t.Errorf("a disabled fact-checker finds %v", got)
	}
}

func TestSearchFilters(t *testing.T) {
	w := newSearchWorld(t)
	art := func(a *Article) string { return ref(SearchArticle, a.ID) }
	claim := ref(SearchClaim, w.claim)
	tests := []struct {
		name string
		in   SearchInput
		want []string
	}{
		{"no filter", SearchInput{Query: "missile"}, []string{art(w.fishing), art(w.weather), claim}},
		{"type", SearchInput{Query: "missile", Type: "claim"}, []string{claim}},
		{"type article", SearchInput{Query: "missile", Type: "article"}, []string{art(w.fishing), art(w.weather)}},
		{"outlet: its articles and the claims it reported", SearchInput{Query: "missile", Outlet: "south-courier"}, []string{art(w.fishing), claim}},
		{"outlet by name", SearchInput{Query: "missile", Outlet: "North Gazette"}, []string{art(w.weather)}},
		{"outlet: notes on its articles", SearchInput{Query: "sardine", Outlet: "north-gazette"}, []string{ref(SearchAnnotation, w.notePublic)}},
		{"tag: tagged claims and the articles reporting them", SearchInput{Query: "missile", Tag: "defence"}, []string{art(w.fishing), claim}},
		{"tag by name", SearchInput{Query: "harbour", Tag: "Diplomacy"}, []string{art(w.harbour), ref(SearchEvent, w.event)}},
		{"entity: claims it made", SearchInput{Query: "missile", Entity: "Kessari Ministry"}, []string{art(w.fishing), claim}},
		{"entity: events it took part in", SearchInput{Query: "harbour", Entity: "teodor-rask"}, []string{art(w.harbour), ref(SearchEvent, w.event)}},
		{"entity: itself", SearchInput{Query: "rask", Entity: "Teodor Rask"}, []string{ref(SearchEntity, w.entity.ID)}},
		{"from", SearchInput{Query: "missile", From: "2025-03-01"}, []string{art(w.weather)}},
		{"to, inclusive", SearchInput{Query: "missile", To: "2025-02-10"}, []string{art(w.fishing), claim}},
		{"range", SearchInput{Query: "missile", From: "2025-02-10", To: "2025-02-10"}, []string{art(w.fishing)}},
		{"date excludes entities", SearchInput{Query: "rask", From: "2000-01-01"}, nil},
		{"filters together", SearchInput{Query: "missile", Type: "article", Outlet: "south-courier", Tag: "defence", From: "2025-01-01", To: "2025-12-31"}, []string{art(w.fishing)}},
		{"filters that exclude every kind", SearchInput{Query: "rask", Type: "entity", Tag: "defence"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sorted(w.find(t, nil, tt.in))
			if !slices.Equal(got, sorted(tt.want)) {
				t.Errorf("Search(%+v) = %v, want %v", tt.in, got, sorted(tt.want))
			}
		})
	}
}

// TestSearchByRating filters by a published fact-check's rating: the rated
// claim and the articles reporting it.
func TestSearchByRating(t *testing.T) {
	w := newSearchWorld(t)
	ctx := t.Context()
	scale, err := w.s.RatingScale(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var falseID uint
	for _, l := range scale.Labels {
		if l.Name == "False" {
			falseID = l.ID
		}
	}
	v, err := w.s.CreateVerdict(ctx, w.checker, VerdictInput{ClaimID: w.claim, RatingLabelID: fmt.Sprint(falseID),
		Conclusion: "The launch was not routine.", Explanation: "Records show otherwise.",
		Sources: []VerdictSource{{URL: "https://records.example/launch", Title: "Launch records"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.Transition(ctx, w.checker, v.ID, ActionSubmit, "", v.LockVersion); err != nil {
		t.Fatal(err)
	}
	if err := w.s.Transition(ctx, w.editor, v.ID, ActionApproveAndPublish, "", v.LockVersion+1); err != nil {
		t.Fatal(err)
	}
	want := []string{ref(SearchArticle, w.fishing.ID), ref(SearchClaim, w.claim)}
	for _, rating := range []string{"False", "false", fmt.Sprint(falseID)} {
		if got := sorted(w.find(t, nil, SearchInput{Query: "missile", Verdict: rating})); !slices.Equal(got, sorted(want)) {
			t.Errorf("rated %q: %v, want %v", rating, got, sorted(want))
		}
	}
	if got := w.find(t, nil, SearchInput{Query: "missile", Verdict: "True"}); len(got) != 0 {
		t.Errorf("rated True: %v, want nothing", got)
	}
	res, err := w.s.Search(ctx, nil, SearchInput{Query: "routine", Type: "claim"})
	if err != nil || len(res.Results) != 1 || res.Results[0].Verdict == nil || res.Results[0].Verdict.Label.Name != "False" {
		t.Errorf("the claim's result lacks its rating: %+v (%v)", res, err)
	}
}

func TestSearchRefusesWithClearMessages(t *testing.T) {
	w := newSearchWorld(t)
	tests := []struct {
		name  string
		in    SearchInput
		field string
		want  string // part of the field's message
	}{
		{"empty", SearchInput{}, "q", "at least one word"},
		{"only punctuation", SearchInput{Query: `"" *** !!!`}, "q", "at least one word"},
		{"only excluded", SearchInput{Query: "-summit"}, "q", "not only words to leave out"},
		{"too long", SearchInput{Query: strings.Repeat("summit ", 1500)}, "q", "too long"},
		{"unknown type", SearchInput{Query: "summit", Type: "poem"}, "type", "Choose"},
		{"unknown outlet", SearchInput{Query: "summit", Outlet: "nowhere-times"}, "outlet", "no such outlet"},
		{"unknown tag", SearchInput{Query: "summit", Tag: "knitting"}, "tag", "knitting"},
		{"unknown entity", SearchInput{Query: "summit", Entity: "Nobody Known"}, "entity", "Nobody Known"},
		{"bad date", SearchInput{Query: "summit", From: "14/03/2025"}, "from", "YYYY-MM-DD"},
		{"range backwards", SearchInput{Query: "summit", From: "2025-05-01", To: "2025-04-01"}, "to", "before its start"},
		{"page too far", SearchInput{Query: "summit", Page: 51}, "page", "page 50"},
		{"unknown rating", SearchInput{Query: "summit", Verdict: "Pants on fire"}, "verdict", "no rating called"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.s.Search(t.Context(), nil, tt.in)
			wantCode(t, err, EInvalid)
			if msg := FieldErrors(err)[tt.field]; !strings.Contains(msg, tt.want) {
				t.Errorf("field %s message %q, want it to mention %q (all: %v)", tt.field, msg, tt.want, FieldErrors(err))
			}
		})
	}
}

func TestSearchPagination(t *testing.T) {
	s, clock := newTestStore(t)
	editor := quickUser(t, s, "editor@search.test", RoleEditor)
	const n = SearchPerPage + 5
	for i := range n {
		in := validArticle()
		in.Title = fmt.Sprintf("Lighthouse keeper diary %d", i)
		in.PublishedAt = fmt.Sprintf("2025-01-%02dT09:00", i+1)
		in.Body = "The lighthouse keeper wrote another entry."
		mustCreateArticle(t, s, editor, in)
		clock.Advance(1)
	}
	seen := map[uint]bool{}
	var last *SearchResults
	for page := 1; page <= 3; page++ {
		res, err := s.Search(t.Context(), nil, SearchInput{Query: "lighthouse keeper", Page: page})
		if err != nil {
			t.Fatal(err)
		}
		if res.Page != page {
			t.Errorf("page %d reports page %d", page, res.Page)
		}
		for _, r := range res.Results {
			if seen[r.ID] {
				t.Errorf("article %d is on two pages", r.ID)
			}
			seen[r.ID] = true
		}
		wantLen, wantNext := map[int]int{1: SearchPerPage, 2: 5, 3: 0}[page], page == 1
		if len(res.Results) != wantLen || res.HasNext != wantNext {
			t.Errorf("page %d: %d results, next %v; want %d, %v", page, len(res.Results), res.HasNext, wantLen, wantNext)
		}
		if page == 1 {
			last = res
		}
	}
	if len(seen) != n {
		t.Errorf("pages showed %d articles, want %d", len(seen), n)
	}
	// Equal matches, so newest first: diary 24 (25 January) leads.
	if got := searchquery.StripMarks(last.Results[0].Title); got != "Lighthouse keeper diary 24" {
		t.Errorf("first result %q", got)
	}
}

// hostileQueries are inputs that must never become an SQL error.
func hostileQueries() []string {
	return []string{
		`"unbalanced`, `unbalanced"`, `"a" "b`, `""""`, `"`, `-`, `*`, `-*`, `**`, `-"`,
		`summit AND`, `OR summit`, `NOT summit`, `summit NOT`, `NEAR(summit talks, 2)`, `NEAR(`, `(summit`, `summit)`,
		`^summit`, `title:summit`, `search_index:summit`, `{title names}:summit`, `summit*:`, `+summit`, `summit -`,
		`'; DROP TABLE articles; --`, `" OR 1=1 --`, `summit') UNION SELECT * FROM users --`, `%`, `_`, `\`, `\"`,
		"sum\x00mit", "\x00", "summit\xff\xfe", "\xc3\x28", string([]byte{0xed, 0xa0, 0x80}),
		"\uE000summit\uE001", "\u202esummit", "summit\u200b", "🔥", "東京", "ⅷ", "٣", "\t\n\r",
		strings.Repeat("a", 10_000), strings.Repeat(`"`, 10_000), strings.Repeat("-x ", 3000), strings.Repeat("summit ", 16),
		strings.Repeat("(", 499), strings.Repeat("é", 500),
	}
}

func TestSearchHostileInput(t *testing.T) {
	w := newSearchWorld(t)
	for _, q := range hostileQueries() {
		for _, viewer := range []*User{nil, w.editor} {
			res, err := w.s.Search(t.Context(), viewer, SearchInput{Query: q, Type: q, Outlet: q, Tag: q, Entity: q, From: q, To: q})
			if err != nil && ErrorCodeOf(err) != EInvalid {
				t.Errorf("Search(%.40q): %v", q, err)
			}
			res, err = w.s.Search(t.Context(), viewer, SearchInput{Query: q})
			if err != nil && ErrorCodeOf(err) != EInvalid {
				t.Errorf("Search(%.40q) without filters: %v", q, err)
			}
			_ = res
		}
	}
}

// FuzzSearch runs any query through the real index: it may be refused with
// a message, but never fail in SQLite.
func FuzzSearch(f *testing.F) {
	for _, q := range hostileQueries() {
		f.Add(q)
	}
	s, _ := newTestStore(f)
	editor := quickUser(f, s, "editor@search.test", RoleEditor)
	mustCreateArticle(f, s, editor, validArticle())
	f.Fuzz(func(t *testing.T, q string) {
		// Not t.Context(): when -fuzztime runs out, the fuzzing engine cancels
		// it under a search in progress, which is no fault of the input.
		if _, err := s.Search(context.Background(), nil, SearchInput{Query: q}); err != nil && ErrorCodeOf(err) != EInvalid {
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}

// searchTriggers are the triggers that keep the index in step with the
// tables; a table rebuild that dropped one would silently stale the index.
var searchTriggers = []string{
	"search_docs_index_ai", "search_docs_index_au", "search_docs_index_ad",
	"search_articles_index_ai", "search_articles_index_au", "search_articles_index_ad",
	"search_articles_docs_ai", "search_articles_docs_au", "search_articles_docs_ad",
	"search_claims_ai", "search_claims_au", "search_claims_ad",
	"search_events_ai", "search_events_au", "search_events_ad",
	"search_mentions_ai", "search_mentions_au", "search_mentions_ad",
	"search_entities_ai", "search_entities_au", "search_entities_ad",
	"search_entity_aliases_ai", "search_entity_aliases_au", "search_entity_aliases_ad",
	"search_annotations_ai", "search_annotations_au_text", "search_annotations_au_access", "search_annotations_ad",
}

// pgSearchTriggers are PostgreSQL's: one a table, each for every change.
var pgSearchTriggers = []string{
	"search_docs_vector", "search_articles", "search_claims", "search_events", "search_mentions",
	"search_entities", "search_entity_aliases", "search_annotations",
}

func TestSearchTriggersExist(t *testing.T) {
	s, _ := newTestStore(t)
	var names []string
	query, want := "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'", searchTriggers
	if s.dialect == Postgres {
		query, want = `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
				AND t.tgname LIKE 'search%' AND t.tgname NOT LIKE '%_bump_data_version'`, pgSearchTriggers
	}
	if err := s.read.Raw(query).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	if got, want := sorted(names), sorted(want); !slices.Equal(got, want) {
		t.Errorf("search triggers %v, want %v", got, want)
	}
}

// TestSearchIndexFollowsEveryWrite changes each kind of content through the
// store and checks, after every step, what search finds and that the index
// agrees with its content (FTS5's integrity check).
func TestSearchIndexFollowsEveryWrite(t *testing.T) {
	w := newSearchWorld(t)
	s, ctx := w.s, t.Context()
	check := func(step string) {
		t.Helper()
		if err := s.CheckSearchIndex(ctx); err != nil {
			t.Fatalf("after %s: %v", step, err)
		}
	}
	finds := func(step string, viewer *User, q string, want ...string) {
		t.Helper()
		if got := sorted(w.find(t, viewer, SearchInput{Query: q})); !slices.Equal(got, sorted(want)) {
			t.Errorf("after %s, %q finds %v, want %v", step, q, got, sorted(want))
		}
	}
	check("setting up")
	fishing := ref(SearchArticle, w.fishing.ID)

	// An edit is a new revision: the new words are found, the old ones not.
	in := ArticleInput{Title: "Fishing rights", OutletID: w.fishing.OutletID, Byline: "By Test Writer", PublishedAt: "2025-02-10T09:00",
		Status: "published", BodyFormat: "markdown", BaseVersion: 1,
		Body: "A missile test near the shoals worried trawlermen.\n\nTalks on fishing rights continue next week."}
	if _, err := s.UpdateArticle(ctx, w.editor, w.fishing.ID, in); err != nil {
		t.Fatal(err)
	}
	check("an edit")
	finds("an edit", nil, "trawlermen", fishing)
	finds("an edit", nil, "fishermen")

	// A change of status only leaves the text alone but changes who finds it.
	in.Status, in.BaseVersion = "draft", 2
	if _, err := s.UpdateArticle(ctx, w.editor, w.fishing.ID, in); err != nil {
		t.Fatal(err)
	}
	check("unpublishing")
	finds("unpublishing", nil, "trawlermen")
	finds("unpublishing", w.editor, "trawlermen", fishing)
	// Its quote no longer counts as the claim's text; the claim (reported
	// nowhere public now) is gone for the public too.
	finds("unpublishing", w.editor, "shoals", fishing)
	in.Status, in.BaseVersion = "published", 3
	if _, err := s.UpdateArticle(ctx, w.editor, w.fishing.ID, in); err != nil {
		t.Fatal(err)
	}
	check("publishing again")
	finds("publishing again", nil, "shoals", fishing, ref(SearchClaim, w.claim))

	// Deleting and restoring.
	if err := s.DeleteArticle(ctx, w.editor, w.fishing.ID); err != nil {
		t.Fatal(err)
	}
	check("deleting")
	finds("deleting", nil, "trawlermen")
	finds("deleting", w.editor, "trawlermen")
	if err := s.RestoreArticle(ctx, w.editor, w.fishing.ID); err != nil {
		t.Fatal(err)
	}
	check("restoring")
	finds("restoring", nil, "trawlermen", fishing)

	// Publishing the draft makes it, its public note and its claim findable,
	// the claim by the draft's quote too.
	draftIn := ArticleInput{Title: w.draft.Title, OutletID: w.draft.OutletID, Byline: "By Test Writer", PublishedAt: "2025-06-01T09:00",
		Status: "published", BodyFormat: "markdown", BaseVersion: 1, Body: "Unpublished summit plans with the codeword zephyr."}
	if _, err := s.UpdateArticle(ctx, w.editor, w.draft.ID, draftIn); err != nil {
		t.Fatal(err)
	}
	check("publishing the draft")
	finds("publishing the draft", nil, "zephyr", ref(SearchArticle, w.draft.ID), ref(SearchClaim, w.draftClaim))

	// Another mention adds its quote to the claim's text.
	if _, _, err := s.TagPassage(ctx, w.editor, w.weather.ID, TagRequest{Passage: Passage{Quote: "new missile system"}, ExistingClaimID: w.claim}); err != nil {
		t.Fatal(err)
	}
	check("a new mention")
	if got := w.find(t, nil, SearchInput{Query: `"new missile system"`, Type: "claim"}); !slices.Equal(got, []string{ref(SearchClaim, w.claim)}) {
		t.Errorf("the claim is not found by its new quote: %v", got)
	}

	// Notes: an edit, a change of visibility, hiding, deleting.
	note := ref(SearchAnnotation, w.notePublic)
	if _, err := s.UpdateAnnotation(ctx, w.checker, w.notePublic, AnnotationInput{Motivation: "commenting",
		Body: "Background: anchovy quotas were discussed.", Visibility: "public", BaseVersion: 1}); err != nil {
		t.Fatal(err)
	}
	check("a note edit")
	finds("a note edit", nil, "anchovy", note)
	finds("a note edit", nil, "quotas", note)
	finds("a note edit", w.editor, "sardine quotas")
	if _, err := s.UpdateAnnotation(ctx, w.checker, w.notePublic, AnnotationInput{Motivation: "commenting",
		Body: "Background: anchovy quotas were discussed.", Visibility: "staff", BaseVersion: 2}); err != nil {
		t.Fatal(err)
	}
	check("a visibility change")
	finds("a visibility change", nil, "anchovy")
	finds("a visibility change", w.checker2, "anchovy", note)
	if err := s.Moderate(ctx, w.editor, w.notePublic, true, "off topic"); err != nil {
		t.Fatal(err)
	}
	check("hiding")
	finds("hiding", w.checker2, "anchovy")
	finds("hiding", w.editor, "anchovy", note)
	if err := s.Moderate(ctx, w.editor, w.notePublic, false, "fine after all"); err != nil {
		t.Fatal(err)
	}
	finds("unhiding", w.checker2, "anchovy", note)
	if err := s.DeleteAnnotation(ctx, w.checker, w.notePublic, 0); err != nil {
		t.Fatal(err)
	}
	check("deleting a note")
	finds("deleting a note", w.editor, "anchovy")

	// An entity's new alias finds it.
	if err := s.AddEntityAlias(ctx, w.editor, w.entity.ID, "Тео Раск"); err != nil {
		t.Fatal(err)
	}
	check("an alias")
	finds("an alias", nil, "раск", ref(SearchEntity, w.entity.ID))

	// A claim's stance is not text: nothing to re-index, and nothing breaks.
	if err := s.SetClaimStance(ctx, w.editor, w.claim, StanceDenies); err != nil {
		t.Fatal(err)
	}
	check("a stance change")
}

func TestRebuildSearchIndexRestoresWhatTriggersKeep(t *testing.T) {
	w := newSearchWorld(t)
	s, ctx := w.s, t.Context()
	type docRow struct {
		ID                                         int64
		Kind, Title, Names, Body, SortAt, DateText string
		Status                                     string
		Deleted, Hidden                            bool
		OwnerID, ArticleID, OutletID               int64
	}
	docs := func() []docRow {
		var rows []docRow
		err := s.read.Raw(`SELECT id, kind, title, names, body, sort_at, date_text, status, deleted, hidden,
			COALESCE(owner_id, -1) AS owner_id, COALESCE(article_id, -1) AS article_id, COALESCE(outlet_id, -1) AS outlet_id
			FROM search_docs ORDER BY id`).Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	before := docs()
	queries := []string{"summit", "missile", "rask", "zürich", "sardine", "ferry"}
	results := map[string][]string{}
	for _, q := range queries {
		results[q] = w.find(t, w.editor, SearchInput{Query: q})
	}

	// Wreck the index and the documents behind the triggers' back.
	wreck := []string{
		"INSERT INTO search_index (search_index) VALUES ('delete-all')",
		"UPDATE search_state SET paused = TRUE",
		"UPDATE search_docs SET title = 'stale', status = 'draft' WHERE id < 0",
		"UPDATE search_state SET paused = FALSE",
	}
	if s.dialect == Postgres {
		wreck[0], wreck[1] = "UPDATE search_state SET paused = TRUE", "UPDATE search_docs SET tsv = ''"
	}
	for _, q := range wreck {
		if err := s.write.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if got := w.find(t, w.editor, SearchInput{Query: "summit"}); len(got) != 0 {
		t.Fatalf("the emptied index still finds %v", got)
	}

	var stages []string
	last := map[string]SearchReindexProgress{}
	err := s.RebuildSearchIndex(ctx, func(p SearchReindexProgress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
		last[p.Stage] = p
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stages, []string{"documents", "index", "optimise"}) {
		t.Errorf("progress stages %v", stages)
	}
	if p := last["index"]; p.Done != p.Total || p.Total != len(before) {
		t.Errorf("index progress ended at %d of %d, want %d rows", p.Done, p.Total, len(before))
	}
	if err := s.CheckSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if after := docs(); !slices.Equal(after, before) {
		t.Errorf("rebuilt documents differ from what the triggers kept:\nbefore %+v\nafter  %+v", before, after)
	}
	for _, q := range queries {
		if got := w.find(t, w.editor, SearchInput{Query: q}); !slices.Equal(got, results[q]) {
			t.Errorf("after rebuilding, %q finds %v, want %v", q, got, results[q])
		}
	}
	var paused bool
	if err := s.read.Raw("SELECT paused FROM search_state").Scan(&paused).Error; err != nil || paused {
		t.Errorf("search_state.paused = %v (%v) after a rebuild", paused, err)
	}
	// The triggers work again after the rebuild.
	in := validArticle()
	in.Body = "A pelican landed on the pier."
	a := mustCreateArticle(t, s, w.editor, in)
	if got := w.find(t, nil, SearchInput{Query: "pelican"}); !slices.Equal(got, []string{ref(SearchArticle, a.ID)}) {
		t.Errorf("a new article after the rebuild: %v", got)
	}
}

// TestSearchMigrationIndexesExistingContent applies the migrations before
// search to a database with content, then the search migration, and finds it.
func TestSearchMigrationIndexesExistingContent(t *testing.T) {
	db, set := rawDB(t), sqliteMigrations
	if testdb.Postgres() {
		db, set = rawPGDB(t), postgresMigrations
	}
	older := fstest.MapFS{}
	all := fstest.MapFS{}
	entries, err := fs.ReadDir(set.fsys, set.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		body, err := fs.ReadFile(set.fsys, set.dir+"/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		all["m/"+e.Name()] = &fstest.MapFile{Data: body}
		if e.Name() < "0007" {
			older["m/"+e.Name()] = &fstest.MapFile{Data: body}
		}
	}
	if err := migrate(t.Context(), db, migrationSet{fsys: older, dir: "m"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO outlets (id, name, slug, created_at) VALUES (1, 'Old Times', 'old-times', '2024-01-01 00:00:00+00:00')`,
		`INSERT INTO articles (id, outlet_id, title, status, body_format, body_source, body_html, body_text, created_at, updated_at, published_at)
		 VALUES (7, 1, 'Archive piece', 'published', 'markdown', 'x', '<p>x</p>', 'An albatross over the bay.', '2024-01-01 00:00:00+00:00', '2024-01-01 00:00:00+00:00', '2024-01-01 00:00:00+00:00')`,
		`INSERT INTO entities (id, kind, name, slug, created_at, updated_at) VALUES (3, 'place', 'Gullholm', 'gullholm', '2024-01-01 00:00:00+00:00', '2024-01-01 00:00:00+00:00')`,
		`INSERT INTO entity_aliases (entity_id, alias, alias_key) VALUES (3, 'Gull Island', 'gull island')`,
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := migrate(t.Context(), db, migrationSet{fsys: all, dir: "m"}); err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]int64{"albatross": 7, "island": -(3<<32 + 3)} {
		q, err := searchquery.Parse(word)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		find := db.Raw("SELECT rowid FROM search_index WHERE search_index MATCH ?", q.FTS5())
		if testdb.Postgres() {
			find = db.Raw("SELECT id FROM search_docs WHERE tsv @@ search_query(?)", q.TSQuery())
		}
		if err := find.Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, []int64{want}) {
			t.Errorf("%q finds rows %v, want %d", word, got, want)
		}
	}
	check := func() error {
		return db.Exec("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)").Error
	}
	if testdb.Postgres() {
		check = func() error { return checkPGSearchVectors(db) }
	}
	if err := check(); err != nil {
		t.Errorf("integrity check after the migration: %v", err)
	}
}

// TestSearchPlanStartsAtTheIndex checks with EXPLAIN QUERY PLAN that each
// kind's arm of a search reads the full-text index in rowid order (so its cap
// stops the scan) and reaches search_docs by rowid for each match, and that
// no table is scanned, whatever the filters.
func TestSearchPlanStartsAtTheIndex(t *testing.T) {
	s, _ := newSQLiteTestStore(t)
	w := newSearchWorldIn(t, s)
	engine := w.s.searchEngine().(fts5Engine)
	for _, in := range []SearchInput{
		{Query: "summit"},
		{Query: "summit", Type: "article"},
		{Query: `"missile test" -postponed`, Outlet: "north-gazette", Tag: "defence", Entity: "teodor-rask", From: "2025-01-01", To: "2025-12-31"},
	} {
		for _, viewer := range []*User{nil, w.checker, w.editor} {
			plan, err := w.s.resolveSearch(t.Context(), viewer, in)
			if err != nil {
				t.Fatal(err)
			}
			stmt, args := engine.pageStatement(plan)
			var rows []struct{ Detail string }
			if err := w.s.read.Raw("EXPLAIN QUERY PLAN "+stmt, args...).Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			var details []string
			for _, r := range rows {
				details = append(details, r.Detail)
			}
			all := strings.Join(details, " | ")
			if n := strings.Count(all, "SCAN search_index VIRTUAL TABLE"); n != len(plan.kinds) {
				t.Errorf("%+v: %d index scans for %d kinds: %s", in, n, len(plan.kinds), all)
			}
			if n := strings.Count(all, "SEARCH d USING INTEGER PRIMARY KEY"); n != len(plan.kinds) {
				t.Errorf("%+v: search_docs is not reached by rowid in every arm: %s", in, all)
			}
			// One sort: the page's. The arms come in rowid order from the index.
			if n := strings.Count(all, "TEMP B-TREE"); n != 1 {
				t.Errorf("%+v: %d sorts: %s", in, n, all)
			}
			for _, d := range details {
				if strings.HasPrefix(d, "SCAN") && !strings.HasPrefix(d, "SCAN search_index") && !strings.HasPrefix(d, "SCAN (subquery") &&
					d != "SCAN page" && d != "SCAN hits" && d != "SCAN counts" {
					t.Errorf("%+v: the plan scans a table: %s", in, all)
				}
			}
		}
	}
}

// cappedEngine is the store's search engine with every kind capped at n.
func cappedEngine(s *Store, n int) searchEngine {
	if s.dialect == Postgres {
		return pgEngine{searchCaps{articleCap: n, otherCap: n}}
	}
	return fts5Engine{searchCaps{articleCap: n, otherCap: n}}
}

// TestSearchCapsBroadSearches ranks only the newest matches of a kind beyond
// its cap, says so, and ranks narrower searches whole.
func TestSearchCapsBroadSearches(t *testing.T) {
	s, clock := newTestStore(t)
	editor := quickUser(t, s, "editor@search.test", RoleEditor)
	var ids []uint
	for i := range 30 {
		in := validArticle()
		// The oldest articles match best: the word in the headline too.
		in.Title, in.Body = "Harbour report", "The beacon was lit."
		if i < 5 {
			in.Title = "Beacon report"
		}
		if i%10 == 9 {
			in.Status = "draft" // matches, but not for the public: not counted against the cap
		}
		ids = append(ids, mustCreateArticle(t, s, editor, in).ID)
		clock.Advance(time.Minute)
	}
	engine := cappedEngine(s, 10)
	run := func(viewer *User, q string) *searchPage {
		t.Helper()
		plan, err := s.resolveSearch(t.Context(), viewer, SearchInput{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		found, err := engine.search(t.Context(), s.read, plan)
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	found := run(nil, "beacon")
	if !found.capped || found.total != 10 {
		t.Errorf("broad search: capped %v, total %d; want capped at 10", found.capped, found.total)
	}
	// The ten newest public articles, not the older, better matches.
	for _, r := range found.results {
		if r.ID <= ids[5] || r.ID == ids[9] || r.ID == ids[19] || r.ID == ids[29] {
			t.Errorf("article %d is among the results of a capped search: %v", r.ID, found.results)
		}
	}
	// Uncapped, the best matches lead.
	whole := cappedEngine(s, 1000)
	plan, _ := s.resolveSearch(t.Context(), nil, SearchInput{Query: "beacon"})
	all, err := whole.search(t.Context(), s.read, plan)
	if err != nil {
		t.Fatal(err)
	}
	if all.capped || all.total != 27 || all.results[0].ID != ids[4] {
		t.Errorf("whole search: capped %v, total %d, first %d; want 27 public matches, the newest headline match first", all.capped, all.total, all.results[0].ID)
	}
	// A narrower search under the cap is ranked whole.
	for i := 0; i < 3; i++ {
		in := validArticle()
		in.Title, in.Body = "Lantern", "A lantern and a beacon."
		mustCreateArticle(t, s, editor, in)
	}
	if found := run(nil, "lantern beacon"); found.capped || found.total != 3 {
		t.Errorf("narrow search: capped %v, total %d", found.capped, found.total)
	}
}
