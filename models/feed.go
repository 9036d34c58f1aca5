package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"newsgloss/importer"
)

// Feed is an outlet's RSS or Atom feed, refreshed to find new articles.
type Feed struct {
	ID            uint
	URL           string `gorm:"column:url"`
	OutletID      uint
	Outlet        Outlet
	Title         string
	LastFetchedAt *time.Time
	LastError     string
	ItemCount     int
	CreatedByID   *uint
	CreatedAt     time.Time
	DeletedAt     *time.Time
	DeletedByID   *uint
}

// FeedInput is the admin's form for a new feed.
type FeedInput struct {
	URL       string
	OutletID  uint
	NewOutlet string
}

// Feed item states.
const (
	ItemNew       = "new"
	ItemImported  = "imported"
	ItemDismissed = "dismissed"
)

// FeedItemStates lists the states in the order the candidates page offers them.
func FeedItemStates() []string { return []string{ItemNew, ItemImported, ItemDismissed} }

// FeedCandidate is an item from a feed, as editors see it: with its feed and
// outlet, and, once imported, the article made from it.
type FeedCandidate struct {
	ID          uint
	FeedID      uint
	URL         string
	Title       string
	PublishedAt *time.Time
	State       string
	ArticleID   *uint
	FeedTitle   string
	OutletID    uint
	OutletName  string
}

const maxFeedItemsPerFetch = 500

// AddFeed validates and stores a feed for an outlet (an existing one, or a new
// one by name).
func (s *Store) AddFeed(ctx context.Context, actor *User, in FeedInput) (*Feed, error) {
	v := ValidationErrors{}
	raw := strings.TrimSpace(in.URL)
	norm := importer.NormalizeURL(raw)
	switch {
	case raw == "":
		v.Add("url", "Enter the feed’s address.")
	case validateWebURL(raw) != "":
		v.Add("url", validateWebURL(raw))
	case norm == "":
		v.Add("url", "Enter a full web address starting with https:// or http://.")
	}
	newOutlet := strings.TrimSpace(in.NewOutlet)
	if in.OutletID == 0 && newOutlet == "" {
		v.Add("outlet", "Choose the outlet this feed belongs to, or type the name of a new one.")
	}
	checkLength(v, "new_outlet", newOutlet, maxOutletLength)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var f Feed
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var existing []Feed
		if err := tx.Where("url = ?", norm).Limit(1).Find(&existing).Error; err != nil {
			return err
		}
		if len(existing) > 0 && existing[0].DeletedAt == nil {
			return &Error{Code: EInvalid, Message: "Please correct the highlighted fields.",
				Fields: map[string]string{"url": "This feed is already on the list."}}
		}
		now := s.nowUTC()
		outlet, err := resolveOutlet(tx, ArticleInput{OutletID: in.OutletID, NewOutlet: newOutlet}, now)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			// A deleted feed comes back, with its candidates, for the outlet chosen now.
			f = existing[0]
			f.OutletID, f.Outlet = outlet.ID, *outlet
			return restoreFeed(tx, actor, &f, now)
		}
		f = Feed{URL: norm, OutletID: outlet.ID, Outlet: *outlet, CreatedAt: now}
		if actor != nil {
			f.CreatedByID = &actor.ID
		}
		if err := tx.Omit("Outlet").Create(&f).Error; err != nil {
			return fmt.Errorf("create feed: %w", err)
		}
		return audit(tx, actor, "feed.add", "feed", f.ID, "", f.URL, now)
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// Feeds lists every feed with its outlet.
func (s *Store) Feeds(ctx context.Context) ([]Feed, error) {
	var feeds []Feed
	if err := s.reader(ctx).Preload("Outlet").Where("deleted_at IS NULL").Order("id").Find(&feeds).Error; err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return feeds, nil
}

// DeleteFeed takes a feed off the list and its candidates off the desk. It is
// soft: the feed, its candidates and the decisions on them stay, and adding
// the same address again (or RestoreFeed) brings them back. Articles already
// imported from it are not touched.
func (s *Store) DeleteFeed(ctx context.Context, actor *User, id uint) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var f Feed
		if err := tx.Where("deleted_at IS NULL").Take(&f, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no feed number %d.", id)
			}
			return err
		}
		now := s.nowUTC()
		updates := map[string]any{"deleted_at": now}
		if actor != nil {
			updates["deleted_by_id"] = actor.ID
		}
		if err := tx.Model(&Feed{}).Where("id = ?", id).UpdateColumns(updates).Error; err != nil {
			return fmt.Errorf("delete feed: %w", err)
		}
		return audit(tx, actor, "feed.delete", "feed", id, f.URL, "", now)
	})
}

