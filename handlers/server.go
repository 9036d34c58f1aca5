// Package handlers is Newsgloss's HTTP layer: each handler parses the request,
// calls the models layer and renders a view. Routes are registered in one place
// (routes.go) with the patterns the views link to.
package handlers

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"newsgloss/models"
	"newsgloss/static"
	"newsgloss/views"
)

// Config holds the HTTP settings that come from flags and the environment.
type Config struct {
	SiteName string
	// SecureCookies marks cookies Secure and sends HSTS: set it when the site is
	// served over HTTPS (directly or behind a proxy that terminates TLS).
	SecureCookies bool
	// TrustProxy reads the client address from X-Forwarded-For. Only set it when
	// a reverse proxy you control sets that header; otherwise anyone could forge it.
	TrustProxy bool
	// SignInRate and SignInBurst limit sign-in attempts per client address.
	SignInRate  rate.Limit
	SignInBurst int
	// RequestTimeout bounds the work of one request.
	RequestTimeout time.Duration
	// ImportAllowPrivate lets the importer fetch from loopback, private and
	// link-local addresses whatever the admin setting says (tests, intranets).
	ImportAllowPrivate bool
	// Background runs bulk imports beyond their request; serve waits for it
	// on shutdown. Nil uses a process-wide one.
	Background *Background
	// BuildID names the program's build. Instances with the same BuildID on
	// the same PostgreSQL database give public pages the same ETags, so a
	// reader's conditional GET gets its 304 from whichever instance answers.
	// Empty: a random one per process.
	BuildID string
}

// Server holds the dependencies every handler needs.
type Server struct {
	store  *models.Store
	assets *static.Assets
	log    *slog.Logger
	cfg    Config
	cache  *pageCache // validators of public pages, highlighted bodies (cache.go)
}

// New builds the Echo instance with its middleware and routes.
func New(store *models.Store, assets *static.Assets, log *slog.Logger, cfg Config) *echo.Echo {
	if cfg.SiteName == "" {
		cfg.SiteName = "Newsgloss"
	}
	if cfg.SignInRate == 0 {
		cfg.SignInRate = rate.Every(6 * time.Second)
	}
	if cfg.SignInBurst == 0 {
		cfg.SignInBurst = 10
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	s := &Server{store: store, assets: assets, log: log, cfg: cfg, cache: newPageCache(cfg.BuildID)}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	// Without a proxy the client's address is the connection's: a forged
	// X-Forwarded-For must not let anyone slip past the sign-in limit.
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}

	e.Pre(s.securityHeaders) // before the trailing-slash redirect, so that it has them too
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
		RedirectCode: http.StatusMovedPermanently,
		// Annotation containers are IRIs that end in a slash (W3C Web Annotation Protocol).
		Skipper: func(c echo.Context) bool { return strings.HasSuffix(c.Request().URL.Path, "/annotations/") },
	}))
	e.Use(middleware.RequestID())
	e.Use(s.requestLogger())
	e.Use(middleware.Recover())
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "1M", Skipper: isImportUpload}))
	e.Use(s.importUploadLimit) // the bulk-import upload's own, larger limit (import_bulk.go)
	e.Use(s.readBodyFirst)
	e.Use(middleware.ContextTimeout(cfg.RequestTimeout))
	e.Use(s.publicCache) // anonymous readers' pages: 304s and this epoch's pages, already gzipped (cache.go)
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     1, // level 1 costs a fraction of the default's CPU for most of its gain
		MinLength: 1024,
		Skipper: func(c echo.Context) bool {
			// Static assets are compressed once at start, and public pages
			// once per epoch for the page cache (cache.go); don't do it twice.
			return len(c.Path()) >= len(static.Prefix) && c.Path()[:len(static.Prefix)] == static.Prefix || s.publicPage(c)
		},
	}))
	e.Use(s.crossOriginCheck())
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		// A request that carries an API token is authenticated by it alone (the
		// session cookie is ignored), so a forged cross-site request gains nothing.
		Skipper: func(c echo.Context) bool {
			_, ok := bearerToken(c)
			return ok
		},
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     "ng_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   cfg.SecureCookies,
		CookieSameSite: http.SameSiteStrictMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return &models.Error{Code: models.EForbidden, Message: crossSiteRefusal}
		},
	}))
	e.Use(s.loadUser)

	s.routes(e)
	return e
}

