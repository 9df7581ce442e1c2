# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# otelcol-rum — build and test entry points. Run from the repository root (or `make -C`).
#
#   make build             build the collector with ocb: build/otelcol-rum/otelcol-rum
#   make run               build, then run it with config.example.yaml
#   make test              everything CI runs (.ci/run), step by step
#
# `make help` lists every target.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

GO ?= go

# ocb (go.opentelemetry.io/collector/cmd/builder) is a Go tool of the tools module, so
# its version is pinned in internal/tools/go.mod and nothing needs installing. GOWORK=off
# keeps a go.work file, if anyone has one, out of both the tool and the generated module.
OCB := GOWORK=off $(GO) tool -modfile=internal/tools/go.mod builder
# golangci-lint is a Go tool too, in a module of its own: in internal/tools/go.mod its
# dependencies would move the versions ocb and mdatagen are built with. The path is
# absolute because `make lint` runs it from each module's directory.
GOLANGCI_LINT := GOWORK=off $(GO) tool -modfile=$(CURDIR)/internal/tools/lint/go.mod golangci-lint
# The modules golangci-lint runs on: the root module (with the e2e and faults build tags,
# see .golangci.yml) and the demo shop.
GO_MODULES := . examples/shop

DIST_DIR := build/otelcol-rum
BIN := $(DIST_DIR)/otelcol-rum
RUN_CONFIG ?= config.example.yaml
# Extra arguments for `make run`, e.g. RUN_ARGS="--config exporter/jaeger.yaml".
RUN_ARGS ?=

# Go files of the root module, excluding tests and test/ (they do not change the binary),
# the generated distribution, the browser tooling (its node_modules) and testdata.
GO_SOURCES := $(shell find . \( -path ./.git -o -path ./build -o -path ./bin -o -path ./tools/browser -o -path ./examples -o -path ./test \
	-o -name node_modules -o -name testdata \) -prune -o -type f -name '*.go' ! -name '*_test.go' -print)
# Every Go file gofmt should see (tests included, testdata excluded).
GO_FMT_FILES := $(shell find . \( -path ./.git -o -path ./build -o -path ./bin -o -path ./tools/browser \
	-o -name node_modules -o -name testdata \) -prune -o -type f -name '*.go' -print)

# Packages of the root module. `go test ./...` would descend into any directory that
# holds .go files, node_modules included (Go does not skip it), so list the packages and
# drop those. The generated distribution and internal/tools are separate modules and
# are never part of ./... .
UNIT_PKGS = $$($(GO) list -e ./... | grep -v -e '/node_modules/')

# The steps of `make test`, in order. To add one, append it here:
#   TEST_STEPS += e2e
TEST_STEPS := fmt-check lint check-generated deploy-manifests unit examples build faults validate-presets demo-rules e2e

.PHONY: help
help: ## list targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

.PHONY: tools
tools: ## compile the pinned ocb and golangci-lint and print the Go, ocb and golangci-lint versions
	@$(GO) version
	@$(OCB) version
	@$(GOLANGCI_LINT) version

.PHONY: build
build: $(BIN) ## build the collector with ocb (skipped when nothing changed)

# ocb regenerates $(DIST_DIR) (main.go, components.go, go.mod with a replace of the root
# module to ../..), tidies it and compiles. It only creates the last directory of its
# output path, hence the mkdir. `go build` leaves an up-to-date binary untouched, so
# touch it for make's timestamps. Force a rebuild with `make -B build`.
$(BIN): builder-config.yaml go.mod go.sum internal/tools/go.mod $(GO_SOURCES)
	@mkdir -p $(dir $(DIST_DIR))
	$(OCB) --config builder-config.yaml
	@touch $@

# The geolocation database of `make run`, `make unit` and `make e2e`: RUM_GEOIP_DATABASE
# when it is set (a GeoLite2 City file, say), else the CC0 country database that
# scripts/install-geoip.sh installs once into ~/.cache/otelcol-rum. A recipe line that
# starts with $(GEOIP_ENV) fails when the install does.
GEOIP_ENV = RUM_GEOIP_DATABASE="$${RUM_GEOIP_DATABASE:-$$(scripts/install-geoip.sh | tail -1)}"; export RUM_GEOIP_DATABASE;

.PHONY: geoip
geoip: ## install the CC0 country geolocation database (npm, cached) and print its path
	@scripts/install-geoip.sh

.PHONY: run
run: $(BIN) ## build, then run the collector with config.example.yaml (RUN_ARGS=... adds flags)
	$(GEOIP_ENV) $(BIN) --config $(RUN_CONFIG) $(RUN_ARGS)

.PHONY: validate-presets
validate-presets: $(BIN) ## validate config.example.yaml alone and with every exporter/*.yaml preset, the load test configs and deploy/config
	scripts/validate-presets.sh $(BIN)

