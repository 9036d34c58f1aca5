package anchoring

import (
	"errors"
	"testing"
	"unicode/utf16"
)

func TestTextLenSlice(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		len        int
		start, end int
		slice      string
	}{
		{"empty", "", 0, 0, 0, ""},
		{"ascii", "The council met.", 16, 4, 11, "council"},
		{"accented", "Le préfet a démissionné.", 24, 3, 9, "préfet"},
		{"cjk", "東京都知事が辞任した。", 11, 0, 5, "東京都知事"},
		{"emoji", "Vote 🗳️ today 👍", 15, 5, 7, "🗳️"},
		{"two lines", "First block.\nSecond block.", 26, 11, 19, ".\nSecond"},
		{"clamped", "abc", 3, -5, 10, "abc"},
		{"inverted", "abc", 3, 2, 1, ""},
		{"invalid utf-8 becomes U+FFFD", "a\xffb", 3, 1, 2, "\uFFFD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := NewText(tc.text)
			if got := tx.Len(); got != tc.len {
				t.Errorf("Len() = %d, want %d", got, tc.len)
			}
			if got := tx.Slice(tc.start, tc.end); got != tc.slice {
				t.Errorf("Slice(%d, %d) = %q, want %q", tc.start, tc.end, got, tc.slice)
			}
		})
	}
}

func TestUTF16(t *testing.T) {
	tests := []struct {
		name string
		text string
		// pairs of (utf16 offset, rune offset) that must map to each other
		pairs [][2]int
		// UTF-16 offsets that must be refused, and with which error
		bad map[int]error
	}{
		{
			name:  "ascii",
			text:  "Budget vote",
			pairs: [][2]int{{0, 0}, {6, 6}, {11, 11}},
			bad:   map[int]error{-1: ErrUTF16OutOfRange, 12: ErrUTF16OutOfRange},
		},
		{
			name:  "accented letters are one unit each",
			text:  "Élysée déclare",
			pairs: [][2]int{{0, 0}, {6, 6}, {14, 14}},
			bad:   map[int]error{15: ErrUTF16OutOfRange},
		},
		{
			name:  "cjk is one unit each",
			text:  "国会で可決",
			pairs: [][2]int{{0, 0}, {2, 2}, {5, 5}},
			bad:   map[int]error{6: ErrUTF16OutOfRange},
		},
		{
			// "a😀b😀" = a(1) 😀(2) b(1) 😀(2): 6 units, 4 runes.
			name:  "emoji are surrogate pairs",
			text:  "a😀b😀",
			pairs: [][2]int{{0, 0}, {1, 1}, {3, 2}, {4, 3}, {6, 4}},
			bad:   map[int]error{2: ErrUTF16InsidePair, 5: ErrUTF16InsidePair, 7: ErrUTF16OutOfRange},
		},
		{
			name:  "emoji first",
			text:  "🇫🇷 France",
			pairs: [][2]int{{0, 0}, {2, 1}, {4, 2}, {5, 3}, {11, 9}},
			bad:   map[int]error{1: ErrUTF16InsidePair, 3: ErrUTF16InsidePair},
		},
		{
			name:  "empty",
			text:  "",
			pairs: [][2]int{{0, 0}},
			bad:   map[int]error{1: ErrUTF16OutOfRange, -1: ErrUTF16OutOfRange},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := NewText(tc.text)
			if got, want := tx.UTF16Len(), len(utf16.Encode([]rune(tc.text))); got != want {
				t.Errorf("UTF16Len() = %d, want %d", got, want)
			}
			for _, p := range tc.pairs {
				r, err := tx.FromUTF16(p[0])
				if err != nil || r != p[1] {
					t.Errorf("FromUTF16(%d) = %d, %v; want %d", p[0], r, err, p[1])
				}
				if u := tx.ToUTF16(p[1]); u != p[0] {
					t.Errorf("ToUTF16(%d) = %d, want %d", p[1], u, p[0])
				}
			}
			for u, want := range tc.bad {
				if _, err := tx.FromUTF16(u); !errors.Is(err, want) {
					t.Errorf("FromUTF16(%d) error = %v, want %v", u, err, want)
				}
			}
		})
	}
}

// TestUTF16RoundTrip checks every rune offset of mixed text against an
// independent count of UTF-16 units.
func TestUTF16RoundTrip(t *testing.T) {
	for _, s := range []string{
		"Plain ASCII text.",
		"Ünïcödé and 中文 and 😀🎉 mixed\nover two lines 👍🏽.",
		"😀😀😀",
	} {
		tx := NewText(s)
		runes := []rune(s)
		for r := 0; r <= len(runes); r++ {
			want := len(utf16.Encode(runes[:r]))
			u := tx.ToUTF16(r)
			if u != want {
				t.Fatalf("%q: ToUTF16(%d) = %d, want %d", s, r, u, want)
			}
			back, err := tx.FromUTF16(u)
			if err != nil || back != r {
				t.Fatalf("%q: FromUTF16(%d) = %d, %v; want %d", s, u, back, err, r)
			}
		}
	}
}
