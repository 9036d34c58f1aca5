// Package static embeds the stylesheet, scripts and images into the binary and
// serves them under content-hashed names, so browsers may cache them forever and
// a new release can never be served a stale copy.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed css img js
var files embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

// Asset is one embedded file, ready to serve.
type Asset struct {
	ContentType string
	Body        []byte
	Gzipped     []byte // nil when compressing would not help
	ETag        string
}

// Assets maps logical names ("css/site.css") to fingerprinted URLs and back.
type Assets struct {
	urls   map[string]string // logical name → URL path
	byPath map[string]*Asset // URL path without Prefix → asset
}

// New reads and fingerprints every embedded file.
func New() (*Assets, error) {
	a := &Assets{urls: map[string]string{}, byPath: map[string]*Asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		asset := &Asset{ContentType: contentType(ext), Body: body, ETag: `"` + hash + `"`}
		if compressible(ext) {
			gz, err := gzipBytes(body)
			if err != nil {
				return fmt.Errorf("compress %s: %w", name, err)
			}
			if len(gz) < len(body) {
				asset.Gzipped = gz
			}
		}
		a.urls[name] = Prefix + hashed
		a.byPath[hashed] = asset
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return a, nil
}

// URL returns the fingerprinted URL of a logical asset name. An unknown name
// is a programming error and yields a URL that answers 404.
func (a *Assets) URL(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	return Prefix + "missing/" + name
}

// Lookup finds an asset by its fingerprinted path (without Prefix).
func (a *Assets) Lookup(p string) (*Asset, bool) {
	asset, ok := a.byPath[p]
	return asset, ok
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ext string) bool {
	switch ext {
	case ".css", ".js", ".svg", ".json", ".txt":
		return true
	}
	return false
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
