#!/usr/bin/env node
// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Deploys the demo shop's source maps where the collector's jserrors processor looks for
// them, as a CI step would at deploy time (make demo, and the demo-stack end-to-end test):
//
//   node deploy-maps.mjs --dir build/demo/sourcemaps [--build]
//
// The layout is the processor's local one, keyed by app, release and the bundle's URL
// path:  <dir>/<service.name>/<service.version>/<bundle URL path>.map, e.g.
//   build/demo/sourcemaps/shop-frontend/fbd109363503/dist/shop-faro.js.map
// Each front-end gets the map of its own bundle only. The names come from
// dist/shop-build.json (build.mjs); the bundles are built first when it is missing, or
// always with --build. Maps of earlier releases are left in place: browsers that still
// run an older build keep sending its stack traces. Each map is written to a temporary
// name and renamed, so a collector reading the directory never sees half a map.
//
// stdout: one JSON object, {"dir", "release", "maps": [paths]}.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, readShopBuild, SHOP_BUILD_FILE } from './build.mjs';
import { runMain, usageError } from './lib/cli.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    build: { type: 'boolean', default: false },
  },
});
if (!args.dir) usageError('deploy-maps.mjs', '--dir DIR is required');

// A path component the layout may use: no separators, not "." or "..".
const SEGMENT = /^(?!\.\.?$)[A-Za-z0-9._-]+$/;

// mapPath is where the map of bundle goes under dir, refusing names that would leave it.
function mapPath(dir, app, release, urlPath) {
  const parts = urlPath.split('/').filter(Boolean);
  for (const [what, value] of [['app', app], ['release', release], ...parts.map((p) => ['bundle URL path', p])]) {
    if (!SEGMENT.test(value)) throw new Error(`${what} ${JSON.stringify(value)} cannot be a path component`);
  }
  return path.join(dir, app, release, ...parts) + '.map';
}

async function main() {
  if (args.build || !fs.existsSync(SHOP_BUILD_FILE)) await build();
  const shopBuild = readShopBuild();
  const dir = path.resolve(args.dir);
  const maps = [];
  for (const b of shopBuild.bundles) {
    const to = mapPath(dir, b.app, shopBuild.release, b.url_path);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    const tmp = `${to}.${process.pid}.tmp`;
    fs.copyFileSync(path.join(here, 'dist', b.map), tmp);
    fs.renameSync(tmp, to);
    maps.push(to);
  }
  process.stdout.write(JSON.stringify({ dir, release: shopBuild.release, maps }) + '\n');
  return 0;
}

runMain('deploy-maps.mjs', main);
