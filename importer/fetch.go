// Package importer brings articles into Newsgloss from elsewhere: it fetches
// pages and feeds from the web without letting a pasted address reach inside
// the server's own network, extracts an article's text and metadata from a
// page, parses RSS and Atom feeds, and reads bulk files (JSON Lines or a feed).
//
// It has no database inside: the models package stores what it produces.
package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/net/idna"
)

// Defaults for a Fetcher's limits.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultTimeout        = 20 * time.Second
	DefaultMaxBytes       = 5 << 20 // 5 MB
	DefaultMaxRedirects   = 5
	DefaultUserAgent      = "Newsgloss-importer/1.0 (+https://newsgloss.example/about/import)"
)

// Reasons a fetch, an extraction or a parse can fail. Every *Error wraps one
// of them, so callers can test with errors.Is; the Error's message is written
// for the person who pasted the address.
var (
	ErrBadURL         = errors.New("not an http or https address")
	ErrBlockedAddress = errors.New("address is in a blocked network range")
	ErrUnreachable    = errors.New("host unreachable")
	ErrTimeout        = errors.New("timed out")
	ErrTooLarge       = errors.New("response too large")
	ErrTooManyHops    = errors.New("too many redirects")
	ErrHTTPStatus     = errors.New("unsuccessful HTTP status")
	ErrWrongType      = errors.New("unexpected content type")
	ErrEncoding       = errors.New("broken character encoding")
	ErrNoArticle      = errors.New("no article text")
	ErrNotFeed        = errors.New("not a feed")
)

// Error is an import failure whose message is safe and useful to show.
type Error struct {
	Reason  error // one of the Err… values above
	Message string
	cause   error
}

func (e *Error) Error() string { return e.Message }

// Unwrap exposes the reason (for errors.Is) and the underlying cause.
func (e *Error) Unwrap() []error {
	if e.cause == nil {
		return []error{e.Reason}
	}
	return []error{e.Reason, e.cause}
}

func fail(reason error, cause error, format string, args ...any) *Error {
	return &Error{Reason: reason, Message: fmt.Sprintf(format, args...), cause: cause}
}

// Options configure a Fetcher. The zero value is safe: public addresses only,
// with the default limits.
type Options struct {
	// AllowPrivate lets the fetcher reach loopback, private, link-local and
	// other internal addresses. Off by default; an admin turns it on only when
	// the sources really live on an internal network (and tests, whose servers
	// listen on 127.0.0.1).
	AllowPrivate bool
	// AddressAllowed, when set, replaces the address policy altogether. Tests
	// use it to treat one loopback address as "public" and check that the
	// others are still refused.
	AddressAllowed func(netip.Addr) bool
	ConnectTimeout time.Duration // for the TCP connection (and TLS handshake)
	Timeout        time.Duration // for the whole fetch, redirects and body included
	MaxBytes       int64         // the largest body accepted
	MaxRedirects   int
	UserAgent      string
}

func (o Options) withDefaults() Options {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	return o
}

// Fetcher gets pages and feeds over HTTP(S) with limits on time, size and
// redirects, and refuses to connect to internal addresses. The address check
// runs on the IP the connection is actually made to, at dial time, so a host
// name that resolves (or re-resolves) to an internal address is refused too.
type Fetcher struct {
	opts   Options
	client *http.Client
}

// NewFetcher builds a fetcher. It is safe for concurrent use.
func NewFetcher(o Options) *Fetcher {
	o = o.withDefaults()
	f := &Fetcher{opts: o}
	dialer := &net.Dialer{
		Timeout:   o.ConnectTimeout,
		KeepAlive: -1,
		Control:   f.checkDial,
	}
	transport := &http.Transport{
		// Never through a proxy: the proxy would make the connection, out of
		// reach of the address check.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    o.ConnectTimeout,
		ResponseHeaderTimeout:  o.Timeout,
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
		MaxResponseHeaderBytes: 64 << 10,
	}
	f.client = &http.Client{
		Transport:     transport,
		Timeout:       o.Timeout,
		CheckRedirect: f.checkRedirect,
	}
	return f
}

// AddressAllowed reports whether the fetcher may connect to addr.
func (f *Fetcher) AddressAllowed(addr netip.Addr) bool {
	addr = addr.Unmap()
	if f.opts.AddressAllowed != nil {
		return f.opts.AddressAllowed(addr)
	}
	return f.opts.AllowPrivate || IsPublicAddress(addr)
}

