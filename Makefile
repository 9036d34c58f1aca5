# Every build, run, vet and test uses the same tags: SQLite's full-text module
# (FTS5) is compiled in only with sqlite_fts5, and mixing tags would compile
# SQLite's C twice.
export GOFLAGS := -tags=sqlite_fts5

.PHONY: run test build generate fmt lint fuzz

## run: start the app on ./data/newsgloss.db with demonstration content
run:
	go run ./cmd/web

## test: install what the browser tests need (if missing), then vet and test everything
test:
	.ci/install-test-deps
	test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	go vet ./...
	go test -count=1 -timeout 20m ./...

## build: a single binary in ./bin/web
build:
	go build -o bin/web ./cmd/web

## generate: regenerate the templ views (commit the *_templ.go files)
generate:
	go tool templ generate

## fuzz: run each fuzz target for a short while (FUZZTIME=30s by default)
FUZZTIME ?= 30s
fuzz:
	@for target in richtext:FuzzRender richtext:FuzzPlainText richtext:FuzzWordDiff richtext:FuzzHighlight \
		anchoring:FuzzDescribe anchoring:FuzzResolve dates:FuzzResolve \
		suggest:FuzzSentences suggest:FuzzFindEntities suggest:FuzzFindClaims; do \
		pkg=$${target%%:*}; name=$${target##*:}; \
		echo "== $$pkg $$name"; go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done
