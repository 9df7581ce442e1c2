#!/usr/bin/env node
// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Drives one scenario against an arbitrary (real) collector, for end-to-end
// tests:
//
//   node drive.mjs --collector http://127.0.0.1:4319 --app-key secret [--scenario faro]
//                  [--page-port 0] [--timeout 60]
//
// (or RUM_COLLECTOR_URL / RUM_APP_KEY / RUM_SCENARIO / RUM_PAGE_PORT env vars)
//
// Serves the scenario pages itself on 127.0.0.1 (ephemeral port unless
// --page-port), runs the same user journey as capture.mjs in headless
// Chromium, makes the page hidden by navigating away, waits for the SDK's
// requests to be flushed, and prints ONE JSON summary on stdout (all logs go
// to stderr). Exit status: 0 ok; 1 the journey failed or timed out; 2 a
// collector request observed by the browser failed (network/CORS error) or
// got a non-2xx status.
import { parseArgs } from 'node:util';
import { build } from './build.mjs';
import { launchBrowser, newLoopbackContext } from './lib/browser.mjs';
import { loopbackBase, printSummary, runMain, usageError } from './lib/cli.mjs';
import { startPageServer } from './lib/servers.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';
import { withTimeout } from './lib/timeout.mjs';
import { failed, trackCollectorRequests } from './lib/track.mjs';

const { values: args } = parseArgs({
  options: {
    collector: { type: 'string', default: process.env.RUM_COLLECTOR_URL },
    'app-key': { type: 'string', default: process.env.RUM_APP_KEY ?? 'test-app-key' },
    scenario: { type: 'string', default: process.env.RUM_SCENARIO ?? 'faro' },
    'page-port': { type: 'string', default: process.env.RUM_PAGE_PORT ?? '0' },
    timeout: { type: 'string', default: '60' },
  },
});

if (!args.collector) usageError('drive.mjs', '--collector URL (or RUM_COLLECTOR_URL) is required');
const { base: collector, url: collectorUrl } = loopbackBase('drive.mjs', 'collector', args.collector);
const scenario = SCENARIOS[args.scenario];
if (!scenario) usageError('drive.mjs', `unknown --scenario ${args.scenario}; known: ${Object.keys(SCENARIOS).join(', ')}`);
const timeoutMs = Number(args.timeout) * 1000;
const GRACE_MS = 2500; // unload-time keepalive fetches/beacons are invisible to Playwright

const hardTimer = setTimeout(() => {
  console.error(`drive.mjs: hard timeout after ${timeoutMs} ms`);
  process.exit(1);
}, timeoutMs + 10_000);
hardTimer.unref();

const t0 = Date.now();
const log = (msg) => console.error(`drive.mjs: +${Date.now() - t0}ms ${msg}`);

async function main() {
  await build();
  log('bundles built');
  const pages = await startPageServer({ port: Number(args['page-port']) });
  const browser = await launchBrowser();
  log(`chromium ${browser.version()} launched, pages on ${pages.origin}`);
  const summary = {
    scenario: args.scenario,
    page_origin: pages.origin,
    collector,
    app_key: args['app-key'],
    chromium: browser.version(),
  };
  let exitCode = 0;
  try {
    const { context, offLoopback } = await newLoopbackContext(browser);
    const tracker = trackCollectorRequests(context, collectorUrl.origin);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    let journey;
    try {
      journey = await withTimeout(
        scenario.run(page, { pageOrigin: pages.origin, collector, appKey: args['app-key'] }),
        timeoutMs,
        'journey',
      );
    } catch (e) {
      summary.error = String(e && e.message || e);
      exitCode = 1;
    }
    log(`journey ${exitCode ? 'failed' : 'done'}`);
    await tracker.settle({ quietMs: 1000, maxMs: 5_000 });
    await new Promise((r) => setTimeout(r, GRACE_MS));
    log('flush grace over');
    await context.close().catch(() => {});

    const firstDoc = pages.documents.find((d) => d.traceparent) ?? pages.documents[0];
    summary.page_url = firstDoc ? `${pages.origin}${firstDoc.path}${firstDoc.query}` : null;
    summary.trace_context = firstDoc?.trace_context ?? null;
    summary.traceparent = firstDoc?.traceparent ?? null;
    if (summary.traceparent) {
      const [, traceId, spanId] = summary.traceparent.split('-');
      summary.trace_id = traceId;
      summary.span_id = spanId;
    }
    summary.session_id = journey?.sessionId ?? null;
    summary.documents = pages.documents;
    summary.backend_requests = pages.backendRequests;
    // Only what Playwright saw: requests sent while the document was alive.
    // Keepalive fetches / beacons sent during unload are not listed.
    summary.collector_requests_observed = tracker.seen;
    summary.page_errors = pageErrors;
    summary.off_loopback_requests = offLoopback;
    const bad = tracker.seen.filter(failed);
    if (bad.length && exitCode === 0) {
      summary.error = `${bad.length} collector request(s) failed or got a non-2xx status`;
      exitCode = 2;
    }
    if (offLoopback.length && exitCode === 0) {
      summary.error = `requests outside the loopback interface: ${offLoopback.join(', ')}`;
      exitCode = 1;
    }
  } finally {
    await browser.close().catch(() => {});
    await pages.close();
  }
  log('browser closed');
  return printSummary(summary, exitCode);
}

runMain('drive.mjs', main, { scenario: args.scenario, collector });
