# Every build, run, vet and test uses the same tags: SQLite's full-text module
# (FTS5) is compiled in only with sqlite_fts5, and mixing tags would compile
# SQLite's C twice.
export GOFLAGS := -tags=sqlite_fts5

.PHONY: run test build generate fmt lint fuzz bench-load fuzz-ci

## run: start the app on ./data/newsgloss.db with demonstration content
run:
	go run ./cmd/web

## test: install what the tests need (if missing: Chromium, PostgreSQL), vet, run every test on
## SQLite and again on PostgreSQL, then fuzz briefly
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
test:
	.ci/install-test-deps
	.ci/start-postgres
	test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	go vet ./...
	@echo "== every test on SQLite"
	NEWSGLOSS_TEST_DATABASE_URL= go test -count=1 -timeout 20m ./...
	@echo "== every test on PostgreSQL ($(TEST_POSTGRES_URL), a schema per test)"
	NEWSGLOSS_TEST_DATABASE_URL='$(TEST_POSTGRES_URL)' go test -count=1 -timeout 20m ./...
	$(MAKE) --no-print-directory fuzz-ci

## build: a single binary in ./bin/web
build:
	go build -o bin/web ./cmd/web

## generate: regenerate the templ views (commit the *_templ.go files)
generate:
	go tool templ generate

## fuzz: run every fuzz target for a while (FUZZTIME=30s by default). The
## targets are found by name in the *_test.go files, so a new one runs without
## being listed here; its checked-in seeds are in its package's testdata/fuzz/.
FUZZTIME ?= 30s
fuzz:
	@failed=""; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
		dir=$$(dirname $$file); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			echo "== $$dir $$name"; \
			go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$dir || failed="$$failed $$dir:$$name"; \
		done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz targets that failed:$$failed"; exit 1; fi

## fuzz-ci: every fuzz target for 2 s (make test runs it after the tests)
fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=2s

## bench-load: load-test every public page against bare Echo (see BENCHMARKS.md); the first run
## generates a 100,000-article corpus in data/loadtest (minutes), later runs reuse it.
## Options go in BENCH_FLAGS, e.g. make bench-load BENCH_FLAGS="-runs 5 -duration 20s -c 16"
BENCH_FLAGS ?=
bench-load:
	go run ./cmd/loadtest $(BENCH_FLAGS)
