package searchquery

import (
	"strings"
	"testing"
)

// bracket shows marks as [ ] for readable expectations.
var bracket = strings.NewReplacer(MarkStart, "[", MarkEnd, "]")

func mustParse(t testing.TB, s string) Query {
	t.Helper()
	q, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return q
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Zürich": "zurich", "ÉCOLE": "ecole", "Zu\u0308rich": "zurich", "Şenay": "senay", "Москва": "москва",
		"Straße": "straße", "ø": "ø", "東京": "東京", "plain": "plain",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct{ query, text, want string }{
		{"harbour summ*", "Summit at the harbour", "[Summit] at the [harbour]"},
		{"zurich", "Ministers met in Zürich.", "Ministers met in [Zürich]."},
		{"ZÜRICH", "zurich or Zu\u0308rich", "[zurich] or [Zu\u0308rich]"},
		{`"missile test"`, "A missile test, then a test missile.", "A [missile test], then a test missile."},
		{"covid-19", "Covid-19 cases and covid 19 deaths", "[Covid-19] cases and [covid 19] deaths"},
		{`"a b" "b c"`, "a b c", "[a b c]"}, // overlapping matches are one
		{"a b", "a b", "[a] [b]"},           // neighbouring ones are two
		{"summit -rain", "Summit in the rain", "[Summit] in the rain"},
		{"nothing", "No match here", "No match here"},
		{"x", "", ""},
		{"x", "…!", "…!"},
	}
	for _, tt := range tests {
		if got := bracket.Replace(mustParse(t, tt.query).Highlight(tt.text)); got != tt.want {
			t.Errorf("Highlight(%q, %q) = %q, want %q", tt.query, tt.text, got, tt.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	words := func(from, to int) string {
		var w []string
		for i := from; i <= to; i++ {
			w = append(w, "w"+strings.Repeat("x", i%3)+string(rune('a'+i%26)))
		}
		return strings.Join(w, " ")
	}
	long := words(0, 39) + " target " + words(40, 99) + "."
	tests := []struct {
		name, query, text string
		n                 int
		want              string
	}{
		{"short text whole", "summit", "The summit ended.", 10, "The [summit] ended."},
		{"no match: the beginning", "zzz", "one two three four five six", 3, "one two three…"},
		{"match centred", "target", long, 6, "…" + words(38, 39) + " [target] " + words(40, 42) + "…"},
		{"match near the end", "end", "a b c d e f g h i end.", 4, "…g h i [end]."},
		{"a sentence start is worth a little", "fish", "Old news here. The fish were many and more and more.", 6, "…The [fish] were many and more…"},
		{"both words beat one twice", "alpha beta",
			"alpha x alpha x x x x x x x x x x x x x x x alpha beta x x", 4, "…x [alpha] [beta] x…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bracket.Replace(mustParse(t, tt.query).Snippet(tt.text, tt.n))
			if got != tt.want {
				t.Errorf("Snippet = %q\nwant      %q", got, tt.want)
			}
		})
	}
}

// FuzzMarks checks that marking only adds marks: the text stays whole in a
// highlight and in one piece in a snippet.
func FuzzMarks(f *testing.F) {
	f.Add("summit harb*", "Summit at the harbour. Zürich, covid-19!")
	f.Add(`"a b" c`, "a b c a b a")
	f.Add("x", "\xff x \u0308 x")
	f.Fuzz(func(t *testing.T, query, text string) {
		q, err := Parse(query)
		if err != nil {
			return
		}
		if got := StripMarks(q.Highlight(text)); got != StripMarks(text) {
			t.Fatalf("Highlight(%q, %q) changed the text: %q", query, text, got)
		}
		snip := StripMarks(q.Snippet(text, 5))
		if !strings.Contains(StripMarks(text), strings.TrimSuffix(strings.TrimPrefix(snip, "…"), "…")) {
			t.Fatalf("Snippet(%q, %q) = %q is not a piece of the text", query, text, snip)
		}
	})
}
