package suggest

import (
	"strings"
	"testing"
)

func sentenceTexts(text string) []string {
	r := []rune(text)
	var out []string
	for _, s := range Sentences(text) {
		out = append(out, string(r[s[0]:s[1]]))
	}
	return out
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"plain", "The talks failed. Both sides left!", []string{"The talks failed.", "Both sides left!"}},
		{"titles", "Mr. Olsen met Ms. Vålund and Dr. Arık. They spoke.", []string{"Mr. Olsen met Ms. Vålund and Dr. Arık.", "They spoke."}},
		{"month abbreviation before a number", "Voting ends Oct. 31. Results follow Sept. 18 or later.", []string{"Voting ends Oct. 31.", "Results follow Sept. 18 or later."}},
		{"decimal", "Growth was 3.5 percent. Prices rose 0.2 percent.", []string{"Growth was 3.5 percent.", "Prices rose 0.2 percent."}},
		{"acronym mid-sentence", "The U.S. Congress voted. It passed.", []string{"The U.S. Congress voted.", "It passed."}},
		{"acronym at the end", "She lives in the U.S. The talks resumed.", []string{"She lives in the U.S.", "The talks resumed."}},
		{"initials", "J. R. Haldane said no. Nobody else spoke.", []string{"J. R. Haldane said no.", "Nobody else spoke."}},
		{"a.m.", "It began at 9 a.m. The vote followed at 11 a.m. on Monday.", []string{"It began at 9 a.m.", "The vote followed at 11 a.m. on Monday."}},
		{"quote ends the sentence", `She said: "It is over." Then she left.`, []string{`She said: "It is over."`, "Then she left."}},
		{"typographic quote", "“We will win.” The minister smiled.", []string{"“We will win.”", "The minister smiled."}},
		{"question inside a quote", `"Will we win?" she asked. Nobody knew.`, []string{`"Will we win?" she asked.`, "Nobody knew."}},
		{"comma after quote", `"We will win," he said.`, []string{`"We will win," he said.`}},
		{"ellipsis", "Wait... what? Yes!", []string{"Wait... what?", "Yes!"}},
		{"company", "Brel Co., the firm, said so. Shares rose.", []string{"Brel Co., the firm, said so.", "Shares rose."}},
		{"number sign", "No. 10 said nothing. No comment.", []string{"No. 10 said nothing.", "No comment."}},
		{"lower case after a stop", "e.g. the ministry. i.e. the state.", []string{"e.g. the ministry. i.e. the state."}},
		{"blocks", "Headline without stop\n\nFirst paragraph. Second sentence\nLast block.", []string{"Headline without stop", "First paragraph.", "Second sentence", "Last block."}},
		{"white space trimmed", "  Spaces here.   And there.  ", []string{"Spaces here.", "And there."}},
		{"bracket", "The law passed (narrowly.) Critics objected.", []string{"The law passed (narrowly.)", "Critics objected."}},
		{"empty", "", nil},
		{"blank", " \n\t\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentenceTexts(tt.text)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Sentences(%q)\n got: %q\nwant: %q", tt.text, got, tt.want)
			}
			checkSentences(t, tt.text)
		})
	}
}

func TestSentencesRunePositions(t *testing.T) {
	text := "Şenay Arık spoke. Ильзе ответила."
	got := Sentences(text)
	want := [][2]int{{0, 17}, {18, 33}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("Sentences = %v, want %v", got, want)
	}
}

func checkSentences(t *testing.T, text string) {
	t.Helper()
	r := []rune(text)
	prev := 0
	for _, s := range Sentences(text) {
		if s[0] < prev || s[0] >= s[1] || s[1] > len(r) {
			t.Fatalf("bad sentence %v after %d in %d runes", s, prev, len(r))
		}
		if isSpaceRune(r[s[0]]) || isSpaceRune(r[s[1]-1]) {
			t.Fatalf("sentence %v not trimmed: %q", s, string(r[s[0]:s[1]]))
		}
		for _, c := range r[s[0]:s[1]] {
			if c == '\n' {
				t.Fatalf("sentence %v spans a newline", s)
			}
		}
		prev = s[1]
	}
}

func isSpaceRune(c rune) bool { return strings.TrimSpace(string(c)) == "" }

var testEntities = []Entity{
	{ID: 1, Name: "Ilse Vålund", Kind: "person", Aliases: []string{"Foreign Minister Vålund"}},
	{ID: 2, Name: "Şenay Arık", Kind: "person", Aliases: []string{"Dr. Şenay Arık"}},
	{ID: 3, Name: "Aldervane foreign ministry", Kind: "organisation", Aliases: []string{"Aldervane's foreign ministry", "", "   "}},
	{ID: 4, Name: "Aldervane", Kind: "place"},
	{ID: 5, Name: "Brel Institute", Kind: "organisation"},
	{ID: 6, Name: "Αθήνα", Kind: "place", Aliases: []string{"Athens"}},
	{ID: 7, Name: "Министерство обороны", Kind: "organisation"},
	{ID: 8, Name: "東京", Kind: "place"},
}

