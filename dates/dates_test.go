package dates

import (
	"strings"
	"testing"
	"time"
)

func TestDateFormats(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		d         Date
		str, iso  string
		precision Precision
	}{
		{New(at, PrecisionYear), "2025", "2025", PrecisionYear},
		{New(at, PrecisionMonth), "March 2025", "2025-03", PrecisionMonth},
		{New(at, PrecisionDay), "14 March 2025", "2025-03-14", PrecisionDay},
		{New(at, PrecisionTime), "14 March 2025, 09:30 UTC", "2025-03-14T09:30:00Z", PrecisionTime},
		{New(at, "fortnight"), "14 March 2025", "2025-03-14", PrecisionDay},
		{New(time.Date(2025, 3, 14, 23, 30, 0, 0, time.FixedZone("", -5*3600)), PrecisionDay), "15 March 2025", "2025-03-15", PrecisionDay},
		{Date{}, "", "", ""},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
		if got := tt.d.ISO(); got != tt.iso {
			t.Errorf("ISO() = %q, want %q", got, tt.iso)
		}
		if tt.d.Precision != tt.precision {
			t.Errorf("Precision = %q, want %q", tt.d.Precision, tt.precision)
		}
	}
}

func TestParseISO(t *testing.T) {
	good := []struct{ in, iso string }{
		{"2025", "2025"},
		{"2025-03", "2025-03"},
		{"2025-03-14", "2025-03-14"},
		{" 2025-03-14 ", "2025-03-14"},
		{"2024-02-29", "2024-02-29"},
		{"2025-03-14T09:30:00Z", "2025-03-14T09:30:00Z"},
		{"2025-03-14T09:30", "2025-03-14T09:30:00Z"},
		{"2025-03-14 09:30", "2025-03-14T09:30:00Z"},
		{"2025-03-14T09:30:15", "2025-03-14T09:30:15Z"},
		{"2025-03-14T09:30:15.250Z", "2025-03-14T09:30:15Z"},
		{"2025-03-14T09:30+02:00", "2025-03-14T07:30:00Z"},
		{"2025-03-14T23:30-0500", "2025-03-15T04:30:00Z"},
	}
	for _, tt := range good {
		d, err := ParseISO(tt.in)
		if err != nil {
			t.Errorf("ParseISO(%q): %v", tt.in, err)
			continue
		}
		if d.ISO() != tt.iso {
			t.Errorf("ParseISO(%q).ISO() = %q, want %q", tt.in, d.ISO(), tt.iso)
		}
		if again, err := ParseISO(d.ISO()); err != nil || again != d {
			t.Errorf("ParseISO(%q) does not round-trip: %v %v", d.ISO(), again, err)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "empty"},
		{"2025-02-30", "day 30 does not exist in February 2025 (it has 28 days)"},
		{"2023-02-29", "day 29 does not exist in February 2023"},
		{"2025-04-31", "day 31 does not exist in April 2025"},
		{"2025-13", "month 13 is out of range"},
		{"2025-00-10", "month 0 is out of range"},
		{"2025-03-32", "day 32 is out of range"},
		{"2025-03-00", "day 0 is out of range"},
		{"25-03-14", "year must be four digits"},
		{"2025-3-14", "month must be two digits"},
		{"2025-03-14T24:00", "hour 24 is out of range"},
		{"2025-03-14T09:60", "minute 60 is out of range"},
		{"2025-03-14T09:30:61", "second 61 is out of range"},
		{"2025-03-14T9:30", "hour must be two digits"},
		{"2025-03T09:30", "a time needs a full date"},
		{"2025-03-14T09:30+2", "time zone offset"},
		{"2025-03-14-01", "expected YYYY"},
		{"March 2025", "year must be four digits"},
		{"0000", "year 0000"},
	}
	for _, tt := range bad {
		_, err := ParseISO(tt.in)
		if err == nil {
			t.Errorf("ParseISO(%q) accepted an invalid date", tt.in)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseISO(%q) error %q, want it to mention %q", tt.in, err, tt.msg)
		}
	}
}

// wednesday is the dateline of most tests: Wednesday 3 September 2025.
var wednesday = time.Date(2025, 9, 3, 10, 0, 0, 0, time.UTC)

