package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"newsgloss/searchquery"
)

// SearchKind is a kind of thing search finds.
type SearchKind string

const (
	SearchArticle    SearchKind = "article"
	SearchClaim      SearchKind = "claim"
	SearchEvent      SearchKind = "event"
	SearchEntity     SearchKind = "entity"
	SearchAnnotation SearchKind = "annotation"
)

// SearchKinds lists the kinds in the order the filter offers them.
func SearchKinds() []SearchKind {
	return []SearchKind{SearchArticle, SearchClaim, SearchEvent, SearchEntity, SearchAnnotation}
}

// Label is the kind's name for people.
func (k SearchKind) Label() string {
	switch k {
	case SearchArticle:
		return "Article"
	case SearchClaim:
		return "Claim"
	case SearchEvent:
		return "Event"
	case SearchEntity:
		return "Entity"
	case SearchAnnotation:
		return "Note"
	}
	return string(k)
}

// PluralLabel names the kind in a list of choices.
func (k SearchKind) PluralLabel() string {
	switch k {
	case SearchEntity:
		return "People, organisations and places"
	case SearchAnnotation:
		return "Notes"
	}
	return k.Label() + "s"
}

func (k SearchKind) valid() bool {
	for _, v := range SearchKinds() {
		if k == v {
			return true
		}
	}
	return false
}

// searchRowidBase is where each kind's rows start in search_index: articles
// use their own ids, the other kinds negative numbers -(n·2^32 + id), so a
// kind is a rowid range the index can seek to. PostgreSQL's search_docs uses the
// same ids. Keep in step with both engines' 0007_search.sql.
func searchRowidBase(k SearchKind) int64 {
	switch k {
	case SearchClaim:
		return 1 << 32
	case SearchEvent:
		return 2 << 32
	case SearchEntity:
		return 3 << 32
	case SearchAnnotation:
		return 4 << 32
	}
	return 0
}

// SearchPerPage is how many results one page shows.
const SearchPerPage = 20

// maxSearchPage bounds how deep anyone can page: every page ranks all
// matches again, and nobody reads 50 pages of results.
const maxSearchPage = 50

// SearchInput is a search as submitted: query parameters, unchecked.
type SearchInput struct {
	Query   string
	Type    string // a SearchKind, or "" for all
	Outlet  string // an outlet's slug
	Tag     string // a tag's name or slug
	Entity  string // an entity's name, alias or slug
	Verdict string // reserved for the fact-check filter (see the TODO in resolveSearch)
	From    string // YYYY-MM-DD, inclusive
	To      string // YYYY-MM-DD, inclusive
	Page    int
}

// Filtered reports whether any filter besides the words is set.
func (in SearchInput) Filtered() bool {
	return in.Type != "" || in.Outlet != "" || in.Tag != "" || in.Entity != "" || in.Verdict != "" || in.From != "" || in.To != ""
}

// SearchResult is one thing found. Title and Snippet carry
// searchquery.MarkStart/MarkEnd around the matching words.
type SearchResult struct {
	Kind       SearchKind
	ID         uint
	Title      string
	Snippet    string
	Date       *time.Time // when it was published, said, held, written; nil when unknown
	DateText   string     // claims' and events' dates as ISO text of their precision
	Status     string     // an article's status, a claim's stance, an event's status, a note's visibility
	OutletName string
	OutletSlug string
	Slug       string        // an entity's
	EntityKind EntityKind    // an entity's
	Claimant   string        // a claim's
	ArticleID  uint          // a note's article
	Motivation Motivation    // a note's
	Verdict    *VerdictBadge `gorm:"-"` // a claim's published fact-check rating
}

// SearchResults is one page of results.
type SearchResults struct {
	Query   searchquery.Query
	Results []SearchResult
	Page    int
	HasNext bool
	// Total counts the matches ranked (0 when the page is past the last).
	// When Capped, some kind had so many matches that only its newest were
	// ranked (see fts5Engine), and Total counts those.
	Total  int
	Capped bool
}

// searchViewer is who is searching, as the visibility rules need it.
type searchViewer struct {
	id       uint
	editor   bool // drafts, hidden notes, every claim and event
	staff    bool // fact-checkers and up: staff-only notes
	signedIn bool // an enabled account: its own private notes
}

func newSearchViewer(u *User) searchViewer {
	v := searchViewer{editor: u.Has(RoleEditor), staff: u.Has(RoleFactChecker), signedIn: u.Has(RoleReader)}
	if v.signedIn {
		v.id = u.ID
	}
	return v
}