// hitTexts describes hits as "id:text".
func hitTexts(text string, hits []EntityHit) []string {
	r := []rune(text)
	var out []string
	for _, h := range hits {
		out = append(out, string(rune('0'+h.EntityID))+":"+string(r[h.Start:h.End]))
	}
	return out
}

func TestFindEntities(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"exact", "Ilse Vålund spoke.", []string{"1:Ilse Vålund"}},
		{"case-insensitive", "ILSE VÅLUND and ilse vålund", []string{"1:ILSE VÅLUND", "1:ilse vålund"}},
		{"turkish capitals", "ŞENAY ARIK, şenay arık", []string{"2:ŞENAY ARIK", "2:şenay arık"}},
		{"longest alias wins", "Dr. Şenay Arık met the Aldervane foreign ministry in Aldervane.", []string{"2:Dr. Şenay Arık", "3:Aldervane foreign ministry", "4:Aldervane"}},
		{"curly apostrophe", "Aldervane’s foreign ministry said so.", []string{"3:Aldervane’s foreign ministry"}},
		{"possessive is a word boundary", "Vålund's aide and Ilse Vålund's aide", []string{"1:Ilse Vålund"}},
		{"whole words only", "Aldervanean wine, Ilse Vålundsson, Brel Institutes", nil},
		{"letters with marks", "Aldervane\u0301 is not Aldervane.", []string{"4:Aldervane"}},
		{"flexible spaces", "Ilse\u00a0Vålund and Ilse  Vålund\tand Brel\tInstitute", []string{"1:Ilse\u00a0Vålund", "1:Ilse  Vålund", "5:Brel\tInstitute"}},
		{"not across blocks", "Ilse\nVålund", nil},
		{"greek and cyrillic", "In Αθήνα (ΑΘΉΝΑ) the министерство обороны spoke; athens too.", []string{"6:Αθήνα", "6:ΑΘΉΝΑ", "7:министерство обороны", "6:athens"}},
		{"unspaced script", "東京都で会議", []string{"8:東京"}},
		{"punctuation around", "(Ilse Vålund), «Brel Institute»", []string{"1:Ilse Vålund", "5:Brel Institute"}},
		{"empty text", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := FindEntities(tt.text, testEntities)
			got := hitTexts(tt.text, hits)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("FindEntities(%q)\n got: %q\nwant: %q", tt.text, got, tt.want)
			}
			checkHits(t, tt.text, hits, testEntities)
		})
	}
}

func TestFindEntitiesTies(t *testing.T) {
	ents := []Entity{
		{ID: 9, Name: "Brel", Kind: "person"},
		{ID: 4, Name: "Brel", Kind: "organisation"},
		{ID: 5, Name: "Brel Institute", Kind: "organisation", Aliases: []string{"brel institute"}},
	}
	hits := FindEntities("Brel and the Brel Institute", ents)
	if len(hits) != 2 || hits[0].EntityID != 4 || hits[1].EntityID != 5 || hits[1].Alias != "Brel Institute" {
		t.Fatalf("hits = %+v", hits)
	}
	if FindEntities("anything", nil) != nil {
		t.Fatal("hits without entities")
	}
}