// want describes one expected mention as "text=ISO", "text=ISO..ISO" for a
// range, with "~part" at the end for a vague part. The ISO form carries the
// precision.
func describe(m Mention) string {
	s := m.Text + "=" + m.Date.ISO()
	if m.Through != nil {
		s += ".." + m.Through.ISO()
	}
	if m.Part != "" {
		s += "~" + m.Part
	}
	return s
}

type resolveCase struct {
	name     string
	text     string
	dateline time.Time // wednesday when zero
	want     []string
}

func runResolve(t *testing.T, cases []resolveCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			dl := tt.dateline
			if dl.IsZero() {
				dl = wednesday
			}
			got := Resolve(tt.text, dl)
			var have []string
			for _, m := range got {
				have = append(have, describe(m))
				checkMention(t, tt.text, m)
			}
			if strings.Join(have, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("Resolve(%q)\n got: %q\nwant: %q", tt.text, have, tt.want)
			}
		})
	}
}

func checkMention(t *testing.T, text string, m Mention) {
	t.Helper()
	r := []rune(text)
	if m.Start < 0 || m.Start >= m.End || m.End > len(r) {
		t.Fatalf("bad span [%d,%d) in %d runes", m.Start, m.End, len(r))
	}
	if s := string(r[m.Start:m.End]); s != m.Text {
		t.Fatalf("Text %q but input has %q at [%d,%d)", m.Text, s, m.Start, m.End)
	}
	if m.Through != nil && (m.Through.Precision != m.Date.Precision || !m.Through.Time.After(m.Date.Time)) {
		t.Fatalf("bad range %v .. %v", m.Date, *m.Through)
	}
}

func TestResolveWeekdays(t *testing.T) {
	runResolve(t, []resolveCase{
		{"bare weekday is the most recent before the dateline", "The minister resigned on Sunday.", time.Time{}, []string{"Sunday=2025-08-31"}},
		{"same weekday as dateline goes back a week", "Protesters gathered on Wednesday.", time.Time{}, []string{"Wednesday=2025-08-27"}},
		{"yesterday's weekday", "Talks collapsed on Tuesday night.", time.Time{}, []string{"Tuesday night=2025-09-02"}},
		{"future wording looks forward", "Parliament will vote on Sunday.", time.Time{}, []string{"Sunday=2025-09-07"}},
		{"scheduled looks forward", "The summit is scheduled for Friday.", time.Time{}, []string{"Friday=2025-09-05"}},
		{"future wording stops at the sentence end", "She will speak. The vote was on Friday.", time.Time{}, []string{"Friday=2025-08-29"}},
		{"future wording crosses abbreviations", "Mr. Olsen will meet Dr. Arık on Friday.", time.Time{}, []string{"Friday=2025-09-05"}},
		{"next", "Talks resume next Tuesday.", time.Time{}, []string{"next Tuesday=2025-09-09"}},
		{"this", "A decision is due this Friday.", time.Time{}, []string{"this Friday=2025-09-05"}},
		{"this earlier in the week", "Officials met this Monday.", time.Time{}, []string{"this Monday=2025-09-01"}},
		{"last", "The report appeared last Monday.", time.Time{}, []string{"last Monday=2025-09-01"}},
		{"last same weekday", "It rained last Wednesday.", time.Time{}, []string{"last Wednesday=2025-08-27"}},
		{"this past / this coming", "It began this past Saturday and ends this coming Thursday.", time.Time{}, []string{"this past Saturday=2025-08-30", "this coming Thursday=2025-09-04"}},
		{"possessive", "Sunday's election was calm.", time.Time{}, []string{"Sunday=2025-08-31"}},
		{"weekday with explicit date", "The ministry said on Monday, Sept. 1, that it would appeal.", time.Time{}, []string{"Monday, Sept. 1=2025-09-01"}},
		{"lower-case weekday ignored", "a sunday roast", time.Time{}, nil},
	})
}

