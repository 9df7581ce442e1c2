#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Issue 15's headline figure (`make loadtest-twotier`; not part of `make test`): the beacon
# throughput of the two-tier deployment against the single collector, same payload, same
# run, alternating rounds, on loopback:
#   single   one collector: rum -> memory_limiter, session, webvitals, batch -> debug
#            (test/loadtest/configs/full.yaml)
#   twotier  the kfake broker (test/kafka/broker, 4 partitions), two intake collectors
#            (rum -> memory_limiter, clientinfo -> kafka) and two session-tier collectors
#            (kafka -> memory_limiter, session with kafka_handover, webvitals, batch ->
#            debug): the shipped deploy/config/intake.yaml and session.yaml, exporting to
#            debug; half the connections to each intake
# The payload is the web-vitals beacon of scripts/loadtest.sh (vitals-02-fcp.json, a new
# measurement id per request, 100k sessions). Closed loop with wrk, LOADTEST_CONNECTIONS
# connections in all. For the two tiers, the figure is the intakes' acknowledged rate;
# the session tier may lag behind it, so the script also waits (bounded) until the session
# tier has consumed every beacon record the intakes wrote and reports that drain time and
# the end-to-end rate (beacons / (run + drain)).
#
#   scripts/loadtest-twotier.sh [path/to/otelcol-rum]
#
# LOADTEST_INTAKE_QUEUE=1 runs the intakes' kafka exporter with an in-memory sending
# queue that batches per session key (acknowledged before the records are in Kafka) in
# place of the tier configuration's synchronous export. (With the queue's default size and
# 100k session keys it fills up and the intakes refuse about 40% of the beacons with
# "sending queue is full": partitioned batching holds a batch per key.)
#
# Environment: LOADTEST_DURATION (seconds per measured run, default 10), LOADTEST_WARMUP
# (default 2), LOADTEST_ROUNDS (default 3), LOADTEST_CONNECTIONS (default 32), LOADTEST_OUT
# (default build/loadtest-twotier). Ports 19347 and 19400-19421 on 127.0.0.1. Run it
# under `flock /tmp/heavy.lock` on a shared machine. Every process it starts is stopped
# when it ends, however it ends.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bin=${1:-build/otelcol-rum/otelcol-rum}
duration=${LOADTEST_DURATION:-10}
duration=${duration%s}
warmup=${LOADTEST_WARMUP:-2}
warmup=${warmup%s}
rounds=${LOADTEST_ROUNDS:-3}
connections=${LOADTEST_CONNECTIONS:-32}
out=${LOADTEST_OUT:-build/loadtest-twotier}
beacon=receiver/rumreceiver/testdata/sdk/vitals-02-fcp.json
tiers=deploy/config

die() {
  echo "loadtest-twotier: $*" >&2
  exit 1
}

for v in duration warmup rounds connections; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "LOADTEST_${v^^} must be a positive whole number, not '${!v}'"
done
((connections >= 2)) || die "LOADTEST_CONNECTIONS must be at least 2 (half go to each intake)"
[[ -x $bin ]] || die "$bin not found; run 'make build' first (or 'make loadtest-twotier')"
for tool in wrk curl; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install $tool)"
done
"$bin" components | grep -q 'kafkareceiver' || die "$bin has no kafka receiver (builder-config.yaml)"

