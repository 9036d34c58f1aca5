package handlers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"newsgloss/models"
	"newsgloss/views"
)

// The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/)
// over an article's annotations, and the exports (JSON-LD and CSV).

const (
	// maxAnnotationRequest bounds a POSTed or PUT annotation, well below the
	// site-wide limit: a note's Markdown is at most 20 KB.
	maxAnnotationRequest = 256 << 10
	// annotationPageSize is how many annotations one AnnotationPage holds.
	annotationPageSize = 20

	containerAllow  = "GET,POST,HEAD,OPTIONS"
	annotationAllow = "GET,PUT,DELETE,HEAD,OPTIONS"
	pageAllow       = "GET,HEAD,OPTIONS"

	linkBasicContainer = `<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"`
	linkResource       = `<http://www.w3.org/ns/ldp#Resource>; rel="type"`
	linkConstrainedBy  = `<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"`

	preferMinimal      = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
	preferIRIs         = "http://www.w3.org/ns/oa#PreferContainedIRIs"
	preferDescriptions = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
)

// httpError is an error with a status the models layer has no code for.
func apiHTTPError(status int, format string, args ...any) *echo.HTTPError {
	return echo.NewHTTPError(status, fmt.Sprintf(format, args...))
}

// apiError answers a failed API request with a JSON error body, whatever the
// client's Accept header (a JSON-LD client does not ask for application/json,
// so the site-wide handler would send it an HTML page or a sign-in redirect).
// Server faults still go to the site-wide handler, which logs them.
func (s *Server) apiError(c echo.Context, err error) error {
	if err == nil || c.Response().Committed {
		return err
	}
	var (
		status int
		code   string
		msg    string
		fields map[string]string
		appErr *models.Error
		he     *echo.HTTPError
	)
	switch {
	case errors.As(err, &appErr):
		status, code, msg, fields = statusFor(appErr.Code), string(appErr.Code), appErr.Message, appErr.Fields
	case errors.As(err, &he):
		status = he.Code
		code = strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
		if m, ok := he.Message.(string); ok {
			msg = m
		} else {
			msg = http.StatusText(status)
		}
	default:
		return err
	}
	if status >= 500 {
		return err
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="newsgloss"`)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	return c.JSON(status, errorBody{Error: msg, Code: code, Fields: fields,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID)})
}

// writeBody sends a representation; a HEAD request gets its headers only.
func apiWriteBody(c echo.Context, status int, contentType string, body []byte) error {
	h := c.Response().Header()
	if c.Request().Method == http.MethodHead {
		h.Set(echo.HeaderContentType, contentType)
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
		return c.NoContent(status)
	}
	return c.Blob(status, contentType, body)
}

// setCaching keeps what one person may see out of shared caches.
func apiCaching(c echo.Context) {
	if currentUser(c) != nil {
		c.Response().Header().Set("Cache-Control", "private, no-cache")
	} else {
		c.Response().Header().Set("Cache-Control", "no-cache")
	}
}

// --- The container ---------------------------------------------------------

// apiContainerGet answers GET and HEAD on an article's annotation container
// (an AnnotationCollection) and on its pages (?page=N, N from 0).
func (s *Server) apiContainerGet(c echo.Context) error {
	return s.apiError(c, s.protoContainerGet(c))
}

func (s *Server) protoContainerGet(c echo.Context) error {
	art, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	contentType, ok := negotiateAnnotationJSON(c)
	if !ok {
		return apiHTTPError(http.StatusNotAcceptable, "The annotation container is served as application/ld+json (or application/json) only.")
	}
	list, err := s.store.ListAnnotations(c.Request().Context(), currentUser(c), models.AnnotationFilter{ArticleID: art.ID})
	if err != nil {
		return err
	}
	containerIRI := absoluteURL(c, views.AnnotationContainerURL(art.ID))
	coll := annotationCollection{
		b: s.newLDBuilder(c), id: containerIRI, label: "Annotations on “" + art.Title + "”", list: list,
	}
	h := c.Response().Header()
	apiCaching(c)

	if c.QueryParams().Has("page") {
		n, err := strconv.Atoi(c.QueryParam("page"))
		if err != nil || n < 0 || n >= coll.pages() {
			return apiHTTPError(http.StatusNotFound, "This container has no page %q.", c.QueryParam("page"))
		}
		iris := c.QueryParam("iris") == "1"
		doc := coll.page(n, iris, false)
		doc["@context"] = annoContext
		body, err := marshalLD(doc)
		if err != nil {
			return err
		}
		h.Set("Allow", pageAllow)
		h.Add("Vary", "Accept")
		return s.apiConditionalBody(c, contentType, listingETag(body), body)
	}

	prefs := containerPreferences(c)
	doc := map[string]any{
		"@context": []any{annoContext, ldpContext},
		"id":       containerIRI,
		"type":     []any{"BasicContainer", "AnnotationCollection"},
		"label":    coll.label,
		"total":    len(list),
	}
	if len(list) > 0 {
		if prefs.minimal {
			doc["first"] = coll.pageIRI(0, prefs.iris)
		} else {
			doc["first"] = coll.page(0, prefs.iris, true)
		}
		doc["last"] = coll.pageIRI(coll.pages()-1, prefs.iris)
	}
	body, err := marshalLD(doc)
	if err != nil {
		return err
	}
	h.Add("Link", linkBasicContainer)
	h.Add("Link", linkConstrainedBy)
	h.Set("Allow", containerAllow)
	h.Set("Accept-Post", annoContentType)
	h.Add("Vary", "Accept, Prefer")
	h.Set("Content-Location", prefs.location(containerIRI))
	if prefs.applied {
		h.Set("Preference-Applied", "return=representation")
	}
	return s.apiConditionalBody(c, contentType, listingETag(body), body)
}

// conditionalBody sends a representation with its ETag, or 304 Not Modified
// when the client already holds it.
func (s *Server) apiConditionalBody(c echo.Context, contentType, etag string, body []byte) error {
	if s.publicPage(c) {
		// A public feed: its validator was checked before any query, and the
		// body is kept for the rest of the epoch (cache.go).
		return s.sendPage(c, http.StatusOK, contentType, body)
	}
	c.Response().Header().Set("ETag", etag)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagListMatches(inm, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return apiWriteBody(c, http.StatusOK, contentType, body)
}

// containerPrefs is what the client asked the container to contain.
type containerPrefs struct {
	minimal bool // no embedded page, only links to the pages
	iris    bool // pages list annotation IRIs instead of full descriptions
	applied bool // a Prefer header was honoured
}

// location is the IRI of the container representation chosen by the preferences.
func (p containerPrefs) location(containerIRI string) string {
	loc := containerIRI + "?iris=0"
	if p.iris {
		loc = containerIRI + "?iris=1"
	}
	if p.minimal {
		loc += "&minimal=1"
	}
	return loc
}

// containerPreferences reads the Prefer header (RFC 7240, with the include and
// omit parameters of LDP and the Annotation Protocol); the query parameters
// iris=0|1 and minimal=1 of the IRIs given in Content-Location win over it.
func containerPreferences(c echo.Context) containerPrefs {
	var p containerPrefs
	var include, omit []string
	for _, pref := range c.Request().Header.Values("Prefer") {
		for _, part := range strings.Split(pref, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok {
				continue
			}
			v = strings.Trim(strings.TrimSpace(v), `"`)
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "include":
				include = append(include, strings.Fields(v)...)
			case "omit":
				omit = append(omit, strings.Fields(v)...)
			}
		}
	}
	has := func(list []string, iri string) bool {
		for _, v := range list {
			if v == iri {
				return true
			}
		}
		return false
	}
	if has(include, preferMinimal) {
		p.minimal, p.applied = true, true
	}
	switch {
	case has(include, preferIRIs):
		p.iris, p.applied = true, true
	case has(include, preferDescriptions):
		p.applied = true
	case has(omit, preferDescriptions):
		p.iris, p.applied = true, true
	}
	q := c.QueryParams()
	if q.Has("iris") {
		p.iris = q.Get("iris") == "1"
	}
	if q.Get("minimal") == "1" {
		p.minimal = true
	}
	return p
}