func TestResolveDayWords(t *testing.T) {
	runResolve(t, []resolveCase{
		{"today", "The court rules today.", time.Time{}, []string{"today=2025-09-03"}},
		{"yesterday", "Yesterday the ministry denied it.", time.Time{}, []string{"Yesterday=2025-09-02"}},
		{"tomorrow morning", "Voting opens tomorrow morning.", time.Time{}, []string{"tomorrow morning=2025-09-04"}},
		{"tonight", "She speaks tonight.", time.Time{}, []string{"tonight=2025-09-03"}},
		{"this morning", "Troops left this morning.", time.Time{}, []string{"this morning=2025-09-03"}},
		{"last night", "Shots were heard last night.", time.Time{}, []string{"last night=2025-09-02"}},
		{"earlier today", "Earlier today the port reopened.", time.Time{}, []string{"Earlier today=2025-09-03"}},
		{"day before yesterday", "It happened the day before yesterday.", time.Time{}, []string{"the day before yesterday=2025-09-01"}},
		{"dateline's own calendar day", "The vote is today.", time.Date(2025, 9, 3, 23, 30, 0, 0, time.FixedZone("EST", -5*3600)), []string{"today=2025-09-03"}},
	})
}

func TestResolveExplicitDates(t *testing.T) {
	runResolve(t, []resolveCase{
		{"abbreviated month", "The deadline is Oct. 31.", time.Time{}, []string{"Oct. 31=2025-10-31"}},
		{"full month", "The deadline is October 31.", time.Time{}, []string{"October 31=2025-10-31"}},
		{"day first", "The deadline is 31 October.", time.Time{}, []string{"31 October=2025-10-31"}},
		{"ordinal of", "It ends on the 31st of October.", time.Time{}, []string{"31st of October=2025-10-31"}},
		{"sept", "Hearings start Sept. 18.", time.Time{}, []string{"Sept. 18=2025-09-18"}},
		{"with year", "It was signed Aug. 29, 2025, in Tallinn.", time.Time{}, []string{"Aug. 29, 2025=2025-08-29"}},
		{"day month year", "Born 14 March 1961.", time.Time{}, []string{"14 March 1961=1961-03-14"}},
		{"month year", "The plan dates from March 2024.", time.Time{}, []string{"March 2024=2024-03"}},
		{"yearless far ahead is last year", "The treaty was signed Dec. 20.", time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), []string{"Dec. 20=2025-12-20"}},
		{"yearless with future wording moves ahead", "The next session will open Jan. 5.", time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC), []string{"Jan. 5=2026-01-05"}},
		{"yearless earlier in the year", "On March 3 the border closed.", time.Time{}, []string{"March 3=2025-03-03"}},
		{"impossible day ignored", "Nothing happened on Feb. 30.", time.Time{}, nil},
		{"leap day", "It was Feb. 29, 2024.", time.Time{}, []string{"Feb. 29, 2024=2024-02-29"}},
		{"iso", "Published 2025-03-14 at noon.", time.Time{}, []string{"2025-03-14 at noon=2025-03-14T12:00:00Z"}},
		{"iso with time", "Logged at 2025-03-14T09:30:00Z by the system.", time.Time{}, []string{"2025-03-14T09:30:00Z=2025-03-14T09:30:00Z"}},
		{"iso impossible", "Code 2025-02-30 is not a date.", time.Time{}, nil},
	})
}

func TestResolveMonthsAndYears(t *testing.T) {
	runResolve(t, []resolveCase{
		{"in month, past", "The fighting began in March.", time.Time{}, []string{"March=2025-03"}},
		{"in month after dateline month is last year", "Prices rose in November.", time.Time{}, []string{"November=2024-11"}},
		{"dateline month itself", "Rain fell in September.", time.Time{}, []string{"September=2025-09"}},
		{"in month, future", "Elections will be held in March.", time.Time{}, []string{"March=2026-03"}},
		{"since month", "Prices have risen since May.", time.Time{}, []string{"May=2025-05"}},
		{"last/next month name", "Compared with last March, and ahead of next March.", time.Time{}, []string{"last March=2025-03", "next March=2026-03"}},
		{"in year", "The law was passed in 2019.", time.Time{}, []string{"2019=2019"}},
		{"since year", "It has been closed since 2019.", time.Time{}, []string{"2019=2019"}},
		{"summer of year", "In the summer of 2019 it flooded.", time.Time{}, []string{"2019=2019"}},
		{"this/last/next year and month", "This year, last year, next year, this month, last month and next month.", time.Time{}, []string{
			"This year=2025", "last year=2024", "next year=2026", "this month=2025-09", "last month=2025-08", "next month=2025-10"}},
		{"weeks", "Last week and this week and next week.", time.Time{}, []string{
			"Last week=2025-08-25..2025-08-31", "this week=2025-09-01..2025-09-07", "next week=2025-09-08..2025-09-14"}},
		{"weekend", "Over the weekend, protests; next weekend, a march.", time.Time{}, []string{"the weekend=2025-08-30..2025-08-31", "next weekend=2025-09-13..2025-09-14"}},
		{"decade skipped", "Built in the 1990s.", time.Time{}, nil},
	})
}

