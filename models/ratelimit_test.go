package models

import (
	"fmt"
	"testing"
	"time"
)

// TestAllowAttempt walks one bucket through bursts and refills on the test
// clock: the limits hold whatever the database.
func TestAllowAttempt(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := t.Context()
	const perSecond, burst = 0.5, 3 // one token every 2 s
	steps := []struct {
		wait time.Duration
		want []bool // answers to attempts made one after another
	}{
		{0, []bool{true, true, true, false, false}}, // the burst, then refused
		{time.Second, []bool{false}},                // half a token
		{time.Second, []bool{true, false}},          // one whole token
		{10 * time.Second, []bool{true, true, true, false}},
		{2 * time.Hour, []bool{true, true, true, false}}, // an idle bucket is full again
	}
	for i, st := range steps {
		clock.Advance(st.wait)
		for j, want := range st.want {
			got, err := s.AllowAttempt(ctx, "sign-in:192.0.2.1", perSecond, burst)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("step %d attempt %d: allowed %v, want %v", i, j, got, want)
			}
		}
	}
	// Keys do not share a bucket, and a fresh key starts full.
	for i := range burst {
		if ok, err := s.AllowAttempt(ctx, "sign-in:192.0.2.2", perSecond, burst); err != nil || !ok {
			t.Errorf("other key attempt %d: %v %v", i, ok, err)
		}
	}
	if ok, _ := s.AllowAttempt(ctx, "sign-in:192.0.2.1", perSecond, 0); ok {
		t.Error("a bucket of 0 allowed an attempt")
	}
	// Buckets idle longer than an hour are deleted when a new one is made.
	clock.Advance(3 * time.Hour)
	if _, err := s.AllowAttempt(ctx, fmt.Sprintf("sign-in:%s", "192.0.2.3"), perSecond, burst); err != nil {
		t.Fatal(err)
	}
	var n int64
	s.read.Table("rate_limits").Count(&n)
	if n != 1 {
		t.Errorf("%d buckets after the idle ones expired, want 1", n)
	}
}