func checkHits(t *testing.T, text string, hits []EntityHit, ents []Entity) {
	t.Helper()
	r := []rune(text)
	prev := 0
	for _, h := range hits {
		if h.Start < prev || h.Start >= h.End || h.End > len(r) {
			t.Fatalf("bad hit %+v after %d in %d runes", h, prev, len(r))
		}
		if foldString(string(r[h.Start:h.End])) != foldString(h.Alias) {
			t.Fatalf("hit %+v has %q, not its alias", h, string(r[h.Start:h.End]))
		}
		known := false
		for _, e := range ents {
			if e.ID == h.EntityID && (e.Name == h.Alias || contains(e.Aliases, h.Alias)) {
				known = true
			}
		}
		if !known {
			t.Fatalf("hit %+v: alias not among entity %d's", h, h.EntityID)
		}
		prev = h.End
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type claimWant struct {
	cue, stance, speaker string
	entity               uint
}

func TestFindClaims(t *testing.T) {
	tests := []struct {
		name, text string
		want       []claimWant // one per returned sentence, in order
	}{
		{"speaker before said", "The Aldervane foreign ministry said on Tuesday that talks would resume.",
			[]claimWant{{"said", "asserts", "The Aldervane foreign ministry", 3}}},
		{"said after a quotation", `"The figures are wrong," said Dr. Şenay Arık, who heads the Brel Institute.`,
			[]claimWant{{"said", "asserts", "Dr. Şenay Arık", 2}}},
		{"says after a quotation", "“It is over,” says Ilse Vålund.",
			[]claimWant{{"says", "asserts", "Ilse Vålund", 1}}},
		{"speaker after a quotation, before the verb", `"We will not resign," Ms. Vålund told reporters in Brussels.`,
			[]claimWant{{"told reporters", "asserts", "Ms. Vålund", 1}}},
		{"told a listener", "Vålund told the envoy that the talks had failed.",
			[]claimWant{{"told", "asserts", "Vålund", 1}}},
		{"according to a description", "According to two senior officials, the convoy turned back.",
			[]claimWant{{"according to", "asserts", "two senior officials", 0}}},
		{"according to an entity", "The economy shrank in the spring, according to the Brel Institute.",
			[]claimWant{{"according to", "asserts", "the Brel Institute", 5}}},
		{"according to a title", "According to Dr. Şenay Arık, the data is sound.",
			[]claimWant{{"according to", "asserts", "Dr. Şenay Arık", 2}}},
		{"denied", "Ilse Vålund denied that she had met the envoy.",
			[]claimWant{{"denied", "denies", "Ilse Vålund", 1}}},
		{"spokeswoman for", "A spokeswoman for the Aldervane foreign ministry dismissed the report as speculation.",
			[]claimWant{{"dismissed", "denies", "A spokeswoman for the Aldervane foreign ministry", 3}}},
		{"passive denial", "The proposal was firmly rejected by the Aldervane foreign ministry on Monday.",
			[]claimWant{{"rejected", "denies", "the Aldervane foreign ministry", 3}}},
		{"refuted with surname", "Dr. Arık has repeatedly refuted the claims.",
			[]claimWant{{"refuted", "denies", "Dr. Arık", 2}}},
		{"played down", "The ministry played down the incident.",
			[]claimWant{{"played down", "denies", "The ministry", 0}}},
		{"confirmed", "The interior ministry on Monday confirmed the arrests.",
			[]claimWant{{"confirmed", "asserts", "The interior ministry", 0}}},
		{"announced", "Vålund announced her resignation.",
			[]claimWant{{"announced", "asserts", "Vålund", 1}}},
		{"warned with a count", "Two officials warned that the ceasefire was fragile.",
			[]claimWant{{"warned", "asserts", "Two officials", 0}}},
		{"pronoun resolved to the last person", "Ilse Vålund arrived late. She insisted nothing had changed.",
			[]claimWant{{"insisted", "asserts", "She", 1}}},
		{"it resolved to the last organisation", "The Brel Institute published its figures. It said growth was slowing.",
			[]claimWant{{"said", "asserts", "It", 5}}},
		{"appositive", "Ilse Vålund, the foreign minister, warned of sanctions.",
			[]claimWant{{"warned", "asserts", "Ilse Vålund", 1}}},
		{"entity fallback", "In a rare interview, Şenay Arık, visibly tired, said the data was sound.",
			[]claimWant{{"said", "asserts", "Şenay Arık", 2}}},
		{"possessive speaker", "Vålund's spokesman said the trip was cancelled.",
			[]claimWant{{"said", "asserts", "Vålund's spokesman", 1}}},
		{"opening clause", "On Monday, the foreign ministry said it would appeal.",
			[]claimWant{{"said", "asserts", "the foreign ministry", 0}}},
		{"month as a name", "Mr. March said the U.S. had agreed.",
			[]claimWant{{"said", "asserts", "Mr. March", 0}}},
		{"hedge reportedly", "The minister reportedly told aides she would quit.",
			[]claimWant{{"reportedly", "rumour", "The minister", 0}}},
		{"hedge is said to", "Vålund is said to be considering an early election.",
			[]claimWant{{"is said to", "rumour", "", 0}}},
		{"rumour noun alone", "Rumours of a cabinet reshuffle swept the capital.",
			[]claimWant{{"rumours", "rumour", "", 0}}},
		{"denying a rumour", "The ministry denied rumours of a reshuffle.",
			[]claimWant{{"denied", "denies", "The ministry", 0}}},
		{"unconfirmed reports as subject", "Unconfirmed reports said the border had closed.",
			[]claimWant{{"unconfirmed reports", "rumour", "Unconfirmed reports", 0}}},
		{"according to unconfirmed reports", "According to unconfirmed reports, the envoy has left.",
			[]claimWant{{"according to unconfirmed reports", "rumour", "", 0}}},
		{"negated denial", "Officials did not deny the report.",
			[]claimWant{{"not deny", "asserts", "Officials", 0}}},
		{"cue inside a quotation only", `"They said it would be quick."`, nil},
		{"no cue", "The delegation arrived in Brussels on Monday. The weather was fine.", nil},
		{"disputed as an adjective is not a denial", "Both ships sailed near the disputed Corran Shoals, officials said.",
			[]claimWant{{"said", "asserts", "officials", 0}}},
		{"disputes as a noun is not a denial", "Dr. Priya Castellan, who studies maritime disputes at the institute, said the line mattered.",
			[]claimWant{{"said", "asserts", "Dr. Priya Castellan", 0}}},
		{"one per sentence, in order", "Talks resumed. The Aldervane foreign ministry said progress was slow. Nothing else happened. Dr. Arık disputed that.",
			[]claimWant{{"said", "asserts", "The Aldervane foreign ministry", 3}, {"disputed", "denies", "Dr. Arık", 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindClaims(tt.text, testEntities)
			var have, want []claimWant
			for _, c := range got {
				have = append(have, claimWant{c.Cue, c.Stance, c.Speaker, c.SpeakerEntity})
				checkClaim(t, tt.text, c)
			}
			want = tt.want
			if len(have) != len(want) {
				t.Fatalf("FindClaims(%q)\n got: %+v\nwant: %+v", tt.text, have, want)
			}
			for i := range have {
				if have[i] != want[i] {
					t.Errorf("FindClaims(%q)[%d]\n got: %+v\nwant: %+v", tt.text, i, have[i], want[i])
				}
			}
		})
	}
}

func TestFindClaimsSentenceSpan(t *testing.T) {
	text := "ALDERVANE CITY (Newsgloss)\nTalks resumed on Monday. “We remain hopeful,” Ilse Vålund said. Prices rose."
	got := FindClaims(text, testEntities)
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	c := got[0]
	if c.Sentence != "“We remain hopeful,” Ilse Vålund said." || c.Start != 52 || c.End != 90 {
		t.Fatalf("sentence %q at [%d,%d)", c.Sentence, c.Start, c.End)
	}
	if c.Speaker != "Ilse Vålund" || c.SpeakerEntity != 1 {
		t.Fatalf("speaker %q %d", c.Speaker, c.SpeakerEntity)
	}
}

func checkClaim(t *testing.T, text string, c ClaimCandidate) {
	t.Helper()
	r := []rune(text)
	if c.Start < 0 || c.Start >= c.End || c.End > len(r) || string(r[c.Start:c.End]) != c.Sentence {
		t.Fatalf("bad sentence span %+v", c)
	}
	if c.Speaker != "" && !strings.Contains(c.Sentence, c.Speaker) {
		t.Fatalf("speaker %q not in sentence %q", c.Speaker, c.Sentence)
	}
	switch c.Stance {
	case StanceAsserts, StanceDenies, StanceRumour:
	default:
		t.Fatalf("stance %q", c.Stance)
	}
	if c.Cue == "" {
		t.Fatalf("no cue: %+v", c)
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"Mr. Olsen met Ms. Vålund on Sept. 18. Growth was 3.5 percent in the U.S. The end.",
		`"Will we win?" she asked. “Yes.” Then... nothing!` + "\nNew block",
		"J. R. Haldane said no. No. 10 said nothing.",
		"...!?\n\n. . .”» a.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkSentences(t, text)
	})
}

func FuzzFindEntities(f *testing.F) {
	f.Add("Dr. Şenay Arık met the Aldervane foreign ministry in Aldervane.", "Aldervane", "aldervane foreign ministry")
	f.Add("ŞENAY ARIK, şenay arık; Ilse\u00a0Vålund", "Şenay Arık", "Ilse Vålund")
	f.Add("東京都で会議 Αθήνα", "東京", "ΑΘΉΝΑ")
	f.Add("a a a a", "a", "a a")
	f.Fuzz(func(t *testing.T, text, alias1, alias2 string) {
		ents := []Entity{
			{ID: 1, Name: alias1, Kind: "person"},
			{ID: 2, Name: alias2, Kind: "organisation", Aliases: []string{alias1 + " " + alias2}},
		}
		checkHits(t, text, FindEntities(text, ents), ents)
	})
}

func FuzzFindClaims(f *testing.F) {
	f.Add(`"The figures are wrong," said Dr. Şenay Arık. The ministry denied it, according to Vålund's aide.`, "Şenay Arık")
	f.Add("Rumours said. 'Officials' reportedly, “denied” by the — according to", "the")
	f.Fuzz(func(t *testing.T, text, alias string) {
		ents := []Entity{{ID: 1, Name: alias, Kind: "person"}, {ID: 2, Name: "Aldervane foreign ministry", Kind: "organisation"}}
		prev := 0
		for _, c := range FindClaims(text, ents) {
			if c.Start < prev {
				t.Fatalf("claims out of order")
			}
			checkClaim(t, text, c)
			prev = c.End
		}
	})
}