func TestResolveRelative(t *testing.T) {
	runResolve(t, []resolveCase{
		{"ago", "The blast happened three weeks ago.", time.Time{}, []string{"three weeks ago=2025-08-13"}},
		{"ago digits", "It closed 5 years ago and 10 days ago.", time.Time{}, []string{"5 years ago=2020", "10 days ago=2025-08-24"}},
		{"months ago", "Two months ago the talks stalled.", time.Time{}, []string{"Two months ago=2025-07"}},
		{"later from last mention", "The ceasefire began on Aug. 20. Two days later it collapsed.", time.Time{}, []string{"Aug. 20=2025-08-20", "Two days later=2025-08-22"}},
		{"later without mention uses dateline", "Two days later it collapsed.", time.Time{}, []string{"Two days later=2025-09-05"}},
		{"earlier", "Voting ended on Sunday. A week earlier, turnout was low.", time.Time{}, []string{"Sunday=2025-08-31", "A week earlier=2025-08-24"}},
		{"next day", "Talks opened on March 3. The next day they broke down.", time.Time{}, []string{"March 3=2025-03-03", "The next day=2025-03-04"}},
		{"following week", "Talks opened on Friday, Aug. 29. The following week they resumed.", time.Time{}, []string{"Friday, Aug. 29=2025-08-29", "The following week=2025-09-01..2025-09-07"}},
		{"previous month", "The deal was signed in 2024. The previous month was calm.", time.Time{}, []string{"2024=2024"}},
		{"after range end", "Talks ran from Monday to Wednesday. The next day, a deal.", time.Date(2025, 9, 5, 0, 0, 0, 0, time.UTC), []string{"Monday to Wednesday=2025-09-01..2025-09-03", "The next day=2025-09-04"}},
		{"unit finer than anchor refused", "It began in March. Two days later it ended.", time.Time{}, []string{"March=2025-03"}},
		{"years later from a year", "It began in 2019. Two years later it ended.", time.Time{}, []string{"2019=2019", "Two years later=2021"}},
		{"day before at clause end", "The vote was on Sunday, and rioting began the day before.", time.Time{}, []string{"Sunday=2025-08-31", "the day before=2025-08-30"}},
		{"day before a noun is not resolved", "It was the day before the vote.", time.Time{}, nil},
		{"from now", "Two weeks from now, the law takes effect.", time.Time{}, []string{"Two weeks from now=2025-09-17"}},
		{"no count no date", "Days later the rain stopped.", time.Time{}, nil},
	})
}

func TestResolveVague(t *testing.T) {
	runResolve(t, []resolveCase{
		{"early this year", "Early this year the mine closed.", time.Time{}, []string{"Early this year=2025~early"}},
		{"late last year", "It reopened late last year.", time.Time{}, []string{"late last year=2024~late"}},
		{"earlier this month", "The minister said earlier this month that taxes would rise.", time.Time{}, []string{"earlier this month=2025-09"}},
		{"later this year", "A vote is expected later this year.", time.Time{}, []string{"later this year=2025"}},
		{"earlier this week", "Earlier this week the port closed.", time.Time{}, []string{"Earlier this week=2025-09-01..2025-09-02"}},
		{"mid-month", "Fighting resumed in mid-September.", time.Time{}, []string{"mid-September=2025-09~mid"}},
		{"mid-month future", "Talks will resume in mid-October.", time.Time{}, []string{"mid-October=2025-10~mid"}},
		{"early month year", "It was agreed in early March 2024.", time.Time{}, []string{"early March 2024=2024-03~early"}},
		{"end of month", "Troops leave by the end of March.", time.Time{}, []string{"the end of March=2025-03~late"}},
		{"end of the year", "It will be finished by the end of the year.", time.Time{}, []string{"the end of the year=2025~late"}},
		{"beginning of next year", "Work starts at the beginning of next year.", time.Time{}, []string{"the beginning of next year=2026~early"}},
		{"mid-year", "Inflation peaked in mid-2024.", time.Time{}, []string{"mid-2024=2024~mid"}},
		{"late as adjective", "The late president was honoured.", time.Time{}, nil},
	})
}