// searchPlan is a checked search, independent of the database's syntax.
type searchPlan struct {
	query                     searchquery.Query
	kinds                     []SearchKind
	outletID, tagID, entityID uint
	ratingID                  uint       // claims whose published fact-check has this rating, and articles reporting them
	from, to                  *time.Time // to is exclusive
	viewer                    searchViewer
	limit, offset             int
}

// searchEngine runs plans on one kind of database: SQLite's FTS5
// (search_fts5.go) or PostgreSQL's tsvector (search_pg.go).
type searchEngine interface {
	search(ctx context.Context, db *gorm.DB, p *searchPlan) (*searchPage, error)
}

// searchPage is what an engine finds for one page.
type searchPage struct {
	results []SearchResult // up to plan.limit
	total   int            // matches the viewer may see, as ranked
	capped  bool           // a kind had more matches than its cap: only its newest were ranked
}

func (s *Store) searchEngine() searchEngine {
	caps := searchCaps{articleCap: searchArticleCap, otherCap: searchOtherCap}
	if s.dialect == Postgres {
		return pgEngine{caps}
	}
	return fts5Engine{caps}
}

// searchCaps bound the matches of each kind an engine ranks (see fts5Engine).
type searchCaps struct {
	articleCap int // articles ranked at most
	otherCap   int // claims, events, entities or notes ranked at most, each
}

// Caps of the engine the store uses.
const (
	searchArticleCap = 2000
	searchOtherCap   = 500
)

func (c searchCaps) capFor(k SearchKind) int {
	if k == SearchArticle {
		return c.articleCap
	}
	return c.otherCap
}

// Search finds what the viewer may see among articles, claims, events,
// entities and notes, best match first (newest first among equals).
// Anything typed is safe: a query that cannot be read as words, or a filter
// that names nothing, is an EInvalid error whose message says what to fix.
func (s *Store) Search(ctx context.Context, viewer *User, in SearchInput) (*SearchResults, error) {
	plan, err := s.resolveSearch(ctx, viewer, in)
	if err != nil {
		return nil, err
	}
	out := &SearchResults{Query: plan.query, Page: plan.offset/SearchPerPage + 1}
	if len(plan.kinds) == 0 { // the filters exclude every kind
		return out, nil
	}
	found, err := s.searchEngine().search(ctx, s.reader(ctx), plan)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", plan.query.String(), err)
	}
	out.Results, out.Total, out.Capped = found.results, found.total, found.capped
	if len(out.Results) > SearchPerPage {
		out.Results, out.HasNext = out.Results[:SearchPerPage], true
	}
	var claimIDs []uint
	for _, r := range out.Results {
		if r.Kind == SearchClaim {
			claimIDs = append(claimIDs, r.ID)
		}
	}
	badges, err := verdictBadges(s.reader(ctx), claimIDs)
	if err != nil {
		return nil, err
	}
	for i, r := range out.Results {
		if b, ok := badges[r.ID]; ok && r.Kind == SearchClaim {
			out.Results[i].Verdict = &b
		}
	}
	return out, nil
}

