package dates

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Mention is a date expression found in a text and what it resolves to.
type Mention struct {
	Text       string // the expression as written: Text == string([]rune(input)[Start:End])
	Start, End int    // position in the input, in runes (code points), End exclusive
	Date       Date   // the date, or the first day/month/year of a range
	// Through is the last day (month, year) of a range, inclusive, and has
	// the same precision as Date: "March 3-5" gives Date 3 March and
	// Through 5 March. Nil for a single date.
	Through *Date
	// Part qualifies a vague expression: "early", "mid" or "late" ("early
	// this year", "mid-September", "the end of March"); "" otherwise. The
	// Date keeps the precision of the whole period (the year, the month).
	Part string
}

// Resolve finds the date expressions in text and resolves them against the
// article's dateline (its publication time). Only the calendar day of the
// dateline, in the dateline's own location, is used; the dates returned are
// in UTC. Mentions come in text order and never overlap.
//
// The rules for the ambiguous cases, chosen for news reports:
//
//   - "today", "tonight", "this morning/afternoon/evening" are the dateline's
//     day; "yesterday", "last night" the day before; "tomorrow" the day after.
//   - A bare weekday ("on Sunday", "Sunday's vote") is the most recent such
//     day strictly before the dateline, so never the dateline itself, unless
//     future wording (will, shall, 'll, scheduled, expected, due, plans,
//     upcoming, next, …) comes earlier in the same sentence, in which case
//     it is the first such day strictly after the dateline. "last Monday" is
//     the most recent Monday before the dateline, "next Tuesday" the first
//     Tuesday after it, "this Friday" the Friday of the dateline's
//     Monday-to-Sunday week.
//   - A day of the month without a year ("Oct. 31", "31 October") is in the
//     dateline's year, as news style omits the current year, except that a
//     date more than six months after the dateline is taken from the year
//     before, and with future wording a date before the dateline moves to
//     the next year. When a weekday is given too ("Monday, Sept. 1") the
//     year whose calendar agrees is preferred. The year of a date mentioned
//     earlier in the text is not carried over ("signed on 14 June 2019 …
//     ratified on June 16" gives 16 June of the dateline's year).
//   - A month alone is read as a date only after a word such as in, since,
//     until, by, during, from, early, late, mid ("in March", never "Mr. March
//     said" or "She may attend"), and only for full month names. It is the
//     nearest such month not after the dateline's month, or, with future
//     wording, the nearest not before it. "last March"/"next March" are the
//     nearest strictly before/after; "this March" is in the dateline's year.
//   - A four-digit number is a year only after such a word ("in 2019",
//     "since 2019", "the summer of 2019"), after a month ("March 2024") or in
//     a range ("2019-2021"); "Section 2025", "1990s" and numbers chained to
//     other digits (phone numbers, 3.5, 1,000) are not dates. Decades are
//     skipped.
//   - "N days/weeks ago" count back from the dateline. "N days later",
//     "a week earlier", "the next day", "the following week", "the previous
//     month" count from the most recent date mentioned earlier in the text
//     (the end of it, for a range), or from the dateline when there is none.
//     A count is only applied to a date at least as precise as its unit
//     (no "two days later" after "in March"). Days and weeks give day
//     precision, months month precision, years year precision.
//   - Weeks as periods ("last week", "this week", "the following week") are
//     Monday-to-Sunday ranges; weekends are Saturday-Sunday ranges.
//   - Vague parts ("early this year", "late last year", "mid-September",
//     "the end of March", "mid-2024") keep the precision of the whole year or
//     month and set Part. "earlier this month" and "later this year" are the
//     month and year themselves; "earlier this week" is the range from the
//     week's Monday to the day before the dateline.
//   - A clock time ("9:30 a.m.", "14:00", "1400 GMT", "noon") is only used
//     next to a day ("on Sunday at 9:30 a.m.", "at 14:00 yesterday") and
//     gives time precision. The clock is kept as written, as if it were UTC:
//     the zone of local times is not known.
//   - Ranges: "March 3-5", "3-5 March", "March 3 to 5", "Monday through
//     Wednesday", "2019-2021", and with "from … to/until …" or "between …
//     and …" ("from Sunday to Monday" is read as a range even where it means
//     a postponement; the editor judges). Both ends need the same
//     precision; an end that would fall before the start moves forward (a
//     week for weekdays, a year for dates without a year).
func Resolve(text string, dateline time.Time) []Mention {
	r := []rune(text)
	y, m, d := dateline.Date()
	p := &parser{r: r, t: tokenize(r), dl: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	var out []Mention
	for i := 0; i < len(p.t); {
		e, j, skip := p.full(i)
		if j <= i {
			i = max(i+1, skip)
			continue
		}
		start, end := p.t[i].start, p.t[j-1].end
		m := Mention{Text: string(r[start:end]), Start: start, End: end, Date: e.d, Part: e.part}
		p.anchor, p.hasAnchor = e.d, true
		if e.thru != nil {
			through := *e.thru
			m.Through = &through
			p.anchor = through
		}
		out = append(out, m)
		i = j
	}
	return out
}

type tkind uint8

const (
	tNone tkind = iota
	tWord
	tNum
	tPunct
)

// token is a word (letters and marks), a run of ASCII digits, or a single
// other character. Positions are in runes.
type token struct {
	kind       tkind
	text       string
	low        string
	start, end int
	gap        bool // whitespace (or the start of the text) comes before it
	nl         bool // a newline comes before it: a new block
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
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
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

// ekind says how a resolved expression may be moved forward when it ends a
// range that would otherwise run backwards.
type ekind uint8

const (
	kFixed    ekind = iota
	kWeekday        // a weekday: a week later
	kYearless       // a month or day of the month without a year: a year later
)

type expr struct {
	d        Date
	thru     *Date
	part     string
	kind     ekind
	monthDay bool // a day of the month from a month name, for "March 3 to 5"
}

type parser struct {
	r         []rune
	t         []token
	dl        time.Time // the dateline's day, midnight UTC
	anchor    Date      // the most recent date mentioned
	hasAnchor bool
}

func (p *parser) tk(i int) token {
	if i < 0 || i >= len(p.t) {
		return token{}
	}
	return p.t[i]
}

func (p *parser) low(i int) string {
	if t := p.tk(i); t.kind == tWord {
		return t.low
	}
	return ""
}

func (p *parser) isWord(i int, words ...string) bool {
	w := p.low(i)
	if w == "" {
		return false
	}
	for _, x := range words {
		if w == x {
			return true
		}
	}
	return false
}

func (p *parser) isPunct(i int, chars ...string) bool {
	t := p.tk(i)
	if t.kind != tPunct {
		return false
	}
	for _, c := range chars {
		if t.text == c {
			return true
		}
	}
	return false
}

// adjacent reports whether token i directly follows token i-1.
func (p *parser) adjacent(i int) bool {
	t := p.tk(i)
	return t.kind != tNone && !t.gap
}

func (p *parser) capital(i int) bool {
	t := p.tk(i)
	for _, c := range t.text {
		return unicode.IsUpper(c)
	}
	return false
}

func (p *parser) today() Date { return Date{p.dl, PrecisionDay} }

func (p *parser) base() Date {
	if p.hasAnchor {
		return p.anchor
	}
	return p.today()
}

func dayOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC), PrecisionDay}
}

