package handlers

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/richtext"
	"newsgloss/views"
)

// Public pages for anonymous readers. Every public page is a function of the
// database, the URL (with its scheme and host, which absolute links use) and
// the binary. The database's data version changes on any commit, ours or
// another process's, so an epoch counted from it, with the URL and a number
// drawn at start, makes an exact validator: a reader whose copy is current
// gets 304 for the price of one PRAGMA, and a page rendered in this epoch is
// served again from memory, compressed once, until anything is written. Pages
// for signed-in people carry their name and form tokens and are never kept.

// Cache-Control for anonymous readers, by kind of page.
const (
	// Pages that change whenever a note, claim or fact-check is added are
	// stored but revalidated on every view: the 304 costs almost nothing and
	// nobody reads a correction late.
	cacheLive = "public, no-cache"
	// An old revision's text never changes; only a deletion would remove it.
	cacheHistory = "public, max-age=300"
	// Feed readers poll; five minutes is what they expect.
	cacheFeed = "public, max-age=300"
)

// publicCachePolicy says whether a route is a public page with conditional
// GETs and which Cache-Control it gets. Pages that negotiate their format on
// Accept (an annotation's page) are left out.
func publicCachePolicy(route string) (string, bool) {
	switch route {
	case views.RouteHome, views.RouteArticle, views.RouteArticleHistory, views.RouteOutlet, views.RouteSearch,
		views.RouteClaim, views.RouteEvent, views.RouteFactChecks, views.RouteFactCheck, views.RouteTimelines,
		views.RouteTimeline, views.RouteEntity, views.RouteTag, views.RoutePlace, views.RouteUser:
		return cacheLive, true
	case views.RouteArticleRevision, views.RouteArticleDiff:
		return cacheHistory, true
	case views.RouteFactCheckFeed, views.RouteTimelineFeed, views.RouteEntityFeed, views.RouteTagFeed, views.RoutePlaceFeed,
		views.RouteTimelineJS, views.RouteEntityJS, views.RouteTagJS, views.RoutePlaceJS:
		return cacheFeed, true
	}
	return "", false
}

const validatorKey = "ng_validator"

// validator is what a cacheable public response carries.
type validator struct {
	key      pageKey
	etag     string
	modified time.Time // zero when it would lie in the future
	policy   string
}

func (v validator) apply(h http.Header) {
	h.Set("ETag", v.etag)
	if !v.modified.IsZero() {
		h.Set("Last-Modified", v.modified.Format(http.TimeFormat))
	}
	h.Set("Cache-Control", v.policy)
	// The same URL shows a signed-in person another page (never stored).
	h.Add("Vary", "Cookie")
}

// pageKey names a rendered public page: its epoch and absolute URL.
type pageKey struct {
	epoch   uint64
	version int64 // the data version the epoch began with
	url     string
}

// cachedPage is a rendered public page, and its gzip form once a reader asked.
type cachedPage struct {
	contentType string
	body        []byte
	gzipOnce    sync.Once
	gzipped     []byte
}

// gzipped compresses a page once, with a pooled writer at the fastest level,
// as the first reader waits for it (the gzip middleware's level). Nil when
// compressing does not make it smaller.
func (pc *pageCache) gzipped(p *cachedPage) []byte {
	p.gzipOnce.Do(func() {
		var buf bytes.Buffer
		w := pc.gzipWriters.Get().(*gzip.Writer)
		defer pc.gzipWriters.Put(w)
		w.Reset(&buf)
		w.Write(p.body)
		w.Close()
		if buf.Len() < len(p.body) {
			p.gzipped = buf.Bytes()
		}
	})
	return p.gzipped
}

// pageCache holds the server's caches: the data version it last saw, the
// pages rendered since, and the highlighted article bodies.
type pageCache struct {
	nonce string // drawn at start: a new binary may render pages differently

	mu       sync.Mutex
	version  int64 // the last data version seen
	epoch    uint64
	modified time.Time // when that version was first seen: the Last-Modified of every page

	pages      *lru[pageKey, *cachedPage]
	highlights *lru[highlightKey, string]

	renderMu sync.Mutex
	inFlight map[pageKey]chan struct{} // pages being rendered; closed when done

	gzipWriters sync.Pool
}

// rendering returns the channel closed when the page's render ends, and
// whether the caller is the one to render it.
func (pc *pageCache) rendering(k pageKey) (chan struct{}, bool) {
	pc.renderMu.Lock()
	defer pc.renderMu.Unlock()
	if ch, ok := pc.inFlight[k]; ok {
		return ch, false
	}
	ch := make(chan struct{})
	pc.inFlight[k] = ch
	return ch, true
}

// rendered lets the readers waiting for a page go.
func (pc *pageCache) rendered(k pageKey, ch chan struct{}) {
	pc.renderMu.Lock()
	defer pc.renderMu.Unlock()
	delete(pc.inFlight, k)
	close(ch)
}

