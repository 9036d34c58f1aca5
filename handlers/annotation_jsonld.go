package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// The W3C Web Annotation Data Model in JSON-LD
// (https://www.w3.org/TR/annotation-model/), as Newsgloss writes it.
const (
	annoContext     = "http://www.w3.org/ns/anno.jsonld"
	ldpContext      = "http://www.w3.org/ns/ldp.jsonld"
	annoMediaType   = "application/ld+json"
	annoContentType = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`

	// Newsgloss's own keys. A term with a colon whose prefix the context does
	// not define is read by JSON-LD processors as an absolute IRI (scheme
	// "newsgloss"), so these survive expansion instead of being dropped, and
	// no W3C term is redefined. The values nested in an extension object
	// carry the prefix too, for the same reason.
	extVisibility  = "newsgloss:visibility"
	extRepliesOpen = "newsgloss:repliesOpen"
	extModeration  = "newsgloss:moderation"
	extAnchor      = "newsgloss:anchor"
)

// wantsAnnotationJSON reports whether the Accept header prefers the JSON-LD
// (or plain JSON) representation of an annotation to its HTML page: one of
// them is named and ranks at least as high as text/html. A request without
// Accept is a program's, and gets JSON-LD as the protocol recommends;
// browsers always send Accept, naming text/html.
func wantsAnnotationJSON(c echo.Context) bool {
	header := strings.TrimSpace(c.Request().Header.Get(echo.HeaderAccept))
	if header == "" {
		return true
	}
	ranges := parseAcceptHeader(header)
	best := 0.0
	for _, t := range []string{annoMediaType, echo.MIMEApplicationJSON} {
		if q := acceptQualityExact(ranges, t); q > best {
			best = q
		}
	}
	return best > 0 && best >= acceptQualityExact(ranges, echo.MIMETextHTML)
}

// acceptRange is one entry of an Accept header.
type acceptRange struct {
	typ string // "type/subtype", lower case, possibly with wildcards
	q   float64
}

func parseAcceptHeader(header string) []acceptRange {
	var out []acceptRange
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		mt, params, err := mime.ParseMediaType(part)
		if err != nil {
			// "*" alone is sent by some old clients; anything else unreadable is skipped.
			if strings.TrimSpace(strings.SplitN(part, ";", 2)[0]) == "*" {
				out = append(out, acceptRange{typ: "*/*", q: 1})
			}
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
				q = f
			}
		}
		out = append(out, acceptRange{typ: mt, q: q})
	}
	return out
}

// qualityExact is the quality given to a media type by a range naming it exactly.
func acceptQualityExact(ranges []acceptRange, typ string) float64 {
	q := 0.0
	for _, r := range ranges {
		if r.typ == typ && r.q > q {
			q = r.q
		}
	}
	return q
}

// quality is the quality an Accept header gives a media type, from the most
// specific range that covers it (RFC 9110 §12.5.1).
func acceptQuality(ranges []acceptRange, typ string) float64 {
	major, _, _ := strings.Cut(typ, "/")
	best, specificity := 0.0, -1
	for _, r := range ranges {
		s := -1
		switch {
		case r.typ == typ:
			s = 2
		case r.typ == major+"/*":
			s = 1
		case r.typ == "*/*":
			s = 0
		}
		if s > specificity || (s == specificity && s >= 0 && r.q > best) {
			best, specificity = r.q, s
		}
	}
	if specificity < 0 {
		return 0
	}
	return best
}

// negotiateAnnotationJSON picks the Content-Type for a JSON-LD answer: the
// annotation profile of JSON-LD, or plain JSON for a client that accepts only
// that. ok is false when the client accepts neither (406).
func negotiateAnnotationJSON(c echo.Context) (contentType string, ok bool) {
	header := strings.TrimSpace(c.Request().Header.Get(echo.HeaderAccept))
	if header == "" {
		return annoContentType, true // the protocol's default
	}
	ranges := parseAcceptHeader(header)
	ld, js := acceptQuality(ranges, annoMediaType), acceptQuality(ranges, echo.MIMEApplicationJSON)
	switch {
	case ld > 0 && ld >= js:
		return annoContentType, true
	case js > 0:
		return echo.MIMEApplicationJSONCharsetUTF8, true
	}
	return "", false
}

// ldBuilder turns annotations into JSON-LD for one request, remembering the
// revision dates it looked up so a listing asks for each one once.
type ldBuilder struct {
	s         *Server
	c         echo.Context
	revisions map[[2]uint]*time.Time // (article, revision number) → when it was saved; nil: unknown
}

func (s *Server) newLDBuilder(c echo.Context) *ldBuilder {
	return &ldBuilder{s: s, c: c, revisions: map[[2]uint]*time.Time{}}
}

// annotationJSONLD is an annotation as a stand-alone W3C Web Annotation
// document (with its @context). a.Author must be loaded.
func (s *Server) annotationJSONLD(c echo.Context, a *models.Annotation) map[string]any {
	return s.newLDBuilder(c).document(a)
}

func (b *ldBuilder) abs(path string) string { return absoluteURL(b.c, path) }

// userIRI identifies a Newsgloss account in annotations.
func (b *ldBuilder) userIRI(id uint) string {
	return b.abs(views.UserURL(id))
}

// document is the annotation with its @context, ready to be served alone.
func (b *ldBuilder) document(a *models.Annotation) map[string]any {
	ld := b.annotation(a)
	ld["@context"] = annoContext
	return ld
}

// annotation describes one annotation without @context (for embedding in a
// page or collection, whose context covers it).
func (b *ldBuilder) annotation(a *models.Annotation) map[string]any {
	ld := map[string]any{
		"id":         b.abs(views.AnnotationURL(a.ID)),
		"type":       "Annotation",
		"motivation": string(a.Motivation),
		"created":    ldTime(a.CreatedAt),
		"modified":   ldTime(a.UpdatedAt),
		"creator": map[string]any{
			"id":   b.userIRI(a.AuthorID),
			"type": "Person",
			"name": a.Author.Name,
		},
		"generator": map[string]any{
			"id":   b.abs("/"),
			"type": "Software",
			"name": "Newsgloss",
		},
		"target":      b.target(a),
		extVisibility: string(a.Visibility),
	}
	if bodies := annotationBodies(a); len(bodies) > 0 {
		ld["body"] = bodies
	}
	if a.ParentID == nil {
		ld[extRepliesOpen] = a.RepliesOpen
	}
	if a.Hidden() {
		ld[extModeration] = a.Moderation
	}
	return ld
}

// bodyPurpose is the purpose of the written body of a note with a motivation.
func bodyPurpose(m models.Motivation) string {
	switch m {
	case models.MotivationAssessing, models.MotivationQuestioning, models.MotivationReplying:
		return string(m)
	case models.MotivationLinking:
		return "describing" // the text says what the links show
	}
	return "commenting"
}

// annotationBodies lists the written note (Markdown), one body per evidence
// link and one tag body per tag.
func annotationBodies(a *models.Annotation) []any {
	var bodies []any
	if a.BodySource != "" {
		bodies = append(bodies, map[string]any{
			"type":     "TextualBody",
			"value":    a.BodySource,
			"format":   "text/markdown",
			"language": "en",
			"purpose":  bodyPurpose(a.Motivation),
		})
	}
	for _, e := range a.Evidence {
		if e.URL == "" {
			continue
		}
		// A SpecificResource can carry a purpose; an External Web Resource may not.
		source := map[string]any{"id": e.URL}
		if e.Title != "" {
			source["label"] = e.Title
		}
		bodies = append(bodies, map[string]any{
			"type":    "SpecificResource",
			"source":  source,
			"purpose": "linking",
		})
	}
	for _, tag := range a.TagList() {
		bodies = append(bodies, map[string]any{
			"type":    "TextualBody",
			"value":   tag,
			"purpose": "tagging",
		})
	}
	return bodies
}

// target is what the annotation is about: the parent annotation for a reply,
// the article for a page note, or a passage of the article.
func (b *ldBuilder) target(a *models.Annotation) any {
	if a.ParentID != nil {
		return b.abs(views.AnnotationURL(*a.ParentID))
	}
	article := b.abs(views.ArticleURL(a.ArticleID))
	if !a.HasPassage {
		return article
	}
	quote := map[string]any{"type": "TextQuoteSelector", "exact": a.QuoteExact}
	if a.QuotePrefix != "" {
		quote["prefix"] = a.QuotePrefix
	}
	if a.QuoteSuffix != "" {
		quote["suffix"] = a.QuoteSuffix
	}
	t := map[string]any{
		"type":   "SpecificResource",
		"source": article,
		// Alternatives describing the same words of revision MadeOnRevision.
		"selector": []any{
			quote,
			map[string]any{"type": "TextPositionSelector", "start": a.PositionStart, "end": a.PositionEnd},
		},
	}
	// The selectors describe the article as it was when the note was made:
	// a TimeState says which version that is and where it is kept.
	if when := b.revisionTime(a.ArticleID, a.MadeOnRevision); when != nil {
		t["state"] = map[string]any{
			"type":       "TimeState",
			"sourceDate": ldTime(*when),
			"cached":     b.abs(views.ArticleRevisionURL(a.ArticleID, a.MadeOnRevision)),
		}
	}
	anchor := map[string]any{
		"newsgloss:revision":          a.AnchorRevision,
		"newsgloss:status":            string(a.AnchorStatus),
		"newsgloss:score":             a.AnchorScore,
		"newsgloss:needsConfirmation": a.NeedsConfirmation,
	}
	if a.AnchorStatus != models.AnchorOrphan {
		anchor["newsgloss:start"], anchor["newsgloss:end"] = a.AnchorStart, a.AnchorEnd
	}
	t[extAnchor] = anchor
	return t
}

// revisionTime is when a revision of an article was saved, or nil if unknown.
func (b *ldBuilder) revisionTime(articleID uint, number int) *time.Time {
	if number <= 0 {
		return nil
	}
	key := [2]uint{articleID, uint(number)}
	if t, ok := b.revisions[key]; ok {
		return t
	}
	var when *time.Time
	rev, err := b.s.store.Revision(b.c.Request().Context(), articleID, number)
	switch {
	case err == nil:
		t := rev.CreatedAt
		when = &t
	case models.ErrorCodeOf(err) != models.ENotFound:
		b.s.log.Warn("load revision for annotation state", "article", articleID, "revision", number, "error", err)
	}
	b.revisions[key] = when
	return when
}

func ldTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// annotationETag is the entity tag of an annotation's representation: its
// version (what If-Match checks) and a digest of the bytes sent (so a change
// the annotator did not make, such as the passage being found again in a new
// revision of the article, still refreshes caches).
func annotationETag(a *models.Annotation, body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + strconv.Itoa(a.Version) + "-" + hex.EncodeToString(sum[:6]) + `"`
}

// bodyETag is a weak entity tag for a generated listing.
func listingETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `W/"` + hex.EncodeToString(sum[:10]) + `"`
}

// etagVersion reads the annotation version from one of our entity tags.
func etagVersion(tag string) (int, bool) {
	tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
	tag = strings.Trim(tag, `"`)
	v, _, _ := strings.Cut(tag, "-")
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// etagListMatches reports whether an If-None-Match style list names the tag
// (weak comparison) or is "*".
func etagListMatches(list, tag string) bool {
	bare := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == bare {
			return true
		}
	}
	return false
}

// marshalLD encodes a JSON-LD document. HTML-significant characters are
// escaped, so the bytes are also safe inside a <script> element.
func marshalLD(v any) ([]byte, error) {
	return json.Marshal(v)
}
