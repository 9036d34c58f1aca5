// Package views holds the templ components that render every page. Views only
// present: handlers give them prepared values and they decide nothing.
package views

import (
	"github.com/a-h/templ"
	"strconv"
	"time"

	"newsgloss/models"
	"newsgloss/static"
)

// Page carries what every page's layout needs about the request.
type Page struct {
	Title       string
	Description string
	User        *models.User
	CSRF        string
	Flash       string
	Assets      *static.Assets
	Path        string // the request path, to mark the current navigation item
	SiteName    string
	NoIndex     bool     // staff pages are not for search engines
	Scripts     []string // logical names of scripts the page loads (deferred)
	Refresh     int      // when > 0, the page reloads itself after this many seconds (a running import's progress)
}

// IsStaff reports whether the signed-in person may use the editorial desk.
func (p Page) IsStaff() bool { return p.User.Has(models.RoleEditor) }

// IsAdmin reports whether the signed-in person may manage accounts.
func (p Page) IsAdmin() bool { return p.User.Has(models.RoleAdmin) }

// FullTitle is the document title: the page's, then the site's.
func (p Page) FullTitle() string {
	if p.Title == "" {
		return p.SiteName
	}
	return p.Title + " · " + p.SiteName
}

func ariaCurrent(p Page, path string) string {
	if p.Path == path {
		return "page"
	}
	return "false"
}

// FormatDate writes a date for people: "14 March 2025".
func FormatDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

// FormatDateTime writes a date and time for people, in UTC.
func FormatDateTime(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") }

// MachineTime is the datetime attribute of a <time> element.
func MachineTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// FormatOptionalDate handles articles with no publication date yet.
func FormatOptionalDate(t *time.Time) string {
	if t == nil {
		return "Not yet published"
	}
	return FormatDate(*t)
}

func itoa(n int) string { return strconv.Itoa(n) }

// errorAttrs marks a form field invalid and ties it to its message.
func errorAttrs(id string, errs map[string]string, field string) templ.Attributes {
	if _, ok := errs[field]; ok {
		return templ.Attributes{"aria-invalid": "true", "aria-describedby": id + "-error"}
	}
	return templ.Attributes{}
}

func uitoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

func noteID(id uint) string { return "note-" + uitoa(id) }

func percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

func evidenceTitle(e models.Evidence) string {
	if e.Title != "" {
		return e.Title
	}
	return e.URL
}

// DisplayISO writes an ISO date of any precision for people: "2025",
// "September 2025", "18 September 2025", "18 September 2025, 09:30 UTC".
func DisplayISO(iso string) string {
	for _, f := range []struct{ layout, out string }{
		{"2006-01-02T15:04:05Z07:00", "2 January 2006, 15:04 UTC"},
		{"2006-01-02", "2 January 2006"},
		{"2006-01", "January 2006"},
		{"2006", "2006"},
	} {
		if t, err := time.Parse(f.layout, iso); err == nil {
			return t.UTC().Format(f.out)
		}
	}
	return iso
}

// historyText describes an audit entry of a claim or event.
func historyText(e models.AuditEntry) string {
	who := authorName(e.Actor)
	switch e.Action {
	case "claim.create", "event.create":
		return "recorded by " + who
	case "claim.stance":
		return "stance changed from " + e.BeforeValue + " to " + e.AfterValue + " by " + who
	case "event.status":
		return "status changed from " + e.BeforeValue + " to " + e.AfterValue + " by " + who
	}
	return e.Action + " by " + who
}
