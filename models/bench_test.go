package models

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"newsgloss/richtext"
)

// seedArticles stores n articles (a tenth of them drafts) across five outlets,
// each with its first revision, in one transaction: creating them one by one
// through CreateArticle would dominate the benchmark's set-up time.
func seedArticles(b *testing.B, s *Store, n int) []uint {
	b.Helper()
	var body strings.Builder
	for p := range 8 {
		fmt.Fprintf(&body, "Paragraph %d of a long enough story about talks, ships and fishing rights, with a quote and some figures: 14 fishermen, 11 days, 6 years.\n\n", p)
	}
	source := body.String()
	html, err := s.renderer.Render(richtext.FormatMarkdown, source)
	if err != nil {
		b.Fatal(err)
	}
	text := richtext.PlainText(html)
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var ids []uint
	err = s.inTx(b.Context(), func(tx *gorm.DB) error {
		var outlets []*Outlet
		for i := range 5 {
			o, err := findOrCreateOutlet(tx, fmt.Sprintf("Bench Outlet %d", i), "", base)
			if err != nil {
				return err
			}
			outlets = append(outlets, o)
		}
		articles := make([]Article, n)
		for i := range articles {
			published := base.Add(time.Duration(i) * 37 * time.Minute)
			a := Article{
				OutletID: outlets[i%len(outlets)].ID, Title: fmt.Sprintf("Benchmark story %d", i), Byline: "By Bench Writer",
				SourceURL: fmt.Sprintf("https://bench.example/%d", i), PublishedAt: &published, Status: StatusPublished,
				BodyFormat: richtext.FormatMarkdown, BodySource: source, BodyHTML: html, BodyText: text,
				Version: 1, CreatedAt: published, UpdatedAt: published,
			}
			if i%10 == 9 {
				a.Status, a.PublishedAt = StatusDraft, nil
			}
			articles[i] = a
		}
		if err := tx.Omit("Outlet").CreateInBatches(articles, 200).Error; err != nil {
			return err
		}
		revs := make([]ArticleRevision, n)
		for i, a := range articles {
			ids = append(ids, a.ID)
			revs[i] = ArticleRevision{
				ArticleID: a.ID, Number: 1, OutletID: a.OutletID, Title: a.Title, Byline: a.Byline, SourceURL: a.SourceURL,
				PublishedAt: a.PublishedAt, Status: a.Status, BodyFormat: a.BodyFormat, BodySource: a.BodySource,
				BodyHTML: a.BodyHTML, BodyText: a.BodyText, Summary: "First version", CreatedAt: a.CreatedAt,
			}
		}
		return tx.Omit("Outlet", "Author").CreateInBatches(revs, 200).Error
	})
	if err != nil {
		b.Fatalf("seed %d articles: %v", n, err)
	}
	return ids
}

// BenchmarkListArticles measures the home page's query: the newest page of
// public articles out of 2,000.
func BenchmarkListArticles(b *testing.B) {
	s, _ := newTestStore(b)
	seedArticles(b, s, 2000)
	ctx := b.Context()
	rows, _, err := s.ListArticles(ctx, ArticleFilter{}, NewPage(1, 20))
	if err != nil || len(rows) != 20 || rows[0].Title != "Benchmark story 1998" {
		b.Fatalf("ListArticles = %d rows (first %+v), %v; want 20 starting with the newest published story", len(rows), rows, err)
	}
	for b.Loop() {
		if _, _, err := s.ListArticles(ctx, ArticleFilter{}, NewPage(1, 20)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkArticleByID measures loading one public article with its outlet.
func BenchmarkArticleByID(b *testing.B) {
	s, _ := newTestStore(b)
	ids := seedArticles(b, s, 2000)
	ctx := b.Context()
	id := ids[1000]
	a, err := s.ArticleByID(ctx, id, false)
	if err != nil || a.Outlet.Name == "" || a.BodyHTML == "" {
		b.Fatalf("ArticleByID(%d) = %+v, %v; want the article with its outlet", id, a, err)
	}
	for b.Loop() {
		if _, err := s.ArticleByID(ctx, id, false); err != nil {
			b.Fatal(err)
		}
	}
}
