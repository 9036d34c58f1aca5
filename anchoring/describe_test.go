package anchoring

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// article is a short multi-paragraph news text in canonical form.
const article = "City council approves budget after marathon session\n" +
	"The city council approved a €2.4 billion budget early on Thursday after a session that lasted more than eleven hours.\n" +
	"Mayor Elena Ruiz said the plan would raise spending on public transport by 12 percent. \"This is the budget the city needs,\" she told reporters.\n" +
	"Opposition councillors said the plan would raise property taxes for most households. The council will vote again in March.\n" +
	"The council will vote again in March on the transport levy, a spokesperson confirmed."

func TestDescribe(t *testing.T) {
	tx := NewText(article)
	idx := func(s string) int { return tx.runeIndex(t, s) }
	budget := idx("a €2.4 billion budget")
	mayor := idx("Mayor Elena Ruiz")

	tests := []struct {
		name       string
		start, end int
		quote      string
		wantErr    error
		want       Selector
	}{
		{
			name:  "middle of text, non-ASCII quote",
			start: budget, end: budget + 21, quote: "a €2.4 billion budget",
			want: Selector{
				Exact:  "a €2.4 billion budget",
				Prefix: "ssion\nThe city council approved ", // 32 code points
				Suffix: " early on Thursday after a sessi",
				Start:  budget, End: budget + 21,
			},
		},
		{
			name:  "at the start: prefix shorter",
			start: 0, end: 12, quote: "City council",
			want: Selector{Exact: "City council", Prefix: "", Suffix: " approves budget after marathon ", Start: 0, End: 12},
		},
		{
			name:  "at the end: suffix shorter",
			start: tx.Len() - 10, end: tx.Len(),
			want: Selector{Exact: "confirmed.", Prefix: " transport levy, a spokesperson ", Start: tx.Len() - 10, End: tx.Len()},
		},
		{
			name:  "surrounding white space and line break trimmed",
			start: mayor - 1, end: mayor + 17, quote: "\nMayor Elena Ruiz ",
			want: Selector{Exact: "Mayor Elena Ruiz", Prefix: " lasted more than eleven hours.\n", Start: mayor, End: mayor + 16},
		},
		{
			name:  "quote differing only in white space accepted",
			start: mayor, end: mayor + 16, quote: "  Mayor   Elena\tRuiz ",
			want: Selector{Exact: "Mayor Elena Ruiz", Start: mayor, End: mayor + 16},
		},
		{name: "mismatched quote", start: mayor, end: mayor + 16, quote: "Mayor Elena Diaz", wantErr: ErrQuoteMismatch},
		{name: "quote off by one", start: mayor + 1, end: mayor + 17, quote: "Mayor Elena Ruiz", wantErr: ErrQuoteMismatch},
		{name: "empty range", start: 10, end: 10, wantErr: ErrEmptySelection},
		{name: "only white space", start: mayor - 1, end: mayor, wantErr: ErrEmptySelection},
		{name: "negative start", start: -1, end: 5, wantErr: ErrOutOfRange},
		{name: "end past the text", start: 5, end: tx.Len() + 1, wantErr: ErrOutOfRange},
		{name: "inverted", start: 9, end: 5, wantErr: ErrOutOfRange},
	}
	long := NewText(strings.Repeat("word ", MaxQuoteLength/5+1))
	if _, err := long.Describe(0, MaxQuoteLength+1, ""); !errors.Is(err, ErrQuoteTooLong) {
		t.Errorf("a passage of MaxQuoteLength+1 code points: error %v, want ErrQuoteTooLong", err)
	}
	if _, err := long.Describe(0, MaxQuoteLength, ""); err != nil {
		t.Errorf("a passage of MaxQuoteLength code points: error %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tx.Describe(tc.start, tc.end, tc.quote)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if got.Exact != tc.want.Exact || got.Start != tc.want.Start || got.End != tc.want.End {
				t.Fatalf("got %+v, want exact %q [%d,%d)", got, tc.want.Exact, tc.want.Start, tc.want.End)
			}
			if tc.want.Prefix != "" && got.Prefix != tc.want.Prefix {
				t.Errorf("Prefix = %q, want %q", got.Prefix, tc.want.Prefix)
			}
			if tc.want.Suffix != "" && got.Suffix != tc.want.Suffix {
				t.Errorf("Suffix = %q, want %q", got.Suffix, tc.want.Suffix)
			}
			// Context is always exactly ContextLength code points unless the
			// text ends first, and always adjacent to the passage.
			if want := min(ContextLength, got.Start); utf8.RuneCountInString(got.Prefix) != want {
				t.Errorf("prefix has %d code points, want %d", utf8.RuneCountInString(got.Prefix), want)
			}
			if want := min(ContextLength, tx.Len()-got.End); utf8.RuneCountInString(got.Suffix) != want {
				t.Errorf("suffix has %d code points, want %d", utf8.RuneCountInString(got.Suffix), want)
			}
			if tx.Slice(got.Start-ContextLength, got.End+ContextLength) != got.Prefix+got.Exact+got.Suffix {
				t.Errorf("prefix+exact+suffix is not the text around the passage")
			}
		})
	}
}

// runeIndex returns the code point offset of the only occurrence of s.
func (tx *Text) runeIndex(t *testing.T, s string) int {
	t.Helper()
	b := strings.Index(tx.String(), s)
	if b < 0 || strings.Count(tx.String(), s) != 1 {
		t.Fatalf("%q must occur exactly once in the test text", s)
	}
	return utf8.RuneCountInString(tx.String()[:b])
}