func monthOf(y int, m time.Month) Date {
	return Date{time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), PrecisionMonth}
}

func yearOf(y int) Date {
	return Date{time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), PrecisionYear}
}

// mondayOf is the Monday of t's Monday-to-Sunday week.
func mondayOf(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

func span(from, to time.Time) expr {
	end := dayOf(to)
	e := expr{d: dayOf(from)}
	if end.Time.After(e.d.Time) {
		e.thru = &end
	}
	return e
}

// full reads the expression starting at token i, with a clock time and a
// range end when they follow. It returns the end token (j <= i when there is
// no expression) and, for a clock time with no day, the token to resume at.
func (p *parser) full(i int) (e expr, j, skip int) {
	// A clock before its day: "at 9:30 a.m. on Sunday".
	if h, mi, k, ok := p.clock(i); ok {
		c := k
		if p.isPunct(c, ",") {
			c++
		}
		if p.isWord(c, "on") {
			c++
		}
		if e, j, ok := p.core(c, false); ok && e.d.Precision == PrecisionDay && e.thru == nil && e.part == "" {
			e.d = withClock(e.d, h, mi)
			return e, j, 0
		}
		return expr{}, 0, k
	}
	e, j, ok := p.core(i, false)
	if !ok {
		return expr{}, 0, 0
	}
	// A clock after its day: "on Sunday at 9:30 a.m.", "Monday, 14:00".
	if e.d.Precision == PrecisionDay && e.thru == nil && e.part == "" {
		c := j
		if p.isPunct(c, ",") {
			c++
		}
		if p.isWord(c, "at", "around", "about", "by", "before", "after") {
			c++
		}
		if h, mi, k, ok := p.clock(c); ok {
			e.d = withClock(e.d, h, mi)
			return e, k, 0
		}
	}
	if k, thru, ok := p.rangeEnd(i, j, e); ok {
		e.thru, j = thru, k
	}
	return e, j, 0
}

func withClock(d Date, h, m int) Date {
	y, mo, day := d.Time.Date()
	return Date{time.Date(y, mo, day, h, m, 0, 0, time.UTC), PrecisionTime}
}

// rangeEnd reads the end of a range after the expression e spanning tokens
// [i, j).
func (p *parser) rangeEnd(i, j int, e expr) (int, *Date, bool) {
	if e.thru != nil || e.part != "" {
		return 0, nil, false
	}
	switch {
	case p.isPunct(j, "-", "–", "—"):
	case p.isWord(j, "through", "thru"):
	case p.isWord(j, "to", "until", "till") && (p.isWord(i-1, "from") || e.monthDay && p.tk(j+1).kind == tNum):
	case p.isWord(j, "and") && p.isWord(i-1, "between"):
	default:
		return 0, nil, false
	}
	k := j + 1
	e2, end, ok := p.core(k, true)
	if !ok && e.monthDay {
		// "March 3 to 5": a bare day continues the month.
		if d, _, k2, ok2 := p.num(k, true); ok2 && d >= 1 && d <= 31 && !p.monthAt(k2) {
			y, m, _ := e.d.Time.Date()
			if d <= daysIn(y, m) {
				e2, end, ok = expr{d: Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC), PrecisionDay}}, k2, true
			}
		}
	}
	if !ok || e2.d.Precision != e.d.Precision || e2.thru != nil || e2.part != "" {
		return 0, nil, false
	}
	last := e2.d
	if last.Time.Before(e.d.Time) {
		switch e2.kind {
		case kWeekday:
			last.Time = last.Time.AddDate(0, 0, 7)
		case kYearless:
			t := last.Time
			if t.Day() <= daysIn(t.Year()+1, t.Month()) {
				last.Time = time.Date(t.Year()+1, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			}
		}
	}
	if !last.Time.After(e.d.Time) {
		return 0, nil, false
	}
	return end, &last, true
}

