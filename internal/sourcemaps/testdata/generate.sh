#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Regenerates the real bundles and source maps the tests of internal/sourcemaps read, from
# the sources in src/, with the bundlers front-end teams use, at pinned versions:
#
#   dist/esbuild/    esbuild --bundle --minify --sourcemap (sourcesContent included)
#   dist/terser/     esbuild --bundle (not minified), then terser --compress --mangle with
#                    the first map as its input map: the map maps straight to src/
#   dist/nocontent/  as dist/esbuild, with --sources-content=false
#   dist/inline/     as dist/esbuild, with the map inline (a data: URL in the comment)
#   dist/sections/   an index map ("sections"): the minified banner.js and the esbuild app
#                    concatenated on one line, each with its own map at its offset
#   frames.json      for each bundle, the frames V8 (Node) prints for the error breakShop
#                    throws, as if the bundle was loaded from https://shop.example/<dir>/app.js
#
# Run it from anywhere: internal/sourcemaps/testdata/generate.sh. It needs node and npm,
# installs the bundlers in a temporary directory (never in the repository) and removes it.
# The tests find the expected original lines and columns in src/ themselves, so after a
# change of the sources or of a bundler version, regenerate and run
# `go test ./internal/sourcemaps/`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

readonly esbuild_version=0.28.2
readonly terser_version=5.51.4
readonly origin=https://shop.example

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tools" \
  "esbuild@$esbuild_version" "terser@$terser_version" >/dev/null
esbuild=$tools/node_modules/.bin/esbuild
terser=$tools/node_modules/.bin/terser

rm -rf dist
mkdir -p dist/esbuild dist/terser dist/nocontent dist/inline dist/sections

common=(src/main.js --bundle --format=iife --log-level=warning)
"$esbuild" "${common[@]}" --minify --sourcemap --outfile=dist/esbuild/app.js
"$esbuild" "${common[@]}" --minify --sourcemap --sources-content=false --outfile=dist/nocontent/app.js
"$esbuild" "${common[@]}" --minify --sourcemap=inline --outfile=dist/inline/app.js

# terser after a bundler that does not minify, as rollup or webpack pipelines do. The
# intermediate files sit in the output directory so that every map's sources are
# relative to it (../../src/...); they are removed afterwards.
"$esbuild" "${common[@]}" --sourcemap --outfile=dist/terser/app.plain.js
"$terser" dist/terser/app.plain.js --compress --mangle \
  --source-map "content='dist/terser/app.plain.js.map',url='app.js.map',includeSources" \
  -o dist/terser/app.js
rm dist/terser/app.plain.js dist/terser/app.plain.js.map

# The index map: each part is a one-line minified bundle; the comment lines are dropped
# and the parts joined on one line.
"$esbuild" src/banner.js --bundle --format=iife --log-level=warning --minify --sourcemap \
  --outfile=dist/sections/banner.js
"$esbuild" "${common[@]}" --minify --sourcemap --outfile=dist/sections/main.js
node - <<'JS'
const fs = require('fs');
const dir = 'dist/sections/';
const code = (f) => fs.readFileSync(dir + f, 'utf8').split('\n')[0];
const map = (f) => JSON.parse(fs.readFileSync(dir + f + '.map', 'utf8'));
const banner = code('banner.js');
const main = code('main.js');
fs.writeFileSync(dir + 'app.js', banner + main + '\n//# sourceMappingURL=app.js.map\n');
fs.writeFileSync(dir + 'app.js.map', JSON.stringify({
  version: 3,
  file: 'app.js',
  sections: [
    { offset: { line: 0, column: 0 }, map: map('banner.js') },
    { offset: { line: 0, column: banner.length }, map: map('main.js') },
  ],
}, null, 2) + '\n');
for (const f of ['banner.js', 'banner.js.map', 'main.js', 'main.js.map']) fs.unlinkSync(dir + f);
JS

{
  echo '{'
  first=1
  for dir in esbuild terser nocontent inline sections; do
    [[ $first == 1 ]] || echo ','
    first=0
    printf '"%s": ' "$dir"
    node record.cjs "dist/$dir/app.js" "$origin/$dir/app.js"
  done
  echo '}'
} >frames.json.tmp
node -e 'const fs=require("fs");const f=JSON.parse(fs.readFileSync("frames.json.tmp","utf8"));fs.writeFileSync("frames.json",JSON.stringify(f,null,2)+"\n")'
rm frames.json.tmp