// annotationCollection pages a list of annotations.
type annotationCollection struct {
	b     *ldBuilder
	id    string // the collection's IRI
	label string
	list  []models.Annotation
}

func (a annotationCollection) pages() int {
	return (len(a.list) + annotationPageSize - 1) / annotationPageSize
}

func (a annotationCollection) pageIRI(n int, iris bool) string {
	u := a.id + "?page=" + strconv.Itoa(n)
	if iris {
		u += "&iris=1"
	}
	return u
}

// page is the AnnotationPage n. Embedded in its collection it leaves out
// partOf; standing alone it describes the collection it belongs to.
func (a annotationCollection) page(n int, iris, embedded bool) map[string]any {
	start := n * annotationPageSize
	end := min(start+annotationPageSize, len(a.list))
	items := make([]any, 0, end-start)
	for i := start; i < end; i++ {
		if iris {
			items = append(items, a.b.abs(views.AnnotationURL(a.list[i].ID)))
		} else {
			items = append(items, a.b.annotation(&a.list[i]))
		}
	}
	doc := map[string]any{
		"id":         a.pageIRI(n, iris),
		"type":       "AnnotationPage",
		"startIndex": start,
		"items":      items,
	}
	if !embedded {
		doc["partOf"] = map[string]any{
			"id":    a.id,
			"type":  "AnnotationCollection",
			"label": a.label,
			"total": len(a.list),
		}
	}
	if n+1 < a.pages() {
		doc["next"] = a.pageIRI(n+1, iris)
	}
	if n > 0 {
		doc["prev"] = a.pageIRI(n-1, iris)
	}
	return doc
}

