package dates

import "time"

// Word tables, written as switches so the package holds no mutable state.
// Every argument is already lower-cased.

// monthName returns the month a name or abbreviation stands for, and whether
// it is the full name (only full names are taken without a day or year:
// "in March", never "in Mar" or "Jan" alone, which is also a first name).
func monthName(w string) (time.Month, bool) {
	switch w {
	case "january":
		return time.January, true
	case "jan":
		return time.January, false
	case "february":
		return time.February, true
	case "feb":
		return time.February, false
	case "march":
		return time.March, true
	case "mar":
		return time.March, false
	case "april":
		return time.April, true
	case "apr":
		return time.April, false
	case "may":
		return time.May, true
	case "june":
		return time.June, true
	case "jun":
		return time.June, false
	case "july":
		return time.July, true
	case "jul":
		return time.July, false
	case "august":
		return time.August, true
	case "aug":
		return time.August, false
	case "september":
		return time.September, true
	case "sep", "sept":
		return time.September, false
	case "october":
		return time.October, true
	case "oct":
		return time.October, false
	case "november":
		return time.November, true
	case "nov":
		return time.November, false
	case "december":
		return time.December, true
	case "dec":
		return time.December, false
	}
	return 0, false
}

func weekdayName(w string) (time.Weekday, bool) {
	switch w {
	case "sunday":
		return time.Sunday, true
	case "monday":
		return time.Monday, true
	case "tuesday":
		return time.Tuesday, true
	case "wednesday":
		return time.Wednesday, true
	case "thursday":
		return time.Thursday, true
	case "friday":
		return time.Friday, true
	case "saturday":
		return time.Saturday, true
	}
	return 0, false
}

// countWord is the value of a small number written as a word ("a week
// earlier" counts as one).
func countWord(w string) int {
	switch w {
	case "a", "an", "one":
		return 1
	case "two":
		return 2
	case "three":
		return 3
	case "four":
		return 4
	case "five":
		return 5
	case "six":
		return 6
	case "seven":
		return 7
	case "eight":
		return 8
	case "nine":
		return 9
	case "ten":
		return 10
	case "eleven":
		return 11
	case "twelve":
		return 12
	}
	return 0
}

// unit is a span of calendar time used by relative expressions.
type unit uint8

const (
	noUnit unit = iota
	unitDay
	unitWeek
	unitMonth
	unitYear
)

func unitWord(w string) unit {
	switch w {
	case "day", "days":
		return unitDay
	case "week", "weeks":
		return unitWeek
	case "month", "months":
		return unitMonth
	case "year", "years":
		return unitYear
	}
	return noUnit
}

// precision is the finest precision a count of units can honestly claim.
func (u unit) precision() Precision {
	switch u {
	case unitDay, unitWeek:
		return PrecisionDay
	case unitMonth:
		return PrecisionMonth
	}
	return PrecisionYear
}

func isPartOfDay(w string) bool {
	switch w {
	case "morning", "afternoon", "evening", "night":
		return true
	}
	return false
}

// monthContext lists the words after which a month name standing alone is
// read as a date: "in March", "since May", "until June".
func monthContext(w string) bool {
	switch w {
	case "in", "since", "until", "till", "by", "from", "during", "before", "after",
		"through", "throughout", "between", "around", "for", "early", "late", "mid":
		return true
	}
	return false
}

// yearContext lists the words after which a four-digit number is read as a
// year: "in 2019", "since 2019", "the summer of 2019".
func yearContext(w string) bool {
	switch w {
	case "in", "since", "until", "till", "by", "from", "during", "before", "after",
		"through", "throughout", "between", "around", "circa", "of", "early", "late", "mid":
		return true
	}
	return false
}

// futureWord lists words that, earlier in the same sentence, make a bare
// weekday or month refer forward: "will meet on Sunday", "is due in March".
func futureWord(w string) bool {
	switch w {
	case "will", "shall", "ll", "scheduled", "expected", "expects", "due", "plans", "plan",
		"planned", "planning", "upcoming", "forthcoming", "intends", "intend", "next", "coming":
		return true
	}
	return false
}

// abbreviation lists words that end with a full stop without ending a
// sentence, for the sentence scan done by futureContext.
func abbreviation(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "st", "jr", "sr", "lt", "col",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs":
		return true
	}
	return len([]rune(w)) == 1
}
