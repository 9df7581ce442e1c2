#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# The load test of the built collector (`make loadtest`; not part of `make test`): real
# captured SDK payloads over loopback HTTP against
#   floor  a bare net/http server that reads the body and answers 202 (test/loadtest/floor)
#   otlp   the stock otlp receiver of the same binary: otlp -> batch -> debug
#   rum    rum -> batch -> debug, rate limits off          (test/loadtest/configs/minimal.yaml)
#   full   rum -> memory_limiter, session, webvitals, batch -> debug, prometheus (full.yaml)
#   peer   the contrib faroreceiver -> batch -> debug, when ../shared/peer-faroreceiver/build.sh
#          exists next to the checkout (LOADTEST_PEER_BUILD names another; "" skips it)
# Closed loop: wrk, LOADTEST_CONNECTIONS keep-alive connections, every server in turn for
# LOADTEST_ROUNDS rounds, medians. Open loop: vegeta at 80% of the full pipeline's beacon
# rate, for its latency. Prints a table with the ratios of issue 14's goals.
#
#   scripts/loadtest.sh [path/to/otelcol-rum]
#
# Environment: LOADTEST_DURATION (seconds per measured run, default 10), LOADTEST_WARMUP
# (seconds of unmeasured load before each run, default 2), LOADTEST_ROUNDS (default 3),
# LOADTEST_CONNECTIONS (default 32), LOADTEST_FARO (the Faro capture in
# receiver/rumreceiver/testdata/sdk, default faro-04-collect.json: 3.4 KB, an event and a
# span), LOADTEST_OUT (logs and raw results, default build/loadtest). Everything listens on 127.0.0.1 (ports 19318-19389, see the configs);
# every process the script starts is stopped when it ends, however it ends.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

bin=${1:-build/otelcol-rum/otelcol-rum}
duration=${LOADTEST_DURATION:-10}
duration=${duration%s}
warmup=${LOADTEST_WARMUP:-2}
warmup=${warmup%s}
rounds=${LOADTEST_ROUNDS:-3}
connections=${LOADTEST_CONNECTIONS:-32}
out=${LOADTEST_OUT:-build/loadtest}
faro=${LOADTEST_FARO:-faro-04-collect.json}
peer_build=${LOADTEST_PEER_BUILD-$(dirname "$repo")/shared/peer-faroreceiver/build.sh}
sdk=receiver/rumreceiver/testdata/sdk
configs=test/loadtest/configs

die() {
  echo "loadtest: $*" >&2
  exit 1
}

for v in duration warmup rounds connections; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "LOADTEST_${v^^} must be a positive whole number (seconds for durations), not '${!v}'"
done
[[ -x $bin ]] || die "$bin not found; run 'make build' first (or 'make loadtest')"

# --- tools ------------------------------------------------------------------------------

if ! command -v wrk >/dev/null; then
  echo "loadtest: wrk is missing; installing Debian's wrk package"
  sudo=""
  ((EUID == 0)) || sudo=sudo
  if ! command -v apt-get >/dev/null || ! $sudo apt-get install -y -q wrk >/dev/null; then
    die "wrk is not installed and 'apt-get install wrk' failed: install wrk (https://github.com/wg/wrk) and run again"
  fi
fi

