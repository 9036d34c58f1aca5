package models

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsgloss/importer"
)

func bulkLines(from, to int, outlet string) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, `{"title": "Story %d", "outlet": %q, "url": "https://wire.example/story/%d?utm_medium=feed", "byline": "By Desk", "published": "2025-05-%02dT08:00:00Z", "body_markdown": "Paragraph **%d** of the wire."}`+"\n",
			i, outlet, i, i%28+1, i)
	}
	return b.String()
}

func runBulk(t *testing.T, sink importer.Sink, src string, batch int) (importer.Report, error) {
	t.Helper()
	total, _ := importer.CountLines(strings.NewReader(src))
	b, err := importer.OpenBulk(strings.NewReader(src), total, importer.BulkOptions{Status: "published"})
	if err != nil {
		t.Fatal(err)
	}
	return importer.Run(t.Context(), b, sink, importer.RunOptions{BatchSize: batch})
}

func TestImportTablesExist(t *testing.T) {
	s, _ := newTestStore(t)
	for _, table := range []string{"feeds", "feed_items", "import_jobs"} {
		if !tableExists(t, s, table) {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestBulkImportRejectsBadLinesAndReRunAddsNothing(t *testing.T) {
	s, _ := newTestStore(t)
	src := bulkLines(1, 5, "Wire Service") +
		`{"title": "` + strings.Repeat("long ", 70) + `", "outlet": "Wire Service", "url": "https://wire.example/long", "body_markdown": "x"}` + "\n" +
		`{"title": "Only markup", "outlet": "Wire Service", "url": "https://wire.example/empty", "body_html": "<script>alert(1)</script><img src=x>"}` + "\n" +
		`{"title": "Duplicate of line 1", "outlet": "Wire Service", "url": "https://WIRE.example/story/1#again", "body_markdown": "Again."}` + "\n" +
		`{"title": "Broken", ` + "\n" +
		bulkLines(6, 7, "Other Wire")
	before := tableCounts(t, s)

	rep, err := runBulk(t, s.BulkSink(nil), src, 3)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 7 || rep.Skipped != 1 || rep.Rejected != 3 {
		t.Fatalf("first run: %s; rejections %+v", rep.Summary(), rep.Rejections)
	}
	wantReasons := map[int]string{6: "title: Use at most 300 characters", 7: "body: After removing unsafe markup the text is empty", 9: "malformed JSON"}
	for _, r := range rep.Rejections {
		if !strings.Contains(r.Reason, wantReasons[r.Line]) || wantReasons[r.Line] == "" {
			t.Errorf("line %d rejected as %q, want %q", r.Line, r.Reason, wantReasons[r.Line])
		}
	}
	after := tableCounts(t, s)
	if after["articles"]-before["articles"] != 7 || after["article_revisions"]-before["article_revisions"] != 7 || after["outlets"]-before["outlets"] != 2 {
		t.Errorf("counts before %v, after %v", before, after)
	}
	a, err := s.ArticleBySourceURL(t.Context(), "https://wire.example/story/3")
	if err != nil || a == nil {
		t.Fatalf("imported article not found by address: %v", err)
	}
	if a.Status != StatusPublished || a.Title != "Story 3" || a.SourceURL != "https://wire.example/story/3" || a.Outlet.Name != "Wire Service" ||
		!strings.Contains(a.BodyHTML, "<strong>3</strong>") || a.PublishedAt == nil || a.PublishedAt.Format("2006-01-02") != "2025-05-04" {
		t.Errorf("imported article %+v", a)
	}

	// Running the same file again adds nothing.
	rep, err = runBulk(t, s.BulkSink(nil), src, 3)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 0 || rep.Skipped != 8 || rep.Rejected != 3 {
		t.Errorf("second run: %s", rep.Summary())
	}
	assertSameCounts(t, after, tableCounts(t, s))
}

func TestBulkImportRecognisesAddressesTypedInAnotherSpelling(t *testing.T) {
	s, _ := newTestStore(t)
	in := validArticle()
	in.SourceURL = "HTTPS://Wire.Example/story/2?utm_source=typed#top"
	mustCreateArticle(t, s, nil, in)
	rep, err := runBulk(t, s.BulkSink(nil), bulkLines(1, 3, "Wire Service"), 10)
	if err != nil || rep.Imported != 2 || rep.Skipped != 1 {
		t.Errorf("%s, %v", rep.Summary(), err)
	}
}

func TestBulkBatchCommitsWholeOrNotAtAll(t *testing.T) {
	s, _ := newTestStore(t)
	before := tableCounts(t, s)
	sink := s.BulkSink(nil)
	// The third record of the second batch fails after two of its articles
	// (and a new outlet) were written inside the transaction.
	sink.fault = func(i int, r importer.Record) error {
		if r.Title == "Story 6" {
			return errors.New("simulated failure")
		}
		return nil
	}
	src := bulkLines(1, 3, "First Wire") + bulkLines(4, 6, "Second Wire") + bulkLines(7, 9, "Third Wire")
	rep, err := runBulk(t, sink, src, 3)
	if err == nil || !strings.Contains(err.Error(), "lines 4–6 failed and was rolled back") {
		t.Fatalf("err = %v", err)
	}
	if rep.Imported != 3 {
		t.Errorf("report %s", rep.Summary())
	}
	after := tableCounts(t, s)
	if after["articles"]-before["articles"] != 3 || after["outlets"]-before["outlets"] != 1 || after["article_revisions"]-before["article_revisions"] != 3 {
		t.Errorf("a failed batch left something behind: before %v, after %v", before, after)
	}
	if a, _ := s.ArticleBySourceURL(t.Context(), "https://wire.example/story/4"); a != nil {
		t.Error("story 4, from the failed batch, was saved")
	}
	if o, _ := s.OutletByName(t.Context(), "second wire"); o != nil {
		t.Error("the failed batch's outlet was saved")
	}

	// Without the fault, a re-run imports the rest and skips the first batch.
	rep, err = runBulk(t, s.BulkSink(nil), src, 3)
	if err != nil || rep.Imported != 6 || rep.Skipped != 3 {
		t.Errorf("re-run: %s, %v", rep.Summary(), err)
	}
}

func TestArticleBySourceURLComparesNormalisedAddresses(t *testing.T) {
	s, _ := newTestStore(t)
	u := mustCreateUser(t, s, nil, "ed@example.org", RoleEditor)
	in := validArticle()
	in.SourceURL = "https://Gazette.example/news/harbour-reopens?utm_source=newsletter"
	a := mustCreateArticle(t, s, u, in)
	for _, q := range []string{"https://gazette.example/news/harbour-reopens", "HTTPS://GAZETTE.EXAMPLE/news/harbour-reopens#comments", "https://gazette.example:443/news/harbour-reopens?utm_campaign=x"} {
		got, err := s.ArticleBySourceURL(t.Context(), q)
		if err != nil || got == nil || got.ID != a.ID {
			t.Errorf("ArticleBySourceURL(%q) = %v, %v; want article %d", q, got, err, a.ID)
		}
	}
	for _, q := range []string{"https://gazette.example/news/other", "https://gazette.example/news/harbour-reopens?page=2", "not a url"} {
		if got, err := s.ArticleBySourceURL(t.Context(), q); err != nil || got != nil {
			t.Errorf("ArticleBySourceURL(%q) = %v, %v; want none", q, got, err)
		}
	}
	if err := s.DeleteArticle(t.Context(), u, a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ArticleBySourceURL(t.Context(), in.SourceURL); got != nil {
		t.Error("a deleted article is offered for a new revision")
	}
}

func TestOutletForURLMatchesTheSite(t *testing.T) {
	s, _ := newTestStore(t)
	if _, err := s.LoadDemo(t.Context()); err != nil {
		t.Fatal(err)
	}
	for u, want := range map[string]string{
		"https://meridianwire.example/2025/talks":         "Meridian Wire",
		"https://www.meridianwire.example/x":              "Meridian Wire",
		"https://live.harbourledger.example/blog/1":       "The Harbour Ledger",
		"https://notmeridianwire.example/2025/talks":      "",
		"https://elsewhere.example/northgatepost.example": "",
	} {
		o, err := s.OutletForURL(t.Context(), u)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if o != nil {
			got = o.Name
		}
		if got != want {
			t.Errorf("OutletForURL(%s) = %q, want %q", u, got, want)
		}
	}
}

func TestFeedRefreshListsCandidates(t *testing.T) {
	s, clock := newTestStore(t)
	admin := mustCreateUser(t, s, nil, "admin@example.org", RoleAdmin)
	if _, err := s.AddFeed(t.Context(), admin, FeedInput{URL: "not a url", NewOutlet: "Coastline Courier"}); FieldErrors(err)["url"] == "" {
		t.Errorf("bad URL accepted: %v", err)
	}
	if _, err := s.AddFeed(t.Context(), admin, FeedInput{URL: "https://coastline.example/feed.xml"}); FieldErrors(err)["outlet"] == "" {
		t.Errorf("feed without outlet accepted: %v", err)
	}
	f, err := s.AddFeed(t.Context(), admin, FeedInput{URL: "https://Coastline.example/feed.xml", NewOutlet: "Coastline Courier"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFeed(t.Context(), admin, FeedInput{URL: "https://coastline.example/feed.xml#x", OutletID: f.OutletID}); FieldErrors(err)["url"] != "This feed is already on the list." {
		t.Errorf("duplicate feed: %v", err)
	}

	day := func(d int) *time.Time { t := time.Date(2025, 2, d, 8, 0, 0, 0, time.UTC); return &t }
	feed := &importer.Feed{Title: "Coastline Courier", Link: "https://coastline.example/", Items: []importer.FeedItem{
		{URL: "https://coastline.example/a", Title: "Older", Published: day(10)},
		{URL: "https://coastline.example/b", Title: "Newer", Published: day(12)},
		{URL: "https://coastline.example/b", Title: "Newer (listed twice)", Published: day(12)},
		{URL: "", Title: "No link"},
	}}
	added, err := s.RecordFeedFetch(t.Context(), f.ID, feed, nil)
	if err != nil || added != 2 {
		t.Fatalf("first refresh: %d, %v", added, err)
	}
	clock.Advance(time.Hour)
	if added, err := s.RecordFeedFetch(t.Context(), f.ID, feed, nil); err != nil || added != 0 {
		t.Errorf("second refresh added %d, %v", added, err)
	}
	items, _, err := s.FeedCandidates(t.Context(), ItemNew, NewPage(1, 50))
	if err != nil || len(items) != 2 || items[0].Title != "Newer" || items[1].Title != "Older" ||
		items[0].OutletName != "Coastline Courier" || items[0].FeedTitle != "Coastline Courier" {
		t.Fatalf("candidates %+v, %v", items, err)
	}
	// The outlet learnt its home page from the feed.
	if o, _ := s.OutletForURL(t.Context(), "https://coastline.example/c"); o == nil || o.ID != f.OutletID {
		t.Errorf("outlet not matched by the feed's site: %+v", o)
	}

	// Dismissed items leave the list of new ones; imported ones are marked.
	if err := s.DismissFeedItem(t.Context(), nil, items[1].ID); err != nil {
		t.Fatal(err)
	}
	in := validArticle()
	in.SourceURL = "https://coastline.example/b"
	a := mustCreateArticle(t, s, admin, in)
	got, _, _ := s.FeedCandidates(t.Context(), ItemNew, NewPage(1, 50))
	if len(got) != 0 {
		t.Errorf("new candidates after dismissing and importing: %+v", got)
	}
	imported, _, _ := s.FeedCandidates(t.Context(), ItemImported, NewPage(1, 50))
	if len(imported) != 1 || imported[0].ArticleID == nil || *imported[0].ArticleID != a.ID {
		t.Errorf("imported candidates %+v", imported)
	}
	if err := s.DismissFeedItem(t.Context(), nil, 99999); ErrorCodeOf(err) != ENotFound {
		t.Errorf("dismiss unknown item: %v", err)
	}

	// A failed fetch is recorded and keeps the candidates.
	if _, err := s.RecordFeedFetch(t.Context(), f.ID, nil, errors.New("The host could not be reached.")); err != nil {
		t.Fatal(err)
	}
	feeds, _ := s.Feeds(t.Context())
	if len(feeds) != 1 || feeds[0].LastError != "The host could not be reached." || feeds[0].LastFetchedAt == nil || feeds[0].ItemCount != 2 {
		t.Errorf("feeds %+v", feeds)
	}
	if err := s.DeleteFeed(t.Context(), admin, f.ID); err != nil {
		t.Fatal(err)
	}
	if all, _, _ := s.FeedCandidates(t.Context(), "", NewPage(1, 50)); len(all) != 0 {
		t.Errorf("candidates of a deleted feed: %+v", all)
	}
}

func TestImportJobLifecycle(t *testing.T) {
	s, _ := newTestStore(t)
	admin := mustCreateUser(t, s, nil, "admin@example.org", RoleAdmin)
	j, err := s.CreateImportJob(t.Context(), admin, "archive.jsonl", "published")
	if err != nil || !j.Running() || j.State != JobQueued {
		t.Fatalf("job %+v, %v", j, err)
	}
	if err := s.StartImportJob(t.Context(), j.ID, importer.KindJSONLines, 10); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateImportJob(t.Context(), j.ID, importer.Progress{Total: 10, Processed: 4, Imported: 3, Rejected: 1, Elapsed: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ImportJobByID(t.Context(), j.ID)
	if got.State != JobRunning || got.Percent() != 40 || got.Rate != 2 || got.CreatedBy == nil || got.CreatedBy.ID != admin.ID {
		t.Errorf("running job %+v", got)
	}
	rep := importer.Report{Kind: importer.KindJSONLines, Progress: importer.Progress{Total: 10, Processed: 10, Imported: 8, Rejected: 2},
		Rejections: []importer.Rejection{{Line: 3, Reason: "missing title"}, {Line: 9, Reason: "malformed JSON"}}}
	if err := s.FinishImportJob(t.Context(), j.ID, rep, nil); err != nil {
		t.Fatal(err)
	}
	got, _ = s.ImportJobByID(t.Context(), j.ID)
	if got.Running() || got.State != JobDone || got.Imported != 8 || len(got.RejectionList()) != 2 || got.RejectionList()[1].Line != 9 || got.FinishedAt == nil {
		t.Errorf("finished job %+v", got)
	}
	if _, err := s.ImportJobByID(t.Context(), 99999); ErrorCodeOf(err) != ENotFound {
		t.Errorf("unknown job: %v", err)
	}
	jobs, err := s.RecentImportJobs(t.Context(), 10)
	if err != nil || len(jobs) != 1 {
		t.Errorf("recent jobs %v %v", jobs, err)
	}
}

func TestImportAllowPrivateSetting(t *testing.T) {
	s, _ := newTestStore(t)
	admin := mustCreateUser(t, s, nil, "admin@example.org", RoleAdmin)
	if on, err := s.ImportAllowsPrivate(t.Context()); err != nil || on {
		t.Fatalf("default: %v %v", on, err)
	}
	if err := s.SetImportAllowPrivate(t.Context(), admin, true); err != nil {
		t.Fatal(err)
	}
	if on, _ := s.ImportAllowsPrivate(t.Context()); !on {
		t.Error("setting not saved")
	}
	entries := auditEntriesFor(t, s, "setting", 0)
	if len(entries) != 1 || entries[0].AfterValue != "import_allow_private=on" {
		t.Errorf("audit %+v", entries)
	}
}

func TestInterruptedImportJobsAreMarkedFailedAtStart(t *testing.T) {
	s, clock := newTestStore(t)
	admin := mustCreateUser(t, s, nil, "admin@example.org", RoleAdmin)
	running, err := s.CreateImportJob(t.Context(), admin, "a.jsonl", "published")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.StartImportJob(t.Context(), running.ID, importer.KindJSONLines, 10); err != nil {
		t.Fatal(err)
	}
	done, _ := s.CreateImportJob(t.Context(), admin, "b.jsonl", "published")
	if err := s.FinishImportJob(t.Context(), done.ID, importer.Report{Kind: importer.KindJSONLines}, nil); err != nil {
		t.Fatal(err)
	}
	if s.Dialect() == Postgres {
		// Another instance may be running a job that recorded progress lately.
		if n, err := s.FailInterruptedImportJobs(t.Context()); err != nil || n != 0 {
			t.Fatalf("marked %d live jobs, %v; want 0", n, err)
		}
		clock.Advance(importJobSilence + time.Second)
	}
	n, err := s.FailInterruptedImportJobs(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("marked %d jobs, %v; want 1", n, err)
	}
	got, _ := s.ImportJobByID(t.Context(), running.ID)
	if got.Running() || got.State != JobFailed || got.Error == "" || got.FinishedAt == nil {
		t.Errorf("interrupted job %+v", got)
	}
	if again, _ := s.ImportJobByID(t.Context(), done.ID); again.State != JobDone {
		t.Errorf("a finished job was changed to %s", again.State)
	}
}