func TestResolveTimes(t *testing.T) {
	runResolve(t, []resolveCase{
		{"after day", "The blast came on Sunday at 9:30 a.m. local time.", time.Time{}, []string{"Sunday at 9:30 a.m.=2025-08-31T09:30:00Z"}},
		{"before day", "At 9:30 a.m. on Sunday, sirens sounded.", time.Time{}, []string{"9:30 a.m. on Sunday=2025-08-31T09:30:00Z"}},
		{"24-hour", "The market closed yesterday at 14:00.", time.Time{}, []string{"yesterday at 14:00=2025-09-02T14:00:00Z"}},
		{"pm", "Polls close at 8 p.m. tomorrow.", time.Time{}, []string{"8 p.m. tomorrow=2025-09-04T20:00:00Z"}},
		{"noon and midnight style", "Talks start at 12:15 am Friday.", time.Time{}, []string{"12:15 am Friday=2025-08-29T00:15:00Z"}},
		{"gmt", "Trading halted on Monday at 1400 GMT.", time.Time{}, []string{"Monday at 1400 GMT=2025-09-01T14:00:00Z"}},
		{"with date", "Signed on Aug. 29, 2025, at 10:45.", time.Time{}, []string{"Aug. 29, 2025, at 10:45=2025-08-29T10:45:00Z"}},
		{"time alone is not a mention", "The blast happened at 9:30 a.m. near the port.", time.Time{}, nil},
		{"impossible time ignored", "They met on Sunday at 25:10.", time.Time{}, []string{"Sunday=2025-08-31"}},
	})
}

func TestResolveRanges(t *testing.T) {
	runResolve(t, []resolveCase{
		{"month day range", "The summit runs March 3-5.", time.Time{}, []string{"March 3-5=2025-03-03..2025-03-05"}},
		{"day month range", "The summit runs 3-5 March.", time.Time{}, []string{"3-5 March=2025-03-03..2025-03-05"}},
		{"to day", "Hearings run Oct. 6 to 9.", time.Time{}, []string{"Oct. 6 to 9=2025-10-06..2025-10-09"}},
		{"across months", "The fair ran from March 30 to April 2.", time.Time{}, []string{"March 30 to April 2=2025-03-30..2025-04-02"}},
		{"weekdays", "Strikes ran from Monday to Wednesday.", time.Date(2025, 9, 5, 0, 0, 0, 0, time.UTC), []string{"Monday to Wednesday=2025-09-01..2025-09-03"}},
		{"weekdays end moves forward", "Strikes ran from Monday to Wednesday.", time.Time{}, []string{"Monday to Wednesday=2025-09-01..2025-09-03"}},
		{"through", "Offices close Thursday through Saturday.", time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), []string{"Thursday through Saturday=2025-08-28..2025-08-30"}},
		{"years", "Between 2019 and 2021 the mine was shut; prices rose in 2022-2023.", time.Time{}, []string{"2019 and 2021=2019..2021", "2022-2023=2022..2023"}},
		{"months", "The dry season lasts from November to February.", time.Time{}, []string{"November to February=2024-11..2025-02"}},
		{"to without from is not a range", "The vote moved Monday to a later date.", time.Time{}, []string{"Monday=2025-09-01"}},
	})
}

func TestResolveFalsePositives(t *testing.T) {
	runResolve(t, []resolveCase{
		{"may as verb", "She may attend the summit.", time.Time{}, nil},
		{"May at sentence start", "May they rest in peace.", time.Time{}, nil},
		{"March as a name", "Mr. March said the plan was sound.", time.Time{}, nil},
		{"surname May", "Theresa May met officials.", time.Time{}, nil},
		{"section number", "Under Section 2025 of the code, fines apply.", time.Time{}, nil},
		{"phone number", "Call 555-2019 or +44 2019 555.", time.Time{}, nil},
		{"decimal", "Growth was 3.5 percent in 2024.", time.Time{}, []string{"2024=2024"}},
		{"thousands", "May 1,000 people protest?", time.Time{}, nil},
		{"plain number", "The 2025 budget has 2019 lines.", time.Time{}, nil},
		{"jan as name", "Jan Novak said no.", time.Time{}, nil},
		{"abbreviated month alone", "In Oct the rains come.", time.Time{}, nil},
		{"money", "It cost $2019 in 2020.", time.Time{}, []string{"2020=2020"}},
	})
}

