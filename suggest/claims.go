package suggest

import (
	"sort"
	"strings"
	"unicode"
)

// ClaimCandidate is a sentence that reports a claim, a denial or a rumour.
type ClaimCandidate struct {
	Sentence   string // the sentence as written
	Start, End int    // its position in the text, in runes
	Cue        string // the cue found, lower-cased: "said", "denied", "according to", "is said to", "not deny"
	Stance     string // "asserts", "denies" or "rumour"
	// Speaker is the probable speaker as written in the sentence ("the
	// foreign ministry", "Ms. Vålund", "two officials", "she"), "" if none
	// was found.
	Speaker string
	// SpeakerEntity is the ID of the known entity the speaker names, 0 if
	// none.
	SpeakerEntity uint
}

// Stances.
const (
	StanceAsserts = "asserts"
	StanceDenies  = "denies"
	StanceRumour  = "rumour"
)

// FindClaims returns the sentences of text (as split by Sentences) that
// carry an attribution, denial or rumour cue outside quotation marks, at
// most one candidate per sentence, in text order. Sentences whose only cues
// are inside a quotation are left out: their speaker is elsewhere.
//
// The main cue is the first verb cue outside quotations (said, told
// reporters, announced, confirmed, warned, insisted, … ; denied, dismissed,
// rejected, refuted, …) or "according to". The stance is:
//
//   - "rumour" when a hedge (reportedly, allegedly, is said to, is believed
//     to, according to unconfirmed reports, …) comes before the main cue or
//     there is no main cue; also when a rumour noun (rumours, unconfirmed
//     reports, speculation) is the subject of an assertion ("Unconfirmed
//     reports said …") or the only cue. The Cue is then the hedge or noun.
//   - "denies" for a denial verb, "asserts" for the rest. A negated denial
//     ("did not deny", "neither confirmed nor denied") asserts, with Cue
//     "not deny".
//
// The speaker is looked for, in this order: after "according to"; after
// "by" for a passive verb ("was denied by the ministry"); in the noun phrase
// just before the verb ("the Aldervane foreign ministry said", "a
// spokeswoman for the ministry has denied", skipping auxiliaries and
// adverbs); after a say-type verb that follows a quotation (`"…," said Ms.
// Vålund`); at the start of the sentence when a comma separates it from the
// verb ("Ilse Vålund, the foreign minister, said"); else the last person or
// organisation among the known entities mentioned before the verb. Known
// entity aliases are always read as whole speaker words.
//
// SpeakerEntity is the entity named inside the speaker (a person before an
// organisation before anything else, then the first); for "he"/"she" the
// last person, and for "it" the last organisation, mentioned earlier in the
// sentence or the two before it; otherwise a person whose name ends with the
// speaker's last capitalised word, when exactly one does ("Ms. Vålund" for
// "Ilse Vålund").
func FindClaims(text string, entities []Entity) []ClaimCandidate {
	r := []rune(text)
	c := newClaimer(r, entities, FindEntities(text, entities))
	var out []ClaimCandidate
	k := 0
	for si, s := range c.sentences {
		for k < len(c.t) && c.t[k].start < s[0] {
			k++
		}
		a := k
		for k < len(c.t) && c.t[k].start < s[1] {
			k++
		}
		if cand, ok := c.claim(si, a, k); ok {
			out = append(out, cand)
		}
	}
	return out
}

type claimer struct {
	r         []rune
	t         []token
	sentences [][2]int
	hits      []EntityHit
	hitFirst  []int // per hit: its first token
	hitEnd    []int // per hit: one past its last token
	hitAt     []int // per token: the hit covering it, or -1
	quoted    []bool
	kinds     map[uint]string
	entities  []Entity
	cues      map[string][]cue         // by first word, longest first
	surnames  map[string]map[uint]bool // folded last name word → person IDs, built when first needed
}

func newClaimer(r []rune, entities []Entity, hits []EntityHit) *claimer {
	c := &claimer{r: r, t: tokenize(r), sentences: Sentences(string(r)), hits: hits, entities: entities,
		kinds: map[uint]string{}, cues: map[string][]cue{}}
	for _, e := range entities {
		if _, ok := c.kinds[e.ID]; !ok {
			c.kinds[e.ID] = e.Kind
		}
	}
	for _, cu := range cues() {
		c.cues[cu.words[0]] = append(c.cues[cu.words[0]], cu)
	}
	for _, list := range c.cues {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].words) > len(list[j].words) })
	}
	c.hitAt = make([]int, len(c.t))
	c.hitFirst = make([]int, len(hits))
	c.hitEnd = make([]int, len(hits))
	h := 0
	for k, t := range c.t {
		c.hitAt[k] = -1
		for h < len(hits) && hits[h].End <= t.start {
			h++
		}
		if h < len(hits) && hits[h].Start < t.end {
			if c.hitEnd[h] == 0 {
				c.hitFirst[h] = k
			}
			c.hitAt[k] = h
			c.hitEnd[h] = k + 1
		}
	}
	c.quoted = quoteState(c.t)
	return c
}

