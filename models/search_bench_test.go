package models

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"newsgloss/models/testdb"
)

func TestGenerateCorpusIsConsistent(t *testing.T) {
	s, _ := newTestStore(t)
	var calls []int
	rep, err := s.GenerateCorpus(t.Context(), CorpusOptions{Articles: 300, Seed: 7, BatchSize: 120}, func(done, total int) {
		calls = append(calls, done)
		if total != 300 {
			t.Errorf("progress total %d", total)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(calls, []int{120, 240, 300}) {
		t.Errorf("progress calls %v", calls)
	}
	if rep.Articles != 300 || countRows(t, s, "articles") != 300 || countRows(t, s, "article_revisions") != 300 {
		t.Errorf("report %+v, articles %d", rep, countRows(t, s, "articles"))
	}
	if rep.Claims == 0 || rep.Events == 0 || rep.Annotations == 0 || rep.Mentions < rep.Claims {
		t.Errorf("nothing in proportion: %+v", rep)
	}
	if words := rep.Words / rep.Articles; words < 400 || words > 2000 {
		t.Errorf("articles average %d words", words)
	}
	if err := s.CheckSearchIndex(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Every quote is where its mention says, as the anchoring code counts.
	var mentions []struct {
		BodyText, QuoteExact       string
		PositionStart, PositionEnd int
	}
	if err := s.read.Raw(`SELECT a.body_text, m.quote_exact, m.position_start, m.position_end
		FROM mentions m JOIN articles a ON a.id = m.article_id`).Scan(&mentions).Error; err != nil {
		t.Fatal(err)
	}
	for _, m := range mentions {
		if got := string([]rune(m.BodyText)[m.PositionStart:m.PositionEnd]); got != m.QuoteExact {
			t.Fatalf("mention at %d–%d reads %q, quote %q", m.PositionStart, m.PositionEnd, got, m.QuoteExact)
		}
	}
	// The benchmark's queries find something.
	for class, queries := range CorpusQueries() {
		res, err := s.Search(t.Context(), nil, SearchInput{Query: queries[0]})
		if err != nil || len(res.Results) == 0 {
			t.Errorf("%s query %q: %d results, %v", class, queries[0], len(res.Results), err)
		}
	}
	// The same seed, the same text.
	s2, _ := newTestStore(t)
	if _, err := s2.GenerateCorpus(t.Context(), CorpusOptions{Articles: 20, Seed: 7}, nil); err != nil {
		t.Fatal(err)
	}
	var a, b string
	s.read.Raw("SELECT body_text FROM articles WHERE id = 1").Scan(&a)
	s2.read.Raw("SELECT body_text FROM articles WHERE id = 1").Scan(&b)
	if a == "" || a != b {
		t.Error("the same seed gave different articles")
	}
}

// benchStore opens the corpus the search benchmark runs on: the database
// named by NEWSGLOSS_BENCH_DB (an SQLite file or a postgres:// URL, e.g. one
// `web gen-corpus` filled), or a new one of NEWSGLOSS_BENCH_ARTICLES articles
// (5,000 unless set) on the run's engine (testdb.Target: SQLite, or a fresh
// PostgreSQL schema when NEWSGLOSS_TEST_DATABASE_URL is set).
func benchStore(b *testing.B) *Store {
	b.Helper()
	if target := os.Getenv("NEWSGLOSS_BENCH_DB"); target != "" {
		return openTestStore(b, target, Options{})
	}
	n := 5000
	if v := os.Getenv("NEWSGLOSS_BENCH_ARTICLES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("NEWSGLOSS_BENCH_ARTICLES=%q: want a number of articles", v)
		}
	}
	s := openTestStore(b, testdb.Target(b), Options{})
	began := time.Now()
	rep, err := s.GenerateCorpus(b.Context(), CorpusOptions{Articles: n, Seed: 1}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d articles (%d words), %d claims, %d events, %d notes on %s in %s",
		rep.Articles, rep.Words, rep.Claims, rep.Events, rep.Annotations, s.dialect, time.Since(began).Round(time.Millisecond))
	return s
}

// threadCPU is the CPU time the calling OS thread has used
// (CLOCK_THREAD_CPUTIME_ID, Linux): with the goroutine locked to its thread,
// the work of a query, SQLite's included, whatever else the machine is doing.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// BenchmarkSearch times searches of each kind on a generated corpus and
// reports latency percentiles (ms) besides the mean: wall-clock time, and the
// CPU time of the query's thread, which a busy shared machine inflates less
// (on SQLite the whole query's; on PostgreSQL only the client's share, the
// server's work being in its own process).
//
//	go test -tags sqlite_fts5 -run '^$' -bench BenchmarkSearch -benchtime 200x ./models
//	NEWSGLOSS_BENCH_ARTICLES=100000 go test … (or NEWSGLOSS_BENCH_DB=path/to/corpus.db)
//	NEWSGLOSS_TEST_DATABASE_URL=postgres://… go test …   (PostgreSQL: a corpus in a fresh schema)
//	NEWSGLOSS_BENCH_DB=postgres://…/corpus go test …     (or one `web gen-corpus --database-url` filled)
func BenchmarkSearch(b *testing.B) {
	s := benchStore(b)
	classes := CorpusQueries()
	// The worst case, for the record: words in nearly every article.
	classes["very common word"] = []string{"said", "officials", "people"}
	order := []string{"one word", "two words", "three words", "phrase", "very common word"}
	for _, class := range order {
		queries := classes[class]
		b.Run(class, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			// Warm the page cache once, as a running site would be.
			for _, q := range queries {
				if _, err := s.Search(b.Context(), nil, SearchInput{Query: q}); err != nil {
					b.Fatal(err)
				}
			}
			var wall, cpu []time.Duration
			results, capped := 0, 0
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				began, beganCPU := time.Now(), threadCPU()
				res, err := s.Search(b.Context(), nil, SearchInput{Query: queries[i%len(queries)]})
				wall, cpu = append(wall, time.Since(began)), append(cpu, threadCPU()-beganCPU)
				if err != nil {
					b.Fatal(err)
				}
				results += len(res.Results)
				if res.Capped {
					capped++
				}
			}
			b.StopTimer()
			pct := func(d []time.Duration, p float64) float64 {
				slices.Sort(d)
				return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(wall, 0.50), "p50-ms")
			b.ReportMetric(pct(wall, 0.95), "p95-ms")
			b.ReportMetric(pct(wall, 0.99), "p99-ms")
			b.ReportMetric(pct(cpu, 0.50), "cpu-p50-ms")
			b.ReportMetric(pct(cpu, 0.95), "cpu-p95-ms")
			b.ReportMetric(pct(cpu, 0.99), "cpu-p99-ms")
			b.ReportMetric(float64(results)/float64(len(wall)), "results/op")
			b.ReportMetric(float64(capped)/float64(len(wall)), "capped/op")
		})
	}
}
