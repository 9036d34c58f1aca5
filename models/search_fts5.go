package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"newsgloss/searchquery"
)

// fts5Engine searches SQLite's FTS5 index (migration 0007_search.sql).
//
// Every match a search ranks costs a few microseconds (its positions, bm25's
// statistics, its search_docs row), so a word found in a fifth of 100,000
// articles would cost 50–100 ms, one in all of them several hundred. Each
// kind therefore ranks at most its cap of the matches the viewer may see,
// newest added first: a search with fewer matches is ranked whole, a
// broader one among its newest matches, and the results page says so.
type fts5Engine struct{ searchCaps }

// bm25 weights of the index's columns: title, names (bylines, aliases, tags), body.
const fts5Rank = "bm25(search_index, 8.0, 4.0, 1.0)"

// kindRange is the rowid range of a kind's rows in search_index, and whether
// its newest rows are at the top of the range (articles) or the bottom (the
// other kinds, whose rowids are -(n·2^32 + id)).
func kindRange(k SearchKind) (lo, hi int64, newestHigh bool) {
	if k == SearchArticle {
		return 1, 1<<62 - 1, true
	}
	base := searchRowidBase(k)
	return -(base + 1<<32 - 1), -base, false
}

// search runs a plan: one statement ranks and picks the page, a second one
// marks the page's matching words.
func (e fts5Engine) search(ctx context.Context, db *gorm.DB, plan *searchPlan) (*searchPage, error) {
	db = db.WithContext(ctx)
	var rows []searchRow
	sql, args := e.pageStatement(plan)
	if err := db.Raw(sql, args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return &searchPage{}, nil
	}
	// Highlights and snippets read and tokenise the text, so they are made
	// for the page's rows only. (Should a row change in between, it shows
	// the new text, or no snippet.)
	ids := make([]int64, len(rows))
	byID := make(map[int64]int, len(rows))
	for i, r := range rows {
		ids[i], byID[r.ID] = r.ID, i
	}
	var marks []struct {
		ID                 int64
		TitleMark, Snippet string
	}
	err := db.Raw(`SELECT rowid AS id, highlight(search_index, 0, ?, ?) AS title_mark, snippet(search_index, 2, ?, ?, '…', ?) AS snippet
		FROM search_index WHERE search_index MATCH ? AND rowid IN ?`,
		searchquery.MarkStart, searchquery.MarkEnd, searchquery.MarkStart, searchquery.MarkEnd, snippetWords,
		plan.query.FTS5(), ids).Scan(&marks).Error
	if err != nil {
		return nil, err
	}
	for _, m := range marks {
		rows[byID[m.ID]].TitleMark, rows[byID[m.ID]].Snippet = m.TitleMark, m.Snippet
	}
	return &searchPage{results: searchRowResults(rows), total: rows[0].Total, capped: rows[0].Capped}, nil
}

// pageStatement writes the query for one page of results, best first, with
// what each result shows besides its text. Each kind is one arm: the index
// scanned over the kind's rowid range, newest first, each match checked
// against search_docs (visibility, filters) before it is ranked, up to the
// kind's cap. bm25 is computed only for the matches kept.
func (e fts5Engine) pageStatement(plan *searchPlan) (string, []any) {
	var p sqlParts
	match := plan.query.FTS5()
	p.add("WITH hits AS MATERIALIZED (")
	var capped []string
	for i, k := range plan.kinds {
		if i > 0 {
			p.add("\n\tUNION ALL\n")
		}
		lo, hi, newestHigh := kindRange(k)
		order := "ASC"
		if newestHigh {
			order = "DESC"
		}
		// CROSS JOIN keeps SQLite from starting anywhere but the index,
		// which also hands the rows over in rowid order, so the cap stops
		// the scan early.
		p.add(`
	SELECT * FROM (SELECT d.id, d.kind, d.ref_id, d.sort_at, d.date_text, d.status, d.article_id, d.outlet_id, `+fts5Rank+` AS score
		FROM search_index CROSS JOIN search_docs d ON d.id = search_index.rowid
		WHERE search_index MATCH ? AND search_index.rowid BETWEEN ? AND ? AND `, match, lo, hi)
		kindCondition(&p, k, plan)
		p.add(" ORDER BY search_index.rowid "+order+" LIMIT ?)", e.capFor(k))
		capped = append(capped, fmt.Sprintf("sum(kind = '%s') >= %d", k, e.capFor(k)))
	}
	p.add(`
),
page AS MATERIALIZED (
	SELECT * FROM hits ORDER BY score, sort_at DESC, id DESC LIMIT ? OFFSET ?
),
counts AS (SELECT count(*) AS total, (`+strings.Join(capped, " OR ")+`) AS capped FROM hits)
SELECT counts.total, counts.capped,
	page.id, page.kind, page.ref_id, COALESCE(page.sort_at, '') AS sort_at, page.date_text, page.status,
	COALESCE(page.article_id, 0) AS article_id,
	COALESCE(o.name, '') AS outlet_name, COALESCE(o.slug, '') AS outlet_slug,
	COALESCE(na.title, '') AS article_title,
	COALESCE(en.slug, '') AS entity_slug, COALESCE(en.kind, '') AS entity_kind,
	COALESCE(ce.name, '') AS claimant, COALESCE(c.stance, '') AS stance,
	COALESCE(ev.status, '') AS event_status, COALESCE(n.motivation, '') AS motivation
FROM page
CROSS JOIN counts
LEFT JOIN outlets o ON o.id = page.outlet_id
LEFT JOIN articles na ON page.kind = 'annotation' AND na.id = page.article_id
LEFT JOIN entities en ON page.kind = 'entity' AND en.id = page.ref_id
LEFT JOIN claims c ON page.kind = 'claim' AND c.id = page.ref_id
LEFT JOIN entities ce ON ce.id = c.claimant_id
LEFT JOIN events ev ON page.kind = 'event' AND ev.id = page.ref_id
LEFT JOIN annotations n ON page.kind = 'annotation' AND n.id = page.ref_id
ORDER BY page.score, page.sort_at DESC, page.id DESC`, plan.limit, plan.offset)
	return p.b.String(), p.args
}