// apiOptions answers OPTIONS on the container and on an annotation.
func (s *Server) apiOptions(c echo.Context) error {
	h := c.Response().Header()
	if c.Path() == views.RouteAnnotationContainer {
		h.Set("Allow", containerAllow)
		h.Set("Accept-Post", annoContentType)
		h.Add("Link", linkBasicContainer)
		h.Add("Link", linkConstrainedBy)
	} else {
		h.Set("Allow", annotationAllow)
		h.Add("Link", linkResource)
	}
	return c.NoContent(http.StatusOK)
}

// --- Creating, reading, updating and deleting one annotation ---------------

// apiCreate adds an annotation POSTed to an article's container.
func (s *Server) apiCreate(c echo.Context) error {
	return s.apiError(c, s.protoCreate(c))
}

func (s *Server) protoCreate(c echo.Context) error {
	u := currentUser(c)
	if u == nil {
		return models.Errorf(models.EAuth, "Sign in, or send an API token, to annotate.")
	}
	if !u.Has(models.RoleFactChecker) {
		return models.Errorf(models.EForbidden, "Only fact-checkers and editors can annotate articles.")
	}
	art, err := s.loadVisibleArticle(c)
	if err != nil {
		return err
	}
	contentType, ok := negotiateAnnotationJSON(c)
	if !ok {
		return apiHTTPError(http.StatusNotAcceptable, "The created annotation is returned as application/ld+json (or application/json) only.")
	}
	doc, err := readAnnotationDocument(c)
	if err != nil {
		return err
	}
	in, err := s.parseAnnotation(c, doc, art.ID)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var a *models.Annotation
	if in.replyTo != 0 {
		parent, err := s.store.AnnotationByID(ctx, u, in.replyTo)
		if err != nil || parent.ArticleID != art.ID {
			return apiHTTPError(http.StatusBadRequest, "The target is not an annotation of this article that you can see.")
		}
		a, err = s.store.CreateReply(ctx, u, in.replyTo, in.AnnotationInput)
		if err != nil {
			return err
		}
	} else {
		if a, err = s.store.CreateAnnotation(ctx, u, art.ID, in.AnnotationInput); err != nil {
			return err
		}
	}
	body, err := marshalLD(s.annotationJSONLD(c, a))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Location", absoluteURL(c, views.AnnotationURL(a.ID)))
	h.Set("ETag", annotationETag(a, body))
	h.Add("Link", linkResource)
	h.Set("Allow", annotationAllow)
	h.Add("Vary", "Accept")
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusCreated, contentType, body)
}

// loadAPIAnnotation loads an annotation the current person may see: 410 Gone
// for one that was deleted, 404 for one that never was or is not theirs to see.
func (s *Server) loadAPIAnnotation(c echo.Context) (*models.Annotation, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	a, err := s.store.AnnotationByID(ctx, currentUser(c), id)
	if models.ErrorCodeOf(err) == models.ENotFound {
		gone, gerr := s.store.AnnotationGone(ctx, id)
		if gerr != nil {
			return nil, gerr
		}
		if gone {
			return nil, apiHTTPError(http.StatusGone, "Annotation %d was deleted.", id)
		}
	}
	return a, err
}

// apiAnnotationGet answers GET and HEAD for an annotation in JSON-LD. The
// annotation's HTML page hands over to it when the client asks for JSON.
func (s *Server) apiAnnotationGet(c echo.Context) error {
	return s.apiError(c, s.protoAnnotationGet(c))
}

func (s *Server) protoAnnotationGet(c echo.Context) error {
	a, err := s.loadAPIAnnotation(c)
	if err != nil {
		return err
	}
	contentType, ok := negotiateAnnotationJSON(c)
	if !ok {
		return apiHTTPError(http.StatusNotAcceptable, "Annotations are served as application/ld+json, application/json or HTML.")
	}
	body, err := marshalLD(s.annotationJSONLD(c, a))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Add("Link", linkResource)
	h.Set("Allow", annotationAllow)
	h.Add("Vary", "Accept")
	apiCaching(c)
	return s.apiConditionalBody(c, contentType, annotationETag(a, body), body)
}

