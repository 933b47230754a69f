# chancrawl: run the three Go crawler designs in TypeScript, diff them, test them.
# `make demo` is the main job; `make test` runs every test. Both install what they need.

SHELL := /bin/bash
FIXTURE ?= fixtures/golang-org.json
DEPTH ?=
VARIANT ?= channel
CHANCRAWL := node dist/lib/cli/main.js
depth_flag = $(if $(DEPTH),--depth $(DEPTH))
VITEST_FLAGS ?=

.PHONY: demo serial mutex channel diff diff-all test check typecheck lint format format-check build clean help

help:
	@echo "make demo        the three designs on the Go tour's golang.org graph, then their outputs diffed"
	@echo "make serial|mutex|channel [FIXTURE=f.json] [DEPTH=n]   one design on one graph"
	@echo "make diff [FIXTURE=f.json] [DEPTH=n]   each design against an independent reference"
	@echo "make diff-all    make diff on every fixture in fixtures/ and on generated graphs"
	@echo "make test        every test;  make check   typecheck, lint, format-check and test;  make format   Prettier over the tree"
	@echo "make go-diff [FIXTURE=f.json] [DEPTH=n] [CONCURRENCY=k]   the TS designs against their Go twins (go-diff-all: every graph)"
	@echo "make go-vet | go-race    the Go twins vetted, and run under the race detector"
	@echo "make side-by-side VARIANT=serial|mutex|channel   a design and its Go twin in two columns;  make docs   docs/side-by-side.html"
	@echo "make timeline    docs/timeline.html: the three designs' fetches on one time scale;  make graph   docs/graph.svg"
	@echo "make screenshots docs/timeline.png from docs/timeline.html, through headless Chromium, and docs/site-graph.png (make site-graph: the Python docs' link graph)"
	@echo "make demos       the lecture's lessons, one runnable demo each: demo-race demo-atomic demo-twice demo-termination demo-deadlock demo-rpc demo-redis"
	@echo "make serve [FIXTURE=f.json] [PORT=p]   a fixture as a site on 127.0.0.1;  make serve-diff [FIXTURE=f.json] [DEPTH=n]   crawled over HTTP = crawled directly (serve-diff-all: every fixture)"