// Memory the caches may hold: rendered pages (with their gzip forms), and
// highlighted article bodies (which outlive writes elsewhere in the site).
const (
	minGzipLength       = 1024 // as the gzip middleware: smaller pages are sent as they are
	pageCacheBytes      = 16 << 20
	maxCachedPage       = 2 << 20
	highlightCacheBytes = 8 << 20
)

func newPageCache(buildID string) *pageCache {
	nonce := buildID
	if nonce == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b) // never fails (crypto/rand)
		nonce = hex.EncodeToString(b)
	}
	return &pageCache{
		nonce: nonce,
		// A gzip form, when made, adds about a fifth of the body.
		pages:      newLRU[pageKey, *cachedPage](pageCacheBytes, func(p *cachedPage) int { return len(p.body)*6/5 + 256 }),
		highlights: newLRU[highlightKey, string](highlightCacheBytes, func(s string) int { return len(s) + 64 }),
		inFlight:   map[pageKey]chan struct{}{},
		gzipWriters: sync.Pool{New: func() any {
			w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed) // a valid level never fails
			return w
		}},
	}
}

// current reads the data version and returns the epoch it belongs to and when
// that epoch began. Each new epoch's time is at least a second after the
// previous one's, so If-Modified-Since tells any two epochs apart; the pages
// of the epoch before are dropped.
func (pc *pageCache) current(ctx context.Context, store *models.Store) (uint64, int64, time.Time, error) {
	v, err := store.DataVersion(ctx)
	if err != nil {
		return 0, 0, time.Time{}, err
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.epoch == 0 || v != pc.version {
		now := time.Now().UTC().Truncate(time.Second)
		if !now.After(pc.modified) {
			now = pc.modified.Add(time.Second)
		}
		pc.version, pc.epoch, pc.modified = v, pc.epoch+1, now
		pc.pages.clear()
	}
	return pc.epoch, pc.version, pc.modified, nil
}

// etag is a public page's entity tag: weak, as gzip may change the bytes. It
// names the build, the data version and the address, so two instances of one
// build give the same tag where their data versions are the same numbers
// (PostgreSQL's counter is the database's; SQLite's is each connection's).
func (pc *pageCache) etag(k pageKey) string {
	h := fnv.New64a()
	h.Write([]byte(k.url))
	return `W/"` + pc.nonce + "-" + strconv.FormatUint(uint64(k.version), 36) + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// publicCache answers anonymous readers' GETs of public pages from what this
// epoch already rendered: 304 when their copy is current, the stored page
// (gzipped once) when there is one. It runs before the gzip middleware and
// the session lookup, so it recognises anonymous readers by their having no
// session cookie and no API token; a stale cookie only costs the cache.
// Otherwise it leaves the validator for render (or the feeds) to send and
// store with the page.
func (s *Server) publicCache(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodGet || req.Header.Get(echo.HeaderAuthorization) != "" {
			return next(c)
		}
		policy, ok := publicCachePolicy(c.Path())
		if !ok {
			return next(c)
		}
		for _, name := range []string{sessionCookie, flashCookie} {
			if ck, err := req.Cookie(name); err == nil && ck.Value != "" {
				return next(c) // a signed-in person, or a one-time message on this page
			}
		}
		epoch, version, modified, err := s.cache.current(req.Context(), s.store)
		if err != nil {
			s.log.Warn("data version unavailable; page served without the cache", "error", err)
			return next(c)
		}
		key := pageKey{epoch: epoch, version: version, url: c.Scheme() + "://" + req.Host + req.URL.RequestURI()}
		v := validator{key: key, etag: s.cache.etag(key), policy: policy}
		if !modified.After(time.Now()) {
			v.modified = modified
		}
		h := c.Response().Header()
		if notModified(req, v) {
			v.apply(h)
			h.Add("Vary", "Accept-Encoding")
			return c.NoContent(http.StatusNotModified)
		}
		kept := func() (bool, error) {
			page, ok := s.cache.pages.get(key)
			if !ok {
				return false, nil
			}
			v.apply(h)
			h.Add("Vary", "Accept-Encoding")
			return true, s.writePage(c, http.StatusOK, page)
		}
		if ok, err := kept(); ok {
			return err
		}
		// When a burst of readers misses the same page, one renders it and the
		// others wait for it rather than all rendering it at once.
		done, first := s.cache.rendering(key)
		if first {
			defer s.cache.rendered(key, done)
		} else {
			select {
			case <-done:
			case <-req.Context().Done():
				return req.Context().Err()
			}
		}
		// Kept by the render waited for, or by one that ended since the look-up.
		if ok, err := kept(); ok {
			return err
		}
		c.Set(validatorKey, v)
		return next(c)
	}
}

// publicPage reports whether publicCache let this request through as an
// anonymous reader's GET of a public page. The gzip middleware leaves such
// requests alone: sendPage compresses their pages once, for the cache too.
func (s *Server) publicPage(c echo.Context) bool {
	_, ok := c.Get(validatorKey).(validator)
	return ok
}

// sendPage writes the response to a request publicPage accepted: a 200 with
// its validators, kept for the rest of the epoch; anything else as it is.
// Either is gzipped when the reader accepts it.
func (s *Server) sendPage(c echo.Context, status int, contentType string, body []byte) error {
	page := &cachedPage{contentType: contentType, body: body}
	v, ok := c.Get(validatorKey).(validator)
	h := c.Response().Header()
	if ok && status == http.StatusOK && currentUser(c) == nil {
		v.apply(h)
		if len(body) <= maxCachedPage {
			page.body = bytes.Clone(body) // the caller's buffer goes back to its pool
			s.cache.pages.put(v.key, page)
		}
	}
	h.Add("Vary", "Accept-Encoding")
	return s.writePage(c, status, page)
}

// writePage writes a page, gzipped when the reader accepts it and it is
// worth it (the gzip form is made once per page and kept with it).
func (s *Server) writePage(c echo.Context, status int, page *cachedPage) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, page.contentType)
	body := page.body
	if len(body) >= minGzipLength && strings.Contains(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip") {
		if gz := s.cache.gzipped(page); gz != nil {
			h.Set(echo.HeaderContentEncoding, "gzip")
			body = gz
		}
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(body)
	return err
}

