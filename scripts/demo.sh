#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# make demo: the whole product on one machine, on loopback.
#
#   Jaeger v2 (built from its Go module, cached outside the repo)   traces
#   Prometheus (Debian package, exemplar storage, OpenMetrics)      metrics + alert rules
#   otelcol-rum with the Jaeger and Prometheus presets              in between
#   the demo shop (examples/shop, OTel Go SDK)                      the backend
#   headless Chromium through the shop (tools/browser/demo.mjs)     the users
#
# The shop's front-ends are minified bundles whose source maps the shop does not serve:
# they are deployed, as a CI step would, into build/demo/sourcemaps, where the
# collector's jserrors processor reads them to symbolicate the shoppers' errors.
#
# then prints where to look, and keeps everything running until Ctrl-C
# (DEMO_KEEP_RUNNING=0 stops right after the shoppers are done).
#
# Environment: DEMO_SESSIONS (3 Faro sessions), DEMO_OTEL_SESSIONS (1), DEMO_SPA_SESSIONS and
# DEMO_OTEL_SPA_SESSIONS (1 each: the single-page section, /app/ and /otel/app/), and the
# ports below. Logs, Prometheus data and the session state go to build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sessions=${DEMO_SESSIONS:-3}
otel_sessions=${DEMO_OTEL_SESSIONS:-1}
spa_sessions=${DEMO_SPA_SESSIONS:-1}
otel_spa_sessions=${DEMO_OTEL_SPA_SESSIONS:-1}
keep_running=${DEMO_KEEP_RUNNING:-1}
shop_addr=${SHOP_LISTEN:-127.0.0.1:8080}
prom_addr=${PROMETHEUS_LISTEN:-127.0.0.1:9090}
jaeger_ui=http://127.0.0.1:${JAEGER_QUERY_PORT:-16686}

dir=$root/build/demo
mkdir -p "$dir"
log() { printf '\n== %s\n' "$*" >&2; }

log "backends: Prometheus (apt) and Jaeger v2 (built once, ~7 min, then cached)"
scripts/install-prometheus.sh >&2
jaeger=$(scripts/install-jaeger.sh | tail -1)

log "otelcol-rum (ocb), Chromium and the browser SDKs"
make --no-print-directory build browser >&2

log "the shop's bundles and their source maps, deployed to $dir/sourcemaps"
# <dir>/<service.name>/<service.version>/<bundle URL path>.map (tools/browser/README.md)
(cd tools/browser && node deploy-maps.mjs --build --dir "$dir/sourcemaps") >&2

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# start NAME CMD...: runs CMD in the background with its output in build/demo/NAME.log.
start() {
  local name=$1; shift
  "$@" >"$dir/$name.log" 2>&1 &
  pids+=($!)
}

# wait_http NAME URL: until URL answers 2xx, 60 s at most.
wait_http() {
  for _ in $(seq 120); do
    if curl -fsS -o /dev/null "$2"; then return 0; fi
    sleep 0.5
  done
  echo "$1 did not come up; see $dir/$1.log" >&2
  tail -20 "$dir/$1.log" >&2
  return 1
}

log "starting Jaeger, Prometheus, otelcol-rum and the shop"
start jaeger "$jaeger" --config "$root/examples/demo/jaeger.yaml"
rm -rf "$dir/prometheus-data"
start prometheus prometheus --config.file="$root/examples/demo/prometheus.yml" \
  --storage.tsdb.path="$dir/prometheus-data" --web.listen-address="$prom_addr" \
  --enable-feature=exemplar-storage
RUM_STORAGE_DIR=$dir/state RUM_SOURCEMAPS_DIR=$dir/sourcemaps start otelcol-rum build/otelcol-rum/otelcol-rum \
  --config config.example.yaml --config exporter/jaeger.yaml \
  --config exporter/prometheus.yaml --config examples/demo/otelcol.yaml
(cd examples/shop && GOWORK=off go build -o "$dir/shop" .)
start shop "$dir/shop" -listen "$shop_addr" -assets "$root/tools/browser/dist"

wait_http jaeger "$jaeger_ui/api/services"
wait_http prometheus "http://$prom_addr/-/ready"
wait_http otelcol-rum "http://localhost:13133/"
wait_http shop "http://$shop_addr/healthz"

log "shoppers: $sessions Faro and $otel_sessions OTel sessions, $spa_sessions and $otel_spa_sessions single-page, in headless Chromium"
(cd tools/browser && node demo.mjs --shop "http://$shop_addr" --sessions "$sessions" \
  --otel-sessions "$otel_sessions" --spa-sessions "$spa_sessions" \
  --otel-spa-sessions "$otel_spa_sessions") >"$dir/shoppers.json"
echo "session summary: $dir/shoppers.json" >&2

cat >&2 <<TXT

== where to look
  Shop                 http://$shop_addr/   (Faro)   http://$shop_addr/otel   (OTel web SDK)
  Single-page section  http://$shop_addr/app/           http://$shop_addr/otel/app/
  Jaeger (API; the UI is not part of a source build)
    services           $jaeger_ui/api/services
    checkout traces    $jaeger_ui/api/traces?service=shop-backend&operation=POST%20/api/checkout
  Prometheus           http://$prom_addr/
    LCP p75 by route   histogram_quantile(0.75, sum by (le, url_template) (rate(browser_web_vital_lcp_milliseconds_bucket[5m])))
    exemplars          http://$prom_addr/api/v1/query_exemplars?query=browser_web_vital_lcp_milliseconds_bucket&start=$(date -d '-1 hour' +%s)&end=$(date -d '+1 hour' +%s)
    errors by group    sum by (service_name, url_template, rum_error_group) (browser_errors_total)
    their exemplars    http://$prom_addr/api/v1/query_exemplars?query=browser_errors_total&start=$(date -d '-1 hour' +%s)&end=$(date -d '+1 hour' +%s)
    alerts             http://$prom_addr/alerts
  Grafana dashboard    examples/demo/grafana-dashboard.json (import it, data source: this Prometheus)
  Collector            logs in $dir/otelcol-rum.log (session.start / session.end summaries)
  Source maps          $dir/sourcemaps (the Break button's error is symbolicated to
                       pages/cart.js, computeCartTotal: exception.stacktrace in Jaeger's
                       uncaught error spans of shop-frontend-otel)
TXT

if [[ $keep_running == 1 ]]; then
  echo $'\nRunning; Ctrl-C stops everything.' >&2
  wait
fi