// ifMatchVersion checks an If-Match header against an annotation: it must
// name the annotation's current version (or be "*").
func ifMatchVersion(header string, a *models.Annotation) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		if strings.HasPrefix(t, "W/") {
			continue // If-Match compares strong tags only
		}
		if v, ok := etagVersion(t); ok && v == a.Version {
			return true
		}
	}
	return false
}

// apiUpdate replaces an annotation's content (PUT). The passage it is
// attached to cannot change this way.
func (s *Server) apiUpdate(c echo.Context) error {
	return s.apiError(c, s.protoUpdate(c))
}

func (s *Server) protoUpdate(c echo.Context) error {
	u := currentUser(c)
	if u == nil {
		return models.Errorf(models.EAuth, "Sign in, or send an API token, to edit annotations.")
	}
	a, err := s.loadAPIAnnotation(c)
	if err != nil {
		return err
	}
	if a.AuthorID != u.ID {
		return models.Errorf(models.EForbidden, "Only the author can edit this note.")
	}
	ifMatch := c.Request().Header.Get("If-Match")
	if ifMatch == "" {
		return apiHTTPError(http.StatusPreconditionRequired, "Send If-Match with the ETag of the version you edited.")
	}
	if !ifMatchVersion(ifMatch, a) {
		return apiHTTPError(http.StatusPreconditionFailed, "This note was changed since you loaded it (now version %d). Fetch it again and reapply your change.", a.Version)
	}
	contentType, ok := negotiateAnnotationJSON(c)
	if !ok {
		return apiHTTPError(http.StatusNotAcceptable, "The annotation is returned as application/ld+json (or application/json) only.")
	}
	doc, err := readAnnotationDocument(c)
	if err != nil {
		return err
	}
	if id, ok := doc["id"]; ok {
		iri, _ := id.(string)
		if kind, n, ok := resolveLocalIRI(c, iri); !ok || kind != "annotation" || n != a.ID {
			return apiHTTPError(http.StatusBadRequest, "The id of the annotation cannot change.")
		}
	}
	in, err := s.parseAnnotation(c, doc, a.ArticleID)
	if err != nil {
		return err
	}
	if err := sameAnnotationTarget(a, in); err != nil {
		return err
	}
	if !in.hasVisibility {
		in.Visibility = string(a.Visibility)
	}
	if !in.hasRepliesOpen {
		in.RepliesOpen = a.RepliesOpen
	}
	in.BaseVersion = a.Version
	updated, err := s.store.UpdateAnnotation(c.Request().Context(), u, a.ID, in.AnnotationInput)
	if models.ErrorCodeOf(err) == models.EConflict {
		return apiHTTPError(http.StatusPreconditionFailed, "This note was changed at the same moment. Fetch it again and reapply your change.")
	}
	if err != nil {
		return err
	}
	body, err := marshalLD(s.annotationJSONLD(c, updated))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", annotationETag(updated, body))
	h.Add("Link", linkResource)
	h.Set("Allow", annotationAllow)
	h.Add("Vary", "Accept")
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, contentType, body)
}

// sameTarget refuses a PUT whose target differs from the annotation's.
func sameAnnotationTarget(a *models.Annotation, in parsedAnnotation) error {
	refuse := func(msg string) error { return apiHTTPError(http.StatusBadRequest, "%s", msg) }
	if a.ParentID != nil {
		if in.replyTo != *a.ParentID {
			return refuse("A reply's target (the note it answers) cannot change.")
		}
		return nil
	}
	if in.replyTo != 0 {
		return refuse("A note cannot be turned into a reply.")
	}
	p := in.Passage
	switch {
	case p == nil && a.HasPassage:
		return refuse("The target must stay the passage the note was made on; to move it, re-place the passage on the note's page.")
	case p != nil && !a.HasPassage:
		return refuse("A note on the whole article cannot be moved onto a passage.")
	case p != nil:
		if p.Quote != "" && p.Quote != a.QuoteExact {
			return refuse("The quoted passage (TextQuoteSelector) cannot change.")
		}
		if p.Start != nil && (*p.Start != a.PositionStart || *p.End != a.PositionEnd) {
			return refuse("The passage's position (TextPositionSelector) cannot change.")
		}
	}
	return nil
}

// apiDelete removes the author's own annotation; its IRI answers 410 afterwards.
func (s *Server) apiDelete(c echo.Context) error {
	return s.apiError(c, s.protoDelete(c))
}