// RestoreFeed brings back a deleted feed with its candidates.
func (s *Store) RestoreFeed(ctx context.Context, actor *User, id uint) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var f Feed
		if err := tx.Where("deleted_at IS NOT NULL").Take(&f, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no deleted feed number %d.", id)
			}
			return err
		}
		return restoreFeed(tx, actor, &f, s.nowUTC())
	})
}

func restoreFeed(tx *gorm.DB, actor *User, f *Feed, now time.Time) error {
	err := tx.Model(&Feed{}).Where("id = ?", f.ID).
		UpdateColumns(map[string]any{"deleted_at": nil, "deleted_by_id": nil, "outlet_id": f.OutletID}).Error
	if err != nil {
		return fmt.Errorf("restore feed: %w", err)
	}
	f.DeletedAt, f.DeletedByID = nil, nil
	return audit(tx, actor, "feed.restore", "feed", f.ID, "", f.URL, now)
}

// RecordFeedFetch stores the outcome of fetching a feed: on success its new
// items become candidates (items seen before are left as they are, and items
// already imported as articles are marked so); on failure the error is kept
// for the admin's list. It returns how many new candidates were added.
func (s *Store) RecordFeedFetch(ctx context.Context, feedID uint, feed *importer.Feed, fetchErr error) (int, error) {
	added := 0
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var f Feed
		if err := tx.Preload("Outlet").Where("deleted_at IS NULL").Take(&f, feedID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Errorf(ENotFound, "There is no feed number %d.", feedID)
			}
			return err
		}
		now := s.nowUTC()
		updates := map[string]any{"last_fetched_at": now}
		if fetchErr != nil {
			updates["last_error"] = truncate(fetchErr.Error(), 500)
			return tx.Model(&Feed{}).Where("id = ?", feedID).UpdateColumns(updates).Error
		}
		updates["last_error"] = ""
		updates["title"] = truncate(feed.Title, 300)
		seen := map[string]bool{}
		for i, it := range feed.Items {
			if i >= maxFeedItemsPerFetch {
				break
			}
			if it.URL == "" || seen[it.URL] {
				continue
			}
			seen[it.URL] = true
			title := truncate(it.Title, 300)
			if title == "" {
				title = it.URL
			}
			row := map[string]any{
				"feed_id": feedID, "url": it.URL, "title": title, "published_at": it.Published,
				"state": ItemNew, "created_at": now, "updated_at": now,
			}
			res := tx.Table("feed_items").Clauses(clause.OnConflict{DoNothing: true}).Create(row)
			if res.Error != nil {
				return fmt.Errorf("store feed item: %w", res.Error)
			}
			added += int(res.RowsAffected)
		}
		// Items whose article is already here (imported by hand, in bulk or
		// from another feed) are not news.
		if err := tx.Exec(`UPDATE feed_items SET state = ?, updated_at = ?,
				article_id = (SELECT a.id FROM articles a WHERE a.source_url = feed_items.url AND a.deleted_at IS NULL ORDER BY a.id LIMIT 1)
			WHERE feed_id = ? AND state = ? AND EXISTS (SELECT 1 FROM articles a WHERE a.source_url = feed_items.url AND a.deleted_at IS NULL)`,
			ItemImported, now, feedID, ItemNew).Error; err != nil {
			return fmt.Errorf("mark imported items: %w", err)
		}
		var count int64
		if err := tx.Table("feed_items").Where("feed_id = ?", feedID).Count(&count).Error; err != nil {
			return err
		}
		updates["item_count"] = count
		if err := tx.Model(&Feed{}).Where("id = ?", feedID).UpdateColumns(updates).Error; err != nil {
			return fmt.Errorf("update feed: %w", err)
		}
		// An outlet created by name gets its home page from its feed, so that
		// articles pasted from its site are matched to it.
		if f.Outlet.HomeURL == "" && importer.NormalizeURL(feed.Link) != "" {
			if err := tx.Model(&Outlet{}).Where("id = ? AND home_url = ''", f.OutletID).
				UpdateColumn("home_url", importer.NormalizeURL(feed.Link)).Error; err != nil {
				return fmt.Errorf("set outlet home page: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// candidateQuery selects feed items with their derived state: an item still
// "new" whose address now belongs to an article counts as imported.
func (s *Store) candidateQuery(ctx context.Context) *gorm.DB {
	inner := s.reader(ctx).Table("feed_items fi").
		Select(`fi.id, fi.feed_id, fi.url, fi.title, fi.published_at, fi.created_at,
			CASE WHEN fi.state = 'new' AND a.id IS NOT NULL THEN 'imported' ELSE fi.state END AS state,
			COALESCE(fi.article_id, a.id) AS article_id,
			f.title AS feed_title, o.id AS outlet_id, o.name AS outlet_name`).
		Joins("JOIN feeds f ON f.id = fi.feed_id AND f.deleted_at IS NULL").
		Joins("JOIN outlets o ON o.id = f.outlet_id").
		Joins(`LEFT JOIN articles a ON a.id = (SELECT a2.id FROM articles a2 WHERE a2.source_url = fi.url AND a2.deleted_at IS NULL ORDER BY a2.id LIMIT 1)`)
	return s.reader(ctx).Table("(?) AS c", inner)
}

// FeedCandidates lists feed items in a state ("" for all), newest first.
func (s *Store) FeedCandidates(ctx context.Context, state string, page Page) ([]FeedCandidate, Page, error) {
	q := s.candidateQuery(ctx)
	if state != "" {
		q = q.Where("c.state = ?", state)
	}
	var rows []FeedCandidate
	err := q.Order("COALESCE(c.published_at, c.created_at) DESC, c.id DESC").
		Limit(page.Size + 1).Offset((page.Number - 1) * page.Size).Scan(&rows).Error
	if err != nil {
		return nil, page, fmt.Errorf("list feed candidates: %w", err)
	}
	if len(rows) > page.Size {
		page.HasNext = true
		rows = rows[:page.Size]
	}
	return rows, page, nil
}

// FeedCandidateByID loads one feed item.
func (s *Store) FeedCandidateByID(ctx context.Context, id uint) (*FeedCandidate, error) {
	var rows []FeedCandidate
	if err := s.candidateQuery(ctx).Where("c.id = ?", id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load feed item %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, Errorf(ENotFound, "There is no feed item number %d.", id)
	}
	return &rows[0], nil
}

// DismissFeedItem hides a candidate from the list of new items.
func (s *Store) DismissFeedItem(ctx context.Context, actor *User, id uint) error {
	return s.setItemState(ctx, actor, id, ItemDismissed)
}

// RestoreFeedItem puts a dismissed candidate back among the new ones.
func (s *Store) RestoreFeedItem(ctx context.Context, actor *User, id uint) error {
	return s.setItemState(ctx, actor, id, ItemNew)
}

func (s *Store) setItemState(ctx context.Context, actor *User, id uint, state string) error {
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var before []string
		if err := tx.Table("feed_items").Where("id = ?", id).Limit(1).Pluck("state", &before).Error; err != nil {
			return fmt.Errorf("load feed item: %w", err)
		}
		if len(before) == 0 {
			return Errorf(ENotFound, "There is no feed item number %d.", id)
		}
		now := s.nowUTC()
		updates := map[string]any{"state": state, "updated_at": now}
		if actor != nil {
			updates["decided_by_id"] = actor.ID
		}
		if err := tx.Table("feed_items").Where("id = ?", id).UpdateColumns(updates).Error; err != nil {
			return fmt.Errorf("update feed item: %w", err)
		}
		action := "feed_item.dismiss"
		if state == ItemNew {
			action = "feed_item.restore"
		}
		return audit(tx, actor, action, "feed_item", id, before[0], state, now)
	})
}

// FeedSources returns the feeds to refresh: id and address.
func (s *Store) FeedSources(ctx context.Context) ([]importer.FeedSource, error) {
	var rows []importer.FeedSource
	if err := s.reader(ctx).Table("feeds").Select("id, url").Where("deleted_at IS NULL").Order("id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return rows, nil
}
