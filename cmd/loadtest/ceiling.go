package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// The ceilings: what Echo alone can serve on this machine, a constant string
// and a templ list of 50 items from memory. They run in a process of their
// own (this binary with -serve-ceiling), as the application does, so that
// both pay for the same kernel, network stack and scheduling.

const (
	ceilingBarePath  = "/bare"
	ceilingTemplPath = "/templ50"
)

func ceilingItems() []ceilingItem {
	items := make([]ceilingItem, 50)
	for i := range items {
		items[i] = ceilingItem{
			Title:   fmt.Sprintf("Talks resume over fishing rights in the strait, day %d", i+1),
			URL:     fmt.Sprintf("/articles/%d", 1000+i),
			Outlet:  "The Harbour Wire",
			Summary: "Delegations from both sides met for a third round; officials said the quota question was still open and a further meeting was planned.",
		}
	}
	return items
}

// ceilingServer builds the ceiling's Echo instance: no middleware at all.
func ceilingServer() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET(ceilingBarePath, func(c echo.Context) error {
		return c.String(http.StatusOK, "Hello, ceiling.")
	})
	items := ceilingItems()
	e.GET(ceilingTemplPath, func(c echo.Context) error {
		// Rendered into a buffer first, as the application's pages are.
		buf := templ.GetBuffer()
		defer templ.ReleaseBuffer(buf)
		if err := ceilingList(items).Render(c.Request().Context(), buf); err != nil {
			return err
		}
		return c.HTMLBlob(http.StatusOK, buf.Bytes())
	})
	return e
}

// serveCeiling runs the ceiling server until ctx ends, printing its address
// on the first line of out.
func serveCeiling(ctx context.Context, addr string, out io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: ceilingServer(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintln(out, ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
