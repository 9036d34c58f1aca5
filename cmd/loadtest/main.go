// Command loadtest measures Newsgloss under load against the bare framework.
// It builds the application, fills a database with the synthetic corpus
// (100,000 articles by default, made once and reused), starts the server on
// a free port of 127.0.0.1 and drives each public page at a fixed
// concurrency for a fixed time, together with two ceilings served by Echo
// alone from another process: a constant string, and a templ list of 50
// items from memory. It prints requests per second, p50 and p99 latency and
// errors per page with the ratio to each ceiling, the server's resident
// memory after the load and its cold start; with -runs N, the medians.
//
//	make bench-load                      # or: go run -tags sqlite_fts5 ./cmd/loadtest
//	go run -tags sqlite_fts5 ./cmd/loadtest -runs 5 -duration 20s -c 16
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"newsgloss/models"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := mainErr(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type config struct {
	dataDir  string
	articles int
	seed     uint64
	runs     int
	load     loadOptions
	markdown string
	jsonOut  string
	only     string
}

func mainErr(ctx context.Context, args []string, out io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	ceilingAddr := fs.String("serve-ceiling", "", "internal: serve the ceilings on this address")
	fs.StringVar(&cfg.dataDir, "data", "data/loadtest", "directory of the corpus database (generated once, then reused)")
	fs.IntVar(&cfg.articles, "articles", 100_000, "articles in the corpus")
	fs.Uint64Var(&cfg.seed, "seed", 1, "corpus seed")
	fs.IntVar(&cfg.runs, "runs", 3, "how many times to measure everything; medians are reported")
	fs.IntVar(&cfg.load.concurrency, "c", 8, "concurrent clients")
	fs.DurationVar(&cfg.load.duration, "duration", 10*time.Second, "measured time per page")
	fs.DurationVar(&cfg.load.warmup, "warmup", 2*time.Second, "unmeasured time before each measurement")
	fs.StringVar(&cfg.markdown, "markdown", "", "also write the medians as a Markdown table to this file")
	fs.StringVar(&cfg.jsonOut, "json", "", "also write every run's figures as JSON to this file")
	fs.StringVar(&cfg.only, "only", "", "measure only the scenarios whose names contain this text (the ceilings always run)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ceilingAddr != "" {
		return serveCeiling(ctx, *ceilingAddr, out)
	}
	if cfg.runs < 1 || cfg.load.concurrency < 1 || cfg.load.duration <= 0 {
		return fmt.Errorf("want -runs, -c and -duration above zero")
	}

	work, err := os.MkdirTemp("", "newsgloss-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "web")
	fmt.Fprintln(out, "building the application")
	build := exec.CommandContext(ctx, "go", "build", "-tags", "sqlite_fts5", "-o", bin, "./cmd/web")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	m, err := prepareCorpus(ctx, cfg.dataDir, cfg.articles, cfg.seed, out)
	if err != nil {
		return err
	}
	logDir := filepath.Join(cfg.dataDir, "logs")
	if err := os.MkdirAll(logDir, 0o750); err != nil {
		return err
	}

	fmt.Fprintf(out, "%d cores (GOMAXPROCS %d), %d clients, %s per page after %s of warm-up, %d run(s); load average %s\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), cfg.load.concurrency, cfg.load.duration, cfg.load.warmup, cfg.runs, loadAverage())
	var runs []runResult
	for i := 1; i <= cfg.runs; i++ {
		fmt.Fprintf(out, "\nrun %d of %d\n", i, cfg.runs)
		r, err := measure(ctx, cfg, bin, m, filepath.Join(logDir, fmt.Sprintf("run%d", i)), out)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	s := summarise(runs)
	fmt.Fprintf(out, "\nmedians of %d run(s), %s; load average %s\n", len(runs), time.Now().Format(time.DateTime), loadAverage())
	printTable(out, s)
	if cfg.markdown != "" {
		if err := os.WriteFile(cfg.markdown, []byte(markdownTable(s, cfg, len(runs))), 0o644); err != nil {
			return err
		}
	}
	if cfg.jsonOut != "" {
		b, err := json.MarshalIndent(runs, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(cfg.jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runResult is everything one run measured.
type runResult struct {
	Scenarios []result
	Bare      float64 // ceilings' req/s: the mean of their measurements before and after the pages
	Templ     float64
	ColdStart time.Duration
	RSS, Peak int64
	LoadAvg   string
}

// The scenarios' names, used for the aims.
const (
	nameBare      = "ceiling: bare Echo"
	nameTempl     = "ceiling: templ list of 50"
	nameHome      = "home"
	nameArticle   = "article, 60 notes and 12 claims"
	nameTimeline  = "timeline, 200 entries"
	nameTimeline5 = "timeline, 500 entries"
	nameEntity    = "entity"
	nameFactCheck = "fact-check"
	nameSearch    = "search, two words"
	nameFeed      = "Atom feed, 200-entry timeline"
	name304       = "article, conditional GET → 304"
	nameReadMix   = "mix: page views only"
	nameMixed     = "mix: 90% views, 10% note posts"

	renderedSuffix = ", rendered"
)

func measure(ctx context.Context, cfg config, bin string, m *manifest, logPrefix string, out io.Writer) (runResult, error) {
	var r runResult
	ceiling, err := startCeiling(ctx, logPrefix+"-ceiling.log")
	if err != nil {
		return r, err
	}
	defer ceiling.stop()
	app, cold, err := startApp(ctx, bin, cfg.dataDir, logPrefix+"-server.log")
	if err != nil {
		return r, err
	}
	r.ColdStart = cold
	fmt.Fprintf(out, "  cold start to the first home page: %s\n", cold.Round(time.Millisecond))

	pages, err := pageScenarios(app.base, m)
	if err != nil {
		app.stop()
		return r, err
	}
	bare := scenario{name: nameBare, next: fixed(ceiling.base+ceilingBarePath, http.StatusOK)}
	templ := scenario{name: nameTempl, next: fixed(ceiling.base+ceilingTemplPath, http.StatusOK)}
	list := []scenario{bare, templ}
	for _, sc := range pages {
		if cfg.only == "" || strings.Contains(sc.name, cfg.only) {
			list = append(list, sc)
		}
	}
	list = append(list, scenario{name: bare.name + " (again)", next: bare.next}, scenario{name: templ.name + " (again)", next: templ.next})

	var posted []uint
	for _, sc := range list {
		res, notes := run(ctx, sc, cfg.load)
		if err := ctx.Err(); err != nil {
			app.stop()
			return r, err
		}
		posted = append(posted, notes...)
		r.Scenarios = append(r.Scenarios, res)
		fmt.Fprintf(out, "  %-34s %8.0f req/s  p50 %8s  p99 %8s  errors %d %s\n", res.Name, res.RPS,
			res.P50.Round(10*time.Microsecond), res.P99.Round(10*time.Microsecond), res.Errors, res.Sample)
	}
	r.RSS, r.Peak, err = memory(app.cmd.Process.Pid)
	if err != nil {
		app.stop()
		return r, err
	}
	r.LoadAvg = loadAverage()
	fmt.Fprintf(out, "  server memory after the load: %.1f MB resident (peak %.1f MB)\n", mb(r.RSS), mb(r.Peak))
	if err := app.stop(); err != nil {
		return r, fmt.Errorf("stop the server: %w", err)
	}
	if err := removeNotes(ctx, cfg.dataDir, m, posted); err != nil {
		return r, err
	}
	// Fold the two measurements of each ceiling into one.
	kept := r.Scenarios[:0]
	var bares, templs []float64
	for _, res := range r.Scenarios {
		switch strings.TrimSuffix(res.Name, " (again)") {
		case nameBare:
			bares = append(bares, res.RPS)
			if res.Name != nameBare {
				continue
			}
		case nameTempl:
			templs = append(templs, res.RPS)
			if res.Name != nameTempl {
				continue
			}
		}
		kept = append(kept, res)
	}
	r.Scenarios = kept
	r.Bare, r.Templ = mean(bares), mean(templs)
	for i := range r.Scenarios {
		switch r.Scenarios[i].Name {
		case nameBare:
			r.Scenarios[i].RPS = r.Bare
		case nameTempl:
			r.Scenarios[i].RPS = r.Templ
		}
	}
	return r, nil
}

func fixed(u string, status int) func(uint64) request {
	return func(uint64) request { return request{method: http.MethodGet, url: u, expect: status} }
}

// pageScenarios are the application's pages, the conditional GET and the mixes.
func pageScenarios(base string, m *manifest) ([]scenario, error) {
	if len(m.BusyArticles) == 0 || len(m.FactChecks) == 0 || m.Timelines[200] == "" || m.Timelines[500] == "" || m.Entity == "" || len(m.Scratch) == 0 {
		return nil, fmt.Errorf("the manifest lacks busy pages: delete the data directory to generate again")
	}
	article := fmt.Sprintf("%s/articles/%d", base, m.BusyArticles[0])
	queries := models.CorpusQueries()["two words"]
	search := func(i uint64) request {
		return request{method: http.MethodGet, url: base + "/search?q=" + url.QueryEscape(queries[i%uint64(len(queries))]), expect: http.StatusOK}
	}
	views := []scenario{
		{name: nameHome, next: fixed(base+"/", http.StatusOK)},
		{name: nameArticle, next: fixed(article, http.StatusOK)},
		{name: nameTimeline, next: fixed(base+"/timelines/"+url.PathEscape(m.Timelines[200]), http.StatusOK)},
		{name: nameTimeline5, next: fixed(base+"/timelines/"+url.PathEscape(m.Timelines[500]), http.StatusOK)},
		{name: nameEntity, next: fixed(base+"/entities/"+url.PathEscape(m.Entity), http.StatusOK)},
		{name: nameFactCheck, next: fixed(fmt.Sprintf("%s/factchecks/%d", base, m.FactChecks[0]), http.StatusOK)},
		{name: nameSearch, next: search},
		{name: nameFeed, next: fixed(base+"/timelines/"+url.PathEscape(m.Timelines[200])+"/feed.atom", http.StatusOK)},
	}
	// Every page must answer before it is measured.
	for _, sc := range views {
		for i := range uint64(3) {
			r := sc.next(i)
			res, err := http.Get(r.url)
			if err != nil {
				return nil, err
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != r.expect {
				return nil, fmt.Errorf("%s: %s answered %d", sc.name, r.url, res.StatusCode)
			}
		}
	}
	res, err := http.Get(article)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	etag := res.Header.Get("ETag")
	if etag == "" {
		return nil, fmt.Errorf("%s has no ETag", article)
	}
	notModified := scenario{name: name304, next: func(uint64) request {
		return request{method: http.MethodGet, url: article, header: map[string]string{"If-None-Match": etag}, expect: http.StatusNotModified}
	}}

	// The same pages with a query parameter that changes on every request:
	// each misses the page cache and is rendered, as after any write.
	var rendered []scenario
	for _, sc := range views {
		next := sc.next
		rendered = append(rendered, scenario{name: sc.name + renderedSuffix, next: func(i uint64) request {
			r := next(i)
			sep := "?"
			if strings.Contains(r.url, "?") {
				sep = "&"
			}
			r.url += sep + "uncached=" + strconv.FormatUint(i, 10)
			return r
		}})
	}

	mixViews := views
	readMix := scenario{name: nameReadMix, next: func(i uint64) request { return mixViews[i%uint64(len(mixViews))].next(i / uint64(len(mixViews))) }}
	readMixRendered := scenario{name: nameReadMix + renderedSuffix, next: func(i uint64) request {
		return rendered[i%uint64(len(rendered))].next(i / uint64(len(rendered)))
	}}
	mixed := scenario{name: nameMixed, next: func(i uint64) request {
		if i%10 == 9 {
			return postNote(base, m, i/10)
		}
		return readMix.next(i - i/10)
	}}
	out := append(views, rendered...)
	return append(out, notModified, readMix, readMixRendered, mixed), nil
}

// postNote is a fact-checker's note on the whole of one of the scratch
// articles, sent to the W3C annotation container with the API token.
func postNote(base string, m *manifest, i uint64) request {
	id := m.Scratch[i%uint64(len(m.Scratch))]
	target := fmt.Sprintf("%s/articles/%d", base, id)
	doc := map[string]any{
		"@context":   "http://www.w3.org/ns/anno.jsonld",
		"type":       "Annotation",
		"motivation": "commenting",
		"body":       map[string]any{"type": "TextualBody", "value": "Checked during the load test, note " + strconv.FormatUint(i, 10) + ".", "format": "text/markdown"},
		"target":     target,
	}
	body, _ := json.Marshal(doc)
	return request{method: http.MethodPost, url: target + "/annotations/", body: body, expect: http.StatusCreated, note: true,
		header: map[string]string{
			"Authorization": "Bearer " + m.Token,
			"Content-Type":  `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`,
			"Accept":        `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`,
		}}
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// summary is the medians over the runs.
type summary struct {
	rows      []summaryRow
	coldStart time.Duration
	rss, peak int64
	runs      []runResult
}

type summaryRow struct {
	name            string
	rps             float64
	p50, p99        time.Duration
	errors          int // over all runs
	toBare, toTempl float64
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianDuration(ds []time.Duration) time.Duration {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	return time.Duration(median(xs))
}

func summarise(runs []runResult) summary {
	s := summary{runs: runs}
	var names []string
	byName := map[string][]result{}
	ratios := map[string][2][]float64{}
	var colds []time.Duration
	var rss, peak []float64
	for _, r := range runs {
		colds = append(colds, r.ColdStart)
		rss, peak = append(rss, float64(r.RSS)), append(peak, float64(r.Peak))
		for _, res := range r.Scenarios {
			if _, ok := byName[res.Name]; !ok {
				names = append(names, res.Name)
			}
			byName[res.Name] = append(byName[res.Name], res)
			rt := ratios[res.Name]
			rt[0], rt[1] = append(rt[0], res.RPS/r.Bare), append(rt[1], res.RPS/r.Templ)
			ratios[res.Name] = rt
		}
	}
	for _, n := range names {
		var rps []float64
		var p50, p99 []time.Duration
		row := summaryRow{name: n}
		for _, res := range byName[n] {
			rps, p50, p99 = append(rps, res.RPS), append(p50, res.P50), append(p99, res.P99)
			row.errors += res.Errors
		}
		row.rps, row.p50, row.p99 = median(rps), medianDuration(p50), medianDuration(p99)
		row.toBare, row.toTempl = median(ratios[n][0]), median(ratios[n][1])
		s.rows = append(s.rows, row)
	}
	s.coldStart = medianDuration(colds)
	s.rss, s.peak = int64(median(rss)), int64(median(peak))
	return s
}

func (s summary) row(name string) (summaryRow, bool) {
	for _, r := range s.rows {
		if r.name == name {
			return r, true
		}
	}
	return summaryRow{}, false
}

// aim is one of the targets with its verdict.
type aim struct {
	what, measured string
	met            bool
}

func (s summary) aims() []aim {
	var out []aim
	ratioAim := func(name string, templ bool, want float64) {
		r, ok := s.row(name)
		if !ok {
			return
		}
		v, of := r.toTempl, "templ-50 ceiling"
		if !templ {
			v, of = r.toBare, "bare Echo ceiling"
		}
		out = append(out, aim{what: fmt.Sprintf("%s ≥ %.0f %% of the %s", name, want*100, of),
			measured: fmt.Sprintf("%.0f %%", v*100), met: v >= want})
	}
	ratioAim(nameArticle, true, 0.5)
	ratioAim(nameHome, true, 0.5)
	ratioAim(nameFactCheck, true, 0.5)
	ratioAim(nameTimeline, true, 0.3)
	ratioAim(name304, false, 0.5)
	if mixed, ok := s.row(nameMixed); ok {
		if read, ok := s.row(nameReadMix); ok {
			out = append(out, aim{what: "mixed read/write: no errors", measured: fmt.Sprintf("%d errors", mixed.errors), met: mixed.errors == 0})
			x := float64(mixed.p99) / float64(read.p99)
			out = append(out, aim{what: "mixed read/write: p99 < 10× the read-only mix's p99",
				measured: fmt.Sprintf("%s vs %s (%.1f×)", fmtDur(mixed.p99), fmtDur(read.p99), x), met: x < 10})
			// Each write ends the epoch, so most views in the mix are rendered:
			// against the same views rendered without writes, the ratio says
			// what the writes themselves cost the readers.
			if rendered, ok := s.row(nameReadMix + renderedSuffix); ok {
				x := float64(mixed.p99) / float64(rendered.p99)
				out = append(out, aim{what: "(for comparison) mixed p99 < 10× the rendered read-only mix's p99",
					measured: fmt.Sprintf("%s vs %s (%.1f×)", fmtDur(mixed.p99), fmtDur(rendered.p99), x), met: x < 10})
			}
		}
	}
	out = append(out, aim{what: "resident memory < 150 MB with 100,000 articles", measured: fmt.Sprintf("%.0f MB (peak %.0f MB)", mb(s.rss), mb(s.peak)), met: s.rss < 150<<20})
	out = append(out, aim{what: "cold start to the first page < 1 s", measured: s.coldStart.Round(time.Millisecond).String(), met: s.coldStart < time.Second})
	return out
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	}
}

func printTable(out io.Writer, s summary) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "page\treq/s\tp50\tp99\terrors\t× bare\t× templ-50\t")
	for _, r := range s.rows {
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%d\t%.2f\t%.2f\t\n", r.name, r.rps, fmtDur(r.p50), fmtDur(r.p99), r.errors, r.toBare, r.toTempl)
	}
	tw.Flush()
	fmt.Fprintf(out, "server resident memory after the load: %.0f MB (peak %.0f MB); cold start to the first page: %s\n",
		mb(s.rss), mb(s.peak), s.coldStart.Round(time.Millisecond))
	for _, a := range s.aims() {
		verdict := "met"
		if !a.met {
			verdict = "NOT MET"
		}
		fmt.Fprintf(out, "  %-7s %s: %s\n", verdict, a.what, a.measured)
	}
}

func markdownTable(s summary, cfg config, runs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Medians of %d runs; %d cores; %d clients; %s per page after %s of warm-up; %s.\n\n",
		runs, runtime.NumCPU(), cfg.load.concurrency, cfg.load.duration, cfg.load.warmup, time.Now().Format("2006-01-02"))
	b.WriteString("| page | req/s | p50 | p99 | errors | × bare Echo | × templ-50 |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range s.rows {
		fmt.Fprintf(&b, "| %s | %.0f | %s | %s | %d | %.2f | %.2f |\n", r.name, r.rps, fmtDur(r.p50), fmtDur(r.p99), r.errors, r.toBare, r.toTempl)
	}
	fmt.Fprintf(&b, "\nServer resident memory after the load: %.0f MB (peak %.0f MB). Cold start to the first page: %s.\n\n",
		mb(s.rss), mb(s.peak), s.coldStart.Round(time.Millisecond))
	b.WriteString("| aim | measured | |\n|---|---|---|\n")
	for _, a := range s.aims() {
		v := "met"
		if !a.met {
			v = "**not met**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", a.what, a.measured, v)
	}
	return b.String()
}