func (s *Server) protoDelete(c echo.Context) error {
	u := currentUser(c)
	if u == nil {
		return models.Errorf(models.EAuth, "Sign in, or send an API token, to delete annotations.")
	}
	a, err := s.loadAPIAnnotation(c)
	if err != nil {
		return err
	}
	if a.AuthorID != u.ID {
		return models.Errorf(models.EForbidden, "Only the author can delete this note.")
	}
	base := 0
	if ifMatch := c.Request().Header.Get("If-Match"); ifMatch != "" {
		if !ifMatchVersion(ifMatch, a) {
			return apiHTTPError(http.StatusPreconditionFailed, "This note was changed since you loaded it (now version %d).", a.Version)
		}
		base = a.Version
	}
	err = s.store.DeleteAnnotation(c.Request().Context(), u, a.ID, base)
	if models.ErrorCodeOf(err) == models.EConflict {
		return apiHTTPError(http.StatusPreconditionFailed, "This note was changed at the same moment.")
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.NoContent(http.StatusNoContent)
}

// --- Reading a W3C annotation sent by a client -----------------------------

// readAnnotationDocument reads a JSON-LD request body into a JSON object.
func readAnnotationDocument(c echo.Context) (map[string]any, error) {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || (mt != annoMediaType && mt != echo.MIMEApplicationJSON) {
		return nil, apiHTTPError(http.StatusUnsupportedMediaType,
			`Send the annotation as %s.`, annoContentType)
	}
	if req.ContentLength > maxAnnotationRequest {
		return nil, apiHTTPError(http.StatusRequestEntityTooLarge, "An annotation may be at most %d KB of JSON.", maxAnnotationRequest>>10)
	}
	raw, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, maxAnnotationRequest))
	if err != nil {
		var tooBig *http.MaxBytesError
		var he *echo.HTTPError // the site-wide limit
		if errors.As(err, &tooBig) || (errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge) {
			return nil, apiHTTPError(http.StatusRequestEntityTooLarge, "An annotation may be at most %d KB of JSON.", maxAnnotationRequest>>10)
		}
		return nil, apiHTTPError(http.StatusBadRequest, "The request body could not be read.")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, apiHTTPError(http.StatusBadRequest, "The body is not valid JSON: %v.", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, apiHTTPError(http.StatusBadRequest, "The body holds more than one JSON value.")
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, apiHTTPError(http.StatusBadRequest, "The body must be a JSON object: one W3C Web Annotation.")
	}
	return doc, nil
}

// parsedAnnotation is what a W3C annotation asks Newsgloss to store.
type parsedAnnotation struct {
	models.AnnotationInput
	replyTo uint // the target is this annotation: a reply
	// Whether the document set Newsgloss's extensions; a PUT without them
	// keeps the note's settings (a generic W3C client cannot know them).
	hasVisibility, hasRepliesOpen bool
}

// listOf reads a JSON-LD value that may be one item or an array of them.
func ldList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

