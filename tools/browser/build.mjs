// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Bundles the pages with esbuild into dist/ (gitignored).
// Usage: node build.mjs   (capture.mjs and drive.mjs call build() themselves,
// demo.mjs when the shop bundles are missing or stale)
//
// Two builds:
//   - the capture scenarios (faro, otel, vitals, spa-faro, spa-otel): readable bundles, so that the stack
//     traces in the committed captures stay readable too;
//   - the demo shop's front-ends (shop-faro, shop-otel, served by examples/shop): built
//     as a production site ships them, minified, with linked source maps that carry
//     sourcesContent. The shop does not serve the maps; deploy-maps.mjs copies them to
//     the collector's source-map directory instead.
//
// The shop bundles keep stable names (/dist/shop-faro.js): the shop serves them with
// Cache-Control: no-cache, so content-hashed names would buy nothing but a manifest the
// shop would have to read. What identifies a build is its release instead: the first 12
// hex digits of the SHA-256 of the shop bundles, which the pages send as service.version
// (Faro's app.version) and under which the maps are deployed. A bundle cannot contain
// its own hash, so the pages are built with a placeholder of the same length in its
// place, hashed, and the placeholder is then replaced; as the lengths are equal, no
// column moves and the maps stay exact.
//
// dist/shop-build.json records what the rest of the tooling needs to know about the
// build, in one place: the release, each front-end's app name, bundle URL path and map,
// and where the Break button's error is thrown in the original source (file, line,
// column, function), found in pages/cart.js.
import * as esbuild from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHOP_APPS } from './pages/shop-apps.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCENARIO_ENTRIES = ['faro', 'otel', 'vitals', 'spa-faro', 'spa-otel'];
export const SHOP_ENTRIES = Object.keys(SHOP_APPS);
export const SHOP_BUILD_FILE = path.join(here, 'dist', 'shop-build.json');

// Where the Break button's error comes from (pages/cart.js).
const BREAK_SOURCE = 'pages/cart.js';
const BREAK_FUNCTION = 'computeCartTotal';

// The release placeholder: as long as a release (12 hex digits), and a string no
// bundle contains otherwise (checked).
const RELEASE_PLACEHOLDER = 'shop-release';
const RELEASE_LENGTH = RELEASE_PLACEHOLDER.length;

const common = {
  absWorkingDir: here,
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120'],
  sourcemap: 'linked',
  // Faro and OTel read process.env in a few guarded places
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
};

export async function build({ quiet = true } = {}) {
  const logLevel = quiet ? 'error' : 'info';
  const scenarios = await esbuild.build({
    ...common,
    entryPoints: Object.fromEntries(SCENARIO_ENTRIES.map((e) => [e, `pages/${e}.js`])),
    minify: false,
    logLevel,
  });
  const shop = await buildShop(logLevel);
  return { metafile: { outputs: { ...scenarios.metafile.outputs, ...shop.metafile.outputs } }, shop: shop.info };
}

async function buildShop(logLevel) {
  const result = await esbuild.build({
    ...common,
    entryPoints: Object.fromEntries(SHOP_ENTRIES.map((e) => [e, `pages/${e}.js`])),
    minify: true,
    sourcesContent: true,
    define: { ...common.define, __SHOP_RELEASE__: JSON.stringify(RELEASE_PLACEHOLDER) },
    write: false,
    logLevel,
  });
  const bundles = result.outputFiles.filter((f) => f.path.endsWith('.js'));
  const hash = crypto.createHash('sha256');
  for (const f of bundles.sort((a, b) => a.path.localeCompare(b.path))) {
    if (f.text.split(RELEASE_PLACEHOLDER).length !== 2) {
      throw new Error(`${f.path}: the release placeholder ${RELEASE_PLACEHOLDER} is not there exactly once`);
    }
    hash.update(f.contents);
  }
  const release = hash.digest('hex').slice(0, RELEASE_LENGTH);

  fs.mkdirSync(path.join(here, 'dist'), { recursive: true });
  for (const f of result.outputFiles) {
    const text = f.path.endsWith('.js') ? f.text.replace(RELEASE_PLACEHOLDER, release) : f.text;
    fs.writeFileSync(f.path, text);
  }

  const info = {
    release,
    bundles: SHOP_ENTRIES.map((entry) => {
      const out = `dist/${entry}.js`;
      const meta = result.metafile.outputs[out];
      if (!meta?.inputs[BREAK_SOURCE]) throw new Error(`${out} does not contain ${BREAK_SOURCE}`);
      return { entry, app: SHOP_APPS[entry], url_path: `/${out}`, file: `${entry}.js`, map: `${entry}.js.map` };
    }),
    break: breakSite(),
  };
  fs.writeFileSync(SHOP_BUILD_FILE, JSON.stringify(info, null, 2) + '\n');
  return { metafile: result.metafile, info };
}

// breakSite finds the throw of BREAK_FUNCTION in BREAK_SOURCE and returns its
// position as a browser reports it for the top frame of the error: 1-based line and
// column of the `new` expression that creates the error (where V8 captures the stack).
function breakSite() {
  const text = fs.readFileSync(path.join(here, BREAK_SOURCE), 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^export function ${BREAK_FUNCTION}\\(`).test(l));
  if (start < 0) throw new Error(`${BREAK_SOURCE}: no "export function ${BREAK_FUNCTION}("`);
  for (let i = start + 1; i < lines.length; i++) {
    if (/^\S/.test(lines[i])) break; // the function's closing brace
    const m = /\bthrow (new )/.exec(lines[i]);
    if (m) return { source: BREAK_SOURCE, function: BREAK_FUNCTION, line: i + 1, column: m.index + 'throw '.length + 1 };
  }
  throw new Error(`${BREAK_SOURCE}: no "throw new" in ${BREAK_FUNCTION}`);
}

// readShopBuild returns what the last build wrote to dist/shop-build.json.
export function readShopBuild() {
  return JSON.parse(fs.readFileSync(SHOP_BUILD_FILE, 'utf8'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await build({ quiet: false });
  for (const [f, o] of Object.entries(r.metafile.outputs)) {
    if (f.endsWith('.js')) console.log(`${f}\t${o.bytes} bytes`);
  }
  console.log(`shop release ${r.shop.release}; Break throws at ${JSON.stringify(r.shop.break)}`);
}
