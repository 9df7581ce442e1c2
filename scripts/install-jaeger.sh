#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Builds Jaeger v2 (the all-in-one `jaeger` binary, itself an OTel collector distribution)
# from its Go module and caches it outside the repo, so the end-to-end demo has a real
# trace backend. No prebuilt release can be downloaded here, only the Go module proxy is
# reachable, hence the build from source (~7 minutes on 2 cores, once).
#
# Usage: JAEGER=$(scripts/install-jaeger.sh | tail -1)
# stdout carries only the binary path (last line); every log goes to stderr.
# Env: JAEGER_CACHE_DIR overrides the cache root (default $XDG_CACHE_HOME/otelcol-rum).
set -euo pipefail

version=v1.76.0
module=github.com/jaegertracing/jaeger
cache_root=${JAEGER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/otelcol-rum}
dest_dir=$cache_root/jaeger-$version
bin=$dest_dir/jaeger

log() { echo "install-jaeger: $*" >&2; }

# Already built and runnable: nothing to do.
if [[ -x $bin ]] && "$bin" --help >/dev/null 2>&1; then
  echo "$bin"
  exit 0
fi

command -v go >/dev/null || { log "go not found on PATH"; exit 1; }

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

# `go install module@version` refuses modules whose go.mod has replace directives
# (Jaeger's does), so fetch the source through the module proxy and build it in place.
# The download runs in an empty temp module so it never touches this repo's go.mod/go.work.
log "downloading $module@$version"
mkdir -p "$work/dl"
json=$(cd "$work/dl" && GOFLAGS=-mod=mod GOWORK=off go mod download -json "$module@$version")
src=$(sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' <<<"$json" | head -1)
if [[ -z $src || ! -d $src ]]; then
  log "could not find the module dir in: $json"
  exit 1
fi

# The module cache is read-only (and shared): build from a writable private copy, in
# case go needs to touch go.mod/go.sum of the main module it now is.
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"

log "building ./cmd/jaeger (takes several minutes)"
start=$SECONDS
# -X stamps the module version so `jaeger version` says what was built (upstream's
# Makefile does the same from git tags, which a module download does not have).
ldflags="-X $module/internal/version.latestVersion=$version"
(cd "$work/src" && GOWORK=off go build -ldflags "$ldflags" -o "$work/jaeger" ./cmd/jaeger) >&2
log "built in $((SECONDS - start))s"

# Move into place atomically: copy next to the target, then rename over it, so a
# concurrent caller never sees a half-written binary.
mkdir -p "$dest_dir"
tmp_bin=$(mktemp "$dest_dir/.jaeger.XXXXXX")
cp "$work/jaeger" "$tmp_bin"
chmod 0755 "$tmp_bin"
mv -f "$tmp_bin" "$bin"
echo "$bin"
