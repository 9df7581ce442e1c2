#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Installs the JSON schemas of the Kubernetes API that kubeconform checks the manifests of
# deploy/ against, and caches them outside the repo. kubeconform downloads its schemas from
# GitHub by default, which the project's machines cannot reach; the module proxy serves the
# k8s.io/kubernetes module, whose api/openapi-spec/swagger.json is the API's own OpenAPI
# document, and test/kubernetes/schemagen turns it into one strict, standalone schema per
# resource kind, in the layout kubeconform reads from a local directory.
#
# Usage: SCHEMAS=$(scripts/install-k8s-schemas.sh | tail -1)
#        kubeconform -strict -schema-location "$SCHEMAS" -kubernetes-version 1.37.2 ...
# stdout carries only the schema directory (last line); every log goes to stderr.
# Env: K8S_SCHEMA_CACHE_DIR overrides the cache root (default $XDG_CACHE_HOME/otelcol-rum).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

kubernetes_version=1.37.2
module=k8s.io/kubernetes
# The module's hash as the checksum database knows it: another download is refused.
module_sum=h1:A2VDEiObzkYqFTKhSsn0ZEb0RlLEXpHWj93gi2HqEwE=
generator=test/kubernetes/schemagen

# The schemas depend on the API version and on the generator: a change of either makes a
# directory of its own, so a stale cache is never used.
generator_hash=$(cat "$generator"/*.go | sha256sum | cut -c1-12)
cache_root=${K8S_SCHEMA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/otelcol-rum}
dest_dir=$cache_root/k8s-schemas/v$kubernetes_version-$generator_hash
# kubeconform looks for <location>/v<version>-standalone-strict/<kind>-<group>-<version>.json
probe=$dest_dir/v$kubernetes_version-standalone-strict/deployment-apps-v1.json

log() { echo "install-k8s-schemas: $*" >&2; }

# Already installed: nothing to do. The directory only ever appears whole (below).
if [[ -s $probe ]]; then
  echo "$dest_dir"
  exit 0
fi

command -v go >/dev/null || { log "go not found on PATH"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Downloaded from an empty module in a temporary directory, so that this repository's
# go.mod and go.sum never mention it: it is data here, not a dependency.
log "downloading $module@v$kubernetes_version"
mkdir -p "$work/dl"
json=$(cd "$work/dl" && GOFLAGS=-mod=mod GOWORK=off go mod download -json "$module@v$kubernetes_version")
field() { sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\"\(.*\)\",\{0,1\}$/\1/p" <<<"$json" | head -1; }
sum=$(field Sum)
src=$(field Dir)
if [[ $sum != "$module_sum" ]]; then
  log "hash mismatch for $module@v$kubernetes_version: got '$sum', want $module_sum"
  exit 1
fi
spec=$src/api/openapi-spec/swagger.json
[[ -s $spec ]] || { log "no OpenAPI document at $spec"; exit 1; }

mkdir -p "$cache_root/k8s-schemas"
staging=$(mktemp -d "$cache_root/k8s-schemas/.staging.XXXXXX")
GOWORK=off go run "./$generator" -spec "$spec" -out "$staging/v$kubernetes_version-standalone-strict"

# Move into place atomically: a concurrent caller sees either no schemas or all of them.
chmod 0755 "$staging"
if ! mv -T "$staging" "$dest_dir" 2>/dev/null; then
  # Another caller got there first.
  rm -rf "$staging"
fi
[[ -s $probe ]] || { log "no schemas at $dest_dir"; exit 1; }
log "installed $dest_dir"
echo "$dest_dir"
