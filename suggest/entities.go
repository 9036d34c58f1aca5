package suggest

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Entity is a known person, organisation or place. Its Name counts as one
// more alias.
type Entity struct {
	ID      uint
	Name    string
	Kind    string // "person", "organisation" or "place"
	Aliases []string
}

// EntityHit is one occurrence of an entity in a text: Alias is the alias (or
// Name) as given in the Entity, Start and End its position in runes.
type EntityHit struct {
	EntityID   uint
	Alias      string
	Start, End int
}

// FindEntities returns the occurrences of the entities' names and aliases in
// text, in text order and never overlapping.
//
// Matching is case-insensitive and works rune by rune on any script: each
// rune is compared after folding (upper-casing then lower-casing, which also
// makes the Turkish "ı"/"İ" meet "i"/"I", so "ARIK" finds "Arık"), and a
// typographic apostrophe equals a straight one. A space in an alias matches
// any run of spaces or tabs (not a newline: a name never spans blocks).
// Matches are whole words: the runes just outside a match must not be
// letters, digits or combining marks — except next to scripts written
// without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar), where
// no boundary can be checked. Text is expected in one Unicode normal form
// (NFC); the package does not normalise.
//
// When matches overlap, the longest (in runes of text) wins; among equal
// ones the earliest, then the entity with the lowest ID, then the Name
// before the aliases in their order. Empty aliases are ignored.
func FindEntities(text string, entities []Entity) []EntityHit {
	r := []rune(text)
	if len(r) == 0 || len(entities) == 0 {
		return nil
	}
	type alias struct {
		entity int // index in entities
		order  int // 0 for the Name, then 1 + index in Aliases
		given  string
		runes  []rune // folded, single spaces
	}
	// Most aliases start with a word of a spaced script: they can only match
	// where the text has the same (folded) first word, so they are indexed
	// by it and tried at word starts only. The others (starting with
	// punctuation, or with a script written without spaces) are indexed by
	// their first two runes and tried everywhere.
	type key struct{ a, b rune }
	byWord := map[string][]alias{}
	byRunes := map[key][]alias{}
	add := func(e, order int, given string) {
		norm := []rune(strings.Join(strings.Fields(given), " "))
		if len(norm) == 0 {
			return
		}
		for i, c := range norm {
			norm[i] = fold(c)
		}
		al := alias{e, order, given, norm}
		if w := firstWord(norm); w != "" {
			byWord[w] = append(byWord[w], al)
			return
		}
		k := key{norm[0], -1}
		if len(norm) > 1 {
			k.b = norm[1]
		}
		byRunes[k] = append(byRunes[k], al)
	}
	for e, ent := range entities {
		add(e, 0, ent.Name)
		for i, a := range ent.Aliases {
			add(e, i+1, a)
		}
	}

	type match struct {
		start, end, entity, order int
		alias                     string
	}
	var found []match
	try := func(i int, list []alias) {
		for _, al := range list {
			if end, ok := matchAt(r, i, al.runes); ok {
				found = append(found, match{i, end, al.entity, al.order, al.given})
			}
		}
	}
	var buf []byte
	for i := range r {
		if len(byWord) > 0 && isSpacedWordRune(r[i]) && (i == 0 || !isWordRune(r[i-1]) || unspaced(r[i-1])) {
			buf = buf[:0]
			for j := i; j < len(r) && isSpacedWordRune(r[j]); j++ {
				buf = utf8.AppendRune(buf, fold(r[j]))
			}
			try(i, byWord[string(buf)])
		}
		if len(byRunes) == 0 {
			continue
		}
		a := fold(r[i])
		try(i, byRunes[key{a, -1}])
		if i+1 < len(r) {
			b := fold(r[i+1])
			if isHSpace(r[i+1]) {
				b = ' '
			}
			try(i, byRunes[key{a, b}])
		}
	}
	if len(found) == 0 {
		return nil
	}
	sort.Slice(found, func(x, y int) bool {
		a, b := found[x], found[y]
		if la, lb := a.end-a.start, b.end-b.start; la != lb {
			return la > lb
		}
		if a.start != b.start {
			return a.start < b.start
		}
		if ia, ib := entities[a.entity].ID, entities[b.entity].ID; ia != ib {
			return ia < ib
		}
		if a.entity != b.entity {
			return a.entity < b.entity
		}
		return a.order < b.order
	})
	taken := make([]bool, len(r))
	var hits []EntityHit
	for _, m := range found {
		free := true
		for k := m.start; k < m.end; k++ {
			if taken[k] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for k := m.start; k < m.end; k++ {
			taken[k] = true
		}
		hits = append(hits, EntityHit{EntityID: entities[m.entity].ID, Alias: m.alias, Start: m.start, End: m.end})
	}
	sort.Slice(hits, func(x, y int) bool { return hits[x].Start < hits[y].Start })
	return hits
}

// firstWord returns the leading word of a folded alias when the alias
// starts with a letter, digit or mark of a script written with spaces; ""
// otherwise.
func firstWord(a []rune) string {
	n := 0
	for n < len(a) && isSpacedWordRune(a[n]) {
		n++
	}
	if n == 0 || (n < len(a) && isWordRune(a[n])) {
		return ""
	}
	return string(a[:n])
}

func isSpacedWordRune(c rune) bool { return isWordRune(c) && !unspaced(c) }

// matchAt reports whether the folded alias a occurs as whole words at r[i],
// and where the occurrence ends.
func matchAt(r []rune, i int, a []rune) (int, bool) {
	j := i
	for _, c := range a {
		if c == ' ' {
			if j >= len(r) || !isHSpace(r[j]) {
				return 0, false
			}
			for j < len(r) && isHSpace(r[j]) {
				j++
			}
			continue
		}
		if j >= len(r) || fold(r[j]) != c {
			return 0, false
		}
		j++
	}
	if i > 0 && isWordRune(r[i-1]) && !unspaced(a[0]) && !unspaced(r[i-1]) {
		return 0, false
	}
	if j < len(r) && isWordRune(r[j]) && !unspaced(a[len(a)-1]) && !unspaced(r[j]) {
		return 0, false
	}
	return j, true
}

// fold maps a rune to its case-insensitive form: upper then lower case, so
// that all members of a case pair (including Turkish dotted and dotless i)
// meet; typographic apostrophes become straight ones.
func fold(c rune) rune {
	switch c {
	case '’', 'ʼ', '‘':
		return '\''
	}
	return unicode.ToLower(unicode.ToUpper(c))
}

// foldString folds every rune of s and collapses its white space to single
// spaces; two strings FindEntities treats as equal have the same foldString.
func foldString(s string) string {
	f := []rune(strings.Join(strings.Fields(s), " "))
	for i, c := range f {
		f[i] = fold(c)
	}
	return string(f)
}

func isHSpace(c rune) bool { return c != '\n' && unicode.IsSpace(c) }

func isWordRune(c rune) bool {
	if c < 0x80 {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsMark(c)
}

// unspaced reports whether c belongs to a script written without spaces
// between words, where whole-word matching cannot be required.
func unspaced(c rune) bool {
	if c < 0x0E00 { // below Thai, the first of these scripts
		return false
	}
	return unicode.In(c, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai,
		unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
