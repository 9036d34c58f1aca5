package views

import (
	"fmt"
	"net/url"
	"strconv"

	"newsgloss/models"
)

// Route patterns. The handlers register these same constants and the pages
// build links with the functions below, so a URL is spelt in one place only.
const (
	RouteHome            = "/"
	RouteHealth          = "/healthz"
	RouteSignIn          = "/signin"
	RouteSignOut         = "/signout"
	RouteArticle         = "/articles/:id"
	RouteArticleHistory  = "/articles/:id/history"
	RouteArticleDiff     = "/articles/:id/diff"
	RouteArticleRevision = "/articles/:id/revisions/:number"
	RouteOutlet          = "/outlets/:slug"
	RouteSearch          = "/search"
	RouteDesk            = "/desk/articles"
	RouteArticleNew      = "/desk/articles/new"
	RouteArticleCreate   = "/desk/articles"
	RouteArticleEdit     = "/desk/articles/:id/edit"
	RouteArticleUpdate   = "/desk/articles/:id"
	RouteArticleDelete   = "/desk/articles/:id/delete"
	RouteAdminUsers      = "/admin/users"
	RouteAdminUserNew    = "/admin/users/new"
	RouteAdminUserCreate = "/admin/users"
	RouteAdminUserRole   = "/admin/users/:id/role"
	RouteAdminUserStatus = "/admin/users/:id/status"
	RouteAdminDeleted    = "/admin/articles/deleted"
	RouteAdminRestore    = "/admin/articles/:id/restore"
	RouteAdminAudit      = "/admin/audit"

	// Annotations: pages and forms.
	RouteNoteNew            = "/articles/:id/notes/new"
	RouteNoteCreate         = "/articles/:id/notes"
	RouteAnnotation         = "/annotations/:id"
	RouteAnnotationEdit     = "/annotations/:id/edit"
	RouteAnnotationDelete   = "/annotations/:id/delete"
	RouteAnnotationReply    = "/annotations/:id/replies"
	RouteAnnotationFlag     = "/annotations/:id/flags"
	RouteAnnotationDismiss  = "/annotations/:id/flags/dismiss"
	RouteAnnotationModerate = "/annotations/:id/moderation"
	RouteAnnotationConfirm  = "/annotations/:id/confirm"
	RouteAnnotationRestore  = "/annotations/:id/restore"
	RouteAnnotationReplace  = "/annotations/:id/replace"
	RouteModeration         = "/desk/moderation"
	RouteTokens             = "/settings/tokens"
	RouteTokenRevoke        = "/settings/tokens/:id/revoke"
	RouteUser               = "/users/:id"

	// Fact-checks: public pages, the desk's workflow and the rating scale.
	RouteFactChecks       = "/factchecks"
	RouteFactCheckFeed    = "/factchecks/feed.atom"
	RouteFactCheck        = "/factchecks/:id"
	RouteVerdictDesk      = "/desk/factchecks"
	RouteVerdictNew       = "/desk/factchecks/new"
	RouteVerdictCreate    = "/desk/factchecks"
	RouteVerdict          = "/desk/factchecks/:id"
	RouteVerdictStep      = "/desk/factchecks/:id/steps"
	RouteClaimAssign      = "/claims/:id/assign"
	RouteAdminRatings     = "/admin/rating-scale"
	RouteAdminRating      = "/admin/rating-scale/:id"
	RouteAdminRatingState = "/admin/rating-scale/:id/retired"
	RouteAdminRatingDel   = "/admin/rating-scale/:id/delete"
	RouteAdminRatingBack  = "/admin/rating-scale/:id/restore"
	RouteAdminSettings    = "/admin/settings"

	// Claims, events, entities and timelines.
	RouteArticleTag        = "/articles/:id/tag"
	RouteSuggestionDismiss = "/articles/:id/suggestions/dismiss"
	RouteClaim             = "/claims/:id"
	RouteClaimStance       = "/claims/:id/stance"
	RouteEvent             = "/events/:id"
	RouteEventStatus       = "/events/:id/status"
	RouteTimelines         = "/timelines"
	RouteTimelineNew       = "/desk/timelines/new"
	RouteTimelineCreate    = "/desk/timelines"
	RouteTimeline          = "/timelines/:slug"
	RouteTimelineEntries   = "/desk/timelines/entries"
	RouteTimelineFeed      = "/timelines/:slug/feed.atom"
	RouteTimelineJS        = "/timelines/:slug/timeline.json"
	RouteEntity            = "/entities/:slug"
	RouteEntityFeed        = "/entities/:slug/feed.atom"
	RouteEntityAliases     = "/entities/:slug/aliases"
	RouteEntityRoles       = "/entities/:slug/roles"
	RouteEntityJS          = "/entities/:slug/timeline.json"
	RouteTag               = "/tags/:slug"
	RouteTagFeed           = "/tags/:slug/feed.atom"
	RouteTagJS             = "/tags/:slug/timeline.json"
	RoutePlace             = "/places/:slug"
	RoutePlaceFeed         = "/places/:slug/feed.atom"
	RoutePlaceJS           = "/places/:slug/timeline.json"
	RouteAPIClaims         = "/api/claims"
	RouteAPIClaim          = "/api/claims/:id"
	RouteAPIEvents         = "/api/events"
	RouteAPIEvent          = "/api/events/:id"
	RouteAPIEntities       = "/api/entities"
	RouteAPIEntity         = "/api/entities/:slug"
	RouteAPITimelines      = "/api/timelines"
	RouteAPITimeline       = "/api/timelines/:slug"

	// Annotations: the W3C Web Annotation Protocol and exports.
	RouteAnnotationContainer = "/articles/:id/annotations/"
	RouteArticleExportJSONLD = "/articles/:id/annotations.jsonld"
	RouteArticleExportCSV    = "/articles/:id/annotations.csv"
	RouteUserExportJSONLD    = "/users/:id/annotations.jsonld"
	RouteUserExportCSV       = "/users/:id/annotations.csv"
)