// checkDial is the dialer's Control hook: it runs after the name was resolved
// and before the connection is made, on the very address being dialled.
func (f *Fetcher) checkDial(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fail(ErrBlockedAddress, err, "Newsgloss could not check the address %s.", address)
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return fail(ErrBlockedAddress, err, "Newsgloss could not check the address %s.", address)
	}
	if !f.AddressAllowed(addr) {
		return blocked(addr)
	}
	return nil
}

func blocked(addr netip.Addr) *Error {
	return fail(ErrBlockedAddress, nil,
		"The address leads to %s, %s, which Newsgloss does not fetch from. Only public web addresses can be imported (an admin can allow internal addresses).",
		addr, describeRange(addr))
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.opts.MaxRedirects {
		return fail(ErrTooManyHops, nil, "The address redirected more than %d times; Newsgloss stopped following it.", f.opts.MaxRedirects)
	}
	if err := f.checkURL(req.URL); err != nil {
		return err
	}
	return nil
}

// checkURL refuses what is not http(s), and internal addresses written as IP
// literals (the dial check catches host names that resolve to them).
func (f *Fetcher) checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fail(ErrBadURL, nil, "Only http:// and https:// addresses can be fetched (this one is %q).", u.Scheme+":")
	}
	if u.Hostname() == "" {
		return fail(ErrBadURL, nil, "The address has no host name.")
	}
	if !validHostname(u.Hostname()) {
		return fail(ErrBadURL, nil, "%q is not a host name.", u.Hostname())
	}
	if u.User != nil {
		return fail(ErrBadURL, nil, "Addresses with a user name or password are not fetched.")
	}
	if addr, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && !f.AddressAllowed(addr) {
		return blocked(addr)
	}
	return nil
}

// validHostname accepts an IP address or a DNS name (an international one
// by its IDNA form) of labels of letters, digits and '-': text pasted by
// mistake is refused here instead of being sent to the resolver.
//
// A name whose last label is a number is an IPv4 address in the URL standard
// (browsers read "0" and "127.1" as addresses); written other than in four
// decimal parts it is refused rather than left to the resolver's reading.
func validHostname(host string) bool {
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return true
	}
	if !utf8.ValidString(host) {
		return false
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil || ascii == "" || len(ascii) > 253 {
		return false
	}
	labels := strings.Split(strings.TrimSuffix(ascii, "."), ".")
	if last := strings.ToLower(labels[len(labels)-1]); strings.Trim(last, "0123456789") == "" || strings.HasPrefix(last, "0x") {
		return false
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// ParseWebURL reads an address typed by a person: surrounding space is
// ignored, and a missing scheme means https.
func ParseWebURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fail(ErrBadURL, nil, "Enter the article’s web address.")
	}
	if len(raw) > 2000 {
		return nil, fail(ErrBadURL, nil, "Use an address of at most 2,000 characters.")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fail(ErrBadURL, err, "This is not a web address Newsgloss can read.")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fail(ErrBadURL, nil, "Only http:// and https:// addresses can be fetched.")
	}
	if u.Host == "" {
		return nil, fail(ErrBadURL, nil, "The address has no host name.")
	}
	if !validHostname(u.Hostname()) {
		return nil, fail(ErrBadURL, nil, "%q is not a host name.", u.Hostname())
	}
	return u, nil
}

// Response is a fetched document: its final address (after redirects), its
// media type and its body. HTML bodies are converted to UTF-8.
type Response struct {
	URL       *url.URL
	MediaType string
	Body      []byte
}