// resolveSearch checks the input and looks up what the filters name.
func (s *Store) resolveSearch(ctx context.Context, viewer *User, in SearchInput) (*searchPlan, error) {
	v := ValidationErrors{}
	plan := &searchPlan{viewer: newSearchViewer(viewer), limit: SearchPerPage + 1}
	q, err := searchquery.Parse(in.Query)
	if err != nil {
		v.Add("q", err.Error())
	}
	plan.query = q

	switch page := in.Page; {
	case page <= 1:
	case page > maxSearchPage:
		v.Add("page", fmt.Sprintf("Results stop at page %d; add words or filters to narrow the search.", maxSearchPage))
	default:
		plan.offset = (page - 1) * SearchPerPage
	}

	kind := SearchKind(strings.TrimSpace(in.Type))
	if kind != "" && !kind.valid() {
		v.Add("type", "Choose articles, claims, events, people and places, or notes.")
	}
	for _, k := range SearchKinds() {
		if kind == "" || k == kind {
			plan.kinds = append(plan.kinds, k)
		}
	}

	db := s.reader(ctx)
	if slug := cleanFilter(in.Outlet); slug != "" {
		var o Outlet
		if err := db.Where("slug = ?", Slugify(slug)).Take(&o).Error; err != nil {
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, fmt.Errorf("search outlet filter: %w", err)
			}
			v.Add("outlet", "There is no such outlet.")
		}
		plan.outletID = o.ID
		plan.kinds = keepKinds(plan.kinds, SearchArticle, SearchClaim, SearchEvent, SearchAnnotation)
	}
	if name := cleanFilter(in.Tag); name != "" {
		var t Tag
		if err := db.Where("slug = ?", Slugify(name)).Take(&t).Error; err != nil {
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, fmt.Errorf("search tag filter: %w", err)
			}
			v.Add("tag", fmt.Sprintf("No claim or event is tagged %q.", name))
		}
		plan.tagID = t.ID
		plan.kinds = keepKinds(plan.kinds, SearchArticle, SearchClaim, SearchEvent)
	}
	if name := cleanFilter(in.Entity); name != "" {
		var e Entity
		err := db.Where("slug = ? OR id IN (SELECT entity_id FROM entity_aliases WHERE alias_key = ?)", Slugify(name), aliasKey(name)).
			Order("id").Take(&e).Error
		if err != nil {
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, fmt.Errorf("search entity filter: %w", err)
			}
			v.Add("entity", fmt.Sprintf("There is no person, organisation or place called %q.", name))
		}
		plan.entityID = e.ID
		plan.kinds = keepKinds(plan.kinds, SearchArticle, SearchClaim, SearchEvent, SearchEntity)
	}
	if name := cleanFilter(in.Verdict); name != "" {
		// A published fact-check's current rating, by the label's id or name.
		scale, err := loadScale(db)
		if err != nil {
			return nil, err
		}
		for _, l := range scale.Labels {
			if strings.EqualFold(l.Name, name) || strconv.FormatUint(uint64(l.ID), 10) == name {
				plan.ratingID = l.ID
			}
		}
		if plan.ratingID == 0 {
			v.Add("verdict", fmt.Sprintf("There is no rating called %q on the scale.", name))
		}
		plan.kinds = keepKinds(plan.kinds, SearchArticle, SearchClaim)
	}

	from, err := parseSearchDate(in.From)
	if err != nil {
		v.Add("from", err.Error())
	}
	to, err := parseSearchDate(in.To)
	if err != nil {
		v.Add("to", err.Error())
	}
	if from != nil && to != nil && to.Before(*from) {
		v.Add("to", "The end of the date range is before its start.")
	}
	if to != nil {
		end := to.AddDate(0, 0, 1) // the whole last day
		to = &end
	}
	if from != nil || to != nil {
		plan.from, plan.to = from, to
		// Entities have no date of their own to filter on.
		plan.kinds = keepKinds(plan.kinds, SearchArticle, SearchClaim, SearchEvent, SearchAnnotation)
	}

	if len(v) > 0 {
		msg := "Please correct the highlighted search fields."
		if m, ok := v["q"]; ok {
			msg = m
		}
		return nil, &Error{Code: EInvalid, Message: msg, Fields: v}
	}
	return plan, nil
}

// cleanFilter trims a filter value, at most a name's length of valid text
// (and no NUL, which PostgreSQL's text cannot hold).
func cleanFilter(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", ""))
	if utf8.RuneCountInString(s) > maxEntityName {
		s = string([]rune(s)[:maxEntityName])
	}
	return s
}

