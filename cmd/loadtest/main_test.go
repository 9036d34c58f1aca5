package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		{"median of 100", ms(hundred...), 0.50, 50 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"p99 of 3", ms(1, 2, 30), 0.99, 30 * time.Millisecond},
	} {
		if got := percentile(tc.sorted, tc.p); got != tc.want {
			t.Errorf("%s: percentile(%v) = %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{9, 1, 5}, 5},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestNoteID(t *testing.T) {
	for _, tc := range []struct {
		location string
		id       uint
		ok       bool
	}{
		{"http://127.0.0.1:4000/annotations/42", 42, true},
		{"/annotations/7", 7, true},
		{"/annotations/", 0, false},
		{"/annotations/x", 0, false},
		{"", 0, false},
	} {
		id, ok := noteID(tc.location)
		if id != tc.id || ok != tc.ok {
			t.Errorf("noteID(%q) = %d, %v; want %d, %v", tc.location, id, ok, tc.id, tc.ok)
		}
	}
}

// TestSummariseRatiosAndAims checks that ratios are taken within each run
// (against that run's ceilings) before the median, and how aims are judged.
func TestSummariseRatiosAndAims(t *testing.T) {
	run := func(bare, templ, article, notModified, readP99, mixedP99 float64, errors int, rss int64, cold time.Duration) runResult {
		return runResult{Bare: bare, Templ: templ, RSS: rss, Peak: rss, ColdStart: cold, Scenarios: []result{
			{Name: nameBare, RPS: bare}, {Name: nameTempl, RPS: templ},
			{Name: nameArticle, RPS: article},
			{Name: name304, RPS: notModified},
			{Name: nameReadMix, RPS: 1000, P99: time.Duration(readP99 * float64(time.Millisecond))},
			{Name: nameMixed, RPS: 100, P99: time.Duration(mixedP99 * float64(time.Millisecond)), Errors: errors},
		}}
	}
	s := summarise([]runResult{
		run(10000, 4000, 2400, 6000, 5, 40, 0, 100<<20, 200*time.Millisecond), // article at 60 % of templ
		run(5000, 2000, 800, 2000, 5, 60, 0, 120<<20, 300*time.Millisecond),   // 40 %: a slower moment, ratio measured within it
		run(8000, 3000, 1650, 5000, 5, 70, 1, 200<<20, 2*time.Second),         // 55 %
	})
	article, _ := s.row(nameArticle)
	if article.toTempl != 0.55 {
		t.Errorf("article × templ = %v, want the median of 0.6, 0.4, 0.55", article.toTempl)
	}
	if s.rss != 120<<20 || s.coldStart != 300*time.Millisecond {
		t.Errorf("rss %d, cold start %v", s.rss, s.coldStart)
	}
	verdicts := map[string]bool{}
	for _, a := range s.aims() {
		verdicts[a.what] = a.met
	}
	for what, want := range map[string]bool{
		nameArticle + " ≥ 50 % of the templ-50 ceiling":       true,
		name304 + " ≥ 50 % of the bare Echo ceiling":          true,
		"mixed read/write: no errors":                         false, // one error in one run
		"mixed read/write: p99 < 10× the read-only mix's p99": false, // 60 ms against 5 ms
		"resident memory < 150 MB with 100,000 articles":      true,
		"cold start to the first page < 1 s":                  true,
	} {
		if got, ok := verdicts[what]; !ok || got != want {
			t.Errorf("aim %q: met %v (present %v), want %v", what, got, ok, want)
		}
	}
}