mkdir -p "$out/logs"
rm -f "$out"/logs/*.log
tools=$(mktemp -d)
results=$out/results.tsv
: >"$results"

# Every background process, by pid: stopped on every way out (SIGTERM, then SIGKILL).
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_all; rm -rf "$tools"' EXIT
trap 'exit 130' INT TERM

echo "loadtest-twotier: building the broker"
go build -o "$tools/broker" ./test/kafka/broker

if (($(nproc) >= 2)) && command -v taskset >/dev/null; then
  server_cpu=(taskset -c 0)
  load_cpu=(taskset -c 1)
  pinning="every server process pinned to core 0, wrk to core 1 (taskset)"
else
  server_cpu=()
  load_cpu=()
  pinning="unpinned"
fi

broker=127.0.0.1:19400
intake=(127.0.0.1:19401 127.0.0.1:19402)
single=127.0.0.1:19347

# The session tier exports to debug: the figure is the tiers', not a backend's. The test
# broker cannot create a compacted topic, so kafka_handover creates its own.
cat >"$tools/session-overlay.yaml" <<'EOF'
extensions:
  kafka_handover:
    create_topic: {enabled: true, partitions: 4}
exporters:
  debug:
    verbosity: basic
service:
  telemetry:
    logs: {level: warn}
    metrics:
      readers:
        - pull:
            exporter:
              prometheus: {host: 127.0.0.1, port: "${env:TELEMETRY_PORT}"}
  pipelines:
    traces: {exporters: [debug]}
    logs: {exporters: [debug]}
    metrics: {exporters: [debug]}
EOF
cat >"$tools/intake-overlay.yaml" <<'EOF'
receivers:
  rum:
    rate_limit:
      per_app: {rate: 0}
      per_client: {rate: 0}
service:
  telemetry:
    logs: {level: warn}
    metrics:
      readers:
        - pull:
            exporter:
              prometheus: {host: 127.0.0.1, port: "${env:TELEMETRY_PORT}"}
EOF
intake_mode="synchronous kafka export (the tier configuration)"
if [[ ${LOADTEST_INTAKE_QUEUE:-0} == 1 ]]; then
  intake_mode="kafka export through an in-memory sending queue batching per session key"
  cat >>"$tools/intake-overlay.yaml" <<'EOF'
exporters:
  kafka:
    sending_queue:
      enabled: true
      batch:
        flush_timeout: 200ms
        partition:
          metadata_keys: [rum.session.key]
EOF
fi

# run_bg <log> <command...>: starts a server process pinned, in the background.
run_bg() {
  local log=$1
  shift
  "${server_cpu[@]}" "$@" >"$log" 2>&1 &
  pids+=($!)
}

wait_http() { # wait_http <url> <what>
  local deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null "$1"; do
    ((SECONDS < deadline)) || die "$2 did not answer on $1 within 60 s; see $out/logs/"
    sleep 0.2
  done
}

# collector <name> <round> <env...> -- <config...>: one collector of the two tiers.
collector() {
  local name=$1 round=$2
  shift 2
  local env=()
  while [[ $1 != -- ]]; do env+=("$1"); shift; done
  shift
  local args=()
  for c in "$@"; do args+=(--config "$c"); done
  run_bg "$out/logs/$name-round$round.log" env "${env[@]}" "$bin" "${args[@]}"
}

start_twotier() { # start_twotier <round>
  local round=$1 i
  run_bg "$out/logs/broker-round$round.log" "$tools/broker" -addr "$broker" -partitions 4 \
    -topics rum_traces,rum_logs,rum_metrics
  local deadline=$((SECONDS + 30))
  until grep -q "broker ready" "$out/logs/broker-round$round.log"; do
    ((SECONDS < deadline)) || die "the broker did not start; see $out/logs/broker-round$round.log"
    sleep 0.1
  done
  for i in 0 1; do
    collector "session-$i" "$round" POD_NAME="session-$i" KAFKA_BROKERS=$broker HEALTH_CHECK_ENDPOINT=127.0.0.1:1941$i \
      TELEMETRY_PORT=1941$((i + 5)) PROMETHEUS_ENDPOINT=127.0.0.1:1942$i RUM_STORAGE_DIR="$tools/storage-$round-$i" \
      -- "$tiers/session.yaml" "$tools/session-overlay.yaml"
  done
  for i in 0 1; do
    collector "intake-$i" "$round" POD_NAME="intake-$i" KAFKA_BROKERS=$broker RUM_ENDPOINT="${intake[$i]}" \
      HEALTH_CHECK_ENDPOINT=127.0.0.1:1941$((i + 2)) TELEMETRY_PORT=1941$((i + 7)) -- "$tiers/intake.yaml" "$tools/intake-overlay.yaml"
  done
  for i in 0 1; do
    wait_http "http://127.0.0.1:1941$i/" "session-$i"
    wait_http "http://127.0.0.1:1941$((i + 2))/" "intake-$i"
  done
}

start_single() { # start_single <round>
  run_bg "$out/logs/single-round$1.log" "$bin" --config test/loadtest/configs/full.yaml
  local deadline=$((SECONDS + 60))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://$single/") != 000 ]]; do
    ((SECONDS < deadline)) || die "the single collector did not answer; see $out/logs/single-round$1.log"
    sleep 0.2
  done
}

# counter <telemetry port> <metric prefix> <label>: the sum of a collector's own counter.
counter() {
  curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" -v l="$3" \
    'index($0, m) == 1 && index($0, l) { s += $NF } END { printf "%d", s }'
}
tier_written() { echo $(($(counter 19417 otelcol_exporter_sent_log_records 'exporter="kafka/logs"') + $(counter 19418 otelcol_exporter_sent_log_records 'exporter="kafka/logs"'))); }
tier_consumed() { echo $(($(counter 19415 otelcol_receiver_accepted_log_records 'receiver="kafka/logs"') + $(counter 19416 otelcol_receiver_accepted_log_records 'receiver="kafka/logs"'))); }

# wrk_run <addr> <connections> <seconds> <run tag>: prints wrk's LOADTEST line.
wrk_run() {
  LT_BODY=$beacon LT_CONTENT_TYPE="text/plain;charset=UTF-8" LT_BEACON=1 LT_RUN=$4 \
    "${load_cpu[@]}" wrk -t1 -c"$2" -d"${3}s" --timeout 10s --latency \
    -s test/loadtest/post.lua "http://$1/vitals" >"$out/logs/wrk-$4.log" 2>&1 || true
  grep '^LOADTEST ' "$out/logs/wrk-$4.log" || die "wrk printed no result against $1; see $out/logs/wrk-$4.log"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

echo "loadtest-twotier: $rounds rounds of single and two-tier, ${warmup} s warm-up + ${duration} s each, $connections connections; $pinning"
printf 'round\tsetup\tok_requests\tseconds\terrors\tdrain_s\n' >>"$results"
half=$((connections / 2))
for ((round = 1; round <= rounds; round++)); do
  start_single "$round"
  wrk_run "$single" "$connections" "$warmup" "s${round}w" >/dev/null
  line=$(wrk_run "$single" "$connections" "$duration" "s$round") || die "wrk printed no result"
  ok=$(($(field requests "$line") - $(field non2xx "$line")))
  errors=$(($(field non2xx "$line") + $(field socket_errors "$line")))
  printf '%s\tsingle\t%s\t%s\t%s\t0\n' "$round" "$ok" "$(field seconds "$line")" "$errors" >>"$results"
  echo "  round $round  single: $ok beacons acknowledged in $(field seconds "$line") s, $errors errors"
  stop_all

  start_twotier "$round"
  # Warm up through both intakes; this also lets the consumer group settle.
  wrk_run "${intake[0]}" "$half" "$warmup" "t${round}wa" >"$tools/wa" &
  wrk_a=$!
  wrk_run "${intake[1]}" "$half" "$warmup" "t${round}wb" >"$tools/wb"
  wait "$wrk_a"
  wrk_run "${intake[0]}" "$half" "$duration" "t${round}a" >"$tools/a" &
  wrk_a=$!
  wrk_run "${intake[1]}" "$half" "$duration" "t${round}b" >"$tools/b"
  wait "$wrk_a"
  a=$(cat "$tools/a") b=$(cat "$tools/b")
  ok=$(($(field requests "$a") - $(field non2xx "$a") + $(field requests "$b") - $(field non2xx "$b")))
  errors=$(($(field non2xx "$a") + $(field socket_errors "$a") + $(field non2xx "$b") + $(field socket_errors "$b")))
  seconds=$(awk -v x="$(field seconds "$a")" -v y="$(field seconds "$b")" 'BEGIN { print (x > y) ? x : y }')
  # Drain: until the session tier consumed a log record for every beacon the intakes
  # acknowledged (warm-up included), the intakes' queues (if any) flushed.
  acked=$ok
  for f in "$tools/wa" "$tools/wb"; do
    acked=$((acked + $(field requests "$(cat "$f")") - $(field non2xx "$(cat "$f")")))
  done
  start=$(date +%s.%N)
  drain=""
  for _ in $(seq 600); do
    written=$(tier_written) consumed=$(tier_consumed)
    if ((consumed >= acked)); then
      drain=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
      break
    fi
    sleep 0.1
  done
  [[ -n $drain ]] || drain="timeout(60s; acknowledged $acked, written $written, consumed $consumed)"
  printf '%s\ttwotier\t%s\t%s\t%s\t%s\n' "$round" "$ok" "$seconds" "$errors" "$drain" >>"$results"
  echo "  round $round  two-tier: $ok beacons acknowledged in $seconds s, $errors errors; the session tier had consumed a record for each of the $acked beacons (warm-up included; $written written) $drain s later"
  stop_all
done

median() { # median <setup> <rate|drain>
  awk -F'\t' -v s="$1" -v c="$2" '
    NR > 1 && $2 == s { v[n++] = (c == "rate") ? $3 / $4 : (c == "e2e" ? $3 / ($4 + $6) : $6) }
    END {
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      print (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
    }' "$results"
}

single_rate=$(median single rate)
tier_rate=$(median twotier rate)
tier_e2e=$(median twotier e2e)
echo
echo "## Two-tier load test: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
echo
echo "Machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)); $pinning."
echo "wrk closed loop, $connections connections in all, web-vitals beacons (unique ids, 100k sessions), medians of $rounds rounds of ${duration} s."
echo "Intakes: $intake_mode."
echo
echo "| setup | beacons/s acknowledged | end to end (incl. drain) | session tier drain after the run |"
echo "|---|---|---|---|"
printf '| single collector (full pipeline) | %.0f | %.0f | — |\n' "$single_rate" "$single_rate"
printf '| two tiers (2 intake + 2 session-tier + kfake) | %.0f | %.0f | %s s |\n' "$tier_rate" "$tier_e2e" "$(median twotier drain)"
echo
echo "Two tiers / single: $(awk -v a="$tier_rate" -v b="$single_rate" 'BEGIN { printf "%.2f", a / b }')× acknowledged," \
  "$(awk -v a="$tier_e2e" -v b="$single_rate" 'BEGIN { printf "%.2f", a / b }')× end to end."
echo "Raw results: $results; logs: $out/logs/."