func keepKinds(kinds []SearchKind, allowed ...SearchKind) []SearchKind {
	var out []SearchKind
	for _, k := range kinds {
		for _, a := range allowed {
			if k == a {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// parseSearchDate reads a date filter as a date input sends it.
func parseSearchDate(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil || t.Year() < 1800 || t.Year() > 2200 {
		return nil, fmt.Errorf("Enter a date as YYYY-MM-DD, e.g. 2025-03-14.")
	}
	return &t, nil
}

// snippetWords is how many words a snippet shows around the matches.
const snippetWords = 28

// sqlParts builds a statement and its arguments side by side, so every
// value is a bound parameter.
type sqlParts struct {
	b    strings.Builder
	args []any
}

func (p *sqlParts) add(sql string, args ...any) {
	p.b.WriteString(sql)
	p.args = append(p.args, args...)
}

const publicArticle = "NOT a.deleted AND a.status IN ('published', 'retracted')"

// kindCondition writes which rows of search_docs d of one kind the plan
// finds: the visibility rules for the viewer, then the filters. Both engines
// use it: its SQL is the same in SQLite and PostgreSQL (deleted and hidden
// are 0/1 in one, booleans in the other; NOT reads both).
func kindCondition(p *sqlParts, k SearchKind, plan *searchPlan) {
	v := plan.viewer
	// a is the article a claim, event or note depends on, as search_docs holds it.
	articleVisible := publicArticle
	if v.editor {
		articleVisible = "NOT a.deleted"
	}
	p.add("d.kind = '" + string(k) + "'")
	switch k {
	case SearchArticle:
		if v.editor {
			p.add(" AND NOT d.deleted")
		} else {
			p.add(" AND NOT d.deleted AND d.status IN ('published', 'retracted')")
		}
		if plan.outletID != 0 {
			p.add(" AND d.outlet_id = ?", plan.outletID)
		}
		if plan.tagID != 0 {
			p.add(` AND (EXISTS (SELECT 1 FROM mentions m JOIN claim_tags t ON t.claim_id = m.claim_id WHERE m.article_id = d.ref_id AND t.tag_id = ?)
				OR EXISTS (SELECT 1 FROM mentions m JOIN event_tags t ON t.event_id = m.event_id WHERE m.article_id = d.ref_id AND t.tag_id = ?))`,
				plan.tagID, plan.tagID)
		}
		if plan.entityID != 0 {
			p.add(` AND (EXISTS (SELECT 1 FROM mentions m JOIN claims c ON c.id = m.claim_id WHERE m.article_id = d.ref_id AND c.claimant_id = ?)
				OR EXISTS (SELECT 1 FROM mentions m JOIN events e ON e.id = m.event_id WHERE m.article_id = d.ref_id
					AND (e.place_id = ? OR EXISTS (SELECT 1 FROM event_participants ep WHERE ep.event_id = e.id AND ep.entity_id = ?))))`,
				plan.entityID, plan.entityID, plan.entityID)
		}
		if plan.ratingID != 0 {
			p.add(" AND EXISTS (SELECT 1 FROM mentions m JOIN verdicts v ON v.claim_id = m.claim_id AND "+publishedVerdict+
				" WHERE m.article_id = d.ref_id AND vv.rating_label_id = ?)", plan.ratingID)
		}
	case SearchClaim, SearchEvent:
		col := "claim_id"
		if k == SearchEvent {
			col = "event_id"
		}
		// Claims and events are public once a public article reports them;
		// an outlet filter asks for a report by that outlet.
		if !v.editor || plan.outletID != 0 {
			p.add(" AND EXISTS (SELECT 1 FROM mentions m JOIN search_docs a ON a.id = m.article_id WHERE m." + col + " = d.ref_id AND " + articleVisible)
			if plan.outletID != 0 {
				p.add(" AND a.outlet_id = ?", plan.outletID)
			}
			p.add(")")
		}
		if plan.tagID != 0 {
			if k == SearchClaim {
				p.add(" AND EXISTS (SELECT 1 FROM claim_tags t WHERE t.claim_id = d.ref_id AND t.tag_id = ?)", plan.tagID)
			} else {
				p.add(" AND EXISTS (SELECT 1 FROM event_tags t WHERE t.event_id = d.ref_id AND t.tag_id = ?)", plan.tagID)
			}
		}
		if plan.entityID != 0 {
			if k == SearchClaim {
				p.add(" AND EXISTS (SELECT 1 FROM claims c WHERE c.id = d.ref_id AND c.claimant_id = ?)", plan.entityID)
			} else {
				p.add(` AND EXISTS (SELECT 1 FROM events e WHERE e.id = d.ref_id AND (e.place_id = ?
					OR EXISTS (SELECT 1 FROM event_participants ep WHERE ep.event_id = e.id AND ep.entity_id = ?)))`, plan.entityID, plan.entityID)
			}
		}
		if plan.ratingID != 0 && k == SearchClaim {
			p.add(" AND EXISTS (SELECT 1 FROM verdicts v JOIN verdict_versions vv ON vv.verdict_id = v.id AND vv.number = v.published_number"+
				" WHERE v.claim_id = d.ref_id AND v.state = 'published' AND vv.rating_label_id = ?)", plan.ratingID)
		}
	case SearchEntity:
		if plan.entityID != 0 {
			p.add(" AND d.ref_id = ?", plan.entityID)
		}
	case SearchAnnotation:
		// The rules of Annotation.CanSee and ListAnnotations, on the copies in search_docs.
		p.add(" AND NOT d.deleted")
		switch {
		case v.editor:
			p.add(" AND (d.status IN ('public', 'staff') OR d.owner_id = ?)", v.id)
		case v.staff:
			p.add(" AND (d.status IN ('public', 'staff') OR d.owner_id = ?) AND NOT d.hidden", v.id)
		case v.signedIn:
			p.add(" AND (d.status = 'public' OR (d.status = 'private' AND d.owner_id = ?)) AND NOT d.hidden", v.id)
		default:
			p.add(" AND d.status = 'public' AND NOT d.hidden")
		}
		p.add(" AND EXISTS (SELECT 1 FROM search_docs a WHERE a.id = d.article_id AND " + articleVisible)
		if plan.outletID != 0 {
			p.add(" AND a.outlet_id = ?", plan.outletID)
		}
		p.add(")")
	}
	if plan.from != nil {
		p.add(" AND d.sort_at >= ?", *plan.from)
	}
	if plan.to != nil {
		p.add(" AND d.sort_at < ?", *plan.to)
	}
}

// searchRow is a result row of an engine's page statement.
type searchRow struct {
	Total        int
	Capped       bool
	ID           int64
	Kind         string
	RefID        uint
	SortAt       string
	DateText     string
	Status       string
	ArticleID    uint
	TitleMark    string
	Snippet      string
	OutletName   string
	OutletSlug   string
	ArticleTitle string
	EntitySlug   string
	EntityKind   string
	Claimant     string
	Stance       string
	EventStatus  string
	Motivation   string
	// The text PostgreSQL's engine cuts the marks from (FTS5 marks its own).
	TitleText, BodyText string
}

// markdownMarks are the emphasis marks of Markdown, dropped from notes' snippets.
var markdownMarks = strings.NewReplacer("**", "", "__", "", "`", "")

// searchRowResults turns rows into results, each with the details of its kind.
func searchRowResults(rows []searchRow) []SearchResult {
	out := make([]SearchResult, 0, len(rows))
	for _, r := range rows {
		res := SearchResult{Kind: SearchKind(r.Kind), ID: r.RefID, Title: r.TitleMark, Snippet: r.Snippet,
			DateText: r.DateText, Status: r.Status}
		if t := parseStoredTime(r.SortAt); !t.IsZero() {
			res.Date = &t
		}
		switch res.Kind {
		case SearchArticle:
			res.OutletName, res.OutletSlug = r.OutletName, r.OutletSlug
		case SearchClaim:
			res.Claimant, res.Status = r.Claimant, r.Stance
		case SearchEvent:
			res.Status = r.EventStatus
		case SearchEntity:
			res.Slug, res.EntityKind = r.EntitySlug, EntityKind(r.EntityKind)
			res.Date = nil // when it was added is not news
		case SearchAnnotation:
			res.ArticleID, res.Motivation = r.ArticleID, Motivation(r.Motivation)
			res.Title = r.ArticleTitle
			// Notes are indexed as their Markdown: drop the emphasis marks.
			res.Snippet = markdownMarks.Replace(res.Snippet)
		}
		out = append(out, res)
	}
	return out
}

// publishedVerdict follows "JOIN verdicts v ON v.claim_id = …": v is
// published, and vv its current version. (Every join has its ON clause:
// PostgreSQL, unlike SQLite, wants one.)
const publishedVerdict = `v.state = 'published' JOIN verdict_versions vv ON vv.verdict_id = v.id AND vv.number = v.published_number`

// rebuildSearchDocs pauses the search triggers (until the caller's
// transaction commits) and fills search_docs again with the statements of
// the store's engine, reporting progress.
func rebuildSearchDocs(tx *gorm.DB, docsSQL []string, progress func(SearchReindexProgress)) error {
	if err := tx.Exec("UPDATE search_state SET paused = TRUE").Error; err != nil {
		return fmt.Errorf("pause search triggers: %w", err)
	}
	progress(SearchReindexProgress{Stage: "documents", Total: len(docsSQL)})
	if err := tx.Exec("DELETE FROM search_docs").Error; err != nil {
		return fmt.Errorf("clear search documents: %w", err)
	}
	for i, q := range docsSQL {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("rebuild search documents: %w", err)
		}
		progress(SearchReindexProgress{Stage: "documents", Done: i + 1, Total: len(docsSQL)})
	}
	return nil
}

// indexSearchRows runs stmt, which indexes the rows whose ids lie between its
// two arguments, over ids (sorted) a batch at a time, reporting progress;
// then it resumes the search triggers rebuildSearchDocs paused.
func indexSearchRows(ctx context.Context, tx *gorm.DB, ids []int64, stmt string, progress func(SearchReindexProgress)) error {
	progress(SearchReindexProgress{Stage: "index", Total: len(ids)})
	for start := 0; start < len(ids); start += reindexBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+reindexBatch, len(ids))
		if err := tx.Exec(stmt, ids[start], ids[end-1]).Error; err != nil {
			return fmt.Errorf("index rows %d to %d: %w", ids[start], ids[end-1], err)
		}
		progress(SearchReindexProgress{Stage: "index", Done: end, Total: len(ids)})
	}
	if err := tx.Exec("UPDATE search_state SET paused = FALSE").Error; err != nil {
		return fmt.Errorf("resume search triggers: %w", err)
	}
	return nil
}