# npm dependencies, installed once per change of the lock file. The stamp is the file npm ci
# itself writes last (its hidden lock file), so a `npm ci` run by hand counts too; a stamp of our
# own inside node_modules would be deleted by it, and `npm ci && make build` would install twice.
INSTALLED := node_modules/.package-lock.json
$(INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/.build-stamp: $(INSTALLED) tsconfig.json $(shell find lib tools demos bench -name '*.ts' 2>/dev/null)
	npx tsc -p tsconfig.json
	@chmod +x dist/lib/cli/main.js
	@touch $@

build: dist/.build-stamp

# Each design's lines; with Go installed, beside the Go twin's (the lecture's crawler.go headers).
demo: build
	@mkdir -p out/demo
	@if command -v $(GO) >/dev/null 2>&1; then $(MAKE) -s $(CHANCRAWL_GO); fi
	@for d in "serial Serial" "mutex ConcurrentMutex" "channel ConcurrentChannel"; do set -- $$d; \
	  $(CHANCRAWL) --variant $$1 --fixture $(FIXTURE) $(depth_flag) > out/demo/$$1.ts.txt || exit 1; \
	  if [ -x $(CHANCRAWL_GO) ] && command -v $(GO) >/dev/null 2>&1; then \
	    $(CHANCRAWL_GO) --variant $$1 --fixture $(FIXTURE) $(depth_flag) > out/demo/$$1.go.txt || exit 1; \
	    printf '=== %-50s %s\n' "$$2 (TypeScript) ===" "=== $$2 (Go) ==="; paste out/demo/$$1.ts.txt out/demo/$$1.go.txt | awk -F'\t' '{ printf "    %-50s %s\n", $$1, $$2 }'; \
	  else echo "=== $$2 ==="; cat out/demo/$$1.ts.txt; fi; done
	@echo
	@$(MAKE) -s diff FIXTURE=$(FIXTURE) DEPTH=$(DEPTH)
	@if command -v $(GO) >/dev/null 2>&1; then $(MAKE) -s go-diff FIXTURE=$(FIXTURE) DEPTH=$(DEPTH); \
	  else echo "Go is not installed, so the Go twins were not run (apt-get install -y golang-go, then make demo again)"; fi
	@echo "Read each design beside its Go twin: make side-by-side VARIANT=serial|mutex|channel, or docs/side-by-side.html"

serial mutex channel: build
	@$(CHANCRAWL) --variant $@ --fixture $(FIXTURE) $(depth_flag)

# Serial must equal the reference in order; the concurrent designs equal it as sorted sets.
# OUT: where the outputs go; REFERENCE_FLAGS: extra flags for the reference (the tests use it).
OUT ?= out/diff
REFERENCE_FLAGS ?=
diff: build
	@mkdir -p $(OUT)
	@$(CHANCRAWL) reference --fixture $(FIXTURE) $(depth_flag) $(REFERENCE_FLAGS) > $(OUT)/reference.txt
	@for v in serial mutex channel; do $(CHANCRAWL) --variant $$v --fixture $(FIXTURE) $(depth_flag) > $(OUT)/$$v.txt || exit 1; done
	@diff -u --label reference $(OUT)/reference.txt --label serial $(OUT)/serial.txt
	@LC_ALL=C sort $(OUT)/reference.txt > $(OUT)/reference.sorted
	@for v in mutex channel; do LC_ALL=C sort $(OUT)/$$v.txt | diff -u --label reference-sorted $(OUT)/reference.sorted --label $$v-sorted - || exit 1; done
	@echo "diff ok: $(FIXTURE)$(if $(DEPTH), --depth $(DEPTH)): serial = reference in order; mutex, channel = reference as sets ($$(wc -l < $(OUT)/reference.txt) fetches)"

diff-all: build
	@mkdir -p out/gen
	@for f in fixtures/*.json; do for d in "" 0 1 2 3; do $(MAKE) -s diff FIXTURE=$$f DEPTH=$$d || exit 1; done; done
	@for s in 1 2 3; do $(CHANCRAWL) gen --pages 2000 --degree 4 --seed $$s --out out/gen/seed$$s.json && \
	  for d in "" 2 4; do $(MAKE) -s diff FIXTURE=out/gen/seed$$s.json DEPTH=$$d || exit 1; done; done

test: build
	@command -v redis-server >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq redis-server >/dev/null; } || { echo "make test needs redis-server (spec/redis.spec.ts starts its own): apt-get install -y redis-server" >&2; exit 1; }
	@command -v tmux >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq tmux >/dev/null; } || { echo "make test needs tmux (spec/terminal.spec.ts runs the CLI on a real terminal): apt-get install -y tmux" >&2; exit 1; }
	npx vitest run --config spec/vitest.config.ts $(VITEST_FLAGS)

typecheck: $(INSTALLED)
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p spec/tsconfig.json --noEmit

lint: $(INSTALLED)
	npx eslint .

check: typecheck lint format-check test

# Prettier, configured in .prettierrc.json (what it leaves alone: .prettierignore).
format: $(INSTALLED)
	npx prettier --write .

format-check: $(INSTALLED)
	@npx prettier --check . > /dev/null || { npx prettier --list-different .; echo "make format-check: these files are not as Prettier writes them (make format)" >&2; exit 1; }

clean:
	rm -rf dist out

# --- Go twins and side-by-side reading (issue 3) ---
# The Go twins (go/) run the same fixtures with the same flags and print the same lines; go-diff
# holds the TypeScript designs to them. Go's caches stay under out/go, so nothing outside is assumed.
GO ?= go
GO_OUT := out/go
GO_ENV := GOCACHE=$(CURDIR)/$(GO_OUT)/cache GOPATH=$(CURDIR)/$(GO_OUT)/path GOFLAGS=
CHANCRAWL_GO := $(GO_OUT)/chancrawl-go
GO_SOURCES := $(shell find go -name '*.go' -o -name go.mod 2>/dev/null)
CONCURRENCY ?=
GO_DIFF := go/scripts/go-diff.sh $(CHANCRAWL_GO)

.PHONY: go-check go-build go-diff go-diff-all go-vet go-race side-by-side docs

go-check:
	@command -v $(GO) >/dev/null 2>&1 || { echo "Go is not installed, so the Go twins cannot run and nothing was checked. Install it: apt-get install -y golang-go (Debian/Ubuntu; Go >= 1.19), or see https://go.dev/doc/install" >&2; exit 1; }

$(CHANCRAWL_GO): $(GO_SOURCES) | go-check
	cd go && $(GO_ENV) $(GO) build -o ../$@ ./cmd/chancrawl-go

go-build: go-check $(CHANCRAWL_GO)

# Serial in exact order, the concurrent designs as sets; FIXTURE=, DEPTH=, CONCURRENCY= as for diff.
go-diff: go-check build $(CHANCRAWL_GO)
	@$(GO_DIFF) $(FIXTURE) "$(DEPTH)" "$(CONCURRENCY)"

go-diff-all: go-check build $(CHANCRAWL_GO)
	@mkdir -p $(GO_OUT)/gen
	@for f in fixtures/*.json; do for d in "" 0 1 2 3; do $(GO_DIFF) $$f "$$d" || exit 1; done; $(GO_DIFF) $$f 2 3 || exit 1; done
	@for s in 1 2 3; do $(CHANCRAWL) gen --pages 2000 --seed $$s --out $(GO_OUT)/gen/p2000-s$$s.json && \
	  for d in "" 2 4; do $(GO_DIFF) $(GO_OUT)/gen/p2000-s$$s.json "$$d" || exit 1; done; done
	@for s in 4 5; do $(CHANCRAWL) gen --pages 10000 --seed $$s --out $(GO_OUT)/gen/p10000-s$$s.json && \
	  for d in "" 3; do $(GO_DIFF) $(GO_OUT)/gen/p10000-s$$s.json "$$d" 16 || exit 1; done; done

go-vet: go-check
	cd go && $(GO_ENV) $(GO) vet ./...
	@cd go && test -z "$$(gofmt -l .)" || { echo "gofmt would change: $$(gofmt -l .)" >&2; exit 1; }

# The binary `go run -race` would build, built once and run on every fixture and variant; the race
# detector makes it exit 66 on a data race.
go-race: go-check
	cd go && $(GO_ENV) $(GO) build -race -o ../$(GO_OUT)/chancrawl-go-race ./cmd/chancrawl-go
	@for f in fixtures/*.json; do for v in serial mutex channel tour; do for d in "" 2; do \
	  GORACE=halt_on_error=1 $(GO_OUT)/chancrawl-go-race --variant $$v --fixture $$f $${d:+--depth $$d} --concurrency 4 > /dev/null && \
	  GORACE=halt_on_error=1 $(GO_OUT)/chancrawl-go-race --variant $$v --fixture $$f $${d:+--depth $$d} > /dev/null || { echo "go-race FAILED: $$v $$f $$d" >&2; exit 1; }; \
	done; done; done
	@echo "go-race ok: every fixture, four variants, with and without --depth 2 and --concurrency 4"

side-by-side: build
	@node dist/tools/side-by-side.js --variant $(VARIANT)

docs: build
	node dist/tools/side-by-side.js --html docs/side-by-side.html

# --- Pictures: the crawl timeline and the link graph (issue 6) ---
# The timeline page crawls one generated 40-page graph (some pages missing) with each design, with
# 20-60 ms per fetch, so that Serial's one lane and the concurrent designs' many lanes compare.
TIMELINE_FIXTURE := out/timeline/gen40.json
TIMELINE_FLAGS ?= --latency-ms 20-60 --seed 1
CHROMIUM ?= chromium
SHOT_SIZE ?= 1000,1000

.PHONY: timeline graph site-graph screenshots

$(TIMELINE_FIXTURE): dist/.build-stamp
	@mkdir -p $(dir $@)
	$(CHANCRAWL) gen --pages 40 --degree 3 --seed 3 --missing 0.1 --out $@

timeline: build $(TIMELINE_FIXTURE)
	@mkdir -p docs
	node dist/demos/timeline.js --fixture $(TIMELINE_FIXTURE) $(TIMELINE_FLAGS) --out docs/timeline.html

# The Go tour's graph at --depth 1: found, missing and skipped pages all show.
graph: build
	@mkdir -p docs
	$(CHANCRAWL) --fixture fixtures/golang-org.json --depth 1 --graph docs/graph.svg > /dev/null

# The Python docs' link graph, a real site's picture: in a box per folder, the pages nearest the start.
site-graph: build
	@mkdir -p docs
	@command -v dot >/dev/null 2>&1 || { echo "make site-graph needs Graphviz's dot: apt-get install -y graphviz" >&2; exit 1; }
	node dist/demos/site-graph.js

screenshots: timeline site-graph
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { echo "make screenshots needs Chromium: apt-get install -y chromium" >&2; exit 1; }
	@profile=$$(mktemp -d) && $(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
	  --user-data-dir=$$profile --window-size=$(SHOT_SIZE) --screenshot=$(CURDIR)/docs/timeline.png \
	  file://$(CURDIR)/docs/timeline.html > out/timeline/chromium.log 2>&1; rc=$$?; rm -rf $$profile; \
	  test $$rc = 0 -a -s docs/timeline.png || { cat out/timeline/chromium.log >&2; exit 1; }
	@echo "wrote docs/timeline.png"

# The lecture's lessons as runnable demos (demos/*.ts, asserted by spec/demos.spec.ts): each prints
# what it did and ends with what it showed, in its own measured counts.
LESSONS := race atomic twice termination deadlock rpc redis

.PHONY: demos $(addprefix demo-,$(LESSONS))

demos: $(addprefix demo-,$(LESSONS))

$(addprefix demo-,$(LESSONS)): demo-%: build
	@echo "=== demos/$*.ts ==="
	@node dist/demos/$*.js
	@echo

# Issue 4, crawling over HTTP: a fixture served on 127.0.0.1 (`chancrawl serve`) and crawled over
# HTTP by each design must print what crawling the fixture prints, URLs mapped back (the served
# `/` is the fixture's start, `/SCHEME/REST` is `SCHEME://REST`). Serial in order, the others as sets.
SERVE_OUT ?= out/serve
.PHONY: serve serve-diff serve-diff-all
serve: build
	$(CHANCRAWL) serve $(FIXTURE) $(if $(PORT),--port $(PORT))

serve-diff: build
	@mkdir -p $(SERVE_OUT) && rm -f $(SERVE_OUT)/url.txt
	@set -o pipefail; $(CHANCRAWL) serve $(FIXTURE) > $(SERVE_OUT)/url.txt 2> $(SERVE_OUT)/serve.log & pid=$$!; trap "kill $$pid" EXIT; \
	  for i in $$(seq 100); do [ -s $(SERVE_OUT)/url.txt ] && break; sleep 0.1; done; \
	  site=$$(head -1 $(SERVE_OUT)/url.txt); site=$${site%/}; \
	  [ -n "$$site" ] || { cat $(SERVE_OUT)/serve.log >&2; exit 1; }; \
	  start=$$($(CHANCRAWL) reference --fixture $(FIXTURE) | head -1 | cut -c10-); \
	  for v in serial mutex channel; do \
	    $(CHANCRAWL) --variant $$v --fixture $(FIXTURE) $(depth_flag) > $(SERVE_OUT)/$$v.fixture.txt || exit 1; \
	    $(CHANCRAWL) --variant $$v --quiet $(depth_flag) $$site/ | \
	      sed -E "s#^(found:   |missing: )$$site/\$$#\1$$start#; s#^(found:   |missing: )$$site/(https?)/#\1\2://#" > $(SERVE_OUT)/$$v.http.txt || exit 1; \
	    if [ $$v = serial ]; then diff -u --label fixture $(SERVE_OUT)/$$v.fixture.txt --label http $(SERVE_OUT)/$$v.http.txt || exit 1; \
	    else diff -u --label fixture-sorted <(LC_ALL=C sort $(SERVE_OUT)/$$v.fixture.txt) --label http-sorted <(LC_ALL=C sort $(SERVE_OUT)/$$v.http.txt) || exit 1; fi; \
	  done; \
	  echo "serve-diff ok: $(FIXTURE)$(if $(DEPTH), --depth $(DEPTH)) over HTTP at $$site = the fixture crawl, for serial (in order), mutex and channel ($$(wc -l < $(SERVE_OUT)/serial.http.txt) fetches)"

serve-diff-all: build
	@for f in fixtures/*.json; do for d in "" 1; do $(MAKE) -s serve-diff FIXTURE=$$f DEPTH=$$d || exit 1; done; done
	@mkdir -p $(SERVE_OUT) && $(CHANCRAWL) gen --pages 2000 --seed 1 --out $(SERVE_OUT)/gen2000.json
	@for d in "" 3; do $(MAKE) -s serve-diff FIXTURE=$(SERVE_OUT)/gen2000.json DEPTH=$$d || exit 1; done

# How fast the designs crawl over HTTP: a generated graph served by `chancrawl serve` in its own process.
# BENCH_HTTP_FLAGS: --pages N --latency-ms L --concurrency K --runs R
BENCH_HTTP_FLAGS ?=
.PHONY: bench-http
bench-http: build
	node dist/bench/http.js $(BENCH_HTTP_FLAGS)

# --- Benchmarks (issue 5): the designs against the physical limit and against the Go twins ---
# Not part of `make test`. Prints the tables and writes bench/results.md (machine, load, commands,
# every figure, each a median of several runs). About 10 minutes; graphs are generated once into
# out/bench/. BENCH_FLAGS: --quick, --runs R, --big-runs R (at 10^6 pages), --sections latency,cpu,http,site,buffer,redis
# (site: the Python docs on nginx; it apt-get installs python3.11-doc, nginx-light and wget if missing)
BENCH_FLAGS ?=
BENCH_GO := out/bench/bench-go
BENCH_GO_HTTP := out/bench/httpcrawl
.PHONY: bench
$(BENCH_GO_HTTP): bench/go/httpcrawl/main.go bench/go/go.mod | go-check
	cd bench/go && $(GO_ENV) $(GO) build -o ../../$@ ./httpcrawl

$(BENCH_GO): bench/go/main.go bench/go/go.mod $(GO_SOURCES) | go-check
	cd bench/go && $(GO_ENV) $(GO) build -o ../../$@ .

bench: build go-check $(CHANCRAWL_GO) $(BENCH_GO) $(BENCH_GO_HTTP)
	node dist/bench/run.js --go $(BENCH_GO) --go-cli $(CHANCRAWL_GO) --go-http $(BENCH_GO_HTTP) $(BENCH_FLAGS)
