// Package dates represents calendar dates of varying precision and finds
// date expressions in news text, resolving them against the article's own
// publication date (its dateline).
//
// A Date never claims more than was said: "March 2025" is a month, "2019"
// a year, and only an explicit clock time makes a Date precise to the
// minute. Resolve offers suggestions to an editor; nothing it finds is meant
// to be applied without review.
package dates

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date's Time is meaningful.
type Precision string

// The precisions, coarsest first.
const (
	PrecisionYear  Precision = "year"
	PrecisionMonth Precision = "month"
	PrecisionDay   Precision = "day"
	PrecisionTime  Precision = "time"
)

// rank orders precisions: 0 for unknown, then year < month < day < time.
func (p Precision) rank() int {
	switch p {
	case PrecisionYear:
		return 1
	case PrecisionMonth:
		return 2
	case PrecisionDay:
		return 3
	case PrecisionTime:
		return 4
	}
	return 0
}

// Valid reports whether p is one of the four known precisions.
func (p Precision) Valid() bool { return p.rank() > 0 }

// Date is a point in time known to a given precision. Time is in UTC; the
// parts finer than Precision are zero (day 1 for a month, 1 January for a
// year, midnight for a day).
type Date struct {
	Time      time.Time
	Precision Precision
}

// New returns t, converted to UTC, with the parts finer than p cleared.
// Seconds are kept for PrecisionTime. An unknown precision gives day
// precision.
func New(t time.Time, p Precision) Date {
	t = t.UTC()
	y, m, d := t.Date()
	switch p {
	case PrecisionYear:
		return Date{time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), p}
	case PrecisionMonth:
		return Date{time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), p}
	case PrecisionTime:
		return Date{time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, time.UTC), p}
	}
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC), PrecisionDay}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.Precision == "" && d.Time.IsZero() }

// String gives the date for people: "2025", "March 2025", "14 March 2025"
// or "14 March 2025, 09:30 UTC". The zero Date gives "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	t := d.Time.UTC()
	switch d.Precision {
	case PrecisionYear:
		return strconv.Itoa(t.Year())
	case PrecisionMonth:
		return fmt.Sprintf("%s %d", t.Month(), t.Year())
	case PrecisionTime:
		return fmt.Sprintf("%d %s %d, %02d:%02d UTC", t.Day(), t.Month(), t.Year(), t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), t.Month(), t.Year())
}

// ISO gives the date in ISO 8601 form cut to its precision: "2025",
// "2025-03", "2025-03-14" or "2025-03-14T09:30:00Z". The zero Date gives "".
// ParseISO reads every form ISO writes.
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	t := d.Time.UTC()
	switch d.Precision {
	case PrecisionYear:
		return fmt.Sprintf("%04d", t.Year())
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", t.Year(), int(t.Month()))
	case PrecisionTime:
		return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())
	}
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
}

