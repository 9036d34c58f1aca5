package models

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// TestPublicListingUsesItsIndex checks with EXPLAIN QUERY PLAN that the public
// listings read their partial index in order instead of sorting every public
// article, a cost that would grow with the archive.
func TestPublicListingUsesItsIndex(t *testing.T) {
	s, _ := newSQLiteTestStore(t)
	for _, tc := range []struct {
		name   string
		filter ArticleFilter
		index  string
	}{
		{"home", ArticleFilter{}, "articles_public_listing"},
		{"outlet", ArticleFilter{OutletID: 1}, "articles_outlet"},
	} {
		stmt := s.read.ToSQL(func(tx *gorm.DB) *gorm.DB {
			return listingQuery(tx, tc.filter, NewPage(1, 20)).Scan(&[]ArticleSummary{})
		})
		var plan []struct{ Detail string }
		if err := s.read.WithContext(context.Background()).Raw("EXPLAIN QUERY PLAN " + stmt).Scan(&plan).Error; err != nil {
			t.Fatal(err)
		}
		var details []string
		for _, p := range plan {
			details = append(details, p.Detail)
		}
		all := strings.Join(details, " | ")
		if !strings.Contains(all, tc.index) || strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("%s listing plan: %s", tc.name, all)
		}
	}
}
