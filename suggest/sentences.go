// Package suggest finds, in an article's canonical text, what an editor may
// want to tag: sentences that carry a claim (with the probable speaker) and
// mentions of known entities. It only suggests; nothing is applied without
// an editor.
//
// Canonical text has one line per paragraph or block. Every position here is
// counted in runes (Unicode code points) from the start of the text, and
// spans are half-open: [Start, End).
package suggest

import (
	"strings"
	"unicode"
)

// Sentences splits text into sentences and returns their [start, end) rune
// positions, in order, without surrounding white space. A newline always
// ends a sentence (blocks never share one). Otherwise a sentence ends after
// ".", "!", "?", "…" (closing quotes and brackets included: `safe."`)
// followed by white space and then anything but a lower-case letter, except
// that:
//
//   - a full stop directly followed by a non-space ("3.5", "U.S.", "a.m.",
//     "example.com") ends nothing;
//   - titles ("Mr.", "Ms.", "Dr.", "Prof.", "Gen.", …) never end a sentence;
//   - month abbreviations ("Sept.", "Oct.") and "No." do not when a number
//     follows;
//   - single letters (initials "J.", the end of "U.S.", "a.m.") and
//     abbreviations like "Inc.", "Co.", "Jr." end a sentence only when
//     the next word is a common sentence opener ("The", "He", "It", "But",
//     …), so "J. Smith" and "the U.S. Congress" stay whole while "in the U.S.
//     The talks" splits.
func Sentences(text string) [][2]int {
	r := []rune(text)
	var out [][2]int
	emit := func(s, e int) {
		for s < e && unicode.IsSpace(r[s]) {
			s++
		}
		for e > s && unicode.IsSpace(r[e-1]) {
			e--
		}
		if s < e {
			out = append(out, [2]int{s, e})
		}
	}
	start := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c == '\n' {
			emit(start, i)
			start = i + 1
			continue
		}
		if !isTerminator(c) {
			continue
		}
		j := i + 1
		for j < len(r) && isTerminator(r[j]) {
			j++
		}
		for j < len(r) && isCloser(r[j]) {
			j++
		}
		if j < len(r) && !unicode.IsSpace(r[j]) {
			i = j - 1
			continue
		}
		if endsSentence(r, i, j) {
			emit(start, j)
			start = j
		}
		i = j - 1
	}
	emit(start, len(r))
	return out
}

func isTerminator(c rune) bool {
	return c == '.' || c == '!' || c == '?' || c == '…'
}

func isCloser(c rune) bool {
	switch c {
	case '"', '\'', '”', '’', '»', '›', ')', ']':
		return true
	}
	return false
}

// endsSentence decides whether the terminators starting at r[i], with the
// closers after them up to r[j] (white space or the end), end a sentence.
func endsSentence(r []rune, i, j int) bool {
	k := j
	for k < len(r) && unicode.IsSpace(r[k]) && r[k] != '\n' {
		k++
	}
	if k >= len(r) || r[k] == '\n' {
		return true
	}
	next := r[k]
	if unicode.IsLower(next) {
		return false
	}
	// Only a single full stop can belong to an abbreviation.
	if r[i] != '.' || (i+1 < len(r) && isTerminator(r[i+1])) {
		return true
	}
	w := i
	for w > 0 && (unicode.IsLetter(r[w-1]) || unicode.IsMark(r[w-1])) {
		w--
	}
	word := strings.ToLower(string(r[w:i]))
	if word == "" {
		return true
	}
	nextWord := wordAt(r, k)
	switch {
	case isTitle(word):
		return false
	case isMonthAbbrev(word):
		return !unicode.IsDigit(next) && isOpener(nextWord)
	case word == "no" || word == "nos":
		return !unicode.IsDigit(next)
	case word == "vs":
		return false
	case len([]rune(word)) == 1 || isAbbrev(word):
		return isOpener(nextWord)
	}
	return true
}

// wordAt is the lower-cased word starting at r[k] ("" if none).
func wordAt(r []rune, k int) string {
	e := k
	for e < len(r) && (unicode.IsLetter(r[e]) || unicode.IsMark(r[e])) {
		e++
	}
	return strings.ToLower(string(r[k:e]))
}

func isTitle(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "mx", "dr", "prof", "gen", "sen", "rep", "gov", "rev", "hon", "col",
		"lt", "capt", "sgt", "maj", "cmdr", "adm", "supt", "insp", "det", "pres", "amb", "mt", "ft":
		return true
	}
	return false
}

func isMonthAbbrev(w string) bool {
	switch w {
	case "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec":
		return true
	}
	return false
}

func isAbbrev(w string) bool {
	switch w {
	case "jr", "sr", "inc", "ltd", "co", "corp", "plc", "etc", "approx", "dept",
		"est", "govt", "st", "ave", "fig", "vol", "al":
		return true
	}
	return false
}

// isOpener lists common first words of news sentences, used after an
// ambiguous abbreviation.
func isOpener(w string) bool {
	switch w {
	case "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his", "her", "their",
		"its", "our", "this", "that", "these", "those", "there", "in", "on", "at", "but", "and",
		"yet", "so", "if", "as", "when", "while", "after", "before", "however", "meanwhile",
		"according", "asked", "officials", "police", "some", "many", "most", "no", "one", "two",
		"what", "why", "how", "where", "who", "since", "during", "despite", "for", "last":
		return true
	}
	return false
}
