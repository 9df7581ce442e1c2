// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Bundles pages/<scenario>.js into dist/<scenario>.js with esbuild
// (shop-faro and shop-otel are the demo shop's front-ends, examples/shop).
// Usage: node build.mjs   (capture.mjs and drive.mjs call build() themselves,
// demo.mjs when the shop bundles are missing or stale)
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ENTRIES = ['faro', 'otel', 'vitals', 'shop-faro', 'shop-otel'];

export async function build({ quiet = true } = {}) {
  const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, `pages/${e}.js`])),
    outdir: 'dist',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120'],
    sourcemap: 'linked',
    minify: false,
    logLevel: quiet ? 'error' : 'info',
    // Faro and OTel read process.env in a few guarded places
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
  });
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await build({ quiet: false });
  for (const [f, o] of Object.entries(r.metafile.outputs)) {
    if (f.endsWith('.js')) console.log(`${f}\t${o.bytes} bytes`);
  }
}