// core reads one date expression at token i, without clock or range. cont is
// set for the end of a range, where a bare month or year needs no
// introducing word and a number may follow a dash.
func (p *parser) core(i int, cont bool) (expr, int, bool) {
	switch p.tk(i).kind {
	case tWord:
		if e, j, ok := p.dayWord(i); ok {
			return e, j, true
		}
		if e, j, ok := p.vague(i); ok {
			return e, j, true
		}
		if e, j, ok := p.modified(i); ok {
			return e, j, true
		}
		if e, j, ok := p.weekdayExpr(i); ok {
			return e, j, true
		}
		if e, j, ok := p.monthFirst(i, cont); ok {
			return e, j, true
		}
		if e, j, ok := p.anaphoric(i); ok {
			return e, j, true
		}
		if e, j, ok := p.relative(i); ok {
			return e, j, true
		}
	case tNum:
		if !cont && p.prevChain(i) {
			return expr{}, 0, false
		}
		if e, j, ok := p.iso(i); ok {
			return e, j, true
		}
		if e, j, ok := p.dayFirst(i); ok {
			return e, j, true
		}
		if e, j, ok := p.year(i, cont); ok {
			return e, j, true
		}
		if e, j, ok := p.relative(i); ok {
			return e, j, true
		}
	}
	return expr{}, 0, false
}

// dayWord: today, tonight, yesterday, tomorrow, this morning, last night, the
// day before yesterday, the day after tomorrow, earlier today.
func (p *parser) dayWord(i int) (expr, int, bool) {
	offset, j := 0, i+1
	switch p.low(i) {
	case "today", "tonight":
	case "yesterday":
		offset = -1
	case "tomorrow":
		offset = 1
	case "this":
		if !p.isWord(i+1, "morning", "afternoon", "evening") {
			return expr{}, 0, false
		}
		j = i + 2
	case "last":
		if !p.isWord(i+1, "night") {
			return expr{}, 0, false
		}
		offset, j = -1, i+2
	case "earlier", "later":
		if !p.isWord(i+1, "today", "tonight") {
			return expr{}, 0, false
		}
		j = i + 2
	case "the":
		switch {
		case p.isWord(i+1, "day") && p.isWord(i+2, "before") && p.isWord(i+3, "yesterday"):
			offset = -2
		case p.isWord(i+1, "day") && p.isWord(i+2, "after") && p.isWord(i+3, "tomorrow"):
			offset = 2
		default:
			return expr{}, 0, false
		}
		j = i + 4
	default:
		return expr{}, 0, false
	}
	if p.isWord(i, "yesterday", "tomorrow", "today") && isPartOfDay(p.low(j)) {
		j++
	}
	return expr{d: dayOf(p.dl.AddDate(0, 0, offset))}, j, true
}