// FetchHTML gets a web page and returns it as UTF-8.
func (f *Fetcher) FetchHTML(ctx context.Context, rawURL string) (*Response, error) {
	res, header, err := f.fetch(ctx, rawURL, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
	if err != nil {
		return nil, err
	}
	switch res.MediaType {
	case "text/html", "application/xhtml+xml":
	default:
		return nil, fail(ErrWrongType, nil, "The address answered with %s, not a web page (HTML). Paste the address of the article’s page.", describeType(res.MediaType))
	}
	body, err := DecodeHTML(res.Body, header)
	if err != nil {
		return nil, err
	}
	res.Body = body
	return res, nil
}

// feedTypes are the media types a feed is served with in practice.
var feedTypes = map[string]bool{
	"application/rss+xml": true, "application/atom+xml": true, "application/rdf+xml": true,
	"application/xml": true, "text/xml": true, "application/feed+json": true, "application/json": true,
	"text/plain": true, "application/octet-stream": true,
}

// FetchFeed gets an RSS, Atom or JSON feed. The XML parser deals with the
// feed's own encoding declaration.
func (f *Fetcher) FetchFeed(ctx context.Context, rawURL string) (*Response, error) {
	res, _, err := f.fetch(ctx, rawURL, "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1")
	if err != nil {
		return nil, err
	}
	if res.MediaType == "text/html" || res.MediaType == "application/xhtml+xml" {
		return nil, fail(ErrNotFeed, nil, "The address is a web page, not a feed. Look on the site for its RSS or Atom address.")
	}
	if !feedTypes[res.MediaType] {
		return nil, fail(ErrWrongType, nil, "The address answered with %s, not a feed (RSS or Atom).", describeType(res.MediaType))
	}
	return res, nil
}

func (f *Fetcher) fetch(ctx context.Context, rawURL, accept string) (*Response, string, error) {
	u, err := ParseWebURL(rawURL)
	if err != nil {
		return nil, "", err
	}
	if err := f.checkURL(u); err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", fail(ErrBadURL, err, "This is not a web address Newsgloss can read.")
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", accept)
	res, err := f.client.Do(req)
	if err != nil {
		return nil, "", f.explain(err, u)
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, "", fail(ErrHTTPStatus, nil, "The site answered “%s” for this address.", res.Status)
	}
	if res.ContentLength > f.opts.MaxBytes {
		return nil, "", tooLarge(f.opts.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, "", f.explain(err, u)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, "", tooLarge(f.opts.MaxBytes)
	}
	header := res.Header.Get("Content-Type")
	mediaType, _, err := mime.ParseMediaType(header)
	if err != nil || header == "" {
		// No usable type given: sniff, as a browser would.
		mediaType, _, _ = mime.ParseMediaType(http.DetectContentType(body))
		header = ""
	}
	return &Response{URL: res.Request.URL, MediaType: strings.ToLower(mediaType), Body: body}, header, nil
}

func tooLarge(limit int64) *Error {
	return fail(ErrTooLarge, nil, "The page is larger than %s, the most Newsgloss fetches.", formatBytes(limit))
}

// explain turns a transport error into a message for people.
func (f *Fetcher) explain(err error, u *url.URL) error {
	var ie *Error
	if errors.As(err, &ie) {
		return ie
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return fail(ErrTimeout, err, "%s did not answer within %s.", u.Hostname(), f.opts.Timeout)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fail(ErrUnreachable, err, "The host name %s could not be found. Check the address.", u.Hostname())
	}
	if errors.Is(err, context.Canceled) {
		return fail(ErrTimeout, err, "The fetch of %s was cancelled.", u.Hostname())
	}
	return fail(ErrUnreachable, err, "%s could not be reached (%s).", u.Hostname(), shortCause(err))
}

func shortCause(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// DecodeHTML converts a page to UTF-8 using the charset its Content-Type
// header (if any) or its own <meta> declares. A declared charset that does not
// exist, or text that is not valid in the charset it claims, is refused rather
// than stored as mojibake.
func DecodeHTML(body []byte, contentType string) ([]byte, error) {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if label := strings.TrimSpace(params["charset"]); label != "" {
			if e, _ := charset.Lookup(label); e == nil {
				return nil, fail(ErrEncoding, nil, "The page says its text is in the “%s” character set, which Newsgloss does not know.", label)
			}
		}
	}
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fail(ErrEncoding, err, "The page’s text could not be read in its character set (%s).", name)
	}
	// Decoders replace bytes that are invalid in the charset with U+FFFD. A few
	// can be typos; many mean the page is not in the charset it declares.
	if bad := bytes.Count(out, []byte("\uFFFD")) - bytes.Count(body, []byte("\uFFFD")); bad > 0 {
		runes := utf8.RuneCount(out)
		if bad >= 20 || bad*100 > runes {
			return nil, fail(ErrEncoding, nil, "The page’s text is not valid %s, the character set it declares (%d unreadable characters). Newsgloss cannot import it without garbling it.", name, bad)
		}
	}
	return out, nil
}

func describeType(mediaType string) string {
	if mediaType == "" {
		return "no content type"
	}
	return mediaType
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
