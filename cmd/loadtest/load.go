package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// request is one HTTP request of a scenario.
type request struct {
	method string
	url    string
	body   []byte
	header map[string]string
	expect int
	note   bool // a posted note: its id is kept to delete it afterwards
}

// scenario is a named stream of requests; next is called with a counter
// shared by the workers, so that mixes and rotations are exact.
type scenario struct {
	name string
	next func(i uint64) request
}

// result is one scenario's measurement.
type result struct {
	Name     string
	Requests int
	RPS      float64
	P50, P99 time.Duration
	Errors   int
	Sample   string // the first error, to say what went wrong
}

// loadOptions fix the load: the same for every scenario.
type loadOptions struct {
	concurrency int
	warmup      time.Duration
	duration    time.Duration
}

// worker holds one client's connection and cookies, as one browser would.
type worker struct {
	client    *http.Client
	latencies []time.Duration
	errors    int
	sample    string
	notes     []uint
}

// run drives a scenario with a fixed number of workers for a fixed time:
// requests started during the warm-up are not counted.
func run(ctx context.Context, sc scenario, opts loadOptions) (result, []uint) {
	transport := &http.Transport{
		MaxIdleConns:        2 * opts.concurrency,
		MaxIdleConnsPerHost: 2 * opts.concurrency,
		IdleConnTimeout:     time.Minute,
		// Ask for gzip as browsers do, but keep the compressed bytes: the
		// load generator shares the machine and should spend little.
		DisableCompression: true,
	}
	defer transport.CloseIdleConnections()
	var counter atomic.Uint64
	start := time.Now()
	measureFrom, end := start.Add(opts.warmup), start.Add(opts.warmup+opts.duration)
	workers := make([]*worker, opts.concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		jar, _ := cookiejar.New(nil)
		w := &worker{client: &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				began := time.Now()
				if !began.Before(end) {
					return
				}
				r := sc.next(counter.Add(1) - 1)
				status, location, err := w.do(ctx, r)
				took := time.Since(began)
				if r.note && status == http.StatusCreated {
					if id, ok := noteID(location); ok {
						w.notes = append(w.notes, id)
					}
				}
				if began.Before(measureFrom) {
					continue
				}
				w.latencies = append(w.latencies, took)
				if err == nil && status != r.expect {
					err = fmt.Errorf("%s %s: status %d, want %d", r.method, r.url, status, r.expect)
				}
				if err != nil {
					w.errors++
					if w.sample == "" {
						w.sample = err.Error()
					}
				}
			}
		}()
	}
	wg.Wait()

	res := result{Name: sc.name}
	var all []time.Duration
	var notes []uint
	for _, w := range workers {
		all = append(all, w.latencies...)
		res.Errors += w.errors
		if res.Sample == "" {
			res.Sample = w.sample
		}
		notes = append(notes, w.notes...)
	}
	slices.Sort(all)
	res.Requests = len(all)
	res.RPS = float64(len(all)) / opts.duration.Seconds()
	res.P50, res.P99 = percentile(all, 0.50), percentile(all, 0.99)
	return res, notes
}

func (w *worker) do(ctx context.Context, r request) (int, string, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	res, err := w.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location"), err
}

// percentile reads a sorted list; nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// noteID reads the id from an annotation's Location.
func noteID(location string) (uint, bool) {
	i := strings.LastIndex(location, "/annotations/")
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseUint(location[i+len("/annotations/"):], 10, 32)
	return uint(n), err == nil && n > 0
}