// vague: early/mid/late and the beginning/middle/end of a month or year.
func (p *parser) vague(i int) (expr, int, bool) {
	part, j, periodOK := "", i+1, false
	switch p.low(i) {
	case "early":
		part = "early"
	case "mid":
		part = "mid"
	case "late":
		part = "late"
	case "the", "end", "beginning", "start", "middle":
		k := i
		if p.isWord(k, "the") {
			k++
		}
		switch p.low(k) {
		case "end":
			part = "late"
		case "beginning", "start":
			part = "early"
		case "middle":
			part = "mid"
		default:
			return expr{}, 0, false
		}
		if !p.isWord(k+1, "of") {
			return expr{}, 0, false
		}
		j, periodOK = k+2, true
	default:
		return expr{}, 0, false
	}
	if p.isPunct(j, "-") && p.adjacent(j) {
		j++
	}
	var e expr
	var k int
	var ok bool
	switch {
	case periodOK && p.isWord(j, "the") && p.isWord(j+1, "year", "month"):
		if p.low(j+1) == "year" {
			e = expr{d: yearOf(p.dl.Year())}
		} else {
			e = expr{d: monthOf(p.dl.Year(), p.dl.Month())}
		}
		k, ok = j+2, true
	case p.isWord(j, "this", "last", "next") && p.isWord(j+1, "year", "month"):
		e, k, ok = p.modified(j)
	default:
		if e, k, ok = p.monthFirst(j, true); ok {
			break
		}
		if e, k, ok = p.year(j, true); ok {
			break
		}
		if part != "mid" {
			e, k, ok = p.weekdayExpr(j)
		}
	}
	if !ok || e.thru != nil || (e.d.Precision == PrecisionDay && e.kind != kWeekday) {
		return expr{}, 0, false
	}
	e.part = part
	return e, k, true
}

// modified: this/last/next (also "this past", "this coming") followed by a
// weekday, week, weekend, month, year or month name.
func (p *parser) modified(i int) (expr, int, bool) {
	mod, j := p.low(i), i+1
	switch mod {
	case "this":
		if p.isWord(j, "past") {
			mod, j = "last", j+1
		} else if p.isWord(j, "coming") {
			mod, j = "next", j+1
		}
	case "last", "next":
	case "earlier", "later":
		return p.restOfPeriod(i)
	default:
		return expr{}, 0, false
	}
	off := 0
	switch mod {
	case "last":
		off = -1
	case "next":
		off = 1
	}
	dl := p.dl
	if wd, ok := weekdayName(p.low(j)); ok && p.capital(j) {
		var t time.Time
		switch mod {
		case "last":
			t = dl.AddDate(0, 0, -daysBack(dl.Weekday(), wd))
		case "next":
			t = dl.AddDate(0, 0, daysAhead(dl.Weekday(), wd))
		default:
			t = mondayOf(dl).AddDate(0, 0, (int(wd)+6)%7)
		}
		j++
		if isPartOfDay(p.low(j)) {
			j++
		}
		return expr{d: dayOf(t), kind: kWeekday}, j, true
	}
	switch p.low(j) {
	case "week":
		mon := mondayOf(dl).AddDate(0, 0, 7*off)
		return span(mon, mon.AddDate(0, 0, 6)), j + 1, true
	case "weekend":
		sat := mondayOf(dl).AddDate(0, 0, 7*off+5)
		return span(sat, sat.AddDate(0, 0, 1)), j + 1, true
	case "month":
		return expr{d: monthOf(dl.Year(), dl.Month()+time.Month(off))}, j + 1, true
	case "year":
		return expr{d: yearOf(dl.Year() + off)}, j + 1, true
	}
	if m, full := monthName(p.low(j)); full && p.capital(j) {
		y := dl.Year()
		switch {
		case mod == "last" && m >= dl.Month():
			y--
		case mod == "next" && m <= dl.Month():
			y++
		}
		return expr{d: monthOf(y, m)}, j + 1, true
	}
	return expr{}, 0, false
}

// restOfPeriod: "earlier this week/month/year", "later this week/month/year".
// A week gives the days of the dateline's week before (after) the dateline;
// a month or year is the whole month or year.
func (p *parser) restOfPeriod(i int) (expr, int, bool) {
	if !p.isWord(i+1, "this") {
		return expr{}, 0, false
	}
	dl, earlier := p.dl, p.low(i) == "earlier"
	switch p.low(i + 2) {
	case "week":
		mon := mondayOf(dl)
		sun := mon.AddDate(0, 0, 6)
		if earlier {
			last := dl.AddDate(0, 0, -1)
			if last.Before(mon) {
				last = mon
			}
			return span(mon, last), i + 3, true
		}
		first := dl.AddDate(0, 0, 1)
		if first.After(sun) {
			first = sun
		}
		return span(first, sun), i + 3, true
	case "month":
		return expr{d: monthOf(dl.Year(), dl.Month())}, i + 3, true
	case "year":
		return expr{d: yearOf(dl.Year())}, i + 3, true
	}
	return expr{}, 0, false
}