// stringsOf reads a JSON-LD value that should be one or more strings.
func ldStrings(v any) []string {
	var out []string
	for _, item := range ldList(v) {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func ldContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// resolveLocalIRI tells which Newsgloss resource an IRI names: an article or
// an annotation on this site (any scheme, since a proxy may end TLS; a path
// without a host is taken as this site's).
func resolveLocalIRI(c echo.Context, iri string) (kind string, id uint, ok bool) {
	u, err := url.Parse(strings.TrimSpace(iri))
	if err != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", 0, false
	}
	if u.Host != "" && !strings.EqualFold(u.Host, c.Request().Host) {
		return "", 0, false
	}
	for _, prefix := range []struct{ path, kind string }{{"/articles/", "article"}, {"/annotations/", "annotation"}} {
		if rest, found := strings.CutPrefix(u.Path, prefix.path); found {
			n, err := strconv.ParseUint(rest, 10, 32)
			if err != nil || n == 0 {
				return "", 0, false
			}
			return prefix.kind, uint(n), true
		}
	}
	return "", 0, false
}

// resourceRef reads a resource given as an IRI or as an object with an id,
// with its title when one is given.
func ldResourceRef(v any) (iri, title string) {
	switch t := v.(type) {
	case string:
		return t, ""
	case map[string]any:
		iri, _ = t["id"].(string)
		return iri, ldResourceTitle(t)
	}
	return "", ""
}

func ldResourceTitle(m map[string]any) string {
	for _, k := range []string{"label", "title", "name"} {
		if s := ldStrings(m[k]); len(s) > 0 {
			return s[0]
		}
	}
	return ""
}

// parseAnnotation turns a W3C Web Annotation into Newsgloss's input for an
// annotation on articleID: TextualBody values become the Markdown note (or
// tags, with purpose "tagging"), other bodies become evidence links, and the
// target becomes the article, a passage of it, or an annotation to reply to.
// A client-supplied id is ignored here.
func (s *Server) parseAnnotation(c echo.Context, doc map[string]any, articleID uint) (parsedAnnotation, error) {
	bad := func(format string, args ...any) (parsedAnnotation, error) {
		return parsedAnnotation{}, apiHTTPError(http.StatusBadRequest, format, args...)
	}
	var out parsedAnnotation
	if ctx, ok := doc["@context"]; ok && !ldContains(ldStrings(ctx), annoContext) {
		return bad("@context must include %s.", annoContext)
	}
	if !ldContains(ldStrings(doc["type"]), "Annotation") {
		return bad(`"type" must be "Annotation".`)
	}

	// Bodies.
	if _, ok := doc["bodyValue"]; ok {
		if _, both := doc["body"]; both {
			return bad(`An annotation has "body" or "bodyValue", not both.`)
		}
	}
	var texts, tags []string
	if v, ok := doc["bodyValue"]; ok {
		s, isString := v.(string)
		if !isString {
			return bad(`"bodyValue" must be a string.`)
		}
		texts = append(texts, s)
	}
	for _, item := range ldList(doc["body"]) {
		switch b := item.(type) {
		case string:
			out.Evidence = append(out.Evidence, models.Evidence{URL: b})
		case map[string]any:
			types := ldStrings(b["type"])
			purposes := ldStrings(b["purpose"])
			_, hasValue := b["value"]
			_, hasSource := b["source"]
			switch {
			case ldContains(types, "TextualBody") || (hasValue && !hasSource):
				value, ok := b["value"].(string)
				if !ok {
					return bad(`A TextualBody needs one string "value".`)
				}
				if ldContains(purposes, "tagging") {
					tags = append(tags, strings.TrimSpace(value))
				} else {
					texts = append(texts, value)
				}
			case ldContains(types, "Choice") || ldContains(types, "Composite") || ldContains(types, "List") || ldContains(types, "Independents"):
				return bad("Newsgloss does not store %s bodies.", types[0])
			case hasSource:
				iri, title := ldResourceRef(b["source"])
				if iri == "" {
					return bad(`A SpecificResource body needs a "source" IRI.`)
				}
				if t := ldResourceTitle(b); t != "" {
					title = t
				}
				out.Evidence = append(out.Evidence, models.Evidence{URL: iri, Title: title})
			default:
				iri, title := ldResourceRef(b)
				if iri == "" {
					return bad(`Each body must be a TextualBody with a "value", or a web resource with an "id".`)
				}
				out.Evidence = append(out.Evidence, models.Evidence{URL: iri, Title: title})
			}
		default:
			return bad("Each body must be an IRI or a JSON object.")
		}
	}
	out.Body = strings.Join(texts, "\n\n")
	out.Tags = strings.Join(tags, ", ")

	// Target.
	targets := ldList(doc["target"])
	if len(targets) != 1 {
		return bad("A Newsgloss annotation has exactly one target: the article, a passage of it, or an annotation to reply to.")
	}
	notHere := func(iri string) (parsedAnnotation, error) {
		return bad("The target %q is not this article (%s) or one of its annotations.", iri, absoluteURL(c, views.ArticleURL(articleID)))
	}
	var sourceIRI string
	var selectors []any
	switch t := targets[0].(type) {
	case string:
		sourceIRI = t
	case map[string]any:
		if src, ok := t["source"]; ok {
			sourceIRI, _ = ldResourceRef(src)
			selectors = ldList(t["selector"])
		} else {
			sourceIRI, _ = t["id"].(string)
		}
	default:
		return bad("The target must be an IRI or a JSON object.")
	}
	kind, id, ok := resolveLocalIRI(c, sourceIRI)
	switch {
	case !ok:
		return notHere(sourceIRI)
	case kind == "annotation":
		if len(selectors) > 0 {
			return bad("A reply targets a whole annotation, without selectors.")
		}
		out.replyTo = id
	case id != articleID:
		return notHere(sourceIRI)
	case len(selectors) > 0:
		p, err := passageFromSelectors(selectors)
		if err != nil {
			return parsedAnnotation{}, err
		}
		out.Passage = p
	}

	// Motivation: the first one Newsgloss knows, else inferred from the bodies.
	motivations := ldStrings(doc["motivation"])
	for i, m := range motivations {
		motivations[i] = strings.TrimPrefix(m, "oa:")
	}
	for _, m := range motivations {
		if ldContains(motivationNames(), m) {
			out.Motivation = m
			break
		}
	}
	switch {
	case out.Motivation != "":
	case len(motivations) > 0:
		out.Motivation = motivations[0] // unknown: the models layer explains
	case out.replyTo != 0:
		out.Motivation = string(models.MotivationReplying)
	case out.Body != "":
		out.Motivation = string(models.MotivationCommenting)
	case len(out.Evidence) > 0:
		out.Motivation = string(models.MotivationLinking)
	case out.Tags != "":
		out.Motivation = string(models.MotivationTagging)
	default:
		out.Motivation = string(models.MotivationHighlighting)
	}

	// Newsgloss's extensions.
	out.Visibility = string(models.VisibilityPublic)
	if v, ok := doc[extVisibility]; ok {
		s, isString := v.(string)
		if !isString {
			return bad(`%q must be "public", "staff" or "private".`, extVisibility)
		}
		out.Visibility, out.hasVisibility = s, true
	}
	if v, ok := doc[extRepliesOpen]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return bad("%q must be true or false.", extRepliesOpen)
		}
		out.RepliesOpen, out.hasRepliesOpen = b, true
	}
	return out, nil
}