func withID(pattern string, id uint) string {
	return replaceParam(pattern, ":id", strconv.FormatUint(uint64(id), 10))
}

func replaceParam(pattern, param, value string) string {
	for i := 0; i+len(param) <= len(pattern); i++ {
		if pattern[i:i+len(param)] == param {
			return pattern[:i] + url.PathEscape(value) + pattern[i+len(param):]
		}
	}
	return pattern
}

// ArticleURL is an article's public page.
func ArticleURL(id uint) string { return withID(RouteArticle, id) }

// ArticleHistoryURL lists an article's revisions.
func ArticleHistoryURL(id uint) string { return withID(RouteArticleHistory, id) }

// ArticleDiffURL compares two revisions of an article.
func ArticleDiffURL(id uint, from, to int) string {
	return withID(RouteArticleDiff, id) + fmt.Sprintf("?from=%d&to=%d", from, to)
}

// ArticleRevisionURL shows one revision as it was.
func ArticleRevisionURL(id uint, number int) string {
	return replaceParam(withID(RouteArticleRevision, id), ":number", strconv.Itoa(number))
}

// OutletURL is an outlet's public page.
func OutletURL(slug string) string { return replaceParam(RouteOutlet, ":slug", slug) }

// ArticleEditURL is the edit form of an article.
func ArticleEditURL(id uint) string { return withID(RouteArticleEdit, id) }

// ArticleUpdateURL receives the edit form.
func ArticleUpdateURL(id uint) string { return withID(RouteArticleUpdate, id) }

// ArticleDeleteURL soft-deletes an article.
func ArticleDeleteURL(id uint) string { return withID(RouteArticleDelete, id) }

// AdminUserRoleURL changes an account's role.
func AdminUserRoleURL(id uint) string { return withID(RouteAdminUserRole, id) }

// AdminUserStatusURL disables or enables an account.
func AdminUserStatusURL(id uint) string { return withID(RouteAdminUserStatus, id) }

// AdminRestoreURL restores a deleted article.
func AdminRestoreURL(id uint) string { return withID(RouteAdminRestore, id) }

// AnnotationURL is an annotation's permanent page (and its IRI in the API).
func AnnotationURL(id uint) string { return withID(RouteAnnotation, id) }

// AnnotationEditURL edits an annotation.
func AnnotationEditURL(id uint) string { return withID(RouteAnnotationEdit, id) }

// AnnotationActionURL builds one of the annotation routes for an id.
func AnnotationActionURL(pattern string, id uint) string { return withID(pattern, id) }

// NoteNewURL is the form to annotate an article.
func NoteNewURL(articleID uint) string { return withID(RouteNoteNew, articleID) }

// NoteCreateURL receives the annotation form.
func NoteCreateURL(articleID uint) string { return withID(RouteNoteCreate, articleID) }

// AnnotationContainerURL is an article's annotation container in the protocol.
func AnnotationContainerURL(articleID uint) string {
	return withID(RouteAnnotationContainer, articleID)
}

