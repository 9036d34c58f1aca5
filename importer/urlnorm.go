package importer

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that only say where a reader came from;
// they never change which article a URL names.
var trackingParams = map[string]bool{"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true}

// NormalizeURL gives the form of an article's address that Newsgloss stores
// and compares to recognise the same article imported twice: scheme and host
// lower-case, default port dropped, empty path as "/", no fragment, and no
// utm_* (or other click-tracking) parameters. It returns "" for anything that
// is not an absolute http(s) URL.
func NormalizeURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	host = strings.TrimSuffix(host, ".")
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[strings.ToLower(k)] {
				q.Del(k)
			}
		}
		u.RawQuery = q.Encode() // sorted by key, so parameter order does not matter
	}
	u.ForceQuery = false
	return u.String()
}

// HostOf returns the lower-case host of a URL without a leading "www.", for
// matching an article's address to its outlet's home page.
func HostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), "www.")
}

// SameSite reports whether an article host belongs to an outlet host: the
// same host, or a subdomain of it (news.example.org belongs to example.org).
func SameSite(articleHost, outletHost string) bool {
	if articleHost == "" || outletHost == "" {
		return false
	}
	return articleHost == outletHost || strings.HasSuffix(articleHost, "."+outletHost)
}
