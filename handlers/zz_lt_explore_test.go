package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
	"newsgloss/static"
)

func BenchmarkZZCorpusPage(b *testing.B) {
	path := os.Getenv("LT_DB")
	store, err := models.OpenSQLite(context.Background(), path, models.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	assets, _ := static.New()
	h := handlers.New(store, assets, slog.New(slog.NewTextHandler(io.Discard, nil)), handlers.Config{})
	i := 0
	for b.Loop() {
		i++
		req := httptest.NewRequest(http.MethodGet, os.Getenv("LT_PATH")+"?x="+strconv.Itoa(i), nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
		if i == 1 {
			req2 := httptest.NewRequest(http.MethodGet, os.Getenv("LT_PATH")+"?y=1", nil)
			rec2 := httptest.NewRecorder()
			h.ServeHTTP(rec2, req2)
			b.Logf("gzipped %d bytes, plain %d bytes", rec.Body.Len(), rec2.Body.Len())
		}
	}
}
