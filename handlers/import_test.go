package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsgloss/handlers"
	"newsgloss/importer"
	"newsgloss/models"
)

// newsPage is an article page in the JSON-LD shape, written for these tests.
func newsPage(headline, lastParagraph string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + headline + ` | Tideway Gazette</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"` + headline + `",
"datePublished":"2025-06-03T08:15:00Z","author":{"@type":"Person","name":"Lena Okafor"},
"publisher":{"@type":"Organization","name":"Tideway Gazette"}}</script>
<script>trackEverything()</script></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/puzzles">Puzzles</a></nav>
<article><h1>` + headline + `</h1>
<p>The river authority opened the new flood gates at the estuary on Tuesday, three years after the storm that put half the old town under water.</p>
<p>Engineers ran the gates through a full cycle at high tide while residents watched from the harbour wall, and the authority said the test went as planned.</p>
<p>The gates are designed to hold back a surge a metre higher than the one that flooded the town, and will be closed whenever the forecast shows a risk.</p>
<p>` + lastParagraph + `</p>
<div class="ad">Advertisement: holiday cottages by the sea</div>
</article><footer>Tideway Gazette · <a href="/contact">Contact us</a></footer></body></html>`
}

const testRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tideway Gazette</title><link>%[1]s/</link><description>News</description>
<item><title>Flood gates open at the estuary</title><link>%[1]s/news/gates?utm_source=rss</link><pubDate>Tue, 03 Jun 2025 08:15:00 GMT</pubDate><description>The gates opened.</description></item>
<item><title>Harbour café changes hands</title><link>%[1]s/news/cafe</link><pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate><description>A new owner.</description></item>
</channel></rss>`

// newsSite is a stand-in for an outlet's web site on 127.0.0.1.
type newsSite struct {
	srv           *httptest.Server
	lastParagraph atomic.Value
	hits          atomic.Int64
}

func newNewsSite(t *testing.T) *newsSite {
	t.Helper()
	ns := &newsSite{}
	ns.lastParagraph.Store("A public meeting about the gates is planned for next month.")
	mux := http.NewServeMux()
	mux.HandleFunc("/news/gates", func(w http.ResponseWriter, r *http.Request) {
		ns.hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, newsPage("Flood gates open at the estuary", ns.lastParagraph.Load().(string)))
	})
	mux.HandleFunc("/news/cafe", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, newsPage("Harbour café changes hands", "The new owners will keep the old name."))
	})
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.7")
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, testRSS, ns.srv.URL)
	})
	ns.srv = httptest.NewServer(mux)
	t.Cleanup(ns.srv.Close)
	return ns
}

func (c *client) postMultipart(path string, fields map[string]string, fileName string, content []byte) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if _, ok := fields["_csrf"]; !ok {
		mw.WriteField("_csrf", c.csrf)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.site.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	return c.do(req)
}

func countArticles(t *testing.T, site *testSite) int64 {
	t.Helper()
	n, err := site.store.CountRows(context.Background(), "articles")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportByURLPrefillsTheFormOffersRevisionsAndMatchesOutlets(t *testing.T) {
	site := newTestSite(t, handlers.Config{ImportAllowPrivate: true})
	news := newNewsSite(t)
	c := site.client()
	c.signIn(models.RoleEditor)
	before := countArticles(t, site)

	res := c.get("/desk/import")
	wantStatus(t, res, http.StatusOK)
	res = c.post("/desk/import", url.Values{"url": {news.srv.URL + "/news/gates?utm_campaign=x#top"}})
	wantStatus(t, res, http.StatusOK)
	if got := countArticles(t, site); got != before {
		t.Fatalf("fetching saved something: %d articles, was %d", got, before)
	}
	form := res.doc.Find(`form[data-testid="article-form"]`)
	if action, _ := form.Attr("action"); action != "/desk/articles" {
		t.Errorf("form posts to %q, want the create route", action)
	}
	val := func(sel string) string { v, _ := form.Find(sel).Attr("value"); return v }
	want := map[string]string{
		"#title":        "Flood gates open at the estuary",
		"#byline":       "By Lena Okafor",
		"#published_at": "2025-06-03T08:15",
		"#source_url":   news.srv.URL + "/news/gates",
		"#new_outlet":   "Tideway Gazette",
	}
	for sel, w := range want {
		if got := val(sel); got != w {
			t.Errorf("%s = %q, want %q", sel, got, w)
		}
	}
	body := form.Find("#body").Text()
	for _, s := range []string{"flood gates at the estuary", "public meeting about the gates"} {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q:\n%s", s, body)
		}
	}
	for _, s := range []string{"<script", "trackEverything", "Advertisement", "Puzzles", "Contact us"} {
		if strings.Contains(body, s) {
			t.Errorf("body contains %q:\n%s", s, body)
		}
	}
	if !form.Find(`input[name="body_format"][value="html"][checked]`).Is("input") {
		t.Error("the HTML body format is not selected")
	}
	if !form.Find(`input[name="status"][value="draft"][checked]`).Is("input") {
		t.Error("draft is not selected")
	}
	if !strings.Contains(res.text(`[data-testid="import-notice"]`), "Nothing is saved until you press Save") {
		t.Error("no notice that nothing was saved")
	}

	// The editor saves the form as it was filled in.
	form2 := url.Values{}
	for _, f := range []string{"title", "byline", "published_at", "source_url", "new_outlet"} {
		form2.Set(f, val("#"+f))
	}
	form2.Set("body", body)
	form2.Set("body_format", "html")
	form2.Set("status", "published")
	res = c.post("/desk/articles", form2)
	wantStatus(t, res, http.StatusSeeOther)
	a, err := site.store.ArticleBySourceURL(context.Background(), news.srv.URL+"/news/gates")
	if err != nil || a == nil {
		t.Fatalf("saved article not found by its address: %v", err)
	}
	if a.Outlet.Name != "Tideway Gazette" || a.Version != 1 || strings.Contains(a.BodyHTML, "script") {
		t.Errorf("saved article %+v", a)
	}

	// The same address again (with other tracking parameters) is offered as a
	// new revision of that article, not a duplicate.
	news.lastParagraph.Store("The authority has since moved the public meeting to the town hall.")
	res = c.post("/desk/import", url.Values{"url": {news.srv.URL + "/news/gates?utm_source=newsletter"}})
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.text(`[data-testid="revision-offer"]`), "adds version 2") {
		t.Errorf("no revision offer: %q", res.text(`[data-testid="revision-offer"]`))
	}
	form = res.doc.Find(`form[data-testid="article-form"]`)
	if action, _ := form.Attr("action"); action != fmt.Sprintf("/desk/articles/%d", a.ID) {
		t.Errorf("revision form posts to %q", action)
	}
	if v, _ := form.Find(`input[name="base_version"]`).Attr("value"); v != "1" {
		t.Errorf("base_version = %q", v)
	}
	if !form.Find(`input[name="status"][value="published"][checked]`).Is("input") {
		t.Error("the revision form does not keep the article's status")
	}
	upd := url.Values{"base_version": {"1"}, "outlet_id": {fmt.Sprint(a.OutletID)}, "body_format": {"html"}, "status": {"published"}}
	for _, f := range []string{"title", "byline", "published_at", "source_url", "summary"} {
		v, _ := form.Find("#" + f).Attr("value")
		upd.Set(f, v)
	}
	upd.Set("body", form.Find("#body").Text())
	wantStatus(t, c.post(fmt.Sprintf("/desk/articles/%d", a.ID), upd), http.StatusSeeOther)
	after, _ := site.store.ArticleByID(context.Background(), a.ID, true)
	if after.Version != 2 || !strings.Contains(after.BodyText, "town hall") {
		t.Errorf("after saving the revision: version %d, text %q", after.Version, after.BodyText)
	}
	if got := countArticles(t, site); got != before+1 {
		t.Errorf("%d articles, want %d (no duplicate)", got, before+1)
	}

	// An outlet whose home page is on the page's site (as a feed or a bulk
	// file sets it) is chosen over the publisher's name from the page.
	sink := site.store.BulkSink(nil)
	rec := importer.Record{Line: 1, Title: "Earlier story", Outlet: "The Tideway", OutletURL: news.srv.URL + "/",
		URL: news.srv.URL + "/old", Format: "markdown", Body: "Earlier.", Status: "draft"}
	if err := sink.Check(rec); err != nil {
		t.Fatal(err)
	}
	if _, err := sink.Import(context.Background(), []importer.Record{rec}); err != nil {
		t.Fatal(err)
	}
	outlet, _ := site.store.OutletByName(context.Background(), "The Tideway")
	res = c.post("/desk/import", url.Values{"url": {news.srv.URL + "/news/cafe"}})
	wantStatus(t, res, http.StatusOK)
	sel := res.doc.Find(`#outlet_id option[selected]`)
	if v, _ := sel.Attr("value"); v != fmt.Sprint(outlet.ID) {
		t.Errorf("selected outlet %q (%s), want %d (The Tideway, matched by domain)", v, sel.Text(), outlet.ID)
	}
	if v, _ := res.doc.Find("#new_outlet").Attr("value"); v != "" {
		t.Errorf("new outlet %q, want none", v)
	}
}