mkdir -p "$out/logs"
rm -f "$out"/logs/*.log
tools=$(mktemp -d)
results=$out/results.tsv
: >"$results"

# The one server running at a time, by pid (wrk and vegeta run in the foreground and end
# by themselves): stopped on every way out.
server_pid=""
stop_server() {
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$tools"' EXIT
trap 'exit 130' INT TERM
trap 'echo "loadtest: failed at line $LINENO" >&2' ERR

echo "loadtest: building the floor server, the beacon target writer and vegeta"
go build -o "$tools/floor" ./test/loadtest/floor
go build -o "$tools/beacontargets" ./test/loadtest/beacontargets
GOWORK=off go build -modfile=internal/tools/go.mod -o "$tools/vegeta" github.com/tsenart/vegeta/v12

peer=""
if [[ -n $peer_build && -x $peer_build ]]; then
  echo "loadtest: building the contrib faroreceiver peer with $peer_build"
  peer=$("$peer_build" | tail -1)
  [[ -x $peer ]] || die "$peer_build did not print an executable's path (got '$peer')"
fi

# --- the machine ------------------------------------------------------------------------

cores=$(nproc)
if ((cores >= 2)) && command -v taskset >/dev/null; then
  server_cpu=(taskset -c 0)
  load_cpu=(taskset -c 1)
  pinning="servers pinned to core 0, load generator to core 1 (taskset)"
else
  server_cpu=()
  load_cpu=()
  pinning="unpinned: servers and load generator share the machine's $cores core(s)"
fi
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"

# --- servers and payloads ---------------------------------------------------------------

# Where each server listens (the configs' defaults) and the payloads it is loaded with.
declare -A addr=(
  [floor]=127.0.0.1:19340 [otlp]=127.0.0.1:19318 [rum]=127.0.0.1:19347
  [full]=127.0.0.1:19347 [peer]=127.0.0.1:19341
)
declare -A loads=(
  [floor]="faro beacon otlpjson otlpproto" [otlp]="otlpjson otlpproto"
  [rum]="faro beacon otlpjson otlpproto" [full]="faro beacon" [peer]="faro"
)
servers=(floor otlp rum full)
if [[ -n $peer ]]; then servers+=(peer); fi

# payload: path, body file, Content-Type, beacon mode (unique ids, 100k sessions).
declare -A path=([faro]=/collect [beacon]=/vitals [otlpjson]=/v1/traces [otlpproto]=/v1/traces)
declare -A body=(
  [faro]=$sdk/$faro [beacon]=$sdk/vitals-02-fcp.json
  [otlpjson]=$sdk/otel-01-v1-traces.json [otlpproto]=$sdk/otel-proto-01-v1-traces.binpb
)
declare -A ctype=(
  [faro]=application/json [beacon]="text/plain;charset=UTF-8"
  [otlpjson]=application/json [otlpproto]=application/x-protobuf
)
declare -A label=(
  [faro]="Faro batch (${faro%-collect.json}, $(wc -c <"${body[faro]}") B)"
  [beacon]="web-vitals beacon (vitals-02, $(wc -c <"${body[beacon]}") B), unique ids, 100k sessions"
  [otlpjson]="OTLP/JSON traces (otel-01, $(wc -c <"${body[otlpjson]}") B)"
  [otlpproto]="OTLP protobuf traces (otel-proto-01, $(wc -c <"${body[otlpproto]}") B)"
)
payloads=(faro beacon otlpjson otlpproto)

port_free() {
  [[ -z $(ss -Htln "sport = :${1##*:}") ]]
}

# start_server <name> <round>: starts it pinned and waits until it answers HTTP.
start_server() {
  local name=$1 round=$2 log="$out/logs/$1-round$2.log" cmd
  case $name in
    floor) cmd=("$tools/floor" -addr "${addr[floor]}") ;;
    otlp) cmd=("$bin" --config "$configs/otlp.yaml") ;;
    rum) cmd=("$bin" --config "$configs/minimal.yaml") ;;
    full) cmd=("$bin" --config "$configs/full.yaml") ;;
    peer) cmd=("$peer" --config "$configs/peer-faro.yaml") ;;
  esac
  port_free "${addr[$name]}" || die "${addr[$name]} is taken by another process; stop it and run again"
  "${server_cpu[@]}" "${cmd[@]}" >"$log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 60))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://${addr[$name]}/") != 000 ]]; do
    kill -0 "$server_pid" 2>/dev/null || die "$name exited while starting; see $log"
    ((SECONDS < deadline)) || die "$name did not answer on ${addr[$name]} within 60 s; see $log"
    sleep 0.2
  done
}

# preflight <server> <payload>: one request with curl; anything but 2xx stops the test,
# so a misrouted or refused payload can never be measured as throughput.
preflight() {
  local code
  code=$(curl -s -o "$tools/preflight" -w '%{http_code}' -X POST -H "Content-Type: ${ctype[$2]}" \
    --data-binary "@${body[$2]}" "http://${addr[$1]}${path[$2]}?session_id=lt-preflight")
  [[ $code == 2?? ]] || die "$1 answered $code to ${body[$2]} on ${path[$2]}: $(head -c 300 "$tools/preflight")"
}

# wrk_run <server> <payload> <seconds> <run tag>: prints wrk's LOADTEST line.
wrk_run() {
  local beacon=0
  [[ $2 == beacon ]] && beacon=1
  LT_BODY=${body[$2]} LT_CONTENT_TYPE=${ctype[$2]} LT_BEACON=$beacon LT_RUN=$4 \
    "${load_cpu[@]}" wrk -t1 -c"$connections" -d"${3}s" --timeout 10s --latency \
    -s test/loadtest/post.lua "http://${addr[$1]}${path[$2]}" | grep '^LOADTEST '
}

field() { # field <name> <LOADTEST line>
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

# --- closed loop ------------------------------------------------------------------------

runs=0
for s in "${servers[@]}"; do runs=$((runs + $(wc -w <<<"${loads[$s]}"))); done
echo "loadtest: $rounds rounds of $runs runs, ${warmup} s warm-up + ${duration} s each, then 2 × ${duration} s open loop:" \
  "about $(((rounds * runs * (warmup + duration + 1) + 2 * duration + 30) / 60 + 1)) minutes"
echo "loadtest: $pinning"

printf 'round\tserver\tpayload\trequests\tseconds\tnon2xx\tsocket_errors\tp50_us\tp99_us\tmax_us\n' >>"$results"
for ((round = 1; round <= rounds; round++)); do
  for s in "${servers[@]}"; do
    start_server "$s" "$round"
    for p in ${loads[$s]}; do
      preflight "$s" "$p"
      wrk_run "$s" "$p" "$warmup" "r${round}w" >/dev/null
      line=$(wrk_run "$s" "$p" "$duration" "r${round}") || die "wrk printed no result for $s, $p"
      kill -0 "$server_pid" 2>/dev/null || die "$s died during the $p run; see $out/logs/$s-round$round.log"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$s" "$p" \
        "$(field requests "$line")" "$(field seconds "$line")" "$(field non2xx "$line")" \
        "$(field socket_errors "$line")" "$(field p50_us "$line")" "$(field p99_us "$line")" \
        "$(field max_us "$line")" >>"$results"
      echo "  round $round  $s  $p: ${line#LOADTEST }"
    done
    stop_server
  done
done

# median <server> <payload> <column>: the median over the rounds; rates count only 2xx
# responses.
median() {
  awk -F'\t' -v s="$1" -v p="$2" -v c="$3" '
    NR > 1 && $2 == s && $3 == p {
      v[n++] = (c == "rate") ? ($4 - $6) / $5 : $c
    }
    END {
      if (n == 0) { print ""; exit }
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      print (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
    }' "$results"
}
errors_of() { # errors_of <server> <payload>: non-2xx and socket errors over all rounds
  awk -F'\t' -v s="$1" -v p="$2" 'NR > 1 && $2 == s && $3 == p { e += $6 + $7 } END { print e + 0 }' "$results"
}

# --- open loop --------------------------------------------------------------------------

# open_loop <server>: vegeta at $open_rate beacons/s for the run's duration against a fresh
# server; the report goes to $out/vegeta-<server>.json. The targets are written before the
# attack and read whole (not -lazy), so that neither writing nor decoding them takes the
# load generator's core while it keeps the rate. A fixed pool of as many workers as wrk has
# connections: with vegeta's default (a worker more whenever all are busy), one core of
# load generator falls behind at about 10,000 requests/s and measures itself.
open_loop() {
  start_server "$1" open
  preflight "$1" beacon
  "$tools/beacontargets" -url "http://${addr[$1]}${path[beacon]}" -body "${body[beacon]}" \
    -n $((open_rate * duration)) >"$tools/targets.json"
  "${load_cpu[@]}" "$tools/vegeta" attack -format=json -targets="$tools/targets.json" -rate="$open_rate/1s" \
    -duration="${duration}s" -timeout=10s -workers="$connections" -max-workers="$connections" >"$out/vegeta-$1.bin"
  kill -0 "$server_pid" 2>/dev/null || die "$1 died during the open loop; see $out/logs/$1-roundopen.log"
  stop_server
  "$tools/vegeta" report -type=json "$out/vegeta-$1.bin" >"$out/vegeta-$1.json"
  (($(jq .requests "$out/vegeta-$1.json") > 0)) || die "vegeta sent no request to $1; see $out/vegeta-$1.json"
}

full_beacon=$(median full beacon rate)
open_rate=$(awk -v r="$full_beacon" 'BEGIN { printf "%d", r * 0.8 }')
echo "loadtest: open loop, vegeta at $open_rate beacons/s (80% of the full pipeline's $(printf '%.0f' "$full_beacon")/s)" \
  "for ${duration} s against full, then floor"
open_loop full
# The same attack on the floor: what the load generator and loopback add by themselves.
open_loop floor

# --- report -----------------------------------------------------------------------------

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
rate_or_dash() { [[ -n $1 ]] && printf '%.0f' "$1" || printf -- '—'; }
ratio() { # ratio <a> <b>: a/b, or — when either is missing
  if [[ -n $1 && -n $2 ]]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; else printf -- '—'; fi
}
verdict() { # verdict <value> <le|ge> <goal>
  [[ $1 == — ]] && { printf 'not measured'; return; }
  awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN { ok = (op == "le") ? v <= g : v >= g; printf ok ? "met" : "missed" }'
}

echo
echo "## Load test: $(date -u +%Y-%m-%dT%H:%MZ), commit $commit"
echo
echo "Machine: $cores cores ($cpu_model), $(go version | cut -d' ' -f3-), $(uname -sr), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
echo "Closed loop: wrk -t1 -c$connections, $rounds alternating rounds of ${duration} s (after ${warmup} s of warm-up), medians; $pinning."
if [[ -z $peer ]]; then
  echo "Peer: skipped (no executable ${peer_build:-peer build script}; see LOADTEST_PEER_BUILD)."
fi
echo
echo "| payload | server | req/s (2xx) | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
flagged=0
for p in "${payloads[@]}"; do
  for s in floor peer otlp rum full; do
    [[ " ${servers[*]} " == *" $s "* && " ${loads[$s]} " == *" $p "* ]] || continue
    e=$(errors_of "$s" "$p")
    flag=$e
    if ((e > 0)); then
      flag="**$e (flagged)**"
      flagged=1
    fi
    echo "| ${label[$p]} | $s | $(rate_or_dash "$(median "$s" "$p" rate)") | $(ms "$(median "$s" "$p" 8)") | $(ms "$(median "$s" "$p" 9)") | $flag |"
  done
done
echo
r() { median "$1" "$2" rate; }
faro_floor=$(ratio "$(r floor faro)" "$(r rum faro)")
faro_peer=$(ratio "$(r rum faro)" "$(r peer faro)")
faro_full=$(ratio "$(r full faro)" "$(r rum faro)")
beacon_floor=$(ratio "$(r floor beacon)" "$(r rum beacon)")
beacon_full=$(ratio "$(r full beacon)" "$(r rum beacon)")
json_otlp=$(ratio "$(r rum otlpjson)" "$(r otlp otlpjson)")
proto_otlp=$(ratio "$(r rum otlpproto)" "$(r otlp otlpproto)")
echo "| ratio (issue 14's goals) | value | goal | |"
echo "|---|---|---|---|"
echo "| Faro: floor / rum | ${faro_floor}× | ≤ 4× | $(verdict "$faro_floor" le 4) |"
echo "| Faro: rum / peer (contrib faroreceiver) | ${faro_peer}× | ≥ 3× | $(verdict "$faro_peer" ge 3) |"
echo "| Faro: full / minimal | ${faro_full} | ≥ 0.80 | $(verdict "$faro_full" ge 0.8) |"
echo "| beacon: floor / rum | ${beacon_floor}× | ≤ 2.5× | $(verdict "$beacon_floor" le 2.5) |"
echo "| beacon: full / minimal | ${beacon_full} | ≥ 0.80 | $(verdict "$beacon_full" ge 0.8) |"
echo "| OTLP/JSON: rum / stock otlp | ${json_otlp}× | ≥ 1× | $(verdict "$json_otlp" ge 1) |"
echo "| OTLP protobuf: rum / stock otlp | ${proto_otlp}× | ≥ 1× | $(verdict "$proto_otlp" ge 1) |"
# open_line <server>: one sentence on its open-loop run; flags a rate vegeta did not keep.
open_line() {
  jq -r --arg s "$1" --argjson want "$open_rate" '
    def ms: . / 1e4 | round / 100;
    "\($s): \(.requests) requests at \(.rate | round)/s; p50 \(.latencies["50th"] | ms) ms," +
    " p99 \(.latencies["99th"] | ms) ms, max \(.latencies.max | ms) ms;" +
    " success \(.success * 10000 | round / 100)%, status codes" +
    " \(.status_codes | to_entries | map("\(.key): \(.value)") | join(", "))" +
    (if .rate < 0.95 * $want then " (**flagged: vegeta did not keep the rate**)" else "" end)
  ' "$out/vegeta-$1.json"
}
open_p99=$(jq '.latencies["99th"] / 1e6' "$out/vegeta-full.json")
echo
echo "Open loop: vegeta, $open_rate beacons/s (80% of the full pipeline's $(printf '%.0f' "$full_beacon")/s)," \
  "unique ids over 100k sessions, ${duration} s from a fresh start, $connections workers:"
echo
echo "- $(open_line full); goal p99 ≤ 20 ms: $(verdict "$open_p99" le 20)."
echo "- $(open_line floor) (the load generator's own share)."
if ((flagged)); then
  echo
  echo "Flagged: runs with non-2xx answers or socket errors (see $results); their rates count 2xx only."
fi
echo
echo "Raw results: $results; server logs: $out/logs/."
