package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"newsgloss/searchquery"
)

// pgEngine searches PostgreSQL's search_docs (migration postgres/0007_search.sql):
// a tsvector per document, a GIN index per kind, the query a tsquery that
// searchquery writes (Query.TSQuery) and search_query() folds as documents are.
//
// It keeps FTS5's rules: each kind ranks at most its cap of the matches the
// viewer may see, newest first (ranking reads each match's whole vector, so a
// word found in most articles would otherwise cost a pass over all of them),
// ranking weighs the title over names over body, and ties go to the newest.
// Highlights and snippets are cut in Go from the page's rows only
// (searchquery's Highlight and Snippet, which follow FTS5's), because
// ts_headline compares words as written and would not mark "Zürich" for
// "zurich", though the index finds it.
type pgEngine struct{ searchCaps }

// pgRank scores a document: ts_rank with the weights of its title (A), names
// (B) and body (C) in the ratio FTS5's bm25 uses (8, 4, 1), its length
// dampening the score (normalisation 1), as bm25's does.
const pgRank = "ts_rank('{0.1, 0.125, 0.5, 1}', h.tsv, search_query(?), 1)"

func (e pgEngine) search(ctx context.Context, db *gorm.DB, plan *searchPlan) (*searchPage, error) {
	tsq := plan.query.TSQuery()
	if tsq == "" {
		return &searchPage{}, nil
	}
	var rows []searchRow
	sql, args := e.pageStatement(plan, tsq)
	if err := db.WithContext(ctx).Raw(sql, args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return &searchPage{}, nil
	}
	for i, r := range rows {
		rows[i].TitleMark = plan.query.Highlight(r.TitleText)
		rows[i].Snippet = plan.query.Snippet(r.BodyText, snippetWords)
	}
	return &searchPage{results: searchRowResults(rows), total: rows[0].Total, capped: rows[0].Capped}, nil
}