func TestResolveArticle(t *testing.T) {
	text := "ALDERVANE CITY, Sept. 3 (Newsgloss) — The Aldervane foreign ministry on Tuesday denied reports that Ilse Vålund would resign.\n" +
		"Ms. Vålund, who took office in March 2024, told reporters last night that talks would resume next Tuesday.\n" +
		"The ministry said the 2019 accord, signed on 14 June 2019, remained in force. Two days later, on June 16, it was ratified.\n" +
		"Early this year, officials met from Monday to Wednesday in mid-February; the next round is planned for March."
	runResolve(t, []resolveCase{{"article", text, time.Time{}, []string{
		"Sept. 3=2025-09-03",
		"Tuesday=2025-09-02",
		"March 2024=2024-03",
		"last night=2025-09-02",
		"next Tuesday=2025-09-09",
		"14 June 2019=2019-06-14",
		"Two days later=2019-06-16",
		"June 16=2025-06-16",
		"Early this year=2025~early",
		"Monday to Wednesday=2025-09-01..2025-09-03",
		"mid-February=2025-02~mid",
		"March=2026-03",
	}}})
}

func TestResolvePositionsAreRunes(t *testing.T) {
	text := "Şenay Arık, ministre, a parlé — on Sunday — à Ålesund.\nÜç gün önce: 3 days ago."
	got := Resolve(text, wednesday)
	if len(got) != 2 {
		t.Fatalf("got %d mentions: %+v", len(got), got)
	}
	for _, m := range got {
		checkMention(t, text, m)
	}
	if got[0].Text != "Sunday" || got[1].Text != "3 days ago" {
		t.Errorf("texts %q %q", got[0].Text, got[1].Text)
	}
}

func TestResolveEdgeInputs(t *testing.T) {
	for _, s := range []string{"", " ", "\n\n", "on", "March", "Sunday", "12", "9:", "2025-", "2025-03-", "the next", "3-", "mid-", "from Monday to", "\xff\xfe 2025-03-14 \xff"} {
		for _, m := range Resolve(s, wednesday) {
			checkMention(t, s, m)
		}
	}
}

func TestResolveExtremeDatelines(t *testing.T) {
	text := "Today, on Sunday, in March, since 2019, 999 years ago, next month, two days later, Dec. 31-Jan. 2."
	for _, dl := range []time.Time{{}, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC), time.Unix(1<<40, 0), time.Unix(-(1 << 40), 0)} {
		for _, m := range Resolve(text, dl) {
			checkMention(t, text, m)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"The minister resigned on Sunday. Two days later, the ministry denied it.",
		"Talks run March 3-5 and from Monday to Wednesday; the vote is Oct. 31, 2025 at 9:30 a.m.",
		"In March 2024, since 2019, mid-September, early this year, 2025-03-14T09:30:00Z.",
		"Mr. March said she may attend. Call 555-2019. Section 2025.",
		"Şenay Arık spoke on Monday, Sept. 1 at 14:00 — три недели назад.",
		"at noon the day before yesterday between 2019 and 2021",
	} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, text string, offset int64) {
		dl := wednesday.Add(time.Duration(offset%(1<<40)) * time.Second)
		ms := Resolve(text, dl)
		r := []rune(text)
		prevEnd := 0
		for _, m := range ms {
			if m.Start < prevEnd || m.Start >= m.End || m.End > len(r) {
				t.Fatalf("bad span [%d,%d) after %d in %d runes", m.Start, m.End, prevEnd, len(r))
			}
			if s := string(r[m.Start:m.End]); s != m.Text {
				t.Fatalf("Text %q, input has %q", m.Text, s)
			}
			if !m.Date.Precision.Valid() {
				t.Fatalf("invalid precision %q", m.Date.Precision)
			}
			if y := m.Date.Time.Year(); y < 1 || y > 9999 {
				// ISO forms only exist for four-digit years
			} else if d, err := ParseISO(m.Date.ISO()); err != nil || d != m.Date {
				t.Fatalf("date %v does not round-trip through ISO: %v", m.Date, err)
			}
			prevEnd = m.End
		}
	})
}
