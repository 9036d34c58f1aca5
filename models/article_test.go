package models

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"newsgloss/richtext"
)

func TestCreateArticleMakesVersionOneAndItsRevision(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := t.Context()
	editor := mustCreateUser(t, s, nil, "editor@example.org", RoleEditor)

	in := validArticle()
	in.Title = "  Harbour reopens after storm  "
	in.Body = "The harbour **reopened** on Friday.\r\n\r\nShips   queued [outside](https://port.example/queue) since Tuesday."
	a := mustCreateArticle(t, s, editor, in)

	published := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	if a.ID == 0 || a.Version != 1 || a.Title != "Harbour reopens after storm" || a.Status != StatusPublished {
		t.Errorf("CreateArticle = id %d version %d title %q status %s; want a new id, version 1, the trimmed title, published", a.ID, a.Version, a.Title, a.Status)
	}

	got, err := s.ArticleByID(ctx, a.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	wantText := "The harbour reopened on Friday.\nShips queued outside since Tuesday."
	checks := []struct {
		field     string
		got, want any
	}{
		{"title", got.Title, "Harbour reopens after storm"},
		{"byline", got.Byline, "By Ann Writer"},
		{"source_url", got.SourceURL, "https://gazette.example/news/harbour-reopens"},
		{"published_at", got.PublishedAt != nil && got.PublishedAt.Equal(published), true},
		{"status", got.Status, StatusPublished},
		{"body_format", got.BodyFormat, richtext.FormatMarkdown},
		{"body_source (CRLF normalised)", got.BodySource, strings.ReplaceAll(in.Body, "\r\n", "\n")},
		{"body_text", got.BodyText, wantText},
		{"version", got.Version, 1},
		{"outlet", got.Outlet.Name, "The Test Gazette"},
		{"outlet slug", got.Outlet.Slug, "the-test-gazette"},
		{"created_by", got.CreatedByID != nil && *got.CreatedByID == editor.ID, true},
		{"created_at", got.CreatedAt.Equal(clock.Now()), true},
		{"updated_at", got.UpdatedAt.Equal(clock.Now()), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("article %s = %v, want %v", c.field, c.got, c.want)
		}
	}
	for _, want := range []string{"<strong>reopened</strong>", `href="https://port.example/queue"`, `rel="nofollow noreferrer"`} {
		if !strings.Contains(got.BodyHTML, want) {
			t.Errorf("body_html %q lacks %q", got.BodyHTML, want)
		}
	}
	if richtext.PlainText(got.BodyHTML) != got.BodyText {
		t.Errorf("body_text %q is not the canonical text of body_html", got.BodyText)
	}

	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 1 {
		t.Fatalf("Revisions = %d, want 1", len(revs))
	}
	r := revs[0]
	if r.Number != 1 || r.ArticleID != a.ID || r.Title != got.Title || r.Byline != got.Byline || r.SourceURL != got.SourceURL ||
		!sameTime(r.PublishedAt, got.PublishedAt) || r.Status != got.Status || r.BodyFormat != got.BodyFormat ||
		r.BodySource != got.BodySource || r.BodyHTML != got.BodyHTML || r.BodyText != got.BodyText || r.OutletID != got.OutletID {
		t.Errorf("revision 1 = %+v\ndoes not match the article %+v", r, got)
	}
	if r.Summary != "First version" || r.Author == nil || r.Author.ID != editor.ID || r.Outlet.Name != "The Test Gazette" {
		t.Errorf("revision 1: summary %q, author %+v, outlet %q; want First version by the editor at The Test Gazette", r.Summary, r.Author, r.Outlet.Name)
	}
	if e := auditEntriesFor(t, s, "article", a.ID); len(e) != 1 || e[0].Action != "article.create" || e[0].AfterValue != "published" {
		t.Errorf("audit entries = %+v, want one article.create → published", e)
	}
}

func TestCreateArticleSanitisesHTML(t *testing.T) {
	s, _ := newTestStore(t)
	in := validArticle()
	in.BodyFormat = "html"
	in.Body = `<h1>Storm</h1><p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(2)">there</a>` +
		`<img src=x onerror="alert(3)"> <iframe src="https://evil.example"></iframe><b>friend</b></p><style>p{}</style>`
	a := mustCreateArticle(t, s, nil, in)
	for _, bad := range []string{"<script", "alert", "onclick", "javascript:", "<img", "onerror", "<iframe", "<style", "<h1"} {
		if strings.Contains(a.BodyHTML, bad) {
			t.Errorf("body_html %q still contains %q", a.BodyHTML, bad)
		}
	}
	if !strings.Contains(a.BodyHTML, "<h2>Storm</h2>") || !strings.Contains(a.BodyHTML, "<b>friend</b>") {
		t.Errorf("body_html %q lost safe markup (want the h1 demoted to h2 and the bold kept)", a.BodyHTML)
	}
	if a.BodyText != "Storm\nHi there friend" {
		t.Errorf("body_text = %q, want %q", a.BodyText, "Storm\nHi there friend")
	}
	if a.BodySource != in.Body {
		t.Error("body_source is not the body as typed")
	}
	if rev, err := s.Revision(t.Context(), a.ID, 1); err != nil || rev.BodyHTML != a.BodyHTML || rev.BodyText != a.BodyText {
		t.Errorf("revision 1 = %+v, %v; want the same sanitised body", rev, err)
	}
}

func TestCreateArticleValidation(t *testing.T) {
	s, _ := newTestStore(t)
	tests := []struct {
		name       string
		edit       func(*ArticleInput)
		wantFields []string
	}{
		{"empty title", func(in *ArticleInput) { in.Title = "" }, []string{"title"}},
		{"blank title", func(in *ArticleInput) { in.Title = " \n\t " }, []string{"title"}},
		{"301-character title", func(in *ArticleInput) { in.Title = strings.Repeat("ж", 301) }, []string{"title"}},
		{"title not UTF-8", func(in *ArticleInput) { in.Title = "Storm \xff\xfe" }, []string{"title"}},
		{"301-character byline", func(in *ArticleInput) { in.Byline = strings.Repeat("b", 301) }, []string{"byline"}},
		{"301-character summary", func(in *ArticleInput) { in.Summary = strings.Repeat("s", 301) }, []string{"summary"}},
		{"javascript: URL", func(in *ArticleInput) { in.SourceURL = "javascript:alert(1)" }, []string{"source_url"}},
		{"data: URL", func(in *ArticleInput) { in.SourceURL = "data:text/html,<b>x</b>" }, []string{"source_url"}},
		{"ftp URL", func(in *ArticleInput) { in.SourceURL = "ftp://files.example/a" }, []string{"source_url"}},
		{"URL without scheme", func(in *ArticleInput) { in.SourceURL = "gazette.example/news" }, []string{"source_url"}},
		{"URL without host", func(in *ArticleInput) { in.SourceURL = "https://" }, []string{"source_url"}},
		{"over-long URL", func(in *ArticleInput) { in.SourceURL = "https://a.example/" + strings.Repeat("x", 2000) }, []string{"source_url"}},
		{"month 13, day 45", func(in *ArticleInput) { in.PublishedAt = "2025-13-45" }, []string{"published_at"}},
		{"February 30th", func(in *ArticleInput) { in.PublishedAt = "2025-02-30T10:00" }, []string{"published_at"}},
		{"words for a date", func(in *ArticleInput) { in.PublishedAt = "yesterday" }, []string{"published_at"}},
		{"year out of range", func(in *ArticleInput) { in.PublishedAt = "1500-01-01" }, []string{"published_at"}},
		{"retracted without note", func(in *ArticleInput) { in.Status = "retracted"; in.RetractionNote = "  " }, []string{"retraction_note"}},
		{"2001-character note", func(in *ArticleInput) { in.Status = "retracted"; in.RetractionNote = strings.Repeat("n", 2001) }, []string{"retraction_note"}},
		{"unknown status", func(in *ArticleInput) { in.Status = "archived" }, []string{"status"}},
		{"empty status", func(in *ArticleInput) { in.Status = "" }, []string{"status"}},
		{"status in capitals", func(in *ArticleInput) { in.Status = "Published" }, []string{"status"}},
		{"unknown body format", func(in *ArticleInput) { in.BodyFormat = "rtf" }, []string{"body_format"}},
		{"empty body", func(in *ArticleInput) { in.Body = "" }, []string{"body"}},
		{"blank body", func(in *ArticleInput) { in.Body = " \r\n\t\n" }, []string{"body"}},
		{"body that sanitises to nothing", func(in *ArticleInput) { in.BodyFormat = "html"; in.Body = "<script>x</script>" }, []string{"body"}},
		{"markup-only body", func(in *ArticleInput) {
			in.BodyFormat = "html"
			in.Body = `<p><img src="x.png"></p><iframe src="https://a.example"></iframe>`
		}, []string{"body"}},
		{"body not UTF-8", func(in *ArticleInput) { in.Body = "Good words \xff\xfe\xfd" }, []string{"body"}},
		{"body over the size limit", func(in *ArticleInput) { in.Body = strings.Repeat("word ", richtext.MaxSourceBytes/5+1) }, []string{"body"}},
		{"no outlet", func(in *ArticleInput) { in.NewOutlet = " "; in.OutletID = 0 }, []string{"outlet"}},
		{"121-character new outlet", func(in *ArticleInput) { in.NewOutlet = strings.Repeat("o", 121) }, []string{"new_outlet"}},
		{"outlet that does not exist", func(in *ArticleInput) { in.NewOutlet = ""; in.OutletID = 9999 }, []string{"outlet"}},
		{"several at once", func(in *ArticleInput) {
			in.Title, in.SourceURL, in.PublishedAt, in.Status, in.Body = "", "javascript:x", "2025-13-45", "gone", ""
		}, []string{"title", "source_url", "published_at", "status", "body"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tableCounts(t, s)
			in := validArticle()
			tc.edit(&in)
			a, err := s.CreateArticle(t.Context(), nil, in)
			if a != nil {
				t.Errorf("CreateArticle returned an article for invalid input: %+v", a)
			}
			wantCode(t, err, EInvalid)
			fields := FieldErrors(err)
			for _, f := range tc.wantFields {
				if fields[f] == "" {
					t.Errorf("FieldErrors = %v, want a message for %q", fields, f)
				}
			}
			if len(fields) != len(tc.wantFields) {
				t.Errorf("FieldErrors = %v, want messages for exactly %v", fields, tc.wantFields)
			}
			assertSameCounts(t, before, tableCounts(t, s))
		})
	}
}

func TestArticleDatesAndStatuses(t *testing.T) {
	s, clock := newTestStore(t)
	tests := []struct {
		name          string
		publishedAt   string
		status        ArticleStatus
		note          string
		wantPublished *time.Time
	}{
		{"datetime-local", "2025-03-14T09:30", StatusPublished, "", ptrTime(time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC))},
		{"with seconds", "2025-03-14T09:30:15", StatusPublished, "", ptrTime(time.Date(2025, 3, 14, 9, 30, 15, 0, time.UTC))},
		{"space-separated", " 2025-03-14 09:30 ", StatusPublished, "", ptrTime(time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC))},
		{"date only", "2025-03-14", StatusPublished, "", ptrTime(time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC))},
		{"published without a date gets now", "", StatusPublished, "", ptrTime(clock.Now())},
		{"draft without a date stays undated", "", StatusDraft, "", nil},
		{"retracted with a note", "2025-03-14", StatusRetracted, "The quoted report did not exist.", ptrTime(time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validArticle()
			in.PublishedAt, in.Status, in.RetractionNote = tc.publishedAt, string(tc.status), tc.note
			a := mustCreateArticle(t, s, nil, in)
			got, err := s.ArticleByID(t.Context(), a.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if !sameTime(got.PublishedAt, tc.wantPublished) {
				t.Errorf("published_at = %v, want %v", got.PublishedAt, tc.wantPublished)
			}
			if got.Status != tc.status || got.RetractionNote != tc.note {
				t.Errorf("status %s note %q, want %s %q", got.Status, got.RetractionNote, tc.status, tc.note)
			}
		})
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestOutletsAreCreatedByNameAndReused(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	in := validArticle()
	in.NewOutlet = "The Daily Example"
	first := mustCreateArticle(t, s, nil, in)

	for _, name := range []string{"the daily example", "  THE DAILY EXAMPLE  ", "The Daily Example"} {
		in.NewOutlet, in.Title = name, "Story via "+name
		a := mustCreateArticle(t, s, nil, in)
		if a.OutletID != first.OutletID {
			t.Errorf("NewOutlet %q made outlet %d, want the existing %d", name, a.OutletID, first.OutletID)
		}
	}
	in.NewOutlet, in.OutletID = "", first.OutletID
	if a := mustCreateArticle(t, s, nil, in); a.OutletID != first.OutletID || a.Outlet.Name != "The Daily Example" {
		t.Errorf("by OutletID: outlet %d %q, want %d The Daily Example", a.OutletID, a.Outlet.Name, first.OutletID)
	}
	if n := countRows(t, s, "outlets"); n != 1 {
		t.Errorf("outlets has %d rows, want 1", n)
	}

	// A different name whose slug collides gets a numbered slug.
	in.NewOutlet, in.OutletID = "The Daily Example!", 0
	other := mustCreateArticle(t, s, nil, in)
	if other.OutletID == first.OutletID || other.Outlet.Slug != "the-daily-example-2" {
		t.Errorf("outlet %d slug %q, want a new outlet with slug the-daily-example-2", other.OutletID, other.Outlet.Slug)
	}
	o, err := s.OutletBySlug(ctx, "the-daily-example")
	if err != nil || o.ID != first.OutletID || o.Name != "The Daily Example" {
		t.Errorf("OutletBySlug = %+v, %v; want the first outlet as first spelled", o, err)
	}
	outlets, err := s.ListOutlets(ctx)
	if err != nil || len(outlets) != 2 {
		t.Errorf("ListOutlets = %+v, %v; want 2", outlets, err)
	}
	wantCode(t, func() error { _, err := s.OutletBySlug(ctx, "nope"); return err }(), ENotFound)
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"The Harbour Ledger", "the-harbour-ledger"},
		{"  Meridian   Wire!! ", "meridian-wire"},
		{"Le Monde diplomatique", "le-monde-diplomatique"},
		{"Süddeutsche Zeitung", "süddeutsche-zeitung"},
		{"24/7 News", "24-7-news"},
		{"---", ""},
	}
	for _, tc := range tests {
		if got := Slugify(tc.in); got != tc.want {
			t.Errorf("Slugify(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestUpdateArticleMakesANewRevision(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := t.Context()
	editor := mustCreateUser(t, s, nil, "editor@example.org", RoleEditor)
	in := validArticle()
	a := mustCreateArticle(t, s, nil, in)
	rev1, err := s.Revision(ctx, a.ID, 1)
	if err != nil {
		t.Fatal(err)
	}

	clock.Advance(time.Hour)
	edit := in
	edit.BaseVersion = 1
	edit.Title = "Harbour reopens after two-day storm"
	edit.Body = "The harbour **reopened** on Friday morning.\n\nShips queued outside since Tuesday."
	updated, err := s.UpdateArticle(ctx, editor, a.ID, edit)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || updated.Title != edit.Title {
		t.Errorf("UpdateArticle = version %d title %q, want 2 and the new title", updated.Version, updated.Title)
	}

	got, err := s.ArticleByID(ctx, a.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Title != edit.Title || got.BodyText != "The harbour reopened on Friday morning.\nShips queued outside since Tuesday." ||
		!got.UpdatedAt.Equal(clock.Now()) || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Errorf("stored article = %+v, want version 2 with the edit, updated now, created unchanged", got)
	}

	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Number != 2 || revs[1].Number != 1 {
		t.Fatalf("Revisions = %d (numbers %v), want 2 newest first", len(revs), revNumbers(revs))
	}
	r2 := revs[0]
	if r2.Title != got.Title || r2.BodyHTML != got.BodyHTML || r2.BodyText != got.BodyText || r2.AuthorID == nil || *r2.AuthorID != editor.ID {
		t.Errorf("revision 2 = %+v, want the new content by the editor", r2)
	}
	if r2.Summary != "Headline changed; text: 1 words added, 0 removed" {
		t.Errorf("revision 2 summary = %q, want the described change", r2.Summary)
	}
	after1 := revs[1]
	after1.Author, after1.Outlet = nil, Outlet{}
	rev1.Author, rev1.Outlet = nil, Outlet{}
	if !sameRevision(*rev1, after1) {
		t.Errorf("revision 1 changed:\nbefore %+v\nafter  %+v", *rev1, after1)
	}
	entries := auditEntriesFor(t, s, "article", a.ID)
	if last := entries[len(entries)-1]; last.Action != "article.update" || last.BeforeValue != "version 1, published" || last.AfterValue != "version 2, published" {
		t.Errorf("last audit entry = %+v, want article.update version 1 → 2", last)
	}

	t.Run("retraction", func(t *testing.T) {
		retract := edit
		retract.BaseVersion, retract.Status, retract.RetractionNote = 2, "retracted", "The storm never happened."
		r, err := s.UpdateArticle(ctx, editor, a.ID, retract)
		if err != nil {
			t.Fatal(err)
		}
		rev, _ := s.Revision(ctx, a.ID, 3)
		if r.Version != 3 || rev == nil || rev.Status != StatusRetracted || rev.Summary != "Published → Retracted" {
			t.Errorf("version %d, revision 3 = %+v; want a retracted third revision summarised Published → Retracted", r.Version, rev)
		}
		if pub, err := s.ArticleByID(ctx, a.ID, false); err != nil || pub.RetractionNote != "The storm never happened." {
			t.Errorf("a retracted article must stay public with its note: %+v, %v", pub, err)
		}
	})

	t.Run("unknown article", func(t *testing.T) {
		edit := edit
		edit.BaseVersion = 1
		_, err := s.UpdateArticle(ctx, editor, 9999, edit)
		wantCode(t, err, ENotFound)
	})

	t.Run("invalid edit", func(t *testing.T) {
		before := tableCounts(t, s)
		bad := edit
		bad.BaseVersion, bad.Title = 3, ""
		_, err := s.UpdateArticle(ctx, editor, a.ID, bad)
		if FieldErrors(err)["title"] == "" {
			t.Errorf("err = %v, want a title field error", err)
		}
		assertSameCounts(t, before, tableCounts(t, s))
	})
}

func revNumbers(revs []ArticleRevision) []int {
	var n []int
	for _, r := range revs {
		n = append(n, r.Number)
	}
	return n
}

func sameRevision(a, b ArticleRevision) bool {
	return a.ID == b.ID && a.ArticleID == b.ArticleID && a.Number == b.Number && a.OutletID == b.OutletID &&
		a.Title == b.Title && a.Byline == b.Byline && a.SourceURL == b.SourceURL && sameTime(a.PublishedAt, b.PublishedAt) &&
		a.Status == b.Status && a.RetractionNote == b.RetractionNote && a.BodyFormat == b.BodyFormat &&
		a.BodySource == b.BodySource && a.BodyHTML == b.BodyHTML && a.BodyText == b.BodyText && a.Summary == b.Summary &&
		((a.AuthorID == nil) == (b.AuthorID == nil)) && a.CreatedAt.Equal(b.CreatedAt)
}

func sameArticleRow(a, b *Article) bool {
	return sameContent(a, b) && a.ID == b.ID && a.Version == b.Version && a.BodyHTML == b.BodyHTML && a.BodyText == b.BodyText &&
		a.UpdatedAt.Equal(b.UpdatedAt) && a.CreatedAt.Equal(b.CreatedAt)
}

func TestUpdateArticleConflict(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := t.Context()
	in := validArticle()
	a := mustCreateArticle(t, s, nil, in)
	first := in
	first.BaseVersion, first.Title = 1, "First editor's headline"
	clock.Advance(time.Minute)
	if _, err := s.UpdateArticle(ctx, nil, a.ID, first); err != nil {
		t.Fatal(err)
	}
	current, _ := s.ArticleByID(ctx, a.ID, true)
	before := tableCounts(t, s)

	second := in
	second.BaseVersion, second.Title = 1, "Second editor's headline"
	clock.Advance(time.Minute)
	got, err := s.UpdateArticle(ctx, nil, a.ID, second)
	if got != nil {
		t.Errorf("a stale edit returned an article: %+v", got)
	}
	var conflict *ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("stale edit: err = %v, want *ConflictError", err)
	}
	if conflict.Current == nil || conflict.Current.Version != 2 || conflict.Current.Title != "First editor's headline" || conflict.Current.Outlet.Name != "The Test Gazette" {
		t.Errorf("ConflictError.Current = %+v, want version 2 with the first editor's headline and its outlet", conflict.Current)
	}
	if conflict.Base == nil || conflict.Base.Number != 1 || conflict.Base.Title != in.Title {
		t.Errorf("ConflictError.Base = %+v, want revision 1 with the original headline", conflict.Base)
	}
	if !strings.Contains(err.Error(), "version 2") {
		t.Errorf("error text %q does not say which version is current", err)
	}

	assertSameCounts(t, before, tableCounts(t, s))
	after, _ := s.ArticleByID(ctx, a.ID, true)
	if !sameArticleRow(current, after) {
		t.Errorf("a refused edit changed the article:\nbefore %+v\nafter  %+v", current, after)
	}

	// A base version the article never had is a form error, not a conflict.
	second.BaseVersion = 7
	_, err = s.UpdateArticle(ctx, nil, a.ID, second)
	if errors.As(err, &conflict) || ErrorCodeOf(err) != EInvalid {
		t.Errorf("BaseVersion 7: err = %v, want an EInvalid error", err)
	}
	assertSameCounts(t, before, tableCounts(t, s))
}

func TestUpdateArticleWithoutChanges(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := t.Context()
	in := validArticle()
	a := mustCreateArticle(t, s, nil, in)
	stored, _ := s.ArticleByID(ctx, a.ID, true)
	before := tableCounts(t, s)
	clock.Advance(time.Hour)

	tests := []struct {
		name string
		edit func(*ArticleInput)
	}{
		{"identical", func(*ArticleInput) {}},
		{"Windows line endings", func(in *ArticleInput) { in.Body = strings.ReplaceAll(in.Body, "\n", "\r\n") }},
		{"padding around fields", func(in *ArticleInput) {
			in.Title, in.Byline, in.SourceURL = " "+in.Title+" ", in.Byline+"  ", " "+in.SourceURL
		}},
		{"same time written another way", func(in *ArticleInput) { in.PublishedAt = "2025-03-14 09:30" }},
		{"outlet by id instead of name", func(in *ArticleInput) { in.NewOutlet, in.OutletID = "", a.OutletID }},
		{"outlet name in other case", func(in *ArticleInput) { in.NewOutlet = "THE TEST GAZETTE" }},
		{"only a summary", func(in *ArticleInput) { in.Summary = "Nothing really" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edit := in
			edit.BaseVersion = 1
			tc.edit(&edit)
			got, err := s.UpdateArticle(ctx, nil, a.ID, edit)
			if !errors.Is(err, ErrNoChange) || got != nil {
				t.Fatalf("UpdateArticle = %+v, %v; want ErrNoChange", got, err)
			}
			assertSameCounts(t, before, tableCounts(t, s))
			after, _ := s.ArticleByID(ctx, a.ID, true)
			if !sameArticleRow(stored, after) {
				t.Errorf("a no-change save altered the article: updated_at %v → %v, version %d → %d", stored.UpdatedAt, after.UpdatedAt, stored.Version, after.Version)
			}
		})
	}
}

func TestDeleteAndRestoreArticle(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	admin := mustCreateUser(t, s, nil, "admin@example.org", RoleAdmin)
	keep := mustCreateArticle(t, s, nil, validArticle())
	in := validArticle()
	in.Title = "To be deleted"
	a := mustCreateArticle(t, s, nil, in)
	original, _ := s.ArticleByID(ctx, a.ID, true)

	if err := s.DeleteArticle(ctx, admin, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, drafts := range []bool{false, true} {
		if got, err := s.ArticleByID(ctx, a.ID, drafts); ErrorCodeOf(err) != ENotFound || got != nil {
			t.Errorf("ArticleByID(deleted, includeDrafts=%v) = %+v, %v; want ENotFound", drafts, got, err)
		}
	}
	for _, f := range []ArticleFilter{{}, {IncludeDrafts: true}, {OutletID: a.OutletID}} {
		if ids := listedIDs(t, s, f); len(ids) != 1 || ids[0] != keep.ID {
			t.Errorf("ListArticles(%+v) after delete = %v, want only %d", f, ids, keep.ID)
		}
	}
	if ids := listedIDs(t, s, ArticleFilter{Deleted: true}); len(ids) != 1 || ids[0] != a.ID {
		t.Errorf("ListArticles(Deleted) = %v, want [%d]", ids, a.ID)
	}
	var deletedBy *uint
	s.read.Raw("SELECT deleted_by_id FROM articles WHERE id = ?", a.ID).Scan(&deletedBy)
	if deletedBy == nil || *deletedBy != admin.ID {
		t.Errorf("deleted_by_id = %v, want the admin %d", deletedBy, admin.ID)
	}
	if n := countRows(t, s, "article_revisions"); n != 2 {
		t.Errorf("article_revisions has %d rows after delete, want 2 (history kept)", n)
	}
	wantCode(t, s.DeleteArticle(ctx, admin, a.ID), ENotFound)
	edit := in
	edit.BaseVersion, edit.Title = 1, "Edited while deleted"
	if _, err := s.UpdateArticle(ctx, admin, a.ID, edit); ErrorCodeOf(err) != ENotFound {
		t.Errorf("UpdateArticle on a deleted article: err = %v, want ENotFound", err)
	}

	if err := s.RestoreArticle(ctx, admin, a.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticleByID(ctx, a.ID, false)
	if err != nil {
		t.Fatalf("ArticleByID after restore: %v", err)
	}
	// updated_at is not compared: DeleteArticle and RestoreArticle currently
	// overwrite it with the wall clock (reported as a bug).
	if !sameContent(original, got) || got.Version != original.Version || got.BodyHTML != original.BodyHTML ||
		got.BodyText != original.BodyText || !got.CreatedAt.Equal(original.CreatedAt) || got.DeletedByID != nil {
		t.Errorf("restored article differs:\nbefore %+v\nafter  %+v", original, got)
	}
	if ids := listedIDs(t, s, ArticleFilter{}); len(ids) != 2 {
		t.Errorf("ListArticles after restore = %v, want both articles", ids)
	}
	wantCode(t, s.RestoreArticle(ctx, admin, a.ID), ENotFound)
	wantCode(t, s.RestoreArticle(ctx, admin, keep.ID), ENotFound)
	wantCode(t, s.DeleteArticle(ctx, admin, 9999), ENotFound)

	var actions []string
	for _, e := range auditEntriesFor(t, s, "article", a.ID) {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "article.create,article.delete,article.restore" {
		t.Errorf("audit trail = %v, want create, delete, restore", actions)
	}
}

func TestDraftsAreHiddenFromThePublic(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := t.Context()
	pub := mustCreateArticle(t, s, nil, validArticle())
	in := validArticle()
	in.Title, in.Status, in.PublishedAt = "Unfinished draft", "draft", ""
	draft := mustCreateArticle(t, s, nil, in)
	in.Title, in.PublishedAt = "Dated draft", "2030-01-01"
	datedDraft := mustCreateArticle(t, s, nil, in)

	for _, id := range []uint{draft.ID, datedDraft.ID} {
		if got, err := s.ArticleByID(ctx, id, false); ErrorCodeOf(err) != ENotFound || got != nil {
			t.Errorf("public ArticleByID(draft %d) = %+v, %v; want ENotFound", id, got, err)
		}
		if got, err := s.ArticleByID(ctx, id, true); err != nil || got.Status != StatusDraft {
			t.Errorf("staff ArticleByID(draft %d) = %+v, %v; want the draft", id, got, err)
		}
	}
	if ids := listedIDs(t, s, ArticleFilter{}); len(ids) != 1 || ids[0] != pub.ID {
		t.Errorf("public ListArticles = %v, want only the published %d", ids, pub.ID)
	}
	// Staff listings show drafts, the undated one first, then newest first.
	want := []uint{draft.ID, datedDraft.ID, pub.ID}
	if ids := listedIDs(t, s, ArticleFilter{IncludeDrafts: true}); !slices.Equal(ids, want) {
		t.Errorf("staff ListArticles = %v, want %v", ids, want)
	}

	// Publishing the draft makes it public.
	pubIn := in
	pubIn.Title, pubIn.Status, pubIn.PublishedAt, pubIn.BaseVersion = "Unfinished draft", "published", "", 1
	if _, err := s.UpdateArticle(ctx, nil, draft.ID, pubIn); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ArticleByID(ctx, draft.ID, false); err != nil || got.PublishedAt == nil {
		t.Errorf("after publishing, public ArticleByID = %+v, %v; want it with a publication date", got, err)
	}
}

func listedIDs(t *testing.T, s *Store, f ArticleFilter) []uint {
	t.Helper()
	rows, _, err := s.ListArticles(t.Context(), f, NewPage(1, 100))
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids
}