// pageStatement writes the query for one page of results, best first, with
// what each result shows besides its marks, and the text they are cut from.
// Each kind is one arm: its GIN index finds the matches, search_docs' columns
// check each against the visibility rules and filters, and the newest up to
// the kind's cap are kept; only those are ranked.
func (e pgEngine) pageStatement(plan *searchPlan, tsq string) (string, []any) {
	var p sqlParts
	p.add("WITH hits AS MATERIALIZED (\n\tSELECT h.id, h.kind, h.ref_id, h.sort_at, h.date_text, h.status, h.article_id, h.outlet_id, "+pgRank+" AS score\n\tFROM (", tsq)
	var capped []string
	words := pgWordsQuery(plan.query)
	for i, k := range plan.kinds {
		if i > 0 {
			p.add("\n\t\tUNION ALL")
		}
		// The kind's matches the viewer may see, newest first (the highest
		// ref_id; ordering by it, which no index has, keeps the planner from
		// walking the primary key instead, testing every row's vector, a
		// plan it underrates). A query whose words the parser drops entirely
		// ("\uE000") reads as an empty tsquery, and one left with only its
		// exclusions as "not x"; querytree() tells both (neither can use the
		// index), and they find nothing, as FTS5 does.
		cols := "d.id, d.kind, d.ref_id, d.sort_at, d.date_text, d.status, d.article_id, d.outlet_id, d.tsv"
		if words == "" {
			p.add(`
		(SELECT `+cols+` FROM search_docs d
		WHERE d.tsv @@ search_query(?) AND querytree(search_query(?)) NOT IN ('', 'T') AND `, tsq, tsq)
			kindCondition(&p, k, plan)
			p.add(" ORDER BY d.ref_id DESC LIMIT ?)", e.capFor(k))
		} else {
			// A phrase needs each candidate's positions, which only its
			// vector has: the index finds the documents holding all the
			// words (exactly, without reading a vector), and the phrase is
			// checked on them newest first, only until the cap is reached.
			p.add(`
		(SELECT c.* FROM (SELECT `+cols+` FROM search_docs d
			WHERE d.tsv @@ search_query(?) AND querytree(search_query(?)) NOT IN ('', 'T') AND `, words, tsq)
			kindCondition(&p, k, plan)
			p.add(` ORDER BY d.ref_id DESC OFFSET 0) c
		WHERE c.tsv @@ search_query(?) ORDER BY c.ref_id DESC LIMIT ?)`, tsq, e.capFor(k))
		}
		capped = append(capped, fmt.Sprintf("count(*) FILTER (WHERE kind = '%s') >= %d", k, e.capFor(k)))
	}
	p.add(`
	) h
),
page AS MATERIALIZED (
	SELECT * FROM hits ORDER BY score DESC, sort_at DESC NULLS LAST, id DESC LIMIT ? OFFSET ?
),
counts AS (SELECT count(*) AS total, (`+strings.Join(capped, " OR ")+`) AS capped FROM hits)
SELECT counts.total, counts.capped,
	page.id, page.kind, page.ref_id, COALESCE(page.sort_at::text, '') AS sort_at, page.date_text, page.status,
	COALESCE(page.article_id, 0) AS article_id,
	COALESCE(o.name, '') AS outlet_name, COALESCE(o.slug, '') AS outlet_slug,
	COALESCE(na.title, '') AS article_title,
	COALESCE(en.slug, '') AS entity_slug, COALESCE(en.kind, '') AS entity_kind,
	COALESCE(ce.name, '') AS claimant, COALESCE(c.stance, '') AS stance,
	COALESCE(ev.status, '') AS event_status, COALESCE(n.motivation, '') AS motivation,
	COALESCE(art.title, sd.title, '') AS title_text, COALESCE(art.body_text, sd.body, '') AS body_text
FROM page
CROSS JOIN counts
LEFT JOIN articles art ON page.kind = 'article' AND art.id = page.ref_id
LEFT JOIN search_docs sd ON page.kind <> 'article' AND sd.id = page.id
LEFT JOIN outlets o ON o.id = page.outlet_id
LEFT JOIN articles na ON page.kind = 'annotation' AND na.id = page.article_id
LEFT JOIN entities en ON page.kind = 'entity' AND en.id = page.ref_id
LEFT JOIN claims c ON page.kind = 'claim' AND c.id = page.ref_id
LEFT JOIN entities ce ON ce.id = c.claimant_id
LEFT JOIN events ev ON page.kind = 'event' AND ev.id = page.ref_id
LEFT JOIN annotations n ON page.kind = 'annotation' AND n.id = page.ref_id
ORDER BY page.score DESC, page.sort_at DESC NULLS LAST, page.id DESC`, plan.limit, plan.offset)
	return p.b.String(), p.args
}

// pgWordsQuery is, for a query with phrases, the tsquery of all its included
// words, each on its own (a prefix where its term ends in one): what a
// document must hold for the query to match, which the index answers
// exactly. It is "" for a query without phrases, which the index answers
// exactly as it is.
func pgWordsQuery(q searchquery.Query) string {
	phrases := false
	var words searchquery.Query
	for _, t := range q.Include {
		phrases = phrases || t.Phrase()
		for i, w := range t.Words {
			words.Include = append(words.Include, searchquery.Term{Words: []string{w}, Prefix: t.Prefix && i == len(t.Words)-1})
		}
	}
	for _, t := range q.Exclude {
		phrases = phrases || t.Phrase()
	}
	if !phrases {
		return ""
	}
	return words.TSQuery()
}

