#!/usr/bin/env node
// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Re-captures the real browser SDK payloads committed under
// receiver/rumreceiver/testdata/sdk/. See README.md.
//
//   node capture.mjs [--out DIR] [--scenario faro,otel,...]
//
// For each scenario: starts a page server and a recording "collector" on two
// ephemeral 127.0.0.1 ports, drives headless Chromium through the page,
// waits until the scenario's explicit check list passes (hard timeout 60 s
// per scenario), and writes one file per request body plus manifest.json.
// Exits non-zero, without touching --out, if any check fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from './build.mjs';
import { launchBrowser, newLoopbackContext } from './lib/browser.mjs';
import { runMain, usageError } from './lib/cli.mjs';
import { startPageServer, startRecordingCollector } from './lib/servers.mjs';
import { SCENARIOS, HARD_TIMEOUT_MS, evaluateChecks, jsonOf } from './lib/scenarios.mjs';
import { trackCollectorRequests } from './lib/track.mjs';
import { withTimeout } from './lib/timeout.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_OUT = path.resolve(here, '../../receiver/rumreceiver/testdata/sdk');
const APP_KEY = 'test-app-key';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: DEFAULT_OUT },
    scenario: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
  },
});
const wanted = args.scenario.split(',').map((s) => s.trim()).filter(Boolean);
for (const s of wanted) if (!SCENARIOS[s]) usageError('capture.mjs', `unknown scenario ${s}; known: ${Object.keys(SCENARIOS)}`);

function versions() {
  const pkgs = [
    '@grafana/faro-web-sdk',
    '@grafana/faro-web-tracing',
    '@grafana/faro-core',
    '@opentelemetry/sdk-trace-web',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/exporter-trace-otlp-proto',
    '@opentelemetry/exporter-logs-otlp-http',
    '@opentelemetry/sdk-logs',
    '@opentelemetry/instrumentation-document-load',
    '@opentelemetry/instrumentation-fetch',
    '@opentelemetry/instrumentation-user-interaction',
    '@opentelemetry/instrumentation-browser-navigation',
    'web-vitals',
    'playwright-core',
  ];
  return Object.fromEntries(
    pkgs.map((p) => [p, JSON.parse(fs.readFileSync(path.join(here, 'node_modules', p, 'package.json'), 'utf8')).version]),
  );
}

function fileSuffix(scenarioName, rec) {
  if (rec.path.startsWith('/collect/')) return { stem: 'collect', ext: 'json' };
  if (rec.path.startsWith('/v1/')) {
    const stem = rec.path.slice(1).replaceAll('/', '-');
    return { stem, ext: (rec.content_type || '').includes('protobuf') ? 'binpb' : 'json' };
  }
  if (rec.path === '/vitals') {
    const j = jsonOf(rec);
    if (Array.isArray(j)) return { stem: 'batch', ext: 'json' };
    return { stem: String(j?.name || 'vital').toLowerCase(), ext: 'json' };
  }
  return { stem: rec.path.slice(1).replaceAll('/', '-') || 'root', ext: 'bin' };
}