// quoteState marks the tokens inside quotation marks. Typographic quotes
// and guillemets are unambiguous; a straight double quote opens after white
// space or an opening bracket and closes otherwise; single quotes (‘ ’ and
// straight) count only outside double quotes, and an apostrophe between
// letters ("Vålund’s") is never a quote. A new block closes every quote.
func quoteState(t []token) []bool {
	q := make([]bool, len(t))
	var double, single bool
	for k, tk := range t {
		if tk.nl {
			double, single = false, false
		}
		if tk.kind == tPunct {
			prevWord := k > 0 && !tk.gap && t[k-1].kind != tPunct
			nextWord := k+1 < len(t) && !t[k+1].gap && t[k+1].kind != tPunct
			switch tk.text {
			case "“", "«", "„":
				double = true
			case "”", "»":
				double = false
			case "\"":
				double = tk.gap || k == 0 || strings.Contains("([{—–-", t[k-1].text)
			case "‘":
				if !double {
					single = true
				}
			case "’", "'":
				switch {
				case double || (prevWord && nextWord):
				case single:
					single = false
				case !prevWord && nextWord:
					single = true
				}
			}
			continue
		}
		q[k] = double || single
	}
	return q
}

type foundCue struct {
	cue     cue
	at, end int // tokens
}

func (c *claimer) claim(si, a, b int) (ClaimCandidate, bool) {
	var main, hedge, rumour *foundCue
	for k := a; k < b; {
		n, cu := c.cueAt(k, b)
		if n == 0 {
			k++
			continue
		}
		f := &foundCue{cue: cu, at: k, end: k + n}
		k += n
		if c.quoted[f.at] || !c.usedAsVerb(f, b) {
			continue
		}
		switch cu.kind {
		case cueHedge:
			if hedge == nil && main == nil {
				hedge = f
			}
		case cueRumour:
			if rumour == nil {
				rumour = f
			}
		default:
			if main == nil {
				main = f
			}
		}
	}
	if main == nil && hedge == nil && rumour == nil {
		return ClaimCandidate{}, false
	}
	s := c.sentences[si]
	cand := ClaimCandidate{Sentence: string(c.r[s[0]:s[1]]), Start: s[0], End: s[1]}
	switch {
	case hedge != nil:
		cand.Stance, cand.Cue = StanceRumour, c.cueText(hedge)
	case main == nil:
		cand.Stance, cand.Cue = StanceRumour, c.cueText(rumour)
	case main.cue.kind == cueDeny:
		cand.Stance, cand.Cue = StanceDenies, c.cueText(main)
		for p := main.at - 1; p >= a && p >= main.at-3; p-- {
			if t := c.t[p]; t.kind == tWord && negation(t.low) {
				cand.Stance, cand.Cue = StanceAsserts, "not "+c.cueText(main)
				break
			}
		}
	case rumour != nil && rumour.at < main.at:
		cand.Stance, cand.Cue = StanceRumour, c.cueText(rumour)
	default:
		cand.Stance, cand.Cue = StanceAsserts, c.cueText(main)
	}
	if main != nil {
		if ps, pe, hit := c.speaker(si, main, a, b); pe > ps || hit >= 0 {
			if hit >= 0 {
				h := c.hits[hit]
				cand.Speaker, cand.SpeakerEntity = string(c.r[h.Start:h.End]), h.EntityID
			} else {
				cand.Speaker = string(c.r[c.t[ps].start:c.t[pe-1].end])
				cand.SpeakerEntity = c.speakerEntity(si, ps, pe, main.at)
			}
		}
	}
	return cand, true
}

// usedAsVerb tells the verb "disputed"/"disputes" ("the ministry disputed
// that account") from the same word as an adjective or a noun ("the disputed
// shoals", "maritime disputes at…"): the verb takes an object right after it.
// Other cues are always taken as verbs.
func (c *claimer) usedAsVerb(f *foundCue, b int) bool {
	switch c.t[f.at].low {
	case "disputed", "disputes":
	default:
		return true
	}
	if f.end >= b || c.t[f.end].kind != tWord {
		return false
	}
	switch c.t[f.end].low {
	case "that", "this", "these", "those", "the", "a", "an", "any", "it", "its", "his", "her", "their",
		"claims", "reports", "allegations", "accounts", "suggestions":
		return true
	}
	return false
}