// daysBack is how many days (1-7) back the most recent wd strictly before a
// day of weekday from is; daysAhead the same forward.
func daysBack(from, wd time.Weekday) int {
	if n := (int(from) - int(wd) + 7) % 7; n > 0 {
		return n
	}
	return 7
}

func daysAhead(from, wd time.Weekday) int {
	if n := (int(wd) - int(from) + 7) % 7; n > 0 {
		return n
	}
	return 7
}

// weekdayExpr: a capitalised weekday, with a part of the day or an explicit
// date after it ("Monday, Sept. 1").
func (p *parser) weekdayExpr(i int) (expr, int, bool) {
	wd, ok := weekdayName(p.low(i))
	if !ok || !p.capital(i) {
		return expr{}, 0, false
	}
	j := i + 1
	if isPartOfDay(p.low(j)) {
		j++
	}
	if p.isPunct(j, ",") {
		e, k, ok := p.monthFirst(j+1, false)
		if !ok {
			e, k, ok = p.dayFirst(j + 1)
		}
		if ok && e.d.Precision == PrecisionDay {
			if e.kind == kYearless && e.thru == nil && e.d.Time.Weekday() != wd {
				e.d = p.yearMatchingWeekday(e.d, wd)
			}
			return e, k, true
		}
	}
	var t time.Time
	if p.future(i) {
		t = p.dl.AddDate(0, 0, daysAhead(p.dl.Weekday(), wd))
	} else {
		t = p.dl.AddDate(0, 0, -daysBack(p.dl.Weekday(), wd))
	}
	return expr{d: dayOf(t), kind: kWeekday}, j, true
}

// yearMatchingWeekday moves a day without a year to the closest year, next
// or previous, on which it falls on wd, if there is one.
func (p *parser) yearMatchingWeekday(d Date, wd time.Weekday) Date {
	t := d.Time
	for _, dy := range [...]int{-1, 1} {
		y := t.Year() + dy
		if t.Day() > daysIn(y, t.Month()) {
			continue
		}
		c := time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		if c.Weekday() == wd {
			return Date{c, PrecisionDay}
		}
	}
	return d
}

// monthAt reports whether token i is a capitalised month name.
func (p *parser) monthAt(i int) bool {
	m, _ := monthName(p.low(i))
	return m != 0 && p.capital(i)
}

// monthFirst: "Oct. 31", "October 31, 2025", "March 3-5", "March 2024", and
// the month alone after an introducing word (or anywhere when bare is set).
func (p *parser) monthFirst(i int, bare bool) (expr, int, bool) {
	m, full := monthName(p.low(i))
	if m == 0 || !p.capital(i) {
		return expr{}, 0, false
	}
	j := i + 1
	if !full && p.isPunct(j, ".") && p.adjacent(j) {
		j++
	}
	if d, digits, k, ok := p.num(j, true); ok && digits <= 2 && d >= 1 && d <= 31 {
		last := 0
		if p.isPunct(k, "-", "–") {
			if d2, dg2, k2, ok := p.num(k+1, true); ok && dg2 <= 2 && d2 > d && d2 <= 31 && !p.monthAt(k2) {
				last, k = d2, k2
			}
		}
		return p.dayOfMonth(m, d, last, k, p.future(i))
	}
	if y, k, ok := p.yearNum(j); ok {
		return expr{d: monthOf(y, m)}, k, true
	}
	if full && (bare || monthContext(p.low(i-1))) {
		y := p.dl.Year()
		if p.future(i) {
			if m < p.dl.Month() {
				y++
			}
		} else if m > p.dl.Month() {
			y--
		}
		return expr{d: monthOf(y, m), kind: kYearless}, j, true
	}
	return expr{}, 0, false
}

// dayFirst: "31 October", "3rd of March", "3-5 March", "14 March 2025".
func (p *parser) dayFirst(i int) (expr, int, bool) {
	d, digits, k, ok := p.num(i, true)
	if !ok || digits > 2 || d < 1 || d > 31 {
		return expr{}, 0, false
	}
	last := 0
	if p.isPunct(k, "-", "–") {
		if d2, dg2, k2, ok := p.num(k+1, true); ok && dg2 <= 2 && d2 > d && d2 <= 31 {
			last, k = d2, k2
		}
	}
	if p.isWord(k, "of") {
		k++
	}
	m, full := monthName(p.low(k))
	if m == 0 || !p.capital(k) {
		return expr{}, 0, false
	}
	k++
	if !full && p.isPunct(k, ".") && p.adjacent(k) {
		k++
	}
	return p.dayOfMonth(m, d, last, k, p.future(i))
}

