package importer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// local returns options that let a fetcher reach the tests' own servers on
// 127.0.0.1, as an admin's "allow private addresses" setting would.
func local() Options { return Options{AllowPrivate: true} }

// onlyFirstLoopback treats 127.0.0.1 as if it were public and every other
// address by the default policy, so a test can show that a redirect from
// there to another internal address is refused.
func onlyFirstLoopback() Options {
	return Options{AddressAllowed: func(a netip.Addr) bool {
		return a == netip.MustParseAddr("127.0.0.1") || IsPublicAddress(a)
	}}
}

type hitCounter struct{ n atomic.Int64 }

func (h *hitCounter) wrap(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.n.Add(1)
		next(w, r)
	}
}

func serveHTML(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func TestDefaultFetcherRefusesLoopbackAndNeverConnects(t *testing.T) {
	var hits hitCounter
	srv := httptest.NewServer(hits.wrap(serveHTML(pageArticleTag)))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port

	f := NewFetcher(Options{}) // the default: public addresses only
	for _, u := range []string{
		srv.URL + "/story", // 127.0.0.1 as a literal
		fmt.Sprintf("http://localhost:%d/story", port), // a host name resolved at dial time
		fmt.Sprintf("http://[::1]:%d/story", port),
		fmt.Sprintf("http://[::ffff:127.0.0.1]:%d/story", port),
	} {
		_, err := f.FetchHTML(t.Context(), u)
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("FetchHTML(%s) = %v, want ErrBlockedAddress", u, err)
			continue
		}
		if !strings.Contains(err.Error(), "loopback") {
			t.Errorf("FetchHTML(%s): message %q does not say why", u, err)
		}
	}
	if n := hits.n.Load(); n != 0 {
		t.Fatalf("the test server was reached %d times", n)
	}

	// With the admin setting on, the same page is fetched.
	res, err := NewFetcher(local()).FetchHTML(t.Context(), srv.URL+"/story")
	if err != nil || !strings.Contains(string(res.Body), "Boats return") {
		t.Fatalf("with private addresses allowed: %v", err)
	}
}

func TestDefaultFetcherRefusesInternalRangesAtDialTime(t *testing.T) {
	f := NewFetcher(Options{})
	// The dialer's Control hook is what every connection passes through after
	// name resolution; calling it directly shows the decision for addresses
	// that these tests must not send packets to.
	for _, addr := range []string{
		"127.0.0.1:80", "127.8.9.10:443", "10.0.0.1:80", "10.255.1.2:8080", "172.16.5.4:80", "192.168.1.1:80",
		"169.254.169.254:80", "100.64.0.1:80", "0.0.0.0:80", "224.0.0.1:80", "255.255.255.255:80",
		"[::1]:80", "[::]:80", "[fe80::1]:80", "[fc00::1]:80", "[fd12:3456::1]:80", "[ff02::1]:80",
		"[::ffff:10.0.0.1]:80", "[64:ff9b::a00:1]:80", "[2002:a00:1::]:80",
	} {
		err := f.checkDial("tcp", addr, nil)
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("dial %s: %v, want ErrBlockedAddress", addr, err)
		}
	}
	for _, addr := range []string{"93.184.215.14:443", "[2606:4700::1111]:443", "8.8.8.8:53"} {
		if err := f.checkDial("tcp", addr, nil); err != nil {
			t.Errorf("dial %s refused: %v", addr, err)
		}
	}
	// Literal internal addresses in a URL are refused before any connection is tried.
	for _, u := range []string{"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://100.64.1.1/"} {
		if _, err := f.FetchHTML(t.Context(), u); !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("FetchHTML(%s) = %v, want ErrBlockedAddress", u, err)
		}
	}
}

func TestOnlyHTTPAndHTTPS(t *testing.T) {
	f := NewFetcher(local())
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "javascript:alert(1)", ""} {
		if _, err := f.FetchHTML(t.Context(), u); !errors.Is(err, ErrBadURL) {
			t.Errorf("FetchHTML(%q) = %v, want ErrBadURL", u, err)
		}
	}
}

func TestRedirectsAreCheckedAndLimited(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	mux.HandleFunc("/article", serveHTML(pageArticleTag))
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n <= 1 {
			http.Redirect(w, r, "/article", http.StatusFound)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/to-internal", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, fmt.Sprintf("http://127.0.0.2:%d/article", port), http.StatusFound)
	})
	mux.HandleFunc("/to-ipv6-loopback", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, fmt.Sprintf("http://[::1]:%d/article", port), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})

	f := NewFetcher(onlyFirstLoopback())
	res, err := f.FetchHTML(t.Context(), srv.URL+"/hop/5") // five redirects: allowed
	if err != nil {
		t.Fatalf("five redirects: %v", err)
	}
	if res.URL.Path != "/article" {
		t.Errorf("final URL %s", res.URL)
	}
	if _, err := f.FetchHTML(t.Context(), srv.URL+"/hop/6"); !errors.Is(err, ErrTooManyHops) {
		t.Errorf("six redirects: %v, want ErrTooManyHops", err)
	}
	for _, path := range []string{"/to-internal", "/to-ipv6-loopback", "/to-metadata"} {
		if _, err := f.FetchHTML(t.Context(), srv.URL+path); !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s: %v, want ErrBlockedAddress", path, err)
		}
	}
	if _, err := f.FetchHTML(t.Context(), srv.URL+"/to-file"); !errors.Is(err, ErrBadURL) {
		t.Errorf("redirect to file: %v, want ErrBadURL", err)
	}
}

