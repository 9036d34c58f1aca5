package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ArticleSummary is the slice of an article a listing shows; loading it reads
// no body HTML and runs one query for the whole page.
type ArticleSummary struct {
	ID          uint
	Title       string
	Byline      string
	PublishedAt *time.Time
	UpdatedAt   time.Time
	Status      ArticleStatus
	Version     int
	OutletName  string
	OutletSlug  string
	Excerpt     string
}

// Page is a window on a listing: which page and whether more follow.
type Page struct {
	Number  int
	Size    int
	HasNext bool
}

// HasPrev reports whether a page comes before this one.
func (p Page) HasPrev() bool { return p.Number > 1 }

// NewPage clamps a requested page number.
func NewPage(number, size int) Page {
	if number < 1 {
		number = 1
	}
	if number > 10_000 {
		number = 10_000
	}
	return Page{Number: number, Size: size}
}

// ArticleFilter narrows a listing.
type ArticleFilter struct {
	OutletID      uint // 0 = any outlet
	IncludeDrafts bool // staff listings show drafts too
	Deleted       bool // the admin's list of deleted articles
}

const excerptRunes = 260

// ListArticles returns one page of articles, newest publication first (drafts,
// which have no date, first of all in staff listings).
func (s *Store) ListArticles(ctx context.Context, f ArticleFilter, page Page) ([]ArticleSummary, Page, error) {
	var rows []ArticleSummary
	if err := listingQuery(s.reader(ctx), f, page).Scan(&rows).Error; err != nil {
		return nil, page, fmt.Errorf("list articles: %w", err)
	}
	if len(rows) > page.Size {
		page.HasNext = true
		rows = rows[:page.Size]
	}
	for i := range rows {
		rows[i].Excerpt = trimExcerpt(rows[i].Excerpt)
	}
	return rows, page, nil
}

// listingQuery is ListArticles' query: one page and one row more, to tell
// whether another page follows.
func listingQuery(db *gorm.DB, f ArticleFilter, page Page) *gorm.DB {
	q := db.Table("articles").
		Select("articles.id, articles.title, articles.byline, articles.published_at, articles.updated_at, " +
			"articles.status, articles.version, outlets.name AS outlet_name, outlets.slug AS outlet_slug, " +
			fmt.Sprintf("substr(articles.body_text, 1, %d) AS excerpt", excerptRunes)).
		Joins("JOIN outlets ON outlets.id = articles.outlet_id")
	if f.Deleted {
		q = q.Where("articles.deleted_at IS NOT NULL").Order("articles.deleted_at DESC")
	} else {
		q = q.Where("articles.deleted_at IS NULL")
	}
	if !f.IncludeDrafts && !f.Deleted {
		// Written out, not bound, so SQLite can match the partial indexes
		// articles_public_listing, whose condition is this same text.
		q = q.Where("articles.status IN ('published', 'retracted')")
	}
	if f.OutletID != 0 {
		q = q.Where("articles.outlet_id = ?", f.OutletID)
	}
	if f.IncludeDrafts {
		q = q.Order("articles.published_at IS NOT NULL") // undated drafts first
	}
	return q.Order("articles.published_at DESC, articles.id DESC").
		Limit(page.Size + 1).Offset((page.Number - 1) * page.Size)
}

// trimExcerpt keeps the first paragraph and cuts at a word boundary.
func trimExcerpt(s string) string {
	for i, r := range s {
		if r == '\n' {
			s = s[:i]
			break
		}
	}
	r := []rune(s)
	if len(r) < excerptRunes-20 {
		return s
	}
	cut := len(r) - 1
	for cut > 0 && r[cut] != ' ' {
		cut--
	}
	if cut < excerptRunes/2 {
		cut = len(r)
	}
	return string(r[:cut]) + "…"
}