// ParseISO reads a date written as by ISO: "2025", "2025-03", "2025-03-14",
// or a date and time "2025-03-14T09:30", "2025-03-14T09:30:00" followed by
// "Z", an offset ("+02:00", "-0500") or nothing (taken as UTC). A space may
// stand for the "T". Fractions of a second are accepted and dropped. The
// precision is that of the form: year, month, day, or time for any clock.
//
// Impossible dates are refused with an error naming the faulty part, e.g.
// `day 30 does not exist in February 2025 (it has 28 days)`.
func ParseISO(s string) (Date, error) {
	in := s
	fail := func(format string, args ...any) (Date, error) {
		return Date{}, fmt.Errorf("dates: invalid date %q: %s", in, fmt.Sprintf(format, args...))
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return fail("empty")
	}
	datePart, clockPart, hasClock := s, "", false
	if k := strings.IndexAny(s, "Tt "); k >= 0 {
		datePart, clockPart, hasClock = s[:k], strings.TrimSpace(s[k+1:]), true
	}
	fields := strings.Split(datePart, "-")
	if len(fields) > 3 {
		return fail("expected YYYY, YYYY-MM or YYYY-MM-DD")
	}
	y, ok := fixedDigits(fields[0], 4)
	if !ok {
		return fail("year must be four digits")
	}
	if y == 0 {
		return fail("year 0000 is not supported")
	}
	if len(fields) == 1 {
		if hasClock {
			return fail("a time needs a full date before it")
		}
		return Date{time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), PrecisionYear}, nil
	}
	m, ok := fixedDigits(fields[1], 2)
	if !ok {
		return fail("month must be two digits")
	}
	if m < 1 || m > 12 {
		return fail("month %d is out of range (01-12)", m)
	}
	if len(fields) == 2 {
		if hasClock {
			return fail("a time needs a full date before it")
		}
		return Date{time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), PrecisionMonth}, nil
	}
	d, ok := fixedDigits(fields[2], 2)
	if !ok {
		return fail("day must be two digits")
	}
	if n := daysIn(y, time.Month(m)); d < 1 || d > n {
		if d >= 1 && d <= 31 {
			return fail("day %d does not exist in %s %d (it has %d days)", d, time.Month(m), y, n)
		}
		return fail("day %d is out of range (01-31)", d)
	}
	if !hasClock {
		return Date{time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), PrecisionDay}, nil
	}

	// The clock: HH:MM[:SS[.fff]] then Z, ±HH:MM, ±HHMM or nothing.
	offset := 0
	switch {
	case strings.HasSuffix(clockPart, "Z") || strings.HasSuffix(clockPart, "z"):
		clockPart = clockPart[:len(clockPart)-1]
	default:
		if k := strings.LastIndexAny(clockPart, "+-"); k >= 0 {
			zone := strings.ReplaceAll(clockPart[k+1:], ":", "")
			zh, ok1 := fixedDigits(safeSlice(zone, 0, 2), 2)
			zm, ok2 := fixedDigits(safeSlice(zone, 2, 4), 2)
			if len(zone) != 4 || !ok1 || !ok2 {
				return fail("time zone offset must look like +02:00")
			}
			if zh > 23 || zm > 59 {
				return fail("time zone offset %s is out of range", clockPart[k:])
			}
			offset = zh*3600 + zm*60
			if clockPart[k] == '-' {
				offset = -offset
			}
			clockPart = clockPart[:k]
		}
	}
	if k := strings.IndexByte(clockPart, '.'); k >= 0 {
		frac := clockPart[k+1:]
		if _, ok := fixedDigits(frac, len(frac)); !ok || frac == "" || len(frac) > 9 {
			return fail("fraction of a second must be digits")
		}
		clockPart = clockPart[:k]
	}
	parts := strings.Split(clockPart, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return fail("time must look like 09:30 or 09:30:00")
	}
	h, ok := fixedDigits(parts[0], 2)
	if !ok {
		return fail("hour must be two digits")
	}
	if h > 23 {
		return fail("hour %d is out of range (00-23)", h)
	}
	mi, ok := fixedDigits(parts[1], 2)
	if !ok {
		return fail("minute must be two digits")
	}
	if mi > 59 {
		return fail("minute %d is out of range (00-59)", mi)
	}
	sec := 0
	if len(parts) == 3 {
		if sec, ok = fixedDigits(parts[2], 2); !ok {
			return fail("second must be two digits")
		}
		if sec > 59 {
			return fail("second %d is out of range (00-59)", sec)
		}
	}
	t := time.Date(y, time.Month(m), d, h, mi, sec, 0, time.UTC).Add(-time.Duration(offset) * time.Second)
	return Date{t, PrecisionTime}, nil
}

// fixedDigits parses s as exactly n ASCII digits.
func fixedDigits(s string, n int) (int, bool) {
	if len(s) != n || n == 0 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v < 1e8 {
			v = v*10 + int(c-'0')
		}
	}
	return v, true
}

func safeSlice(s string, i, j int) string {
	if i > len(s) {
		return ""
	}
	if j > len(s) {
		j = len(s)
	}
	return s[i:j]
}

// daysIn is the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
