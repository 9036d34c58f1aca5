package importer

import (
	"context"
	"fmt"
)

// FeedSource is a feed to refresh.
type FeedSource struct {
	ID  uint
	URL string
}

// FeedStore keeps the feeds and what their refreshes found.
type FeedStore interface {
	FeedSources(ctx context.Context) ([]FeedSource, error)
	// RecordFeedFetch stores a fetched feed (or the reason it could not be
	// fetched) and returns how many new items it listed.
	RecordFeedFetch(ctx context.Context, feedID uint, feed *Feed, fetchErr error) (int, error)
}

// RefreshReport sums up a refresh of every feed.
type RefreshReport struct {
	Feeds    int
	Failed   int
	NewItems int
}

// Summary is the report in words.
func (r RefreshReport) Summary() string {
	if r.Feeds == 0 {
		return "There are no feeds to check yet."
	}
	s := fmt.Sprintf("Checked %d feed%s: %d new item%s.", r.Feeds, plural(r.Feeds), r.NewItems, plural(r.NewItems))
	if r.Failed > 0 {
		s += fmt.Sprintf(" %d could not be read; see the feeds list.", r.Failed)
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// RefreshFeeds fetches every feed one after the other and records what each
// lists. A feed that cannot be fetched or parsed has its error recorded and
// the others go on; only a store failure or a cancelled context stops it.
func RefreshFeeds(ctx context.Context, f *Fetcher, st FeedStore) (RefreshReport, error) {
	var rep RefreshReport
	sources, err := st.FeedSources(ctx)
	if err != nil {
		return rep, err
	}
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Feeds++
		feed, fetchErr := fetchFeed(ctx, f, src.URL)
		if fetchErr != nil {
			rep.Failed++
		}
		// The outcome is recorded even if the context ended during the fetch.
		n, err := st.RecordFeedFetch(context.WithoutCancel(ctx), src.ID, feed, fetchErr)
		if err != nil {
			return rep, err
		}
		rep.NewItems += n
	}
	return rep, nil
}

func fetchFeed(ctx context.Context, f *Fetcher, url string) (*Feed, error) {
	res, err := f.FetchFeed(ctx, url)
	if err != nil {
		return nil, err
	}
	return ParseFeed(res.Body, res.URL)
}