// ArticleExportURL exports an article's annotations ("jsonld" or "csv").
func ArticleExportURL(articleID uint, format string) string {
	if format == "csv" {
		return withID(RouteArticleExportCSV, articleID)
	}
	return withID(RouteArticleExportJSONLD, articleID)
}

// UserExportURL exports a user's annotations ("jsonld" or "csv").
func UserExportURL(userID uint, format string) string {
	if format == "csv" {
		return withID(RouteUserExportCSV, userID)
	}
	return withID(RouteUserExportJSONLD, userID)
}

// UserURL is a person's public page (their notes); also their IRI in JSON-LD.
func UserURL(id uint) string { return withID(RouteUser, id) }

// ArticleTagURL is the page to tag claims and events in an article.
func ArticleTagURL(id uint) string { return withID(RouteArticleTag, id) }

// ClaimURL is a claim's public page.
func ClaimURL(id uint) string { return withID(RouteClaim, id) }

// EventURL is an event's public page.
func EventURL(id uint) string { return withID(RouteEvent, id) }

// SlugURL fills the :slug of a route pattern.
func SlugURL(pattern, slug string) string { return replaceParam(pattern, ":slug", slug) }

// TokenRevokeURL revokes an API token.
func TokenRevokeURL(id uint) string { return withID(RouteTokenRevoke, id) }

// PageURL adds a page number to a listing's path (page 1 is the bare path).
func PageURL(path string, page int) string {
	if page <= 1 {
		return path
	}
	return path + "?page=" + strconv.Itoa(page)
}

// SignInURL is the sign-in page, returning to next afterwards.
func SignInURL(next string) string {
	if next == "" || next == RouteHome {
		return RouteSignIn
	}
	return RouteSignIn + "?next=" + url.QueryEscape(next)
}

// Importing articles: by address, from feeds, and in bulk.
const (
	RouteImport              = "/desk/import"
	RouteImportCandidates    = "/desk/import/candidates"
	RouteImportCandidate     = "/desk/import/candidates/:id/import"
	RouteImportDismiss       = "/desk/import/candidates/:id/dismiss"
	RouteImportRestore       = "/desk/import/candidates/:id/restore"
	RouteImportRefresh       = "/desk/import/refresh"
	RouteAdminFeeds          = "/admin/feeds"
	RouteAdminFeedDelete     = "/admin/feeds/:id/delete"
	RouteAdminImport         = "/admin/import"
	RouteAdminImportJob      = "/admin/import/jobs/:id"
	RouteAdminImportSettings = "/admin/import/settings"
)

// ImportCandidatesURL lists feed items in a state ("" for the new ones).
func ImportCandidatesURL(state string) string {
	if state == "" || state == "new" {
		return RouteImportCandidates
	}
	return RouteImportCandidates + "?state=" + url.QueryEscape(state)
}

// ImportCandidateURL fetches a feed item for review.
func ImportCandidateURL(id uint) string { return withID(RouteImportCandidate, id) }

// ImportDismissURL dismisses a feed item.
func ImportDismissURL(id uint) string { return withID(RouteImportDismiss, id) }

// ImportRestoreURL puts a dismissed feed item back among the new ones.
func ImportRestoreURL(id uint) string { return withID(RouteImportRestore, id) }

// AdminFeedDeleteURL removes a feed.
func AdminFeedDeleteURL(id uint) string { return withID(RouteAdminFeedDelete, id) }

// AdminImportJobURL shows a bulk import's progress and report.
func AdminImportJobURL(id uint) string { return withID(RouteAdminImportJob, id) }

// FactCheckURL is a published fact-check's public page.
func FactCheckURL(id uint) string { return withID(RouteFactCheck, id) }

// VerdictURL is a verdict's page on the fact-check desk.
func VerdictURL(id uint) string { return withID(RouteVerdict, id) }

// VerdictNewURL is the form for a new verdict on a claim.
func VerdictNewURL(claimID uint) string {
	return RouteVerdictNew + "?claim=" + strconv.FormatUint(uint64(claimID), 10)
}

// SearchURL is the results page of a search, on the given page, with its
// filters; empty values are left out so the address stays short.
func SearchURL(in models.SearchInput, page int) string {
	q := url.Values{}
	for _, kv := range [][2]string{{"q", in.Query}, {"type", in.Type}, {"outlet", in.Outlet}, {"tag", in.Tag},
		{"entity", in.Entity}, {"verdict", in.Verdict}, {"from", in.From}, {"to", in.To}} {
		if kv[1] != "" {
			q.Set(kv[0], kv[1])
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return RouteSearch
	}
	return RouteSearch + "?" + q.Encode()
}