func TestSizeLimit(t *testing.T) {
	big := "<html><body><p>" + strings.Repeat("word ", DefaultMaxBytes/5+10) + "</p></body></html>"
	mux := http.NewServeMux()
	mux.HandleFunc("/declared", serveHTML(big)) // with Content-Length
	mux.HandleFunc("/streamed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fl := w.(http.Flusher)
		for i := 0; i < 7; i++ { // 7 MB in chunks, no Content-Length
			fmt.Fprint(w, strings.Repeat("x", 1<<20))
			fl.Flush()
		}
	})
	mux.HandleFunc("/small", serveHTML(strings.Repeat("a", 2000)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	f := NewFetcher(local())
	for _, path := range []string{"/declared", "/streamed"} {
		_, err := f.FetchHTML(t.Context(), srv.URL+path)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "5 MB") {
			t.Errorf("%s: %v, want ErrTooLarge mentioning 5 MB", path, err)
		}
	}
	small := NewFetcher(Options{AllowPrivate: true, MaxBytes: 1000})
	if _, err := small.FetchHTML(t.Context(), srv.URL+"/small"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("1000-byte limit: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-release:
		case <-r.Context().Done():
		}
		serveHTML(pageArticleTag)(w, r)
	}))
	defer srv.Close()
	defer close(release)

	f := NewFetcher(Options{AllowPrivate: true, Timeout: 150 * time.Millisecond})
	start := time.Now()
	_, err := f.FetchHTML(t.Context(), srv.URL)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "did not answer within") {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the fetch took %s", d)
	}
	// A cancelled request context ends the fetch too.
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := NewFetcher(local()).FetchHTML(ctx, srv.URL); !errors.Is(err, ErrTimeout) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestUnreachableAndHTTPErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()
	f := NewFetcher(local())
	if _, err := f.FetchHTML(t.Context(), closed); !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "could not be reached") {
		t.Errorf("closed port: %v", err)
	}

	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	if _, err := f.FetchHTML(t.Context(), srv.URL+"/gone"); !errors.Is(err, ErrHTTPStatus) || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: %v", err)
	}
}

func TestContentTypeMustBeHTML(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.7 not really")
	})
	mux.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")) // no Content-Type: sniffed
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"title": "x"}`)
	})
	mux.HandleFunc("/untyped-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		fmt.Fprint(w, pageArticleTag)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(local())
	for path, want := range map[string]string{"/pdf": "application/pdf", "/png": "image/png", "/json": "application/json"} {
		_, err := f.FetchHTML(t.Context(), srv.URL+path)
		if !errors.Is(err, ErrWrongType) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want ErrWrongType naming %s", path, err, want)
		}
	}
	if _, err := f.FetchHTML(t.Context(), srv.URL+"/untyped-html"); err != nil {
		t.Errorf("HTML without a Content-Type (sniffed): %v", err)
	}
}

func TestEncodings(t *testing.T) {
	latin1 := func(s string) []byte { // the Latin-1 bytes of a string of Latin-1 characters
		var b []byte
		for _, r := range s {
			b = append(b, byte(r))
		}
		return b
	}
	french := "<html><head><title>Le café</title></head><body><p>" +
		strings.Repeat("Le café près de la forêt a réouvert après l’été. ", 5) + "</p></body></html>"
	french = strings.ReplaceAll(french, "’", "'")
	mux := http.NewServeMux()
	mux.HandleFunc("/declared-latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
		w.Write(latin1(french))
	})
	mux.HandleFunc("/meta-latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(latin1(strings.Replace(french, "<head>", `<head><meta charset="windows-1252">`, 1)))
	})
	mux.HandleFunc("/lying-utf8", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(latin1(french))
	})
	mux.HandleFunc("/unknown-charset", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=x-klingon")
		fmt.Fprint(w, french)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(local())
	for _, path := range []string{"/declared-latin1", "/meta-latin1"} {
		res, err := f.FetchHTML(t.Context(), srv.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !strings.Contains(string(res.Body), "Le café près de la forêt") {
			t.Errorf("%s: not converted to UTF-8: %q", path, string(res.Body)[:120])
		}
	}
	for path, want := range map[string]string{"/lying-utf8": "not valid utf-8", "/unknown-charset": "x-klingon"} {
		_, err := f.FetchHTML(t.Context(), srv.URL+path)
		if !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want ErrEncoding mentioning %q", path, err, want)
		}
	}
}

func TestFetchFeedRefusesWebPages(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/page", serveHTML(pageArticleTag))
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, feedRSS)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(local())
	if _, err := f.FetchFeed(t.Context(), srv.URL+"/page"); !errors.Is(err, ErrNotFeed) {
		t.Errorf("web page as feed: %v", err)
	}
	res, err := f.FetchFeed(t.Context(), srv.URL+"/rss")
	if err != nil {
		t.Fatal(err)
	}
	feed, err := ParseFeed(res.Body, res.URL)
	if err != nil || len(feed.Items) != 2 {
		t.Fatalf("ParseFeed: %v %+v", err, feed)
	}
}