# The Kubernetes manifests of deploy/ (docs/scaling.md), as files and as kustomize renders
# them: kubeconform -strict against the API's schemas, built offline from the
# k8s.io/kubernetes module and cached in ~/.cache/otelcol-rum
# (scripts/install-k8s-schemas.sh), with negative controls.
.PHONY: deploy-manifests
deploy-manifests: ## kubeconform -strict on deploy/kubernetes against offline Kubernetes schemas, with broken copies that must fail
	scripts/check-k8s-manifests.sh

.PHONY: unit
unit: ## go test -race on the root module
	$(GEOIP_ENV) $(GO) test -race $(UNIT_PKGS)

# Browser tooling for the end-to-end test: Debian's Chromium and the SDKs pinned in
# tools/browser/package-lock.json (npm ci runs again when the lock file changes).
BROWSER_DIR := tools/browser
BROWSER_STAMP := $(BROWSER_DIR)/node_modules/.installed

.PHONY: browser
browser: $(BROWSER_STAMP) ## install headless Chromium (apt) and the pinned browser SDKs (npm ci)
	@scripts/install-chromium.sh

$(BROWSER_STAMP): $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund
	@touch $@

# The two-tier test (test/e2e/twotier_*: the kfake broker of test/kafka/broker, two intake
# and two session-tier collectors, 200 replayed SDK sessions, a graceful stop and a kill -9
# mid-run) needs only the binary and Go; it takes about three minutes.
.PHONY: e2e
e2e: $(BIN) browser backends ## end-to-end: the built collector with real SDKs in headless Chromium, real Jaeger and Prometheus, two tiers on Kafka
	$(GEOIP_ENV) JAEGER_BIN=$$(scripts/install-jaeger.sh | tail -1) RUM_TEST_REQUIRED=1 $(GO) test -tags e2e -count=1 -v -timeout 15m ./test/e2e/

# Fault tests of the built binary on loopback: SIGTERM under load, slow-body and slowloris
# attacks, a backend outage with a restart, kill -9 with open sessions (test/fault). They
# need nothing but the binary; each test bounds its own time.
.PHONY: faults
faults: $(BIN) ## fault tests of the built binary: shutdown under load, slow clients, outage, kill -9, the two tiers on the test Kafka
	RUM_TEST_REQUIRED=1 $(GO) test -tags faults -count=1 -v -timeout 30m ./test/fault/

# Memory of the built binary: RSS per open session (MEASURE_SESSIONS, default 1M) and peak
# RSS during SIGTERM with MEASURE_SHUTDOWN_SESSIONS (default 100k) open sessions, with and
# without storage. Reports figures; asserts nothing. Not part of `make test` (minutes).
MEASURE_SESSIONS ?= 1000000
MEASURE_SHUTDOWN_SESSIONS ?= 100000
.PHONY: measure-faults
measure-faults: $(BIN) ## measure RSS per open session and during SIGTERM with open sessions (not in make test)
	RUM_TEST_REQUIRED=1 RUM_MEASURE=1 RUM_MEASURE_SESSIONS=$(MEASURE_SESSIONS) \
		RUM_MEASURE_SHUTDOWN_SESSIONS=$(MEASURE_SHUTDOWN_SESSIONS) \
		$(GO) test -tags faults -count=1 -v -timeout 60m -run '^TestMeasure' ./test/fault/

# The load test of the built binary on loopback (scripts/loadtest.sh): a bare net/http
# floor, the stock otlp receiver, rum -> batch -> debug, the full pipeline and, when
# ../shared/peer-faroreceiver/build.sh is there, the contrib Faro receiver, with real SDK
# payloads; wrk (closed loop, medians of LOADTEST_ROUNDS alternating rounds) and vegeta
# (open loop at 80% of the full pipeline's beacon rate). Prints a table with req/s,
# p50/p99 and issue 14's ratios; asserts nothing. Not part of `make test` (minutes, and
# the figures need a quiet machine). E.g. make loadtest LOADTEST_DURATION=8
.PHONY: loadtest
loadtest: $(BIN) ## load test of the built binary vs a bare net/http floor and its peers (not in make test)
	scripts/loadtest.sh $(BIN)

# Issue 15's headline figure (scripts/loadtest-twotier.sh): the beacon throughput of the
# two-tier deployment (kfake broker, two intake and two session-tier collectors of the built
# binary) against the single collector, same beacons, alternating rounds; also how long the
# session tier takes to drain. Asserts nothing. Not part of `make test` (minutes; run it
# under `flock /tmp/heavy.lock` on a shared machine). E.g. make loadtest-twotier LOADTEST_ROUNDS=1
.PHONY: loadtest-twotier
loadtest-twotier: $(BIN) ## load test: two tiers on Kafka vs the single collector, beacons/s (not in make test)
	scripts/loadtest-twotier.sh $(BIN)

.PHONY: examples
examples: ## unit tests of the demo shop (its own module, examples/shop)
	cd examples/shop && GOWORK=off $(GO) test -race ./...

.PHONY: demo-rules
demo-rules: ## promtool: the demo's Prometheus config, alert rules and their unit tests, the dashboard's queries
	scripts/check-demo-rules.sh