func (s *Server) routes(e *echo.Echo) {
	e.GET(views.RouteHealth, s.health)
	e.GET(static.Prefix+"*", s.serveStatic)

	// Public reading pages.
	e.GET(views.RouteHome, s.home)
	e.GET(views.RouteArticle, s.articleShow)
	e.GET(views.RouteArticleHistory, s.articleHistory)
	e.GET(views.RouteArticleDiff, s.articleDiff)
	e.GET(views.RouteArticleRevision, s.articleRevision)
	e.GET(views.RouteOutlet, s.outletShow)
	e.GET(views.RouteSearch, s.search)

	// Accounts.
	e.GET(views.RouteSignIn, s.signInForm)
	e.POST(views.RouteSignIn, s.signIn, s.signInLimiter())
	e.POST(views.RouteSignOut, s.signOut)

	// The editorial desk. The role check is attached route by route: an Echo
	// group with middleware would also catch every unknown URL under its prefix.
	editor := s.requireRole(models.RoleEditor)
	e.GET(views.RouteDesk, s.deskList, editor)
	e.GET(views.RouteArticleNew, s.articleNew, editor)
	e.POST(views.RouteArticleCreate, s.articleCreate, editor)
	e.GET(views.RouteArticleEdit, s.articleEdit, editor)
	e.POST(views.RouteArticleUpdate, s.articleUpdate, editor)
	e.POST(views.RouteArticleDelete, s.articleDelete, editor)

	// Administration.
	admin := s.requireRole(models.RoleAdmin)
	e.GET(views.RouteAdminUsers, s.adminUsers, admin)
	e.GET(views.RouteAdminUserNew, s.adminUserNew, admin)
	e.POST(views.RouteAdminUserCreate, s.adminUserCreate, admin)
	e.POST(views.RouteAdminUserRole, s.adminUserRole, admin)
	e.POST(views.RouteAdminUserStatus, s.adminUserStatus, admin)
	e.GET(views.RouteAdminDeleted, s.adminDeletedArticles, admin)
	e.POST(views.RouteAdminRestore, s.adminRestoreArticle, admin)
	e.GET(views.RouteAdminAudit, s.adminAudit, admin)

	// Annotations: pages and forms (annotation_pages.go).
	staff := s.requireRole(models.RoleFactChecker)
	signedIn := s.requireRole(models.RoleReader)
	e.GET(views.RouteNoteNew, s.noteNew, staff)
	e.POST(views.RouteNoteCreate, s.noteCreate, staff)
	e.GET(views.RouteAnnotation, s.annotationShow) // HTML page, or JSON-LD by content negotiation
	e.GET(views.RouteAnnotationEdit, s.annotationEditForm, signedIn)
	e.POST(views.RouteAnnotationEdit, s.annotationUpdate, signedIn)
	e.POST(views.RouteAnnotationDelete, s.annotationDelete, signedIn)
	e.POST(views.RouteAnnotationReply, s.annotationReply, signedIn)
	e.POST(views.RouteAnnotationFlag, s.annotationFlag, signedIn)
	e.POST(views.RouteAnnotationConfirm, s.annotationConfirm, staff)
	e.POST(views.RouteAnnotationRestore, s.annotationRestore, signedIn)
	e.POST(views.RouteAnnotationReplace, s.annotationReplace, staff)
	e.GET(views.RouteModeration, s.moderationQueue, editor)
	e.POST(views.RouteAnnotationModerate, s.annotationModerate, editor)
	e.POST(views.RouteAnnotationDismiss, s.annotationDismissFlags, editor)
	e.GET(views.RouteUser, s.userShow)
	e.GET(views.RouteTokens, s.tokensPage, staff)
	e.POST(views.RouteTokens, s.tokenCreate, staff)
	e.POST(views.RouteTokenRevoke, s.tokenRevoke, staff)

	// The W3C Web Annotation Protocol and exports (annotation_api.go).
	e.GET(views.RouteAnnotationContainer, s.apiContainerGet)
	e.HEAD(views.RouteAnnotationContainer, s.apiContainerGet)
	e.OPTIONS(views.RouteAnnotationContainer, s.apiOptions)
	e.POST(views.RouteAnnotationContainer, s.apiCreate)
	e.HEAD(views.RouteAnnotation, s.apiAnnotationGet)
	e.OPTIONS(views.RouteAnnotation, s.apiOptions)
	e.PUT(views.RouteAnnotation, s.apiUpdate)
	e.DELETE(views.RouteAnnotation, s.apiDelete)
	e.GET(views.RouteArticleExportJSONLD, s.exportArticleJSONLD)
	e.GET(views.RouteArticleExportCSV, s.exportArticleCSV)
	e.GET(views.RouteUserExportJSONLD, s.exportUserJSONLD)
	e.GET(views.RouteUserExportCSV, s.exportUserCSV)

	// Tagging claims and events (tag_*.go) and their pages (claim_show.go).
	e.GET(views.RouteArticleTag, s.tagPage, editor)
	e.POST(views.RouteArticleTag, s.tagCreate, editor)
	e.POST(views.RouteSuggestionDismiss, s.suggestionDismiss, editor)
	e.GET(views.RouteClaim, s.claimShow)
	e.POST(views.RouteClaimStance, s.claimStance, editor)
	e.GET(views.RouteEvent, s.eventShow)
	e.POST(views.RouteEventStatus, s.eventStatus, editor)
	e.GET(views.RouteTimelineNew, s.timelineNew, editor)
	e.POST(views.RouteTimelineCreate, s.timelineCreate, editor)
	e.POST(views.RouteTimelineEntries, s.timelineAddEntry, editor)
	e.POST(views.RouteEntityAliases, s.entityAddAlias, editor)
	e.POST(views.RouteEntityRoles, s.entityAddRole, editor)

	// Fact-checks: public pages, the desk's reviewed workflow, the rating scale (factcheck.go, verdict_desk.go, rating_admin.go).
	e.GET(views.RouteFactChecks, s.factCheckList)
	e.GET(views.RouteFactCheckFeed, s.factCheckFeed)
	e.GET(views.RouteFactCheck, s.factCheckShow)
	e.GET(views.RouteVerdictDesk, s.verdictDesk, staff)
	e.GET(views.RouteVerdictNew, s.verdictNew, staff)
	e.POST(views.RouteVerdictCreate, s.verdictCreate, staff)
	e.GET(views.RouteVerdict, s.verdictShow, staff)
	e.POST(views.RouteVerdict, s.verdictUpdate, staff)
	e.POST(views.RouteVerdictStep, s.verdictStep, staff)
	e.POST(views.RouteClaimAssign, s.claimAssign, staff)
	e.GET(views.RouteAdminRatings, s.adminRatings, admin)
	e.POST(views.RouteAdminRatings, s.adminRatingCreate, admin)
	e.POST(views.RouteAdminRating, s.adminRatingUpdate, admin)
	e.POST(views.RouteAdminRatingState, s.adminRatingRetire, admin)
	e.POST(views.RouteAdminRatingDel, s.adminRatingDelete, admin)
	e.POST(views.RouteAdminRatingBack, s.adminRatingRestore, admin)
	e.GET(views.RouteAdminSettings, s.adminSettings, admin)
	e.POST(views.RouteAdminSettings, s.adminSettingsSave, admin)

	// Timelines, entity, tag and place pages, feeds, TimelineJS and the JSON API (timeline_*.go, api_*.go).
	e.GET(views.RouteTimelines, s.timelineList)
	e.GET(views.RouteTimeline, s.timelineShow)
	e.GET(views.RouteTimelineFeed, s.timelineFeed)
	e.GET(views.RouteTimelineJS, s.timelineJS)
	e.GET(views.RouteEntity, s.entityShow)
	e.GET(views.RouteEntityFeed, s.entityFeed)
	e.GET(views.RouteEntityJS, s.entityJS)
	e.GET(views.RouteTag, s.tagShow)
	e.GET(views.RouteTagFeed, s.tagFeed)
	e.GET(views.RouteTagJS, s.tagJS)
	e.GET(views.RoutePlace, s.placeShow)
	e.GET(views.RoutePlaceFeed, s.placeFeed)
	e.GET(views.RoutePlaceJS, s.placeJS)
	e.GET(views.RouteAPIClaims, s.apiClaims)
	e.GET(views.RouteAPIClaim, s.apiClaim)
	e.GET(views.RouteAPIEvents, s.apiEvents)
	e.GET(views.RouteAPIEvent, s.apiEvent)
	e.GET(views.RouteAPIEntities, s.apiEntities)
	e.GET(views.RouteAPIEntity, s.apiEntity)
	e.GET(views.RouteAPITimelines, s.apiTimelines)
	e.GET(views.RouteAPITimeline, s.apiTimeline)

	// Importing articles: by address, from feeds, in bulk (import_*.go).
	e.GET(views.RouteImport, s.importPage, editor)
	e.POST(views.RouteImport, s.importFetch, editor)
	e.GET(views.RouteImportCandidates, s.importCandidates, editor)
	e.POST(views.RouteImportCandidate, s.importCandidate, editor)
	e.POST(views.RouteImportDismiss, s.importDismiss, editor)
	e.POST(views.RouteImportRestore, s.importRestore, editor)
	e.POST(views.RouteImportRefresh, s.importRefresh, editor)
	e.GET(views.RouteAdminFeeds, s.adminFeeds, admin)
	e.POST(views.RouteAdminFeeds, s.adminFeedCreate, admin)
	e.POST(views.RouteAdminFeedDelete, s.adminFeedDelete, admin)
	e.GET(views.RouteAdminImport, s.adminImport, admin)
	e.POST(views.RouteAdminImport, s.adminImportUpload, admin)
	e.GET(views.RouteAdminImportJob, s.adminImportJob, admin)
	e.POST(views.RouteAdminImportSettings, s.adminImportSettings, admin)
}