func TestDescribeQuote(t *testing.T) {
	tx := NewText(article)
	idx := func(s string) int { return tx.runeIndex(t, s) }
	tests := []struct {
		name                  string
		quote, prefix, suffix string
		wantStart             int
		wantExact             string
		wantErr               error
		wantCount             int // for an *AmbiguousError
	}{
		{
			name:      "unique quote",
			quote:     "raise spending on public transport",
			wantStart: idx("raise spending"), wantExact: "raise spending on public transport",
		},
		{
			name:      "white space differences, across a line break",
			quote:     "  eleven   hours. Mayor\tElena ",
			wantStart: idx("eleven hours"), wantExact: "eleven hours.\nMayor Elena",
		},
		{
			name:      "typed straight quotes and apostrophe match",
			quote:     "\"This is the budget the city needs,\"",
			wantStart: idx("\"This is"), wantExact: "\"This is the budget the city needs,\"",
		},
		{name: "repeated quote without hints", quote: "The council will vote again in March", wantErr: &AmbiguousError{}, wantCount: 2},
		{name: "repeated phrase counted", quote: "the plan would raise", wantErr: &AmbiguousError{}, wantCount: 2},
		{
			name:  "repeated quote, prefix hint picks the second",
			quote: "The council will vote again in March", prefix: "taxes for most households.",
			wantStart: idx("The council will vote again in March."), wantExact: "The council will vote again in March",
		},
		{
			name:  "repeated quote, suffix hint picks the first",
			quote: "the plan would raise", suffix: "spending",
			wantStart: idx("the plan would raise spending"), wantExact: "the plan would raise",
		},
		{
			name:  "repeated quote, suffix hint with a typo still picks",
			quote: "the plan would raise", suffix: "propperty taxes",
			wantStart: idx("the plan would raise property"), wantExact: "the plan would raise",
		},
		{
			name:  "hints that fit both occurrences equally",
			quote: "The council will vote again in March", suffix: "xyz",
			wantErr: &AmbiguousError{}, wantCount: 2,
		},
		{name: "not found", quote: "The council rejected the budget", wantErr: ErrQuoteNotFound},
		{name: "case matters", quote: "the city council APPROVED", wantErr: ErrQuoteNotFound},
		{name: "empty quote", quote: " \n\t ", wantErr: ErrEmptySelection},
		{name: "too long", quote: strings.Repeat("x", MaxQuoteLength+1), wantErr: ErrQuoteTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := tx.DescribeQuote(tc.quote, tc.prefix, tc.suffix)
			if tc.wantErr != nil {
				var amb *AmbiguousError
				if _, isAmb := tc.wantErr.(*AmbiguousError); isAmb {
					if !errors.As(err, &amb) || amb.Count != tc.wantCount {
						t.Fatalf("error = %v, want AmbiguousError with count %d", err, tc.wantCount)
					}
					if !strings.Contains(err.Error(), "quote more words") {
						t.Errorf("message %q should ask for more words", err.Error())
					}
					return
				}
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if sel.Start != tc.wantStart || sel.Exact != tc.wantExact {
				t.Fatalf("got %q at %d, want %q at %d", sel.Exact, sel.Start, tc.wantExact, tc.wantStart)
			}
			if tx.Slice(sel.Start, sel.End) != sel.Exact {
				t.Errorf("Exact is not the text at [Start, End)")
			}
			if r := tx.Resolve(sel); r.Status != StatusExact || r.Start != sel.Start || r.End != sel.End {
				t.Errorf("Resolve on the same text = %+v, want exact", r)
			}
		})
	}
}

func TestDescribeQuoteTypographic(t *testing.T) {
	tx := NewText("The minister’s “final offer” was rejected – again.\nUnions said so.")
	sel, err := tx.DescribeQuote(`minister's "final offer" was rejected - again. Unions`, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "minister’s “final offer” was rejected – again.\nUnions"; sel.Exact != want {
		t.Errorf("Exact = %q, want %q (the article's own characters)", sel.Exact, want)
	}
}

func TestErrorMessagesAreForPeople(t *testing.T) {
	for _, err := range []error{ErrEmptySelection, ErrOutOfRange, ErrQuoteMismatch, ErrQuoteNotFound,
		ErrQuoteTooLong, ErrUTF16InsidePair, ErrUTF16OutOfRange, &AmbiguousError{Count: 3},
		&AmbiguousError{Count: 2, HintsTried: true}, &AmbiguousError{Count: maxOccurrences + 1}} {
		msg := err.Error()
		if !strings.HasPrefix(msg, "the ") || strings.ContainsAny(msg, "%{}") || strings.Contains(msg, "anchoring") {
			t.Errorf("message %q should be a plain sentence for the reader", msg)
		}
	}
	if got := (&AmbiguousError{Count: 3}).Error(); !strings.Contains(got, "occurs 3 times") {
		t.Errorf("AmbiguousError message %q should give the count", got)
	}
	if got := (&AmbiguousError{Count: maxOccurrences + 1}).Error(); !strings.Contains(got, "more than 1000 times") {
		t.Errorf("AmbiguousError message %q should say the count is a lower bound", got)
	}
}

func TestDescribeQuoteVeryFrequent(t *testing.T) {
	tx := NewText(strings.Repeat("yes ", 1500))
	_, err := tx.DescribeQuote("yes", "", "")
	var amb *AmbiguousError
	if !errors.As(err, &amb) || amb.Count <= maxOccurrences {
		t.Fatalf("error = %v, want an AmbiguousError past the counting limit", err)
	}
}