// SearchReindexProgress reports how far a rebuild of the search index is.
type SearchReindexProgress struct {
	Stage       string // "documents", "index", "optimise"
	Done, Total int
}

// searchDocsSQL recomputes search_docs from the tables it copies, as the
// migration's triggers keep it. A test checks that the two agree.
var searchDocsSQL = []string{
	`INSERT INTO search_docs (id, kind, ref_id, sort_at, status, deleted, outlet_id)
	SELECT id, 'article', id, COALESCE(published_at, created_at), status, deleted_at IS NOT NULL, outlet_id FROM articles`,
	`INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
	SELECT -4294967296 - c.id, 'claim', c.id, c.restatement,
		COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.claim_id = c.id), ''),
		COALESCE(c.said_sort, c.created_at), c.said_on
	FROM claims c`,
	`INSERT INTO search_docs (id, kind, ref_id, title, body, sort_at, date_text)
	SELECT -8589934592 - e.id, 'event', e.id, e.title,
		COALESCE((SELECT group_concat(p.quote_exact, ' … ') FROM search_public_mentions p WHERE p.event_id = e.id), ''),
		e.starts_sort, e.starts_on
	FROM events e`,
	`INSERT INTO search_docs (id, kind, ref_id, title, names, body, sort_at)
	SELECT -12884901888 - e.id, 'entity', e.id, e.name,
		COALESCE((SELECT group_concat(a.alias, ' · ') FROM entity_aliases a WHERE a.entity_id = e.id), ''),
		e.description, e.created_at
	FROM entities e`,
	`INSERT INTO search_docs (id, kind, ref_id, names, body, sort_at, status, deleted, hidden, owner_id, article_id)
	SELECT -17179869184 - n.id, 'annotation', n.id, n.tags, n.body_source, n.created_at,
		n.visibility, n.deleted_at IS NOT NULL, n.moderation = 'hidden', n.author_id, n.article_id
	FROM annotations n`,
}

// reindexBatch is how many rows go into the index per step of a rebuild.
const reindexBatch = 1000

// RebuildSearchIndex recomputes the search documents and rebuilds the
// full-text index (on PostgreSQL, the documents' vectors) from scratch,
// reporting progress as it goes. It runs in
// one transaction, so searches keep seeing the old index until it commits;
// other writes wait for it (run it when the site is quiet).
func (s *Store) RebuildSearchIndex(ctx context.Context, progress func(SearchReindexProgress)) error {
	if progress == nil {
		progress = func(SearchReindexProgress) {}
	}
	if s.dialect == Postgres {
		return s.rebuildPGSearchIndex(ctx, progress)
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		// Paused, the triggers leave the index alone while it is rebuilt.
		if err := rebuildSearchDocs(tx, searchDocsSQL, progress); err != nil {
			return err
		}

		var ids []int64
		if err := tx.Raw("SELECT id FROM articles UNION ALL SELECT id FROM search_docs WHERE id < 0 ORDER BY 1").Scan(&ids).Error; err != nil {
			return fmt.Errorf("list rows to index: %w", err)
		}
		if err := tx.Exec("INSERT INTO search_index (search_index) VALUES ('delete-all')").Error; err != nil {
			return fmt.Errorf("empty the search index: %w", err)
		}
		err := indexSearchRows(ctx, tx, ids, `INSERT INTO search_index (rowid, title, names, body)
			SELECT rid, title, names, body FROM search_content WHERE rid BETWEEN ? AND ?`, progress)
		if err != nil {
			return err
		}
		// Merging the index's segments into one makes queries faster.
		progress(SearchReindexProgress{Stage: "optimise"})
		if err := tx.Exec("INSERT INTO search_index (search_index) VALUES ('optimize')").Error; err != nil {
			return fmt.Errorf("optimise the search index: %w", err)
		}
		progress(SearchReindexProgress{Stage: "optimise", Done: 1, Total: 1})
		return nil
	})
}

// CheckSearchIndex verifies that the full-text index matches the text it
// indexes (FTS5's integrity check against its content; on PostgreSQL, each
// vector against its text), for operators and tests.
func (s *Store) CheckSearchIndex(ctx context.Context) error {
	if s.dialect == Postgres {
		return s.checkPGSearchIndex(ctx)
	}
	err := s.write.WithContext(ctx).Exec("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)").Error
	if err != nil {
		return fmt.Errorf("search index check: %w", err)
	}
	return nil
}