func TestImportByURLExplainsBadInputAndHonoursTheAdminSetting(t *testing.T) {
	news := newNewsSite(t)
	// The default policy: no fetching from 127.0.0.1.
	site := newTestSite(t, handlers.Config{})
	c := site.client()
	c.signIn(models.RoleEditor)
	c.get("/desk/import")
	res := c.post("/desk/import", url.Values{"url": {news.srv.URL + "/news/gates"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := res.text(`[data-testid="form-error"]`); !strings.Contains(msg, "loopback") {
		t.Errorf("message %q", msg)
	}
	if v, _ := res.doc.Find("#import-url").Attr("value"); v != news.srv.URL+"/news/gates" {
		t.Errorf("the address typed was not kept: %q", v)
	}
	if news.hits.Load() != 0 {
		t.Error("the private address was fetched")
	}

	// An admin allows internal addresses.
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	admin.get("/admin/import")
	wantStatus(t, admin.post("/admin/import/settings", url.Values{"allow_private": {"on"}}), http.StatusSeeOther)
	wantStatus(t, c.post("/desk/import", url.Values{"url": {news.srv.URL + "/news/gates"}}), http.StatusOK)

	for _, tc := range []struct {
		url, want string
		status    int
	}{
		{"ftp://example.org/x", "Only http:// and https://", http.StatusUnprocessableEntity},
		{news.srv.URL + "/report.pdf", "application/pdf, not a web page", http.StatusUnprocessableEntity},
		{news.srv.URL + "/missing", "404", http.StatusBadGateway},
		{"", "Enter the article’s web address.", http.StatusUnprocessableEntity},
	} {
		res := c.post("/desk/import", url.Values{"url": {tc.url}})
		if res.StatusCode != tc.status || !strings.Contains(res.text(`[data-testid="form-error"]`), tc.want) {
			t.Errorf("%q: status %d, message %q; want %d and %q", tc.url, res.StatusCode, res.text(`[data-testid="form-error"]`), tc.status, tc.want)
		}
	}

	// And takes it back.
	admin.get("/admin/import")
	wantStatus(t, admin.post("/admin/import/settings", nil), http.StatusSeeOther)
	wantStatus(t, c.post("/desk/import", url.Values{"url": {news.srv.URL + "/news/gates"}}), http.StatusUnprocessableEntity)
}

func TestFeedRefreshListsCandidatesForEditors(t *testing.T) {
	site := newTestSite(t, handlers.Config{ImportAllowPrivate: true})
	news := newNewsSite(t)
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	admin.get("/admin/feeds")
	res := admin.post("/admin/feeds", url.Values{"url": {news.srv.URL + "/feed.xml"}})
	wantStatus(t, res, http.StatusUnprocessableEntity) // no outlet
	if got := res.text("#feed-outlet-error"); got == "" {
		t.Error("no message about the missing outlet")
	}
	res = admin.post("/admin/feeds", url.Values{"url": {news.srv.URL + "/feed.xml"}, "new_outlet": {"Tideway Gazette"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = admin.post("/admin/feeds", url.Values{"url": {news.srv.URL + "/not-a-feed"}, "new_outlet": {"Broken Outlet"}})
	wantStatus(t, res, http.StatusSeeOther)

	editor := site.client()
	editor.signIn(models.RoleEditor)
	res = editor.get("/desk/import/candidates")
	wantStatus(t, res, http.StatusOK)
	if res.doc.Find(`[data-testid="candidate"]`).Length() != 0 {
		t.Fatal("candidates before any refresh")
	}
	res = editor.post("/desk/import/refresh", nil)
	wantStatus(t, res, http.StatusSeeOther)
	res = editor.get("/desk/import/candidates")
	if flash := res.text(`[data-testid="flash"]`); flash != "Checked 2 feeds: 2 new items. 1 could not be read; see the feeds list." {
		t.Errorf("flash %q", flash)
	}
	rows := res.doc.Find(`[data-testid="candidate"]`)
	if rows.Length() != 2 || !strings.Contains(rows.First().Text(), "Flood gates open") || !strings.Contains(rows.First().Text(), "Tideway Gazette") {
		t.Fatalf("candidates:\n%s", rows.Text())
	}
	// The broken feed's error is on the admin's list.
	res = admin.get("/admin/feeds")
	if errs := res.doc.Find(`[data-testid="feed-error"]`).Text(); !strings.Contains(errs, "404") {
		t.Errorf("feed errors %q", errs)
	}

	// Import one: the pre-filled form of its page.
	importAction, _ := rows.First().Find(`form[action$="/import"]`).Attr("action")
	res = editor.post(importAction, nil)
	wantStatus(t, res, http.StatusOK)
	if v, _ := res.doc.Find("#title").Attr("value"); v != "Flood gates open at the estuary" {
		t.Errorf("candidate's form title %q", v)
	}
	// Dismiss the other: it leaves the new items.
	dismiss, _ := rows.Eq(1).Find(`form[action$="/dismiss"]`).Attr("action")
	wantStatus(t, editor.post(dismiss, nil), http.StatusSeeOther)
	res = editor.get("/desk/import/candidates")
	if n := res.doc.Find(`[data-testid="candidate"]`).Length(); n != 1 {
		t.Errorf("%d new candidates after dismissing one", n)
	}
	res = editor.get("/desk/import/candidates?state=dismissed")
	if !strings.Contains(res.text(`[data-testid="candidates"]`), "Harbour café") {
		t.Error("the dismissed item is not listed as dismissed")
	}
	// A second refresh adds nothing new.
	editor.post("/desk/import/refresh", nil)
	res = editor.get("/desk/import/candidates?state=all")
	if n := res.doc.Find(`[data-testid="candidate"]`).Length(); n != 2 {
		t.Errorf("%d candidates in all after a second refresh", n)
	}
}

const uploadFile = `{"title": "Quay repairs finished", "outlet": "Tideway Gazette", "url": "https://tideway.example/quay", "published": "2025-05-01", "body_markdown": "The quay is **open** again."}
{"title": "Missing its outlet", "url": "https://tideway.example/2", "body_markdown": "Text."}
{"title": "Lighthouse keeper retires", "outlet": "Tideway Gazette", "url": "https://tideway.example/lighthouse", "body_html": "<p>After forty years.</p><script>alert(1)</script>"}
{broken json
{"title": "Regatta postponed", "outlet": "Tideway Gazette", "url": "https://tideway.example/regatta", "body": "Wind.", "format": "markdown", "status": "published"}
`

func waitForJob(t *testing.T, c *client, path string) *response {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := c.get(path)
		wantStatus(t, res, http.StatusOK)
		state, _ := res.doc.Find(`[data-testid="job"]`).Attr("data-state")
		if state == models.JobDone || state == models.JobFailed {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job is still %s after 10 s", state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestBulkUploadInTheBrowser(t *testing.T) {
	bg := handlers.NewBackground(context.Background())
	site := newTestSite(t, handlers.Config{Background: bg})
	t.Cleanup(bg.Wait) // runs before the store closes
	before := countArticles(t, site)
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	admin.get("/admin/import")

	res := admin.postMultipart("/admin/import", map[string]string{"status": "draft"}, "tideway.jsonl", []byte(uploadFile))
	wantStatus(t, res, http.StatusSeeOther)
	jobPath := res.Header.Get("Location")
	if !strings.HasPrefix(jobPath, "/admin/import/jobs/") {
		t.Fatalf("redirected to %q", jobPath)
	}
	res = waitForJob(t, admin, jobPath)
	if got := res.text(`[data-testid="job-state"]`); got != "Finished" {
		t.Errorf("state %q; error %q", got, res.text(`[data-testid="job-error"]`))
	}
	if got := res.text(`[data-testid="job-summary"]`); !strings.HasPrefix(got, "imported 3, skipped (already present) 0, rejected 2") {
		t.Errorf("summary %q", got)
	}
	if res.doc.Find(`meta[http-equiv="refresh"]`).Length() != 0 {
		t.Error("a finished job's page still reloads itself")
	}
	var rejected []string
	res.doc.Find(`[data-testid="rejection"]`).Each(func(_ int, s *goquery.Selection) {
		rejected = append(rejected, s.Find("td").First().Text()+" "+s.Find("td").Last().Text())
	})
	if len(rejected) != 2 || !strings.HasPrefix(rejected[0], "2 missing outlet") || !strings.HasPrefix(rejected[1], "4 malformed JSON") {
		t.Errorf("rejected lines %q", rejected)
	}
	if got := countArticles(t, site); got != before+3 {
		t.Errorf("%d articles, want %d", got, before+3)
	}
	a, _ := site.store.ArticleBySourceURL(context.Background(), "https://tideway.example/lighthouse")
	if a == nil || a.Status != models.StatusDraft || strings.Contains(a.BodyHTML, "script") || a.CreatedByID == nil {
		t.Errorf("imported article %+v", a)
	}

	// The same file again adds nothing.
	admin.get("/admin/import")
	res = admin.postMultipart("/admin/import", nil, "tideway.jsonl", []byte(uploadFile))
	wantStatus(t, res, http.StatusSeeOther)
	res = waitForJob(t, admin, res.Header.Get("Location"))
	if got := res.text(`[data-testid="job-summary"]`); !strings.HasPrefix(got, "imported 0, skipped (already present) 3, rejected 2") {
		t.Errorf("second run summary %q", got)
	}
	if got := countArticles(t, site); got != before+3 {
		t.Errorf("the second run added articles: %d", got)
	}
	res = admin.get("/admin/import")
	if n := res.doc.Find(`[data-testid="jobs"] tbody tr`).Length(); n != 2 {
		t.Errorf("%d jobs listed", n)
	}

	// While a job runs, its page reloads itself and shows how far it is.
	job, err := site.store.CreateImportJob(context.Background(), nil, "big.jsonl", "draft")
	if err != nil {
		t.Fatal(err)
	}
	if err := site.store.StartImportJob(context.Background(), job.ID, importer.KindJSONLines, 1000); err != nil {
		t.Fatal(err)
	}
	if err := site.store.UpdateImportJob(context.Background(), job.ID, importer.Progress{Total: 1000, Processed: 250, Imported: 240, Rejected: 10, Elapsed: time.Second}); err != nil {
		t.Fatal(err)
	}
	res = admin.get(fmt.Sprintf("/admin/import/jobs/%d", job.ID))
	wantStatus(t, res, http.StatusOK)
	if v, _ := res.doc.Find(`head meta[http-equiv="refresh"]`).Attr("content"); v != "2" {
		t.Errorf("meta refresh %q", v)
	}
	if v, _ := res.doc.Find("progress").Attr("value"); v != "25" {
		t.Errorf("progress value %q", v)
	}
	if got := res.text(`[data-testid="job-summary"]`); got != "imported 240, skipped (already present) 0, rejected 10 · 250.0 lines per second" {
		t.Errorf("summary %q", got)
	}

	// A file that is neither JSON Lines nor a feed, and no file at all.
	res = admin.postMultipart("/admin/import", nil, "notes.txt", []byte("just some notes\n"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := res.text(`[data-testid="form-error"]`); !strings.Contains(got, "neither JSON Lines") {
		t.Errorf("message %q", got)
	}
	res = admin.postMultipart("/admin/import", nil, "", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	// A file over the limit is refused before it is read.
	res = admin.postMultipart("/admin/import", nil, "huge.jsonl", bytes.Repeat([]byte("x"), handlers.MaxUploadBytes+1))
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	if !strings.Contains(res.body, "larger than 20 MB") {
		t.Errorf("413 page does not explain the limit")
	}
}
