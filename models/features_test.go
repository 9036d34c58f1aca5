package models

import "testing"

func TestHasFTS5(t *testing.T) {
	cases := []struct {
		options []string
		want    bool
	}{
		{[]string{"COMPILER=gcc-12", "ENABLE_FTS5", "THREADSAFE=1"}, true},
		{[]string{"enable_fts5"}, true},
		{[]string{"ENABLE_FTS3", "ENABLE_FTS4", "THREADSAFE=1"}, false}, // what a build without -tags sqlite_fts5 reports
		{nil, false},
	}
	for _, tc := range cases {
		if got := hasFTS5(tc.options); got != tc.want {
			t.Errorf("hasFTS5(%v) = %v, want %v", tc.options, got, tc.want)
		}
	}
}