func motivationNames() []string {
	var names []string
	for _, m := range append(models.Motivations(), models.MotivationReplying) {
		names = append(names, string(m))
	}
	return names
}

// passageFromSelectors reads a TextQuoteSelector and/or a TextPositionSelector
// (alternatives for the same words); other selectors are ignored, but at
// least one of these two must be there.
func passageFromSelectors(selectors []any) (*models.Passage, error) {
	bad := func(format string, args ...any) (*models.Passage, error) {
		return nil, apiHTTPError(http.StatusBadRequest, format, args...)
	}
	var p models.Passage
	found := false
	for _, item := range selectors {
		sel, ok := item.(map[string]any)
		if !ok {
			return bad("Each selector must be a JSON object.")
		}
		types := ldStrings(sel["type"])
		switch {
		case ldContains(types, "TextQuoteSelector"):
			exact, ok := sel["exact"].(string)
			if !ok || strings.TrimSpace(exact) == "" {
				return bad(`A TextQuoteSelector needs the quoted words in "exact".`)
			}
			p.Quote = exact
			if p.Prefix, ok = ldOptionalString(sel, "prefix"); !ok {
				return bad(`"prefix" must be a string.`)
			}
			if p.Suffix, ok = ldOptionalString(sel, "suffix"); !ok {
				return bad(`"suffix" must be a string.`)
			}
			found = true
		case ldContains(types, "TextPositionSelector"):
			start, okStart := ldNonNegativeInt(sel["start"])
			end, okEnd := ldNonNegativeInt(sel["end"])
			if !okStart || !okEnd || end <= start {
				return bad(`A TextPositionSelector needs integers "start" < "end", counted in code points from 0.`)
			}
			p.Start, p.End = &start, &end
			found = true
		}
	}
	if !found {
		return bad("Select the passage with a TextQuoteSelector and/or a TextPositionSelector.")
	}
	return &p, nil
}

func ldOptionalString(m map[string]any, key string) (string, bool) {
	v, present := m[key]
	if !present {
		return "", true
	}
	s, ok := v.(string)
	return s, ok
}

func ldNonNegativeInt(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 32)
	if err != nil || i < 0 {
		return 0, false
	}
	return int(i), true
}

// --- Exports ----------------------------------------------------------------

// exportArticleJSONLD downloads an article's annotations as one
// AnnotationCollection with every annotation embedded.
func (s *Server) exportArticleJSONLD(c echo.Context) error {
	art, list, err := s.articleExport(c)
	if err != nil {
		return err
	}
	return s.sendJSONLDExport(c, views.ArticleExportURL(art.ID, "jsonld"), "Annotations on “"+art.Title+"”",
		fmt.Sprintf("newsgloss-article-%d-annotations.jsonld", art.ID), list)
}

// exportArticleCSV downloads an article's annotations as a spreadsheet.
func (s *Server) exportArticleCSV(c echo.Context) error {
	art, list, err := s.articleExport(c)
	if err != nil {
		return err
	}
	return s.sendCSVExport(c, fmt.Sprintf("newsgloss-article-%d-annotations.csv", art.ID), list)
}

// exportUserJSONLD downloads the annotations one person wrote that the
// viewer may see.
func (s *Server) exportUserJSONLD(c echo.Context) error {
	author, list, err := s.userExport(c)
	if err != nil {
		return err
	}
	return s.sendJSONLDExport(c, views.UserExportURL(author.ID, "jsonld"), "Annotations by "+author.Name,
		fmt.Sprintf("newsgloss-user-%d-annotations.jsonld", author.ID), list)
}

// exportUserCSV is exportUserJSONLD as a spreadsheet.
func (s *Server) exportUserCSV(c echo.Context) error {
	author, list, err := s.userExport(c)
	if err != nil {
		return err
	}
	return s.sendCSVExport(c, fmt.Sprintf("newsgloss-user-%d-annotations.csv", author.ID), list)
}

