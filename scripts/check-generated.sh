#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# make check-generated: runs the generators (the command given, `make generate`) and fails,
# listing them, if they changed any file. Generated files are committed; this catches a
# metadata.yaml edited without regenerating, a generated file edited by hand, or a
# generator whose output moved.
#
# On a clean checkout (CI) that is `git status --porcelain` after generating. In a working
# tree with changes of one's own, the files are compared before and after generating, so
# only what the generators changed is reported: a metadata.yaml regenerated but not yet
# committed passes, a generated file edited by hand does not.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $# -eq 0 ]]; then
  echo "usage: $0 GENERATE-COMMAND..." >&2
  exit 2
fi

# snapshot prints a hash per file git tracks or would track (ignored output excluded).
snapshot() {
  git ls-files -z --cached --others --exclude-standard |
    { xargs -0 sha256sum 2>/dev/null || true; } | # a tracked file deleted in the tree has no hash
    sort -k2
}

before=$(mktemp)
after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT

snapshot >"$before"
"$@"
snapshot >"$after"

# Files whose hash changed, and files that appeared or went away.
changed=$(diff "$before" "$after" | sed -n 's/^[<>] [0-9a-f]*  //p' | sort -u || true)
if [[ -n "$changed" ]]; then
  echo "generated files are not current: \`make generate\` changed" >&2
  sed 's/^/  /' <<<"$changed" >&2
  echo "run \`make generate\` and commit the result with the change that caused it (git diff shows it)" >&2
  exit 1
fi
echo "generated files: current"