// cueAt returns the length in tokens and the cue of the longest cue phrase
// starting at token k, before token b.
func (c *claimer) cueAt(k, b int) (int, cue) {
	t := c.t[k]
	if t.kind != tWord {
		return 0, cue{}
	}
outer:
	for _, cu := range c.cues[t.low] {
		if k+len(cu.words) > b {
			continue
		}
		for i, w := range cu.words {
			if x := c.t[k+i]; x.kind != tWord || x.low != w {
				continue outer
			}
		}
		return len(cu.words), cu
	}
	return 0, cue{}
}

func (c *claimer) cueText(f *foundCue) string {
	return strings.Join(f.cue.words, " ")
}

// speaker finds the speaker of the main cue: a token range [s, e), or a hit
// index (with s == e) from the last fallback.
func (c *claimer) speaker(si int, main *foundCue, a, b int) (int, int, int) {
	if main.cue.kind == cueSource {
		s, e := c.forwardNP(main.end, b)
		return s, e, -1
	}
	before := c.skipBack(main.at-1, a)
	aux := main.at - 1
	for aux >= a && c.isWordTok(aux) && isAdverb(c.t[aux]) {
		aux--
	}
	if c.isWord(aux, "was", "were", "been", "is", "are", "being") && c.isWord(main.end, "by") {
		if s, e := c.forwardNP(main.end+1, b); e > s {
			return s, e, -1
		}
	}
	if s, e := c.backNP(main.at, a); e > s {
		return s, e, -1
	}
	if main.cue.inverts && c.afterQuote(main.at, a) {
		if s, e := c.forwardNP(main.end, b); e > s {
			return s, e, -1
		}
	}
	if before >= a && c.t[before].kind == tPunct && c.t[before].text == "," && !c.quoted[a] {
		if s, e := c.forwardNP(a, before); e > s {
			return s, e, -1
		}
	}
	best := -1
	for h := range c.hits {
		if c.hitFirst[h] >= a && c.hitEnd[h] <= main.at && c.hitEnd[h] > 0 && !c.quoted[c.hitFirst[h]] {
			if k := c.kinds[c.hits[h].EntityID]; k == "person" || isOrganisation(k) {
				best = h
			}
		}
	}
	return 0, 0, best
}

func isOrganisation(kind string) bool { return kind == "organisation" || kind == "organization" }

// afterQuote reports whether the verb at token k directly follows a
// quotation (`"…," said`, `"…" said`) or opens the sentence.
func (c *claimer) afterQuote(k, a int) bool {
	p := k - 1
	if p < a {
		return true
	}
	if c.t[p].kind == tPunct && c.t[p].text == "," {
		p--
	}
	return p >= a && c.t[p].kind == tPunct && isQuoteMark(c.t[p].text)
}

func isQuoteMark(s string) bool {
	switch s {
	case "\"", "”", "“", "»", "’", "'":
		return true
	}
	return false
}

func (c *claimer) isWord(k int, words ...string) bool {
	if k < 0 || k >= len(c.t) || c.t[k].kind != tWord {
		return false
	}
	for _, w := range words {
		if c.t[k].low == w {
			return true
		}
	}
	return false
}

// skipBack steps back from token p over auxiliaries, adverbs ("firmly",
// "swiftly"), "on Monday" and the pieces of "didn't", and returns the first
// token not skipped.
func (c *claimer) skipBack(p, a int) int {
	for p >= a {
		t := c.t[p]
		switch {
		case t.kind == tWord && c.hitAt[p] < 0 && (skippable(t.low) || isAdverb(t)):
			p--
		case t.kind == tWord && isWeekday(t.low) && c.isWord(p-1, "on") && p-1 >= a:
			p -= 2
		case t.kind == tPunct && (t.text == "'" || t.text == "’") && c.isWord(p+1, "t"):
			p--
		default:
			return p
		}
	}
	return p
}

func isAdverb(t token) bool {
	return len(t.low) > 4 && strings.HasSuffix(t.low, "ly") && !capitalised(t)
}

func isWeekday(w string) bool {
	switch w {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	}
	return false
}

func capitalised(t token) bool {
	for _, c := range t.text {
		return unicode.IsUpper(c)
	}
	return false
}

// titleWord reports whether token k is a title or an initial that takes a
// full stop: "Mr", "Dr", "J".
func (c *claimer) titleWord(k int) bool {
	if k < 0 || k >= len(c.t) || c.t[k].kind != tWord || !capitalised(c.t[k]) {
		return false
	}
	return isTitle(c.t[k].low) || len([]rune(c.t[k].low)) == 1
}

