#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# The SPDX license header on every file of the repository that can carry a comment: Go
# files (not generated ones), shell scripts, the JavaScript of tools/browser, Makefiles
# and YAML. A file that has it is left alone, so the script can run at any time.
#
#   scripts/add-license-headers.sh           add the header where it is missing
#   scripts/add-license-headers.sh --check   list the files without it; exit 1 if any
#
# The files are those git tracks or would track (new files that are not ignored), so
# node_modules, build/ and the other ignored output are never touched. golangci-lint's
# goheader rule (.golangci.yml) checks the Go files' header on its own; `make lint` runs
# this script with --check for the others.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly copyright='Copyright The otelcol-rum Authors'
readonly spdx='SPDX-License-Identifier: Apache-2.0'

mode=add
case "${1:-}" in
  --check) mode=check ;;
  '') ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

# comment_of prints the line-comment marker of a file that takes the header, or nothing.
comment_of() {
  local f=$1
  case "$f" in
    *.go)
      # Generated Go files say so before the package clause (https://go.dev/s/generatedcode);
      # their generator rewrites them, header or not.
      if ! awk '/^package /{exit 1} /^\/\/ Code generated .* DO NOT EDIT\.$/{exit 0}' "$f"; then
        echo '//'
      fi
      ;;
    tools/browser/*.js | tools/browser/*.mjs) echo '//' ;;
    *.sh | Makefile | */Makefile | *.mk | *.yaml | *.yml) echo '#' ;;
    *)
      # Scripts without an extension (.ci/run) are recognised by their shebang.
      if [[ "$(basename "$f")" != *.* ]] && head -n1 "$f" | grep -qE '^#!.*[/ ](ba|da|z)?sh$'; then
        echo '#'
      fi
      ;;
  esac
}

# has_header: the two lines of the header, first in the file or right after a shebang.
has_header() {
  local f=$1 c=$2
  awk -v a="$c $copyright" -v b="$c $spdx" '
    NR == 1 && /^#!/ { skip = 1; next }
    NR == 1 + skip { first = ($0 == a); next }
    NR == 2 + skip { found = first && ($0 == b); exit }
    END { exit !found }' "$f"
}

# add_header writes the header, then a blank line, above the file's first line (below
# the shebang if it has one). The file is rewritten in place, keeping its mode.
add_header() {
  local f=$1 c=$2 tmp
  tmp=$(mktemp)
  awk -v a="$c $copyright" -v b="$c $spdx" '
    NR == 1 && /^#!/ { print; shebang = 1; next }
    !done {
      print a; print b
      if ($0 != "") print ""
      done = 1
    }
    { print }' "$f" >"$tmp"
  cat "$tmp" >"$f"
  rm -f "$tmp"
}

missing=0
while IFS= read -r f; do
  [[ -f "$f" && -s "$f" ]] || continue
  c=$(comment_of "$f")
  [[ -n "$c" ]] || continue
  has_header "$f" "$c" && continue
  if [[ "$mode" == check ]]; then
    echo "$f"
    missing=$((missing + 1))
  else
    add_header "$f" "$c"
    echo "added: $f"
  fi
done < <(git ls-files --cached --others --exclude-standard | sort -u)

if [[ "$mode" == check && "$missing" -gt 0 ]]; then
  echo "$missing files without the license header; run scripts/add-license-headers.sh" >&2
  exit 1
fi