// Short description of a payload for the manifest.
function summarize(rec) {
  const j = (rec.content_type || '').includes('protobuf') ? null : jsonOf(rec);
  if (!j) return { bytes: rec.body.length };
  if (rec.path.startsWith('/collect/')) {
    const s = { keys: Object.keys(j) };
    for (const k of ['logs', 'events', 'measurements', 'exceptions']) {
      if (Array.isArray(j[k])) s[k] = j[k].length;
    }
    if (Array.isArray(j.events)) s.event_names = [...new Set(j.events.map((e) => e.name))];
    if (Array.isArray(j.measurements)) {
      s.measurement_types = [...new Set(j.measurements.map((m) => m.type))];
      s.web_vitals = j.measurements
        .filter((m) => m.type === 'web-vitals')
        .flatMap((m) => Object.keys(m.values).filter((k) => ['lcp', 'inp', 'cls', 'fcp', 'ttfb'].includes(k)));
    }
    if (Array.isArray(j.logs)) s.log_levels = j.logs.map((l) => l.level);
    if (Array.isArray(j.exceptions)) s.exception_values = j.exceptions.map((e) => e.value);
    if (j.traces) {
      s.span_names = (j.traces.resourceSpans || []).flatMap((rs) =>
        (rs.scopeSpans || []).flatMap((ss) => (ss.spans || []).map((sp) => sp.name)),
      );
    }
    return s;
  }
  if (j.resourceSpans) {
    return {
      keys: Object.keys(j),
      span_names: j.resourceSpans.flatMap((rs) => (rs.scopeSpans || []).flatMap((ss) => (ss.spans || []).map((sp) => sp.name))),
    };
  }
  if (j.resourceLogs) {
    return {
      keys: Object.keys(j),
      log_records: j.resourceLogs.flatMap((rl) =>
        (rl.scopeLogs || []).flatMap((sl) =>
          (sl.logRecords || []).map((l) => {
            // browser.web_vital:<name>, browser.navigation:<type or "load">
            const at = (k) => (l.attributes || []).find((a) => a.key === k)?.value;
            if (l.eventName === 'browser.navigation') return `${l.eventName}:${at('browser.navigation.type')?.stringValue ?? 'load'}`;
            return `${l.eventName}:${at('browser.web_vital.name')?.stringValue}`;
          }),
        ),
      ),
    };
  }
  if (Array.isArray(j)) return { array_of: j.map((m) => m.name) };
  return { keys: Object.keys(j), name: j.name };
}

async function runScenario(browser, name) {
  const scenario = SCENARIOS[name];
  const pages = await startPageServer();
  const collector = await startRecordingCollector();
  const { context, offLoopback } = await newLoopbackContext(browser);
  const tracker = trackCollectorRequests(context, collector.origin);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const info = {
    appKey: APP_KEY,
    documents: pages.documents,
    backendRequests: pages.backendRequests,
  };
  const deadline = Date.now() + HARD_TIMEOUT_MS;
  let journey = {};
  let journeyError = null;
  let results = [];
  try {
    journey = await withTimeout(
      scenario.run(page, { pageOrigin: pages.origin, collector: collector.origin, appKey: APP_KEY }),
      HARD_TIMEOUT_MS - 5_000,
      `scenario ${name}`,
    );
    // Wait until every check passes (or the hard deadline).
    for (;;) {
      results = evaluateChecks(scenario, collector.requests, info);
      if (results.every((r) => r.ok) || Date.now() >= deadline) break;
      await collector.waitForRequest(Math.min(500, Math.max(0, deadline - Date.now())));
    }
    // Let stragglers arrive so the capture is complete, then re-check.
    await tracker.settle({ quietMs: 1000, maxMs: Math.max(0, Math.min(5_000, deadline - Date.now())) });
    results = evaluateChecks(scenario, collector.requests, info);
  } catch (e) {
    journeyError = String(e && e.stack || e);
    results = evaluateChecks(scenario, collector.requests, info);
  } finally {
    await context.close().catch(() => {});
    await pages.close();
    await collector.close();
  }
  return {
    name,
    scenario,
    pages,
    collector,
    journey,
    journeyError,
    results,
    offLoopback,
    pageErrors,
    browserSeen: tracker.seen,
  };
}

function dedupePreflights(preflights) {
  const m = new Map();
  for (const p of preflights) m.set(JSON.stringify(p), p);
  return [...m.values()];
}

