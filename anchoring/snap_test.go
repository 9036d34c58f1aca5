package anchoring

import "testing"

func TestSnapToWords(t *testing.T) {
	text := []rune("The summit was called off after the missile launch, officials said.")
	cases := []struct {
		name               string
		quote              string
		start, end, k      int
		wantStart, wantEnd int
	}{
		{"ends inside a word", "summit was called off after the missile laun", 4, 47, 5, 4, 50},
		{"starts inside a word", "mmit was", 6, 14, 4, 4, 14},
		{"whole words already", "summit", 4, 10, 3, 4, 10},
		{"widening would break the budget", "missile laun", 36, 48, 1, 36, 48},
		{"punctuation is not a word", ", o", 50, 53, 1, 50, 53},
		{"empty", "", 0, 0, 0, 0, 0},
	}
	for _, c := range cases {
		s, e := snapToWords(text, []rune(c.quote), c.start, c.end, c.k)
		if s != c.wantStart || e != c.wantEnd {
			t.Errorf("%s: snapToWords(%d, %d) = %d, %d (%q), want %d, %d", c.name, c.start, c.end, s, e, string(text[s:e]), c.wantStart, c.wantEnd)
		}
	}
	// A script written without spaces is not widened to a whole line.
	cjk := []rune("首脑会议在蒂韦恩因导弹试验而被取消官员说")
	if s, e := snapToWords(cjk, []rune("导弹试验"), 7, 11, 2); s != 7 || e != 11 {
		t.Errorf("CJK range widened to %d, %d", s, e)
	}
}

func TestWithinEdits(t *testing.T) {
	cases := []struct {
		a, b string
		k    int
		want bool
	}{
		{"kitten", "sitting", 3, true},
		{"kitten", "sitting", 2, false},
		{"", "abc", 3, true},
		{"abc", "", 2, false},
		{"same", "same", 0, true},
		{"test", "launch", 4, false},
		{"test", "laun", 4, true},
	}
	for _, c := range cases {
		if got := withinEdits([]rune(c.a), []rune(c.b), c.k); got != c.want {
			t.Errorf("withinEdits(%q, %q, %d) = %v, want %v", c.a, c.b, c.k, got, c.want)
		}
	}
}
