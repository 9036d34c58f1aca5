package models

import (
	"context"
	"fmt"
	"testing"
	"time"

	"newsgloss/importer"
)

// people are the accounts the deletion table acts as.
type people struct {
	admin, editor, checker *User
}

// deletable is one kind of thing people can delete (or hide, dismiss,
// revoke, disable): how to make one, delete it, restore it, and where its row
// and its state live.
type deletable struct {
	name    string
	table   string
	make    func(t *testing.T, s *Store, p people) uint
	deleter func(p people) *User
	del     func(s *Store, ctx context.Context, actor *User, id uint) error
	// restorer and restore are nil where there is no way back by design.
	restorer func(p people) *User
	restore  func(s *Store, ctx context.Context, actor *User, id uint) error
	// deleted is an SQL expression over the row: true once deleted.
	deleted string
	// visible reports whether the thing still shows where people see it.
	visible func(ctx context.Context, s *Store, p people, id uint) bool
	// subject is the audit entry's subject for the thing.
	subject                func(p people, id uint) (string, uint)
	deleteAudit, undoAudit string
}

func itself(kind string) func(people, uint) (string, uint) {
	return func(_ people, id uint) (string, uint) { return kind, id }
}

func deletables() []deletable {
	noteOn := func(t *testing.T, s *Store, p people) uint {
		art := mustCreateArticle(t, s, p.editor, validArticle())
		a, err := s.CreateAnnotation(t.Context(), p.checker, art.ID, AnnotationInput{Motivation: "commenting", Visibility: "public", Body: "A note."})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	noteVisible := func(ctx context.Context, s *Store, p people, id uint) bool {
		a, err := s.AnnotationByID(ctx, nil, id)
		return err == nil && a.CanSee(nil) && !a.Hidden()
	}
	feedWithItems := func(t *testing.T, s *Store, p people) uint {
		f, err := s.AddFeed(t.Context(), p.admin, FeedInput{URL: "https://harbour.example/feed.xml", NewOutlet: "Harbour Herald"})
		if err != nil {
			t.Fatal(err)
		}
		items := []importer.FeedItem{{URL: "https://harbour.example/1", Title: "One"}, {URL: "https://harbour.example/2", Title: "Two"}}
		if _, err := s.RecordFeedFetch(t.Context(), f.ID, &importer.Feed{Title: "Harbour Herald", Items: items}, nil); err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	return []deletable{
		{
			name: "article", table: "articles",
			make: func(t *testing.T, s *Store, p people) uint {
				return mustCreateArticle(t, s, p.editor, validArticle()).ID
			},
			deleter: func(p people) *User { return p.editor }, del: (*Store).DeleteArticle,
			restorer: func(p people) *User { return p.admin }, restore: (*Store).RestoreArticle,
			deleted: "deleted_at IS NOT NULL AND deleted_by_id IS NOT NULL",
			visible: func(ctx context.Context, s *Store, _ people, id uint) bool {
				_, err := s.ArticleByID(ctx, id, true)
				return err == nil
			},
			subject: itself("article"), deleteAudit: "article.delete", undoAudit: "article.restore",
		},
		{
			name: "annotation deleted by its author", table: "annotations", make: noteOn,
			deleter: func(p people) *User { return p.checker },
			del: func(s *Store, ctx context.Context, actor *User, id uint) error {
				return s.DeleteAnnotation(ctx, actor, id, 0)
			},
			restorer: func(p people) *User { return p.editor }, restore: (*Store).RestoreAnnotation,
			deleted: "deleted_at IS NOT NULL", visible: noteVisible,
			subject: itself("annotation"), deleteAudit: "annotation.delete", undoAudit: "annotation.restore",
		},
		{
			name: "annotation hidden by a moderator", table: "annotations", make: noteOn,
			deleter: func(p people) *User { return p.editor },
			del: func(s *Store, ctx context.Context, actor *User, id uint) error {
				return s.Moderate(ctx, actor, id, true, "Off topic.")
			},
			restorer: func(p people) *User { return p.admin },
			restore: func(s *Store, ctx context.Context, actor *User, id uint) error {
				return s.Moderate(ctx, actor, id, false, "On reflection, on topic.")
			},
			deleted: "moderation = 'hidden'", visible: noteVisible,
			subject: itself("annotation"), deleteAudit: "annotation.hide", undoAudit: "annotation.restore",
		},
		{
			name: "feed", table: "feeds", make: feedWithItems,
			deleter: func(p people) *User { return p.admin }, del: (*Store).DeleteFeed,
			restorer: func(p people) *User { return p.admin }, restore: (*Store).RestoreFeed,
			deleted: "deleted_at IS NOT NULL AND deleted_by_id IS NOT NULL",
			visible: func(ctx context.Context, s *Store, _ people, id uint) bool {
				feeds, _ := s.Feeds(ctx)
				sources, _ := s.FeedSources(ctx)
				items, _, _ := s.FeedCandidates(ctx, "", NewPage(1, 50))
				listed := len(feeds) == 1 && feeds[0].ID == id && len(sources) == 1
				return listed && len(items) == 2 // its candidates come and go with it
			},
			subject: itself("feed"), deleteAudit: "feed.delete", undoAudit: "feed.restore",
		},
		{
			name: "import candidate", table: "feed_items",
			make: func(t *testing.T, s *Store, p people) uint {
				feedWithItems(t, s, p)
				items, _, err := s.FeedCandidates(t.Context(), ItemNew, NewPage(1, 50))
				if err != nil || len(items) == 0 {
					t.Fatalf("candidates %v, %v", items, err)
				}
				return items[0].ID
			},
			deleter: func(p people) *User { return p.editor }, del: (*Store).DismissFeedItem,
			restorer: func(p people) *User { return p.editor }, restore: (*Store).RestoreFeedItem,
			deleted: "state = 'dismissed' AND decided_by_id IS NOT NULL",
			visible: func(ctx context.Context, s *Store, _ people, id uint) bool {
				items, _, _ := s.FeedCandidates(ctx, ItemNew, NewPage(1, 50))
				for _, it := range items {
					if it.ID == id {
						return true
					}
				}
				return false
			},
			subject: itself("feed_item"), deleteAudit: "feed_item.dismiss", undoAudit: "feed_item.restore",
		},
		{
			// A revoked credential stays revoked: there is no way back by design.
			name: "API token", table: "api_tokens",
			make: func(t *testing.T, s *Store, p people) uint {
				if _, err := s.CreateAPIToken(t.Context(), p.checker, "script"); err != nil {
					t.Fatal(err)
				}
				tokens, err := s.ListAPITokens(t.Context(), p.checker)
				if err != nil || len(tokens) != 1 {
					t.Fatalf("tokens %v, %v", tokens, err)
				}
				return tokens[0].ID
			},
			deleter: func(p people) *User { return p.checker }, del: (*Store).RevokeAPIToken,
			deleted: "revoked_at IS NOT NULL",
			visible: func(ctx context.Context, s *Store, p people, id uint) bool {
				tokens, _ := s.ListAPITokens(ctx, p.checker)
				return len(tokens) == 1 && tokens[0].RevokedAt == nil
			},
			subject:     func(p people, _ uint) (string, uint) { return "user", p.checker.ID },
			deleteAudit: "token.revoke",
		},
		{
			name: "account", table: "users",
			make: func(t *testing.T, s *Store, p people) uint {
				return mustCreateUser(t, s, p.admin, "leaving@example.org", RoleReader).ID
			},
			deleter: func(p people) *User { return p.admin },
			del: func(s *Store, ctx context.Context, actor *User, id uint) error {
				return s.SetDisabled(ctx, actor, id, true)
			},
			restorer: func(p people) *User { return p.admin },
			restore: func(s *Store, ctx context.Context, actor *User, id uint) error {
				return s.SetDisabled(ctx, actor, id, false)
			},
			deleted: "disabled_at IS NOT NULL",
			visible: func(ctx context.Context, s *Store, _ people, id uint) bool {
				u, err := s.Authenticate(ctx, "leaving@example.org", "correct horse battery")
				return err == nil && u.ID == id
			},
			subject: itself("user"), deleteAudit: "user.disable", undoAudit: "user.enable",
		},
	}
}

func TestEverythingDeletedIsKeptRestorableAndAudited(t *testing.T) {
	for _, d := range deletables() {
		t.Run(d.name, func(t *testing.T) {
			s, clock := newTestStore(t)
			ctx := t.Context()
			p := people{admin: mustCreateUser(t, s, nil, "admin@example.org", RoleAdmin)}
			p.editor = mustCreateUser(t, s, p.admin, "editor@example.org", RoleEditor)
			p.checker = mustCreateUser(t, s, p.admin, "checker@example.org", RoleFactChecker)
			id := d.make(t, s, p)
			rows := countRows(t, s, d.table)
			isDeleted := func() bool {
				var yes bool
				if err := s.read.Raw(fmt.Sprintf("SELECT %s FROM %s WHERE id = ?", d.deleted, d.table), id).Row().Scan(&yes); err != nil {
					t.Fatalf("the %s's row is gone: %v", d.name, err)
				}
				return yes
			}
			if isDeleted() || !d.visible(ctx, s, p, id) {
				t.Fatalf("a new %s is already deleted or not visible", d.name)
			}

			clock.Advance(time.Minute)
			deleter := d.deleter(p)
			if err := d.del(s, ctx, deleter, id); err != nil {
				t.Fatalf("delete: %v", err)
			}
			if n := countRows(t, s, d.table); n != rows {
				t.Errorf("%s has %d rows after the delete, want %d: the row must stay", d.table, n, rows)
			}
			if !isDeleted() {
				t.Errorf("the row does not record the deletion (%s)", d.deleted)
			}
			if d.visible(ctx, s, p, id) {
				t.Errorf("the deleted %s is still visible", d.name)
			}
			wantAudit(t, s, d, p, id, d.deleteAudit, deleter)

			if d.restore == nil {
				return
			}
			clock.Advance(time.Minute)
			restorer := d.restorer(p)
			if err := d.restore(s, ctx, restorer, id); err != nil {
				t.Fatalf("restore: %v", err)
			}
			if isDeleted() || !d.visible(ctx, s, p, id) {
				t.Errorf("the restored %s is not back", d.name)
			}
			if n := countRows(t, s, d.table); n != rows {
				t.Errorf("%s has %d rows after the restore, want %d", d.table, n, rows)
			}
			wantAudit(t, s, d, p, id, d.undoAudit, restorer)
		})
	}
}

// wantAudit checks that the newest entry about the thing is the action, by the actor.
func wantAudit(t *testing.T, s *Store, d deletable, p people, id uint, action string, actor *User) {
	t.Helper()
	kind, subjectID := d.subject(p, id)
	entries := auditEntriesFor(t, s, kind, subjectID)
	if len(entries) == 0 {
		t.Errorf("no audit entry about %s %d", kind, subjectID)
		return
	}
	e := entries[len(entries)-1]
	if e.Action != action || e.ActorID == nil || *e.ActorID != actor.ID {
		got := "nobody"
		if e.ActorID != nil {
			got = fmt.Sprint(*e.ActorID)
		}
		t.Errorf("newest audit entry about %s %d: %q by %s, want %q by %d", kind, subjectID, e.Action, got, action, actor.ID)
	}
}

func TestRestoringAnnotationsAndFeeds(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	admin := mustCreateUser(t, s, nil, "admin@example.org", RoleAdmin)
	checker := mustCreateUser(t, s, admin, "checker@example.org", RoleFactChecker)
	other := mustCreateUser(t, s, admin, "other@example.org", RoleFactChecker)
	art := mustCreateArticle(t, s, admin, validArticle())
	a, err := s.CreateAnnotation(ctx, checker, art.ID, AnnotationInput{Motivation: "commenting", Visibility: "public", Body: "Kept."})
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.RestoreAnnotation(ctx, checker, a.ID), ENotFound) // not deleted
	if err := s.DeleteAnnotation(ctx, checker, a.ID, 1); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.RestoreAnnotation(ctx, other, a.ID), EForbidden) // neither its author nor an editor
	wantCode(t, s.RestoreAnnotation(ctx, nil, a.ID), EForbidden)
	if err := s.RestoreAnnotation(ctx, checker, a.ID); err != nil { // the author undoes it
		t.Fatal(err)
	}
	got, err := s.AnnotationByID(ctx, nil, a.ID)
	if err != nil || got.BodySource != "Kept." || got.Version != 1 {
		t.Errorf("restored note %+v, %v", got, err)
	}

	// A deleted feed comes back when its address is added again, with its
	// candidates and the decisions taken on them.
	f, err := s.AddFeed(ctx, admin, FeedInput{URL: "https://harbour.example/feed.xml", NewOutlet: "Harbour Herald"})
	if err != nil {
		t.Fatal(err)
	}
	items := []importer.FeedItem{{URL: "https://harbour.example/1", Title: "One"}, {URL: "https://harbour.example/2", Title: "Two"}}
	if _, err := s.RecordFeedFetch(ctx, f.ID, &importer.Feed{Title: "Harbour Herald", Items: items}, nil); err != nil {
		t.Fatal(err)
	}
	cands, _, _ := s.FeedCandidates(ctx, ItemNew, NewPage(1, 50))
	if err := s.DismissFeedItem(ctx, admin, cands[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteFeed(ctx, admin, f.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteFeed(ctx, admin, f.ID), ENotFound)
	if _, err := s.RecordFeedFetch(ctx, f.ID, &importer.Feed{Title: "Harbour Herald"}, nil); ErrorCodeOf(err) != ENotFound {
		t.Errorf("a deleted feed was refreshed: %v", err)
	}
	again, err := s.AddFeed(ctx, admin, FeedInput{URL: "https://HARBOUR.example/feed.xml", NewOutlet: "Harbour Herald"})
	if err != nil || again.ID != f.ID {
		t.Fatalf("adding a deleted feed again: %+v, %v; want feed %d back", again, err, f.ID)
	}
	if dismissed, _, _ := s.FeedCandidates(ctx, ItemDismissed, NewPage(1, 50)); len(dismissed) != 1 || dismissed[0].ID != cands[0].ID {
		t.Errorf("dismissed candidates after the feed came back: %+v", dismissed)
	}
	if _, err := s.AddFeed(ctx, admin, FeedInput{URL: "https://harbour.example/feed.xml", OutletID: f.OutletID}); FieldErrors(err)["url"] == "" {
		t.Errorf("the restored feed was added twice: %v", err)
	}
	wantCode(t, s.RestoreFeed(ctx, admin, f.ID), ENotFound) // not deleted
}