// dayOfMonth finishes a day-of-month expression whose day (and range end
// last, if not 0) have been read up to token k: an optional year follows.
func (p *parser) dayOfMonth(m time.Month, d, last, k int, future bool) (expr, int, bool) {
	yk := k
	if p.isPunct(yk, ",") {
		yk++
	}
	y, end, explicit := p.yearNum(yk)
	kind := kFixed
	if !explicit {
		y, end, kind = p.dl.Year(), k, kYearless
		c := time.Date(y, m, min(d, daysIn(y, m)), 0, 0, 0, 0, time.UTC)
		if future {
			if c.Before(p.dl) {
				y++
			}
		} else if c.Sub(p.dl) > 183*24*time.Hour {
			y--
		}
	}
	if d > daysIn(y, m) || last > daysIn(y, m) {
		return expr{}, 0, false
	}
	e := expr{d: Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC), PrecisionDay}, kind: kind, monthDay: true}
	if last > d {
		t := Date{time.Date(y, m, last, 0, 0, 0, 0, time.UTC), PrecisionDay}
		e.thru = &t
	}
	return e, end, true
}

// iso: "2025-03-14", optionally with a time "2025-03-14T09:30:00Z".
func (p *parser) iso(i int) (expr, int, bool) {
	if len(p.tk(i).text) != 4 || !p.isPunct(i+1, "-") || !p.adjacent(i+1) ||
		!p.twoDigits(i+2) || !p.isPunct(i+3, "-") || !p.adjacent(i+3) || !p.twoDigits(i+4) {
		return expr{}, 0, false
	}
	j := i + 5
	// The time part: T HH:MM[:SS][Z]
	if t := p.tk(j); t.kind == tWord && !t.gap && (t.text == "T" || t.text == "t") &&
		p.twoDigits(j+1) && p.isPunct(j+2, ":") && p.adjacent(j+2) && p.twoDigits(j+3) {
		k := j + 4
		if p.isPunct(k, ":") && p.adjacent(k) && p.twoDigits(k+1) {
			k += 2
		}
		if z := p.tk(k); z.kind == tWord && !z.gap && (z.text == "Z" || z.text == "z") {
			k++
		}
		if p.standsAlone(k) {
			if d, err := ParseISO(string(p.r[p.tk(i).start:p.tk(k-1).end])); err == nil {
				return expr{d: d}, k, true
			}
		}
	}
	if !p.standsAlone(j) {
		return expr{}, 0, false
	}
	d, err := ParseISO(string(p.r[p.tk(i).start:p.tk(j-1).end]))
	if err != nil {
		return expr{}, 0, false
	}
	return expr{d: d}, j, true
}

func (p *parser) twoDigits(i int) bool {
	t := p.tk(i)
	return t.kind == tNum && !t.gap && len(t.text) == 2
}

// standsAlone reports whether what ends before token k is not glued to more
// letters or digits ("2025-03-14x", "2025-03-145", "2025-03-14-2").
func (p *parser) standsAlone(k int) bool {
	t := p.tk(k)
	if t.kind == tNone || t.gap {
		return true
	}
	if t.kind != tPunct {
		return false
	}
	if strings.Contains("-.,:/", t.text) {
		n := p.tk(k + 1)
		return !(n.kind == tNum || n.kind == tWord) || n.gap
	}
	return true
}

// year: a four-digit year after an introducing word, or anywhere when bare.
func (p *parser) year(i int, bare bool) (expr, int, bool) {
	if !bare && !(p.tk(i-1).kind == tWord && yearContext(p.low(i-1))) {
		return expr{}, 0, false
	}
	y, k, ok := p.yearNum(i)
	if !ok {
		return expr{}, 0, false
	}
	return expr{d: yearOf(y)}, k, true
}

// yearNum reads a plausible four-digit year standing alone at token i.
func (p *parser) yearNum(i int) (int, int, bool) {
	v, digits, k, ok := p.num(i, false)
	if !ok || digits != 4 || v < 1000 || v > 2999 {
		return 0, 0, false
	}
	return v, k, true
}

