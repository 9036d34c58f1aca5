package models

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestConcurrentEditsFromTheSameVersion(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	in := validArticle()
	a := mustCreateArticle(t, s, nil, in)

	const editors = 8
	start := make(chan struct{})
	errs := make([]error, editors)
	saved := make([]*Article, editors)
	var wg sync.WaitGroup
	for i := range editors {
		wg.Go(func() {
			edit := in
			edit.BaseVersion = 1
			edit.Title = fmt.Sprintf("Headline from editor %d", i)
			<-start
			saved[i], errs[i] = s.UpdateArticle(ctx, nil, a.ID, edit)
		})
	}
	close(start)
	wg.Wait()

	winner := -1
	for i, err := range errs {
		var conflict *ConflictError
		switch {
		case err == nil:
			if winner >= 0 {
				t.Errorf("editors %d and %d both saved from version 1", winner, i)
			}
			winner = i
		case errors.As(err, &conflict):
			if conflict.Current.Version != 2 || conflict.Base.Number != 1 {
				t.Errorf("editor %d: conflict current version %d base %d, want 2 and 1", i, conflict.Current.Version, conflict.Base.Number)
			}
		default:
			t.Errorf("editor %d: err = %v, want success or *ConflictError", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no editor saved")
	}
	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 {
		t.Errorf("article has %d revisions, want exactly 2", len(revs))
	}
	got, _ := s.ArticleByID(ctx, a.ID, false)
	want := fmt.Sprintf("Headline from editor %d", winner)
	if got.Version != 2 || got.Title != want || revs[0].Title != want || saved[winner].Title != want {
		t.Errorf("article version %d title %q, revision 2 title %q; want version 2 titled %q", got.Version, got.Title, revs[0].Title, want)
	}
}

func TestConcurrentCreatesAllSucceed(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	const writers, each = 20, 5

	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, writers*each+100)
	for w := range writers {
		wg.Go(func() {
			<-start
			for i := range each {
				in := validArticle()
				in.Title = fmt.Sprintf("Writer %d story %d", w, i)
				in.NewOutlet = "Shared Outlet" // every writer finds-or-creates the same outlet
				if _, err := s.CreateArticle(ctx, nil, in); err != nil {
					errs <- fmt.Errorf("writer %d story %d: %w", w, i, err)
				}
			}
		})
	}
	// Readers run alongside the writers.
	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Go(func() {
			<-start
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, _, err := s.ListArticles(ctx, ArticleFilter{}, NewPage(1, 20)); err != nil {
					errs <- fmt.Errorf("reader: %w", err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	if n := countRows(t, s, "articles"); n != writers*each {
		t.Errorf("articles has %d rows, want %d", n, writers*each)
	}
	if n := countRows(t, s, "article_revisions"); n != writers*each {
		t.Errorf("article_revisions has %d rows, want %d", n, writers*each)
	}
	if n := countRows(t, s, "outlets"); n != 1 {
		t.Errorf("outlets has %d rows, want 1 shared outlet", n)
	}
	var titles int64
	s.read.Raw("SELECT COUNT(DISTINCT title) FROM articles").Scan(&titles)
	if titles != writers*each {
		t.Errorf("%d distinct titles stored, want %d", titles, writers*each)
	}
}
