package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"newsgloss/handlers"
	"newsgloss/models"
)

func TestDeletedNotesAreRestoredFromTheModerationPage(t *testing.T) {
	site := newTestSite(t, handlers.Config{})
	author := site.client()
	author.signIn(models.RoleFactChecker)
	author.get("/annotations/1/edit")
	wantStatus(t, author.post("/annotations/1/delete", nil), http.StatusSeeOther)
	wantStatus(t, site.client().get("/annotations/1"), http.StatusGone)

	reader := site.client()
	reader.signIn(models.RoleReader)
	wantStatus(t, reader.post("/annotations/1/restore", nil), http.StatusForbidden)

	editor := site.client()
	editor.signIn(models.RoleEditor)
	page := editor.get("/desk/moderation")
	if !strings.Contains(page.text(`[data-testid="deleted-notes"]`), "Faisal Checker") {
		t.Fatalf("the deleted note is not listed:\n%s", page.text("main"))
	}
	wantStatus(t, editor.post("/annotations/1/restore", nil), http.StatusSeeOther)
	wantStatus(t, site.client().get("/annotations/1"), http.StatusOK)
	if editor.get("/desk/moderation").doc.Find(`[data-testid="deleted-notes"]`).Length() != 0 {
		t.Error("the restored note is still listed as deleted")
	}
	admin := site.client()
	admin.signIn(models.RoleAdmin)
	if audit := admin.get("/admin/audit").text("main"); !strings.Contains(audit, "annotation.restore") {
		t.Error("the restore is not in the audit log")
	}
}
