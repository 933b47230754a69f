# chancrawl: run the three Go crawler designs in TypeScript, diff them, test them.
# `make demo` is the main job; `make test` runs every test. Both install what they need.

SHELL := /bin/bash
FIXTURE ?= fixtures/golang-org.json
DEPTH ?=
VARIANT ?= channel
CHANCRAWL := node dist/lib/cli.js
depth_flag = $(if $(DEPTH),--depth $(DEPTH))
VITEST_FLAGS ?=

.PHONY: demo serial mutex channel diff diff-all test check typecheck lint build clean help

help:
	@echo "make demo        the three designs on the Go tour's golang.org graph, then their outputs diffed"
	@echo "make serial|mutex|channel [FIXTURE=f.json] [DEPTH=n]   one design on one graph"
	@echo "make diff [FIXTURE=f.json] [DEPTH=n]   each design against an independent reference"
	@echo "make diff-all    make diff on every fixture in fixtures/ and on generated graphs"
	@echo "make test        every test;  make check   typecheck, lint and test"

# npm dependencies, installed once per change of the lock file.
node_modules/.install-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/.build-stamp: node_modules/.install-stamp tsconfig.json $(shell find lib demos bench -name '*.ts' 2>/dev/null)
	npx tsc -p tsconfig.json
	@chmod +x dist/lib/cli.js
	@touch $@

build: dist/.build-stamp

demo: build
	@echo "=== Serial ==="; $(CHANCRAWL) --variant serial --fixture $(FIXTURE) $(depth_flag)
	@echo "=== ConcurrentMutex ==="; $(CHANCRAWL) --variant mutex --fixture $(FIXTURE) $(depth_flag)
	@echo "=== ConcurrentChannel ==="; $(CHANCRAWL) --variant channel --fixture $(FIXTURE) $(depth_flag)
	@echo
	@$(MAKE) -s diff FIXTURE=$(FIXTURE) DEPTH=$(DEPTH)

serial mutex channel: build
	@$(CHANCRAWL) --variant $@ --fixture $(FIXTURE) $(depth_flag)

# Serial must equal the reference in order; the concurrent designs equal it as sorted sets.
diff: build
	@mkdir -p out
	@$(CHANCRAWL) reference --fixture $(FIXTURE) $(depth_flag) > out/reference.txt
	@for v in serial mutex channel; do $(CHANCRAWL) --variant $$v --fixture $(FIXTURE) $(depth_flag) > out/$$v.txt || exit 1; done
	@diff -u --label reference out/reference.txt --label serial out/serial.txt
	@LC_ALL=C sort out/reference.txt > out/reference.sorted
	@for v in mutex channel; do LC_ALL=C sort out/$$v.txt | diff -u --label reference-sorted out/reference.sorted --label $$v-sorted - || exit 1; done
	@echo "diff ok: $(FIXTURE)$(if $(DEPTH), --depth $(DEPTH)): serial = reference in order; mutex, channel = reference as sets ($$(wc -l < out/reference.txt) fetches)"

diff-all: build
	@mkdir -p out/gen
	@for f in fixtures/*.json; do for d in "" 0 1 2 3; do $(MAKE) -s diff FIXTURE=$$f DEPTH=$$d || exit 1; done; done
	@for s in 1 2 3; do $(CHANCRAWL) gen --pages 2000 --degree 4 --seed $$s --out out/gen/seed$$s.json && \
	  for d in "" 2 4; do $(MAKE) -s diff FIXTURE=out/gen/seed$$s.json DEPTH=$$d || exit 1; done; done

test: build
	npx vitest run --config spec/vitest.config.ts $(VITEST_FLAGS)

typecheck: node_modules/.install-stamp
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p spec/tsconfig.json --noEmit

lint: node_modules/.install-stamp
	npx eslint .

check: typecheck lint test

clean:
	rm -rf dist out