async function main() {
  await build();
  const browser = await launchBrowser();
  const chromiumVersion = browser.version();
  const runs = [];
  try {
    for (const name of wanted) {
      const t0 = Date.now();
      const run = await runScenario(browser, name);
      runs.push(run);
      const ok = !run.journeyError && run.results.every((r) => r.ok) && run.offLoopback.length === 0;
      console.error(`[${name}] ${ok ? 'OK' : 'FAILED'} in ${Date.now() - t0} ms, ${run.collector.requests.length} request(s) recorded`);
      for (const r of run.results) console.error(`  ${r.ok ? 'pass' : 'FAIL'}  ${r.name}${r.error ? ' (' + r.error + ')' : ''}`);
      if (run.journeyError) console.error(`  journey error: ${run.journeyError}`);
      if (run.offLoopback.length) console.error(`  FAIL  requests outside the loopback interface: ${run.offLoopback.join(', ')}`);
      const seen = run.browserSeen.length;
      if (seen !== run.collector.requests.length) {
        console.error(`  note: browser reported ${seen} collector request(s), collector recorded ${run.collector.requests.length}`);
      }
    }
  } finally {
    await browser.close();
  }

  const failed = runs.filter((r) => r.journeyError || !r.results.every((x) => x.ok) || r.offLoopback.length);
  const outDir = failed.length ? fs.mkdtempSync(path.join(os.tmpdir(), 'rum-capture-failed-')) : args.out;
  fs.mkdirSync(outDir, { recursive: true });

  // A run of every scenario replaces the previous capture; a run of some (--scenario)
  // replaces only their files and manifest entries and keeps the others as they are.
  const manifestPath = path.join(outDir, 'manifest.json');
  const merge = !failed.length && wanted.length < Object.keys(SCENARIOS).length;
  let old = null;
  if (!failed.length && fs.existsSync(manifestPath)) {
    try {
      old = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    } catch {
      /* ignore a broken old manifest */
    }
  }
  const replaced = (f) => !merge || wanted.includes(f.scenario);
  // Remove the files listed by the previous manifest (and only those) that this run replaces.
  for (const f of old?.files || []) {
    if (!replaced(f)) continue;
    for (const n of [f.file, f.raw_file]) if (n && !n.includes('/')) fs.rmSync(path.join(outDir, n), { force: true });
  }

  const now = new Date().toISOString();
  const manifest =
    merge && old
      ? {
          ...old,
          // versions of packages new to this run are added; a package's version cannot
          // differ between the kept and the new captures, as both come from the lock file
          sdk_versions: { ...old.sdk_versions, ...versions() },
          scenarios: Object.fromEntries(Object.entries(old.scenarios || {}).filter(([n]) => !wanted.includes(n))),
          files: (old.files || []).filter((f) => !replaced(f)),
        }
      : {
          generated_by: 'tools/browser/capture.mjs',
          captured_at: now,
          chromium: chromiumVersion,
          sdk_versions: versions(),
          app_key: APP_KEY,
          note: 'Bodies are stored byte-for-byte as the SDK sent them (gzip bodies are stored decompressed as .json plus the raw bytes as .json.gz). Origins use ephemeral 127.0.0.1 ports.',
          scenarios: {},
          files: [],
        };
  for (const run of runs) {
    const s = {
      description: run.scenario.description,
      ...(merge ? { captured_at: now, chromium: chromiumVersion } : {}),
      page_origin: run.pages.origin,
      collector_origin: run.collector.origin,
      session_id: run.journey?.sessionId ?? null,
      documents: run.pages.documents,
      backend_requests: run.pages.backendRequests,
      cors_preflights: dedupePreflights(run.collector.preflights),
      checks: run.results,
      page_errors: run.pageErrors,
      files: [],
    };
    manifest.scenarios[run.name] = s;
    let n = 0;
    for (const rec of run.collector.requests) {
      n++;
      const { stem, ext } = fileSuffix(run.name, rec);
      const file = `${run.name}-${String(n).padStart(2, '0')}-${stem}.${ext}`;
      fs.writeFileSync(path.join(outDir, file), rec.body);
      const entry = {
        file,
        scenario: run.name,
        method: rec.method,
        path: rec.path,
        query: rec.query,
        content_type: rec.content_type,
        content_encoding: rec.content_encoding,
        gzipped: rec.gzipped,
        bytes: rec.body.length,
        headers: rec.headers,
        summary: summarize(rec),
      };
      if (rec.gzipped) {
        entry.raw_file = `${file}.gz`;
        entry.raw_bytes = rec.raw.length;
        fs.writeFileSync(path.join(outDir, entry.raw_file), rec.raw);
      }
      manifest.files.push(entry);
      s.files.push(file);
    }
  }
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  console.error(`wrote ${manifest.files.length} payload file(s) + manifest.json to ${outDir}`);
  if (failed.length) {
    console.error(`FAILED scenarios: ${failed.map((r) => r.name).join(', ')} (testdata left untouched)`);
    return 1;
  }
  return 0;
}

runMain('capture.mjs', main);