// nameWord reports whether token k can be part of a speaker's description
// on its own: a capitalised word that is not a stop word, a speaker word, a
// number or part of a known entity.
func (c *claimer) nameWord(k int) bool {
	if k < 0 || k >= len(c.t) {
		return false
	}
	t := c.t[k]
	switch {
	case c.hitAt[k] >= 0, t.kind == tNum:
		return true
	case t.kind != tWord:
		return false
	}
	if capitalised(t) && stopword(t.low) && monthName(t.low) {
		// a month as a name: "Mr. March", "Theresa May"
		return (k >= 2 && c.t[k-1].text == "." && !c.t[k-1].gap && c.titleWord(k-2)) ||
			(k >= 1 && c.isWordTok(k-1) && capitalised(c.t[k-1]) && !stopword(c.t[k-1].low))
	}
	return (capitalised(t) && !stopword(t.low)) || speakerWord(t.low)
}

// backNP returns the speaker noun phrase that ends just before the verb at
// token k, within the sentence starting at token a.
func (c *claimer) backNP(k, a int) (int, int) {
	p := c.skipBack(k-1, a)
	if p < a {
		return 0, 0
	}
	end := p + 1
	if t := c.t[p]; t.kind == tWord && pronoun(t.low) && c.hitAt[p] < 0 {
		return p, end
	}
	start, content := end, 0
loop:
	for p >= a && end-p <= 16 {
		if h := c.hitAt[p]; h >= 0 {
			if c.hitFirst[h] < a {
				break
			}
			start, p, content = c.hitFirst[h], c.hitFirst[h]-1, content+1
			continue
		}
		t := c.t[p]
		switch t.kind {
		case tPunct:
			switch {
			case t.text == "." && !t.gap && c.titleWord(p-1) && p-1 >= a:
				start, p, content = p-1, p-2, content+1
				continue
			case t.text == "-" && !t.gap && p+1 < end && !c.t[p+1].gap && c.isWordTok(p-1) && p-1 >= a:
				start, p = p, p-1
				continue
			}
			break loop
		case tNum:
			// a count before a speaker word: "12 officials"
			if p+1 < end && c.isWordTok(p+1) && speakerWord(c.t[p+1].low) {
				start, p = p, p-1
			}
			break loop
		}
		w := t.low
		switch {
		case w == "s" && !t.gap && p-2 >= a && isApostrophe(c.t[p-1]) && !c.t[p-1].gap && c.isWordTok(p-2):
			start, p = p-1, p-2
		case determiner(w):
			start, p = p, p-1
			if !(p >= a && c.isWordTok(p) && connector(c.t[p].low) && c.nameWord(p-1) && p-1 >= a) {
				break loop
			}
		case c.nameWord(p):
			start, p, content = p, p-1, content+1
		case (connector(w) || particle(w)) && p-1 >= a && c.nameWord(p-1):
			start, p = p, p-1
		default:
			break loop
		}
	}
	for start < end && c.isWordTok(start) && (connector(c.t[start].low) || particle(c.t[start].low)) {
		start++
	}
	if content == 0 {
		return 0, 0
	}
	return start, end
}

// forwardNP returns the speaker noun phrase starting at token k, before
// token b.
func (c *claimer) forwardNP(k, b int) (int, int) {
	if k >= b {
		return 0, 0
	}
	if t := c.t[k]; t.kind == tWord && pronoun(t.low) && c.hitAt[k] < 0 {
		return k, k + 1
	}
	p, end, content := k, k, 0
	lastConnector := false
loop:
	for p < b && p-k < 16 {
		if h := c.hitAt[p]; h >= 0 {
			if c.hitEnd[h] > b {
				break
			}
			p, end, content, lastConnector = c.hitEnd[h], c.hitEnd[h], content+1, false
			continue
		}
		t := c.t[p]
		switch t.kind {
		case tPunct:
			switch {
			case t.text == "." && !t.gap && end == p && c.titleWord(p-1):
				p, end = p+1, p+1
				continue
			case isApostrophe(t) && !t.gap && end == p && c.isWord(p+1, "s") && !c.t[p+1].gap:
				p, end = p+2, p+2
				continue
			case t.text == "-" && !t.gap && end == p && c.isWordTok(p+1) && !c.t[p+1].gap:
				p++
				continue
			}
			break loop
		case tNum:
			p, end, lastConnector = p+1, p+1, false
			continue
		}
		w := t.low
		switch {
		case determiner(w) && (end == k || lastConnector):
			p, end, lastConnector = p+1, p+1, false
		case c.nameWord(p):
			p, end, content, lastConnector = p+1, p+1, content+1, false
		case (connector(w) || particle(w)) && end > k && (c.nameWord(p+1) || c.isWord(p+1, "the", "a", "an")):
			p, lastConnector = p+1, true
			if particle(w) {
				end = p
			}
		default:
			break loop
		}
	}
	for end > k && c.isWordTok(end-1) && (determiner(c.t[end-1].low) || connector(c.t[end-1].low) || particle(c.t[end-1].low)) {
		end--
	}
	if end-k >= 2 && c.isWord(end-1, "s") && isApostrophe(c.t[end-2]) {
		end -= 2
	}
	if content == 0 || end <= k {
		return 0, 0
	}
	return k, end
}