// num reads the digits at token i as a number standing alone, with an
// ordinal suffix ("3rd") when ordinal is set. It refuses numbers glued to
// letters ("1990s", "A4"), and ones continuing as 3.5, 1,000, 9:30 or 1/2.
// digits is the count of digits (reported even when ok is false).
func (p *parser) num(i int, ordinal bool) (v, digits, end int, ok bool) {
	t := p.tk(i)
	if t.kind != tNum {
		return 0, 0, 0, false
	}
	digits = len(t.text)
	if digits > 4 {
		return 0, digits, 0, false
	}
	v, _ = strconv.Atoi(t.text)
	end = i + 1
	n := p.tk(end)
	if n.kind == tWord && !n.gap {
		if !ordinal || !isOrdinal(n.low) {
			return 0, digits, 0, false
		}
		end++
		if n := p.tk(end); (n.kind == tWord || n.kind == tNum) && !n.gap {
			return 0, digits, 0, false
		}
		return v, digits, end, true
	}
	if n.kind == tPunct && !n.gap {
		if n.text == "%" {
			return 0, digits, 0, false
		}
		if strings.Contains(".,:/", n.text) {
			if a := p.tk(end + 1); a.kind == tNum && !a.gap {
				return 0, digits, 0, false
			}
		}
	}
	return v, digits, end, true
}

