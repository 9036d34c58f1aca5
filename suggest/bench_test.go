package suggest

import (
	"fmt"
	"strings"
	"testing"
)

// benchInput is a long article (about 2,000 sentences) and 3,000 entities
// with two aliases each.
func benchInput() (string, []Entity) {
	var ents []Entity
	for i := range 3000 {
		ents = append(ents, Entity{ID: uint(i + 1), Name: fmt.Sprintf("Name%d Surname%d", i, i), Kind: "person",
			Aliases: []string{fmt.Sprintf("Surname%d", i), fmt.Sprintf("Org%d Ministry", i)}})
	}
	lines := []string{
		`"We will not resign," Ms. Surname%d told reporters on Monday.`,
		"The Org%d Ministry denied reports that Name%d Surname%d had left.",
		"Growth was 3.5 percent in the U.S. according to Dr. Surname%d.",
		"Nothing happened in the capital, where %d people marched.",
	}
	var b strings.Builder
	for i := range 2000 {
		if i%5 == 4 {
			b.WriteByte('\n')
		} else if i > 0 {
			b.WriteByte(' ')
		}
		l := lines[i%len(lines)]
		n := strings.Count(l, "%d")
		args := make([]any, n)
		for k := range args {
			args[k] = (i * 7) % 3000
		}
		fmt.Fprintf(&b, l, args...)
	}
	return b.String(), ents
}

func BenchmarkFindClaims(b *testing.B) {
	text, ents := benchInput()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		FindClaims(text, ents)
	}
}

func BenchmarkFindEntities(b *testing.B) {
	text, ents := benchInput()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		FindEntities(text, ents)
	}
}

func BenchmarkSentences(b *testing.B) {
	text, _ := benchInput()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Sentences(text)
	}
}