func (c *claimer) isWordTok(k int) bool {
	return k >= 0 && k < len(c.t) && c.t[k].kind == tWord
}

func isApostrophe(t token) bool {
	return t.kind == tPunct && (t.text == "'" || t.text == "’")
}

// speakerEntity picks the entity for the speaker tokens [s, e) of the
// sentence si whose verb is at token verb.
func (c *claimer) speakerEntity(si, s, e, verb int) uint {
	best, bestRank := -1, 3
	for k := s; k < e; k++ {
		if h := c.hitAt[k]; h >= 0 && h != best {
			if rank := kindRank(c.kinds[c.hits[h].EntityID]); rank < bestRank {
				best, bestRank = h, rank
			}
		}
	}
	if best >= 0 {
		return c.hits[best].EntityID
	}
	if e-s == 1 && c.t[s].kind == tWord && pronoun(c.t[s].low) {
		want := ""
		switch c.t[s].low {
		case "he", "she":
			want = "person"
		case "it":
			want = "organisation"
		default:
			return 0
		}
		from := c.sentences[max(0, si-2)][0]
		id := uint(0)
		for _, h := range c.hits {
			if h.Start >= from && h.End <= c.t[s].start {
				if k := c.kinds[h.EntityID]; k == want || (want == "organisation" && isOrganisation(k)) {
					id = h.EntityID
				}
			}
		}
		return id
	}
	// A surname: the speaker's last capitalised word ends a person's name.
	last := ""
	for k := e - 1; k >= s; k-- {
		if t := c.t[k]; t.kind == tWord && capitalised(t) && !isTitle(t.low) {
			last = foldString(t.text)
			break
		}
	}
	if last == "" {
		return 0
	}
	if c.surnames == nil {
		c.surnames = map[string]map[uint]bool{}
		for _, ent := range c.entities {
			if ent.Kind != "person" {
				continue
			}
			for _, name := range append([]string{ent.Name}, ent.Aliases...) {
				if f := strings.Fields(foldString(name)); len(f) > 1 {
					w := f[len(f)-1]
					if c.surnames[w] == nil {
						c.surnames[w] = map[uint]bool{}
					}
					c.surnames[w][ent.ID] = true
				}
			}
		}
	}
	if ids := c.surnames[last]; len(ids) == 1 {
		for id := range ids {
			return id
		}
	}
	return 0
}

func kindRank(kind string) int {
	switch {
	case kind == "person":
		return 0
	case isOrganisation(kind):
		return 1
	}
	return 2
}

type tkind uint8

const (
	tNone tkind = iota
	tWord
	tNum
	tPunct
)

// token is a word (letters and marks), a run of digits, or a single other
// character; positions in runes.
type token struct {
	kind       tkind
	text, low  string
	start, end int
	gap        bool // white space (or the start of the text) comes before it
	nl         bool // a newline comes before it
}

func tokenize(r []rune) []token {
	toks := make([]token, 0, len(r)/4+1)
	gap, nl := true, false
	add := func(k tkind, i, j int) {
		s := string(r[i:j])
		toks = append(toks, token{kind: k, text: s, low: strings.ToLower(s), start: i, end: j, gap: gap, nl: nl})
		gap, nl = false, false
	}
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			gap = true
			if c == '\n' {
				nl = true
			}
			i++
		case unicode.IsLetter(c):
			j := i + 1
			for j < len(r) && (unicode.IsLetter(r[j]) || unicode.IsMark(r[j])) {
				j++
			}
			add(tWord, i, j)
			i = j
		case unicode.IsDigit(c):
			j := i + 1
			for j < len(r) && unicode.IsDigit(r[j]) {
				j++
			}
			add(tNum, i, j)
			i = j
		default:
			add(tPunct, i, i+1)
			i++
		}
	}
	return toks
}
