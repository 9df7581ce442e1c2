// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// The Break button's error as the browser reported it, checked against the build:
// demo.mjs takes the top frame of the minified stack trace Chromium printed, looks it up
// in the bundle's own source map (dist/, with Node's source-map reader) and compares the
// original position with the one build.mjs recorded in dist/shop-build.json. When they
// agree, what the collector must print after symbolication is known for certain, and the
// end-to-end test can hold the collector to it.
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';

// V8's frame lines: "    at fn (url:line:col)" and "    at url:line:col".
const V8_FRAME = /^\s+at (?:(.*?) \()?(\S+?):(\d+):(\d+)\)?$/;

// topFrame returns the first frame of a V8 stack trace, or null.
export function topFrame(stack) {
  for (const line of String(stack ?? '').split('\n')) {
    const m = V8_FRAME.exec(line);
    if (m) return { function: m[1] ?? '', url: m[2], line: Number(m[3]), column: Number(m[4]) };
  }
  return null;
}

const maps = new Map(); // map file → SourceMap, read once per run

// resolveFrame finds the original position of a frame of one of the shop's bundles in
// that bundle's map: {source (relative to tools/browser), line, column}, 1-based, or
// null when the frame is not in a shop bundle or the map has no mapping for it.
export function resolveFrame(frame, build, distDir) {
  let urlPath;
  try {
    urlPath = new URL(frame.url).pathname;
  } catch {
    return null;
  }
  const bundle = build.bundles.find((b) => b.url_path === urlPath);
  if (!bundle) return null;
  const file = path.join(distDir, bundle.map);
  if (!maps.has(file)) maps.set(file, new SourceMap(JSON.parse(fs.readFileSync(file, 'utf8'))));
  const origin = maps.get(file).findOrigin(frame.line, frame.column);
  if (!origin?.fileName) return null;
  // The map's sources are relative to the map, which is in dist/.
  return { source: path.posix.join('dist', origin.fileName), line: origin.lineNumber, column: origin.columnNumber };
}

// checkBreakFrame returns what is wrong with the reported stack (an empty list when the
// top frame resolves to the build's break site), and the frame and its resolution.
export function checkBreakFrame(stack, build, distDir) {
  const frame = topFrame(stack);
  if (!frame) return { problems: [`the Break error's stack has no V8 frame: ${JSON.stringify(stack)}`] };
  const resolved = resolveFrame(frame, build, distDir);
  const want = build.break;
  const problems = [];
  if (!resolved) problems.push(`the Break error's top frame ${frame.url}:${frame.line}:${frame.column} has no mapping`);
  else if (resolved.source !== want.source || resolved.line !== want.line || resolved.column !== want.column) {
    problems.push(
      `the Break error's top frame maps to ${resolved.source}:${resolved.line}:${resolved.column}, ` +
        `dist/shop-build.json says ${want.source}:${want.line}:${want.column}`,
    );
  }
  return { problems, frame, resolved };
}
