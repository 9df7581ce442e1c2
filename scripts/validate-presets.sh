#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Validates config.example.yaml alone and merged with every exporter preset
# (exporter/*.yaml), using the collector's own `validate` command.
#
#   scripts/validate-presets.sh [path/to/otelcol-rum]
#
# Checks, in order:
#   0. conventions: every ${env:VAR} a preset reads has an example value below, and
#      every preset's header shows its usage line;
#   1. config.example.yaml alone;
#   2. each preset on top of it, with every preset variable set to an example value;
#   3. each preset again with only the required variables set, so the defaults
#      written in the presets are validated too;
#   4. the profiling extensions (pprof, zpages) that config.example.yaml documents
#      commented out, uncommented as it says;
#   5. the load test's configurations (test/loadtest/configs; peer-faro.yaml is for another
#      binary);
#   6. the two-tier deployment (deploy/config/*.yaml) with its defaults and with every
#      variable set, and the intake's overlays (deploy/config/overlays/intake-*.yaml); session.yaml needs the kafka_handover extension, and while the binary
#      lacks it, it is validated without the extension (and must be refused with it);
#   7. negative controls: a preset whose required variable is missing, and a broken
#      config in a temporary directory, must both be refused. If `validate` ever
#      accepted everything, steps 1-5 would prove nothing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bin=${1:-build/otelcol-rum/otelcol-rum}
base=config.example.yaml

if [[ ! -x $bin ]]; then
  echo "validate-presets: $bin not found; run 'make build' first" >&2
  exit 1
fi

# Example values for every variable the presets read (see exporter/README.md), and the
# base configuration's storage directory and geolocation database, so that both their
# defaults and a set value are validated.
example_env=(
  RUM_STORAGE_DIR=/var/lib/otelcol-rum
  RUM_GEOIP_DATABASE=/var/lib/GeoIP/GeoLite2-City.mmdb
  JAEGER_OTLP_ENDPOINT=localhost:14317
  PROMETHEUS_SCRAPE_ENDPOINT=localhost:8889
  PROMETHEUS_REMOTE_WRITE_URL=http://localhost:9090/api/v1/write
  OTLP_ENDPOINT=https://otlp.example.com
  "OTLP_AUTH_HEADER=Bearer example-token"
)
# Variables without a default: a preset that reads one must fail without it.
required_env=(
  OTLP_ENDPOINT=https://otlp.example.com
)
# Example values for every variable of the two-tier deployment (deploy/config, documented
# in each file's header); all have defaults.
deploy_env=(
  KAFKA_BROKERS=kafka-0.kafka:9092,kafka-1.kafka:9092
  RUM_ENDPOINT=0.0.0.0:12347
  HEALTH_CHECK_ENDPOINT=0.0.0.0:13133
  RUM_GEOIP_DATABASE=/var/lib/GeoIP/GeoLite2-City.mmdb
  POD_NAME=otelcol-rum-session-3
  OTLP_ENDPOINT=otlp.example.com:4317
  OTLP_INSECURE=false
  PROMETHEUS_ENDPOINT=0.0.0.0:8889
  RUM_STORAGE_DIR=/var/lib/otelcol-rum
)
# Start every check from an environment without any of the presets' variables.
unset_env=()
for kv in "${example_env[@]}" "${deploy_env[@]}"; do unset_env+=(-u "${kv%%=*}"); done

failures=0
check() { # check <description> <expect: pass|fail> <command...>
  local what=$1 expect=$2 out rc=0
  shift 2
  out=$("$@" 2>&1) || rc=$?
  if { [[ $expect == pass && $rc -eq 0 ]] || [[ $expect == fail && $rc -ne 0 ]]; }; then
    printf '  ok    %s\n' "$what"
  else
    printf '  FAIL  %s (expected to %s, exit code %d)\n' "$what" "$expect" "$rc"
    [[ -n $out ]] && sed 's/^/        /' <<<"$out"
    failures=$((failures + 1))
  fi
}