func (s *Server) articleExport(c echo.Context) (*models.Article, []models.Annotation, error) {
	art, err := s.loadVisibleArticle(c)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.store.ListAnnotations(c.Request().Context(), currentUser(c), models.AnnotationFilter{ArticleID: art.ID})
	return art, list, err
}

// userExport lists an author's annotations the viewer may see, on articles
// the viewer may read, oldest first.
func (s *Server) userExport(c echo.Context) (*models.User, []models.Annotation, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	author, err := s.store.UserByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	viewer := currentUser(c)
	list, err := s.store.ListAnnotations(ctx, viewer, models.AnnotationFilter{AuthorID: author.ID})
	if err != nil {
		return nil, nil, err
	}
	readable := map[uint]bool{}
	out := list[:0]
	for _, a := range list {
		ok, seen := readable[a.ArticleID]
		if !seen {
			_, err := s.store.ArticleByID(ctx, a.ArticleID, viewer.Has(models.RoleEditor))
			if err != nil && models.ErrorCodeOf(err) != models.ENotFound {
				return nil, nil, err
			}
			ok = err == nil
			readable[a.ArticleID] = ok
		}
		if ok {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return author, out, nil
}

func setExportDownload(c echo.Context, filename string) {
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	if currentUser(c) != nil {
		h.Set("Cache-Control", "private, no-store")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
}

func (s *Server) sendJSONLDExport(c echo.Context, path, label, filename string, list []models.Annotation) error {
	id := absoluteURL(c, path)
	b := s.newLDBuilder(c)
	doc := map[string]any{
		"@context": annoContext,
		"id":       id,
		"type":     "AnnotationCollection",
		"label":    label,
		"total":    len(list),
	}
	if len(list) > 0 {
		items := make([]any, 0, len(list))
		for i := range list {
			items = append(items, b.annotation(&list[i]))
		}
		// One page holding everything, described inside this document.
		doc["first"] = map[string]any{"id": id + "#items", "type": "AnnotationPage", "startIndex": 0, "items": items}
		doc["last"] = id + "#items"
	}
	body, err := marshalLD(doc)
	if err != nil {
		return err
	}
	setExportDownload(c, filename)
	return c.Blob(http.StatusOK, annoContentType, body)
}

// annotationCSVColumns is the header row of the CSV exports.
var annotationCSVColumns = []string{"id", "url", "article_id", "article_url", "author", "motivation", "visibility",
	"created", "modified", "quote", "prefix", "suffix", "start", "end", "anchor_status", "anchor_start",
	"anchor_end", "anchor_score", "body", "evidence", "tags"}

// csvCell keeps a spreadsheet from running a cell as a formula: text that
// starts with a formula character gets a leading apostrophe.
func csvSafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (s *Server) sendCSVExport(c echo.Context, filename string, list []models.Annotation) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(annotationCSVColumns); err != nil {
		return err
	}
	for i := range list {
		a := &list[i]
		var quote, prefix, suffix, start, end, anchorStart, anchorEnd string
		if a.HasPassage {
			quote, prefix, suffix = a.QuoteExact, a.QuotePrefix, a.QuoteSuffix
			start, end = strconv.Itoa(a.PositionStart), strconv.Itoa(a.PositionEnd)
			if a.AnchorStatus != models.AnchorOrphan {
				anchorStart, anchorEnd = strconv.Itoa(a.AnchorStart), strconv.Itoa(a.AnchorEnd)
			}
		}
		var evidence []string
		for _, e := range a.Evidence {
			if e.URL != "" {
				evidence = append(evidence, e.URL)
			}
		}
		row := []string{
			strconv.FormatUint(uint64(a.ID), 10),
			absoluteURL(c, views.AnnotationURL(a.ID)),
			strconv.FormatUint(uint64(a.ArticleID), 10),
			absoluteURL(c, views.ArticleURL(a.ArticleID)),
			a.Author.Name,
			string(a.Motivation),
			string(a.Visibility),
			ldTime(a.CreatedAt),
			ldTime(a.UpdatedAt),
			quote, prefix, suffix, start, end,
			string(a.AnchorStatus), anchorStart, anchorEnd,
			strconv.FormatFloat(a.AnchorScore, 'f', 3, 64),
			a.BodySource,
			strings.Join(evidence, " "),
			strings.Join(a.TagList(), ", "),
		}
		for j := range row {
			row[j] = csvSafeCell(row[j])
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	setExportDownload(c, filename)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8; header=present", buf.Bytes())
}