.PHONY: backends
backends: ## install Prometheus (apt) and build Jaeger v2 from its Go module (cached outside the repo)
	scripts/install-prometheus.sh
	scripts/install-jaeger.sh

.PHONY: demo
demo: ## Jaeger + Prometheus + otelcol-rum + the demo shop, driven by headless Chromium (Ctrl-C stops)
	$(GEOIP_ENV) scripts/demo.sh

# Fuzz each decoder for FUZZTIME (the seed corpora already run as ordinary tests in unit).
# Each entry is package-directory:FuzzTarget.
FUZZTIME ?= 30s
FUZZ_TARGETS := \
	receiver/rumreceiver/internal/normalize:FuzzFaro \
	receiver/rumreceiver/internal/normalize:FuzzBeacon \
	receiver/rumreceiver/internal/normalize:FuzzOTLPLogs \
	receiver/rumreceiver/internal/faro:FuzzFastPathAgreesWithEncodingJSON \
	receiver/rumreceiver/internal/otlpjson:FuzzReadTracesAgrees \
	receiver/rumreceiver/internal/beacon:FuzzDecodeFastAgrees \
	receiver/rumreceiver:FuzzQueryValues \
	receiver/rumreceiver/internal/jsonfast:FuzzValidNumber \
	receiver/rumreceiver:FuzzOriginPolicy \
	internal/sourcemaps:FuzzResolveHostileMap \
	internal/sourcemaps:FuzzMapReference \
	internal/webvitals/route:FuzzTemplate \
	internal/jsstack:FuzzParse \
	internal/geoip:FuzzLookup \
	internal/useragent:FuzzParse \
	receiver/rumreceiver/internal/clientaddr:FuzzResolve \
	internal/errorgroup:FuzzMaskMessage \
	internal/errorgroup:FuzzID \
	processor/jserrorsprocessor:FuzzReadException \
	processor/sessionprocessor:FuzzDecodeManifest \
	processor/sessionprocessor:FuzzDecodeOffsets \
	processor/sessionprocessor/internal/store:FuzzDecodeValue \
	processor/sessionprocessor/internal/store:FuzzDecodeFrame \
	processor/sessionprocessor/internal/store:FuzzDecodeLegacyCheckpoint
.PHONY: fuzz
fuzz: ## run every decoder fuzzer for FUZZTIME (default 30s) each
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzzing $$fn in $$pkg for $(FUZZTIME)"; \
		$(GO) test ./$$pkg/ -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME); \
	done

.PHONY: fmt-check
fmt-check: ## fail if any Go file is not gofmt-formatted
	@out=$$(gofmt -l $(GO_FMT_FILES)); \
	if [[ -n "$$out" ]]; then echo "not gofmt-formatted (run gofmt -w):"; echo "$$out"; exit 1; fi; \
	echo "gofmt: ok"

# golangci-lint with .golangci.yml on each module, then the license header of the files
# golangci-lint does not read (scripts, YAML, JavaScript). Every module is linted even
# when one fails, so one run shows every finding.
.PHONY: lint
lint: ## golangci-lint (.golangci.yml) on the root module and examples/shop; the license header of every file
	@status=0; \
	for m in $(GO_MODULES); do \
		echo "golangci-lint run: $$m"; \
		(cd $$m && $(GOLANGCI_LINT) run ./...) || status=1; \
	done; \
	echo "license headers: scripts/add-license-headers.sh --check"; \
	scripts/add-license-headers.sh --check || status=1; \
	exit $$status

.PHONY: lint-fix
lint-fix: ## rewrite Go files with the formatters of .golangci.yml (gofmt; gci: std, other modules, this module)
	$(GOLANGCI_LINT) fmt

# Every //go:generate of the repository: mdatagen for each component (from its
# metadata.yaml: internal/metadata, internal/metadatatest, the generated tests,
# documentation.md and the status header of its README), and any other generator.
.PHONY: generate
generate: ## run every go:generate of the repository (mdatagen for each component, ...)
	$(GO) generate -tags e2e,faults $(UNIT_PKGS)
	cd examples/shop && GOWORK=off $(GO) generate ./...

.PHONY: check-generated
check-generated: ## run generate and fail, listing the files, if it changed any: generated files must be committed current
	scripts/check-generated.sh $(MAKE) generate

.PHONY: test
test: ## run every step of TEST_STEPS with a header per step; stops at the first failure
	@start=$$SECONDS; \
	for step in $(TEST_STEPS); do \
		printf '\n==================== make %s ====================\n' "$$step"; \
		t=$$SECONDS; \
		if ! $(MAKE) $$step; then \
			printf '\n==================== FAILED: make %s ====================\n' "$$step"; \
			exit 1; \
		fi; \
		printf -- '---- make %s: ok (%ss)\n' "$$step" "$$((SECONDS - t))"; \
	done; \
	printf '\n==================== make test: all %d steps passed (%ss): %s ====================\n' \
		"$(words $(TEST_STEPS))" "$$((SECONDS - start))" "$(TEST_STEPS)"

.PHONY: clean
clean: ## remove build/: the generated distribution, and the logs and state of `make demo`
	rm -rf build