shopt -s nullglob
presets=(exporter/*.yaml)
if ((${#presets[@]} == 0)); then
  echo "validate-presets: no presets in exporter/" >&2
  exit 1
fi

echo "preset conventions:"
for p in "${presets[@]}"; do
  # Every variable a preset reads must have an example value above (and a line in
  # exporter/README.md), or the checks below would validate it as an empty string.
  for var in $(grep -v '^[[:space:]]*#' "$p" | grep -o '\${env:[A-Za-z_][A-Za-z0-9_]*' | sed 's/.*://' | sort -u); do
    check "$p: \$$var has an example value in $0" pass grep -q " $var=" <<<"${example_env[*]/#/ }"
  done
  check "$p: header shows the usage line" pass grep -q "otelcol-rum --config $base --config $p" "$p"
done

echo "base config:"
check "$base" pass env "${unset_env[@]}" "$bin" validate --config "$base"

echo "presets with example values for all variables:"
for p in "${presets[@]}"; do
  check "$base + $p" pass env "${unset_env[@]}" "${example_env[@]}" "$bin" validate --config "$base" --config "$p"
done

echo "presets with only the required variables (defaults in effect):"
for p in "${presets[@]}"; do
  check "$base + $p" pass env "${unset_env[@]}" "${required_env[@]}" "$bin" validate --config "$base" --config "$p"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "profiling extensions, uncommented as $base documents them:"
# The commented `pprof:`/`zpages:` blocks of the extensions section, uncommented, and the
# service.extensions line its comment gives: the check reads the documentation itself.
awk '
  /^extensions:/ { ext = 1 }
  /^service:/ { ext = 0 }
  ext && /^  # (pprof|zpages):$/ { sub(/^  # /, "  "); blocks = blocks $0 "\n"; next }
  ext && /^  #   [a-z_]+: / { sub(/^  #   /, "    "); blocks = blocks $0 "\n"; next }
  /^  # With profiling: extensions: / { sub(/^  # With profiling: /, "  "); service = $0 }
  END { printf "extensions:\n%sservice:\n%s\n", blocks, service }
' "$base" >"$tmp/profiling.yaml"
check "$base documents a pprof block" pass grep -qE '^  pprof:$' "$tmp/profiling.yaml"
check "$base documents a zpages block" pass grep -qE '^  zpages:$' "$tmp/profiling.yaml"
check "$base documents service.extensions with both" pass grep -qE '^  extensions: \[.*pprof.*zpages.*\]$' "$tmp/profiling.yaml"
check "$base + profiling extensions" pass env "${unset_env[@]}" "$bin" validate --config "$base" --config "$tmp/profiling.yaml"

echo "load test configurations:"
for c in test/loadtest/configs/*.yaml; do
  [[ $c == */peer-faro.yaml ]] && continue
  check "$c" pass env "${unset_env[@]}" "$bin" validate --config "$c"
done

echo "two-tier deployment (deploy/config):"
for c in deploy/config/*.yaml; do
  target=$c
  if [[ $c == */session.yaml ]] && ! "$bin" components 2>/dev/null | grep -q 'name: kafka_handover$'; then
    # The kafka_handover extension is not in this build yet: validate everything else of
    # the file, and make sure the file as shipped still needs it.
    echo "  note  $bin has no kafka_handover extension: $c is validated without it"
    check "$c as shipped, without kafka_handover in the build" fail env "${unset_env[@]}" "$bin" validate --config "$c"
    target=$tmp/session-without-handover.yaml
    awk '
      /^  kafka_handover:$/ { skip = 1; next }
      skip && /^    / { next }
      { skip = 0 }
      /^    handover: kafka_handover$/ { next }
      /^  extensions: \[/ { gsub(/, kafka_handover/, "") }
      { print }
    ' "$c" >"$target"
    check "$c: the handover is all that was taken out" pass test "$(diff "$c" "$target" | grep -c '^<')" -eq 6
  fi
  check "$c with its defaults" pass env "${unset_env[@]}" "$bin" validate --config "$target"
  check "$c with every variable set" pass env "${unset_env[@]}" "${deploy_env[@]}" "$bin" validate --config "$target"
done
for o in deploy/config/overlays/intake-*.yaml; do
  check "deploy/config/intake.yaml + $o" pass env "${unset_env[@]}" "${deploy_env[@]}" "$bin" validate --config deploy/config/intake.yaml --config "$o"
done

echo "negative controls (must be refused):"
for kv in "${required_env[@]}"; do
  var=${kv%%=*}
  for p in $(grep -l "\${env:$var}" "${presets[@]}" || true); do
    check "$base + $p without $var" fail env "${unset_env[@]}" "$bin" validate --config "$base" --config "$p"
  done
done
cat >"$tmp/broken.yaml" <<'YAML'
service:
  pipelines:
    traces:
      exporters: [no_such_exporter]
YAML
check "$base + broken preset (unknown exporter)" fail env "${unset_env[@]}" "$bin" validate --config "$base" --config "$tmp/broken.yaml"

if ((failures > 0)); then
  echo "validate-presets: $failures check(s) failed" >&2
  exit 1
fi
echo "validate-presets: all checks passed"