func isOrdinal(w string) bool {
	switch w {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// prevChain reports whether the number at token i continues something glued
// before it: more digits ("555-2019", "3.5", "9:30"), a letter ("A4") or a
// currency or number sign.
func (p *parser) prevChain(i int) bool {
	t := p.tk(i)
	if t.gap || i == 0 {
		return false
	}
	prev := p.tk(i - 1)
	switch prev.kind {
	case tWord, tNum:
		return true
	case tPunct:
		if strings.Contains("$€£¥#+", prev.text) {
			return true
		}
		if strings.Contains("-–/.,:", prev.text) && !prev.gap {
			if pp := p.tk(i - 2); pp.kind == tNum || pp.kind == tWord {
				return true
			}
		}
	}
	return false
}

// relative: "two days later", "three weeks ago", "a week earlier", "5 years
// ago", "two weeks from now", "two days after." (at the end of a clause).
func (p *parser) relative(i int) (expr, int, bool) {
	n := 0
	if t := p.tk(i); t.kind == tNum {
		v, digits, k, ok := p.num(i, false)
		if !ok || digits > 3 || v < 1 || k != i+1 {
			return expr{}, 0, false
		}
		n = v
	} else {
		n = countWord(p.low(i))
	}
	u := unitWord(p.low(i + 1))
	if n == 0 || u == noUnit {
		return expr{}, 0, false
	}
	k := i + 2
	var from Date
	switch w := p.low(k); {
	case w == "ago":
		from, n = p.today(), -n
	case w == "from" && p.isWord(k+1, "now"):
		from, k = p.today(), k+1
	case w == "later" || w == "afterwards" || w == "afterward":
		from = p.base()
	case w == "earlier":
		from, n = p.base(), -n
	case (w == "after" || w == "before") && p.clauseEnds(k+1):
		from = p.base()
		if w == "before" {
			n = -n
		}
	default:
		return expr{}, 0, false
	}
	d, ok := shift(from, u, n)
	if !ok {
		return expr{}, 0, false
	}
	return expr{d: d}, k + 1, true
}

// clauseEnds reports whether token i ends a clause: punctuation, a new block
// or the end of the text.
func (p *parser) clauseEnds(i int) bool {
	t := p.tk(i)
	return t.kind == tNone || t.nl || (t.kind == tPunct && strings.Contains(".,;:!?)\"”", t.text))
}

// shift moves from by n units; it refuses a unit finer than from's
// precision.
func shift(from Date, u unit, n int) (Date, bool) {
	if from.Precision.rank() < u.precision().rank() {
		return Date{}, false
	}
	t := from.Time
	switch u {
	case unitDay:
		return dayOf(t.AddDate(0, 0, n)), true
	case unitWeek:
		return dayOf(t.AddDate(0, 0, 7*n)), true
	case unitMonth:
		return monthOf(t.Year(), t.Month()+time.Month(n)), true
	}
	return yearOf(t.Year() + n), true
}

// anaphoric: "the next day", "the following week", "the previous month",
// "the same day", "the next morning", "the day before." — all counted from
// the most recent date mentioned (or the dateline).
func (p *parser) anaphoric(i int) (expr, int, bool) {
	if !p.isWord(i, "the") {
		return expr{}, 0, false
	}
	n, u, j := 0, noUnit, i+3
	switch w := p.low(i + 1); {
	case w == "weekend":
		return p.weekend(i), i + 2, true
	case w == "day" && p.isWord(i+2, "before", "after") && p.clauseEnds(i+3):
		n, u = 1, unitDay
		if p.low(i+2) == "before" {
			n = -1
		}
	case w == "next" || w == "following" || w == "previous" || w == "preceding" || w == "same":
		switch w {
		case "next", "following":
			n = 1
		case "previous", "preceding":
			n = -1
		}
		u = unitWord(p.low(i + 2))
		if isPartOfDay(p.low(i + 2)) {
			u = unitDay
		}
		if u == noUnit || p.low(i+2) != strings.TrimSuffix(p.low(i+2), "s") {
			return expr{}, 0, false
		}
	default:
		return expr{}, 0, false
	}
	from := p.base()
	if u == unitWeek {
		if from.Precision.rank() < PrecisionDay.rank() {
			return expr{}, 0, false
		}
		mon := mondayOf(from.Time).AddDate(0, 0, 7*n)
		return span(mon, mon.AddDate(0, 0, 6)), j, true
	}
	d, ok := shift(from, u, n)
	if !ok {
		return expr{}, 0, false
	}
	return expr{d: d}, j, true
}

// weekend resolves "the weekend": the one in progress or just past (the
// Saturday on or before the dateline, or the day before a Sunday dateline),
// or with future wording the next one (from the dateline if it is a
// Saturday).
func (p *parser) weekend(i int) expr {
	dl, wd := p.dl, p.dl.Weekday()
	var sat time.Time
	switch {
	case wd == time.Saturday:
		sat = dl
	case p.future(i):
		sat = dl.AddDate(0, 0, daysAhead(wd, time.Saturday))
	case wd == time.Sunday:
		sat = dl.AddDate(0, 0, -1)
	default:
		sat = dl.AddDate(0, 0, -daysBack(wd, time.Saturday))
	}
	return span(sat, sat.AddDate(0, 0, 1))
}

// future reports whether future wording comes before token i in its
// sentence.
func (p *parser) future(i int) bool {
	for k := i - 1; k >= 0 && k >= i-30; k-- {
		if p.t[k+1].nl {
			return false
		}
		t := p.t[k]
		switch t.kind {
		case tPunct:
			switch t.text {
			case "!", "?", ";":
				return false
			case ".":
				if !t.gap && k > 0 && p.t[k-1].kind == tWord && abbreviation(p.t[k-1].low) {
					continue
				}
				return false
			}
		case tWord:
			if futureWord(t.low) {
				if t.low == "ll" && !(k > 0 && p.isPunct(k-1, "'", "’")) {
					continue
				}
				return true
			}
		}
	}
	return false
}

// clock reads a time of day at token i: "9:30", "9:30 a.m.", "9 pm",
// "14:00", "1400 GMT", "noon", with "GMT" or "UTC" after it.
func (p *parser) clock(i int) (h, m, end int, ok bool) {
	t := p.tk(i)
	if t.kind == tWord && (t.low == "noon" || t.low == "midday") {
		return 12, 0, i + 1, true
	}
	if t.kind != tNum || p.prevChain(i) {
		return 0, 0, 0, false
	}
	v, _ := strconv.Atoi(t.text)
	switch n := len(t.text); {
	case n <= 2 && p.isPunct(i+1, ":") && p.adjacent(i+1) && p.twoDigits(i+2):
		h, m, end = v, 0, i+3
		m, _ = strconv.Atoi(p.tk(i + 2).text)
		if pm, k, ok := p.ampm(end); ok {
			if h < 1 || h > 12 {
				return 0, 0, 0, false
			}
			h, end = h%12, k
			if pm {
				h += 12
			}
		}
		if h > 23 || m > 59 {
			return 0, 0, 0, false
		}
	case n <= 2:
		pm, k, ok := p.ampm(i + 1)
		if !ok || v < 1 || v > 12 {
			return 0, 0, 0, false
		}
		h, m, end = v%12, 0, k
		if pm {
			h += 12
		}
	case n == 4 && p.isWord(i+1, "gmt", "utc"):
		h, m, end = v/100, v%100, i+1
		if h > 23 || m > 59 {
			return 0, 0, 0, false
		}
	default:
		return 0, 0, 0, false
	}
	if n := p.tk(end); (n.kind == tNum || n.kind == tWord) && !n.gap {
		return 0, 0, 0, false
	}
	if p.isWord(end, "gmt", "utc") && p.capital(end) {
		end++
	}
	return h, m, end, true
}

// ampm reads "a.m.", "p.m.", "am", "pm" (any case) at token i.
func (p *parser) ampm(i int) (pm bool, end int, ok bool) {
	switch p.low(i) {
	case "am", "pm":
		return p.low(i) == "pm", i + 1, true
	case "a", "p":
		if p.isPunct(i+1, ".") && p.adjacent(i+1) && p.isWord(i+2, "m") && p.adjacent(i+2) {
			end = i + 3
			if p.isPunct(end, ".") && p.adjacent(end) {
				end++
			}
			return p.low(i) == "p", end, true
		}
	}
	return false, 0, false
}