// pgSearchDocsSQL recomputes search_docs from the tables it copies, as the
// migration's triggers keep it, leaving the vectors for the index stage (the
// triggers are paused meanwhile). A test checks that the two agree.
var pgSearchDocsSQL = []string{
	`INSERT INTO search_docs (id, kind, ref_id, sort_at, status, deleted, outlet_id)
	SELECT id, 'article', id, COALESCE(published_at, created_at), status, deleted_at IS NOT NULL, outlet_id FROM articles`,
	`INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
	SELECT -4294967296 - c.id, 'claim', c.id, c.restatement, search_claim_quotes(c.id), COALESCE(c.said_sort, c.created_at), c.said_on
	FROM claims c`,
	`INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
	SELECT -8589934592 - e.id, 'event', e.id, e.title, search_event_quotes(e.id), e.starts_sort, e.starts_on
	FROM events e`,
	`INSERT INTO search_docs (id, kind, ref_id, title, names, body, sort_at)
	SELECT -12884901888 - e.id, 'entity', e.id, e.name, search_entity_aliases(e.id), e.description, e.created_at
	FROM entities e`,
	`INSERT INTO search_docs (id, kind, ref_id, names, body, sort_at, status, deleted, hidden, owner_id, article_id)
	SELECT -17179869184 - n.id, 'annotation', n.id, n.tags, n.body_source, n.created_at,
		n.visibility, n.deleted_at IS NOT NULL, n.moderation = 'hidden', n.author_id, n.article_id
	FROM annotations n`,
}

// pgVectorSQL is the vector every document should have, by id.
const pgVectorSQL = `CASE WHEN d.id > 0 THEN (SELECT search_vector(a.title, a.byline, a.body_text) FROM articles a WHERE a.id = d.id)
	ELSE search_vector(d.title, d.names, d.body) END`

// rebuildPGSearchIndex is RebuildSearchIndex on PostgreSQL: the documents
// first, then their vectors in batches, then fresh statistics for the planner.
func (s *Store) rebuildPGSearchIndex(ctx context.Context, progress func(SearchReindexProgress)) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		// Paused, the triggers leave the vectors alone while they are rebuilt.
		if err := rebuildSearchDocs(tx, pgSearchDocsSQL, progress); err != nil {
			return err
		}

		var ids []int64
		if err := tx.Raw("SELECT id FROM search_docs ORDER BY id").Scan(&ids).Error; err != nil {
			return fmt.Errorf("list rows to index: %w", err)
		}
		if err := indexSearchRows(ctx, tx, ids, "UPDATE search_docs d SET tsv = "+pgVectorSQL+" WHERE d.id BETWEEN ? AND ?", progress); err != nil {
			return err
		}
		// Every row was rewritten: the planner needs to know the new table,
		// and the indexes' pending entries are merged in now rather than by
		// the first searches.
		progress(SearchReindexProgress{Stage: "optimise"})
		if err := optimisePGSearchIndex(tx); err != nil {
			return err
		}
		progress(SearchReindexProgress{Stage: "optimise", Done: 1, Total: 1})
		return nil
	})
}

// optimisePGSearchIndex merges the GIN indexes' pending lists (where fast
// updates wait) into their trees and refreshes the table's statistics.
func optimisePGSearchIndex(db *gorm.DB) error {
	for _, k := range SearchKinds() {
		if err := db.Exec("SELECT gin_clean_pending_list(?::regclass)", "search_docs_"+string(k)).Error; err != nil {
			return fmt.Errorf("merge the search index of %ss: %w", k, err)
		}
	}
	if err := db.Exec("ANALYZE search_docs").Error; err != nil {
		return fmt.Errorf("analyse the search documents: %w", err)
	}
	return nil
}

// checkPGSearchIndex is CheckSearchIndex on PostgreSQL.
func (s *Store) checkPGSearchIndex(ctx context.Context) error {
	return checkPGSearchVectors(s.reader(ctx))
}

// checkPGSearchVectors checks that every article has its search document,
// and that every document's vector is the one its text gives now.
func checkPGSearchVectors(db *gorm.DB) error {
	var n struct{ Missing, Stale int64 }
	err := db.Raw(`SELECT
		(SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.id = a.id)) AS missing,
		(SELECT count(*) FROM search_docs d WHERE d.tsv IS DISTINCT FROM ` + pgVectorSQL + `) AS stale`).Scan(&n).Error
	if err != nil {
		return fmt.Errorf("search index check: %w", err)
	}
	if n.Missing > 0 || n.Stale > 0 {
		return fmt.Errorf("search index check: %d articles have no search document and %d documents' vectors differ from their text", n.Missing, n.Stale)
	}
	return nil
}