// notModified applies RFC 9110's precedence: If-None-Match when sent,
// otherwise If-Modified-Since (a date in the future is ignored).
func notModified(req *http.Request, v validator) bool {
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		return etagListMatches(inm, v.etag)
	}
	ims := req.Header.Get("If-Modified-Since")
	if ims == "" || v.modified.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !t.After(time.Now()) && !v.modified.After(t)
}

// highlightKey names one highlighted body: an article's revision with one set
// of marks (which depends on the notes and claims visible to the reader).
type highlightKey struct {
	article uint
	version int
	marks   [16]byte
}

// highlight returns the article's body with the marks highlighted, from the
// cache when the same revision was highlighted with the same marks before.
func (s *Server) highlight(a *models.Article, marks []richtext.Mark) (string, error) {
	if len(marks) == 0 {
		return a.BodyHTML, nil
	}
	key := highlightKey{article: a.ID, version: a.Version, marks: hashMarks(marks)}
	if body, ok := s.cache.highlights.get(key); ok {
		return body, nil
	}
	body, err := richtext.Highlight(a.BodyHTML, marks)
	if err != nil {
		return "", err
	}
	s.cache.highlights.put(key, body)
	return body, nil
}

// hashMarks fingerprints everything about the marks that shows in the page.
func hashMarks(marks []richtext.Mark) [16]byte {
	h := fnv.New128a()
	var buf []byte
	for _, m := range marks {
		buf = strconv.AppendInt(buf[:0], int64(m.Start), 10)
		buf = append(buf, 0)
		buf = strconv.AppendInt(buf, int64(m.End), 10)
		for _, s := range []string{m.ID, m.Href, m.Label, m.Class, m.AriaLabel} {
			buf = append(buf, 0)
			buf = append(buf, s...)
		}
		buf = append(buf, 1)
		h.Write(buf)
	}
	var sum [16]byte
	h.Sum(sum[:0])
	return sum
}

// lru is a map bounded by the total size of its values, which drops the
// least recently used entries first. Safe for concurrent use.
type lru[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	used  int
	size  func(V) int
	order *list.List // front: most recently used
	items map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key  K
	val  V
	size int
}

func newLRU[K comparable, V any](maxSize int, size func(V) int) *lru[K, V] {
	return &lru[K, V]{max: maxSize, size: size, order: list.New(), items: map[K]*list.Element{}}
}

func (l *lru[K, V]) get(k K) (V, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[k]; ok {
		l.order.MoveToFront(e)
		return e.Value.(*lruEntry[K, V]).val, true
	}
	var zero V
	return zero, false
}

func (l *lru[K, V]) put(k K, v V) {
	n := l.size(v)
	if n > l.max {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[k]; ok {
		old := e.Value.(*lruEntry[K, V])
		l.used += n - old.size
		old.val, old.size = v, n
		l.order.MoveToFront(e)
	} else {
		l.items[k] = l.order.PushFront(&lruEntry[K, V]{key: k, val: v, size: n})
		l.used += n
	}
	for l.used > l.max {
		last := l.order.Back()
		ent := last.Value.(*lruEntry[K, V])
		l.order.Remove(last)
		delete(l.items, ent.key)
		l.used -= ent.size
	}
}

func (l *lru[K, V]) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.order.Init()
	clear(l.items)
	l.used = 0
}
