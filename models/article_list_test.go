package models

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestListArticlesPaginationNewestFirst(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)

	// 25 articles published an hour apart, created in shuffled order so that
	// id order and publication order disagree.
	const total = 25
	order := rand.New(rand.NewPCG(1, 2)).Perm(total)
	titleAt := map[int]string{}
	for _, hour := range order {
		in := validArticle()
		in.Title = fmt.Sprintf("Story %02d", hour)
		in.PublishedAt = base.Add(time.Duration(hour) * time.Hour).Format("2006-01-02T15:04")
		in.Body = fmt.Sprintf("Paragraph one of story %d.\n\nParagraph two.", hour)
		mustCreateArticle(t, s, nil, in)
		titleAt[hour] = in.Title
	}

	var all []ArticleSummary
	for number, want := range []struct {
		n       int
		hasNext bool
	}{{10, true}, {10, true}, {5, false}} {
		rows, page, err := s.ListArticles(ctx, ArticleFilter{}, NewPage(number+1, 10))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != want.n || page.HasNext != want.hasNext || page.Number != number+1 || page.HasPrev() != (number > 0) {
			t.Errorf("page %d: %d rows, HasNext %v, HasPrev %v; want %d rows, HasNext %v", number+1, len(rows), page.HasNext, page.HasPrev(), want.n, want.hasNext)
		}
		all = append(all, rows...)
	}
	if len(all) != total {
		t.Fatalf("pages hold %d articles in all, want %d", len(all), total)
	}
	for i, r := range all {
		hour := total - 1 - i
		if r.Title != titleAt[hour] {
			t.Errorf("position %d: %q, want %q (newest publication first)", i, r.Title, titleAt[hour])
		}
		if r.PublishedAt == nil || !r.PublishedAt.Equal(base.Add(time.Duration(hour)*time.Hour)) {
			t.Errorf("position %d: published_at %v, want %v", i, r.PublishedAt, base.Add(time.Duration(hour)*time.Hour))
		}
		if r.OutletName != "The Test Gazette" || r.OutletSlug != "the-test-gazette" || r.Status != StatusPublished || r.Version != 1 {
			t.Errorf("position %d: %+v, want outlet The Test Gazette, published, version 1", i, r)
		}
		if want := fmt.Sprintf("Paragraph one of story %d.", hour); r.Excerpt != want {
			t.Errorf("position %d: excerpt %q, want the first paragraph %q", i, r.Excerpt, want)
		}
	}

	// Past the end: empty, no next page.
	rows, page, err := s.ListArticles(ctx, ArticleFilter{}, NewPage(4, 10))
	if err != nil || len(rows) != 0 || page.HasNext {
		t.Errorf("page 4 = %d rows, HasNext %v, %v; want none", len(rows), page.HasNext, err)
	}
}

func TestListArticlesTiesAndOutletFilter(t *testing.T) {
	s, _ := newTestStore(t)
	var ids []uint
	for i, outlet := range []string{"Alpha News", "Beta Times", "Alpha News"} {
		in := validArticle()
		in.Title, in.NewOutlet, in.PublishedAt = fmt.Sprintf("Same minute %d", i), outlet, "2025-05-05T05:05"
		ids = append(ids, mustCreateArticle(t, s, nil, in).ID)
	}
	// Equal publication times: the newer id first.
	if got, want := listedIDs(t, s, ArticleFilter{}), []uint{ids[2], ids[1], ids[0]}; !slices.Equal(got, want) {
		t.Errorf("ListArticles = %v, want %v", got, want)
	}
	a, _ := s.ArticleByID(t.Context(), ids[0], false)
	if got, want := listedIDs(t, s, ArticleFilter{OutletID: a.OutletID}), []uint{ids[2], ids[0]}; !slices.Equal(got, want) {
		t.Errorf("ListArticles(Alpha News) = %v, want %v", got, want)
	}
}

func TestNewPageClamps(t *testing.T) {
	tests := []struct{ in, want int }{{-5, 1}, {0, 1}, {1, 1}, {7, 7}, {10_000, 10_000}, {10_001, 10_000}}
	for _, tc := range tests {
		if p := NewPage(tc.in, 20); p.Number != tc.want || p.Size != 20 || p.HasNext {
			t.Errorf("NewPage(%d, 20) = %+v, want number %d", tc.in, p, tc.want)
		}
	}
}

func TestTrimExcerpt(t *testing.T) {
	long := strings.Repeat("word ", 60) // 300 runes, more than a listing shows
	tests := []struct {
		name, in, want string
	}{
		{"short text unchanged", "A short paragraph.", "A short paragraph."},
		{"first paragraph only", "First paragraph.\nSecond paragraph.", "First paragraph."},
		{"long text cut at a word with an ellipsis", long[:excerptRunes], strings.TrimSpace(strings.Repeat("word ", 52)) + "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := trimExcerpt(tc.in); got != tc.want {
				t.Errorf("trimExcerpt = %q, want %q", got, tc.want)
			}
		})
	}
}
