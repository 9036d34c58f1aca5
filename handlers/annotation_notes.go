package handlers

import (
	"strconv"

	"newsgloss/models"
	"newsgloss/richtext"
	"newsgloss/views"
)

// articleNotes sorts an article's visible annotations into the groups the page
// shows and builds the highlights for the text. Readers get highlights only for
// passages whose place is certain; staff also see the approximate ones, marked.
func articleNotes(a *models.Article, list []models.Annotation, viewer *models.User) (views.NotesView, []richtext.Mark) {
	staff := viewer.Has(models.RoleFactChecker)
	text := []rune(a.BodyText)
	replies := map[uint][]*models.Annotation{}
	for i := range list {
		if p := list[i].ParentID; p != nil {
			replies[*p] = append(replies[*p], &list[i])
		}
	}
	nv := views.NotesView{Staff: staff}
	var marks []richtext.Mark
	number := 0
	for i := range list {
		an := &list[i]
		if an.ParentID != nil {
			continue
		}
		nv.Total++
		item := views.NoteView{Annotation: an, Replies: replies[an.ID], CanReply: an.CanReply(viewer)}
		if an.HasPassage && an.AnchorStatus != models.AnchorOrphan && an.AnchorEnd <= len(text) && an.AnchorStart < an.AnchorEnd {
			item.Current = string(text[an.AnchorStart:an.AnchorEnd])
		}
		switch {
		case !an.HasPassage:
			nv.PageNotes = append(nv.PageNotes, item)
		case an.AnchorStatus == models.AnchorOrphan:
			nv.Orphans = append(nv.Orphans, item)
		case an.NeedsConfirmation:
			if staff {
				number++
				item.Number = number
				marks = append(marks, mark(an, number, "hl--unconfirmed"))
			}
			nv.Unconfirmed = append(nv.Unconfirmed, item)
		default:
			number++
			item.Number = number
			class := ""
			if an.Visibility != models.VisibilityPublic {
				class = "hl--" + string(an.Visibility)
			}
			marks = append(marks, mark(an, number, class))
			nv.Passages = append(nv.Passages, item)
		}
	}
	return nv, marks
}

func mark(an *models.Annotation, number int, class string) richtext.Mark {
	id := strconv.FormatUint(uint64(an.ID), 10)
	return richtext.Mark{Start: an.AnchorStart, End: an.AnchorEnd, ID: id, Href: "#note-" + id,
		Label: strconv.Itoa(number), Class: class}
}
