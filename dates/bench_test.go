package dates

import (
	"strings"
	"testing"
)

func BenchmarkResolve(b *testing.B) {
	para := "The Aldervane foreign ministry on Tuesday denied reports, filed Oct. 31, 2024, that talks " +
		"would resume next Tuesday. Two days later, on March 3-5, officials met from Monday to Wednesday " +
		"at 9:30 a.m. Early this year 555-2019 people, since 2019, said it. "
	text := strings.Repeat(para+"\n", 300)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Resolve(text, wednesday)
	}
}
