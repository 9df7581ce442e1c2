#!/usr/bin/env node
// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Drives headless Chromium through the demo shop (examples/shop) as a few
// shoppers would, for `make demo` and end-to-end tests:
//
//   node demo.mjs --shop http://127.0.0.1:8080 [--sessions 2] [--otel-sessions 0]
//                 [--pause-between-pages-ms 1000] [--split-session --resume-file PATH]
//                 [--keep-open-file PATH] [--rum-url URL] [--timeout 60] [--build]
//                 [--spa-sessions 0] [--otel-spa-sessions 0]
//
// Every session is a fresh browser context (so a fresh SDK session): open the
// home page, click a product (a real navigation: the second page view),
// check out (fetch POST /api/checkout, with a traceparent), press Break (an
// uncaught TypeError thrown in pages/cart.js, minified), wait for the interaction to
// be processed (INP), then leave
// the page (navigate to about:blank), which hides it: web-vitals reports and
// the SDKs flush their queues. Faro sessions use /, OTel sessions use /otel.
//
// After those, --spa-sessions (Faro) and --otel-spa-sessions (OTel) run the single-page
// journey (spaSteps in lib/scenarios.mjs) on the shop's single-page section, /app/ and
// /otel/app/: one hard navigation, soft navigations to /app/product/42 and /app/cart,
// "Add to cart" (a POST /api/checkout), five fast clicks on "Apply coupon" (rage), "Pay
// now" (throws: an error click), "Add to wishlist" (does nothing: a dead click), leave.
// Their summaries go to "spa_sessions", next to "sessions", only when asked for.
//
// The shop tells us where its pages send RUM (GET /healthz). The browser's
// requests to that origin are watched; any failure or non-2xx status makes the
// exit status 2. Exit 1: the journey failed, timed out, or lacked something
// (a page view without Server-Timing, a checkout without traceparent, a Break error
// whose top frame does not map to the position dist/shop-build.json records, ...).
//
// stdout gets ONE JSON object summarising every session; progress goes to
// stderr, including the phase lines {"phase":"paused"} / {"phase":"resumed"}
// (--split-session) and {"phase":"open"} (--keep-open-file).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, readShopBuild, SHOP_BUILD_FILE, SHOP_ENTRIES } from './build.mjs';
import { checkBreakFrame } from './lib/breaksite.mjs';
import { launchBrowser, newLoopbackContext } from './lib/browser.mjs';
import { loopbackBase, printSummary, runMain, usageError } from './lib/cli.mjs';
import { withTimeout } from './lib/timeout.mjs';
import { failed, trackCollectorRequests } from './lib/track.mjs';
import { RAGE_CLICKS, SPA_ERROR, spaSteps } from './lib/scenarios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');

const { values: args } = parseArgs({
  options: {
    shop: { type: 'string', default: process.env.SHOP_URL ?? 'http://127.0.0.1:8080' },
    sessions: { type: 'string', default: '2' },
    'otel-sessions': { type: 'string', default: '0' },
    'spa-sessions': { type: 'string', default: '0' },
    'otel-spa-sessions': { type: 'string', default: '0' },
    'pause-between-pages-ms': { type: 'string', default: '1000' },
    'split-session': { type: 'boolean', default: false },
    'resume-file': { type: 'string' },
    'resume-timeout': { type: 'string', default: '60' },
    'keep-open-file': { type: 'string' },
    'keep-open-max': { type: 'string', default: '600' },
    'rum-url': { type: 'string' },
    timeout: { type: 'string', default: '60' },
    build: { type: 'boolean', default: false },
  },
});

const usage = (msg) => usageError('demo.mjs', msg);
const { base: shop, url: shopUrl } = loopbackBase('demo.mjs', 'shop', args.shop);

const int = (name, min) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer >= ${min}, got ${args[name]}`);
  return n;
};
const faroSessions = int('sessions', 0);
const otelSessions = int('otel-sessions', 0);
const faroSpaSessions = int('spa-sessions', 0);
const otelSpaSessions = int('otel-spa-sessions', 0);
const spaSessions = faroSpaSessions + otelSpaSessions;
const pauseMs = int('pause-between-pages-ms', 0);
const sessionTimeoutMs = int('timeout', 5) * 1000;
const resumeTimeoutMs = int('resume-timeout', 1) * 1000;
const keepOpenMaxMs = int('keep-open-max', 1) * 1000;
if (faroSessions + otelSessions + spaSessions === 0) {
  usage('nothing to do: --sessions, --otel-sessions, --spa-sessions and --otel-spa-sessions are all 0');
}
if (args['split-session'] && !args['resume-file']) usage('--split-session needs --resume-file PATH');
// Both act on the multi-page sessions (the first, the last one).
for (const flag of ['split-session', 'keep-open-file']) {
  if (args[flag] && faroSessions + otelSessions === 0) usage(`--${flag} needs --sessions or --otel-sessions`);
}

// Keepalive fetches and beacons sent while a document unloads are invisible to
// Playwright, so after leaving a page we wait this long for them to land.
const GRACE_MS = 2500;

const t0 = Date.now();
const log = (msg) => console.error(`demo.mjs: +${Date.now() - t0}ms ${msg}`);
const phase = (name, extra = {}) => console.error(JSON.stringify({ phase: name, ...extra }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A watchdog in case something hangs outside the per-phase timeouts.
const watchdogMs =
  (faroSessions + otelSessions + spaSessions) * (sessionTimeoutMs + 20_000) +
  (args['split-session'] ? resumeTimeoutMs : 0) +
  (args['keep-open-file'] ? keepOpenMaxMs : 0) +
  60_000;
setTimeout(() => {
  console.error(`demo.mjs: watchdog: giving up after ${watchdogMs} ms`);
  process.exit(1);
}, watchdogMs).unref();

// ---------------------------------------------------------------------------
// setup

// The shop serves the bundles from tools/browser/dist unless told otherwise.
// Build them when missing or older than their sources (or with --build). The
// shop's entry points import modules the other pages share, so every file of
// pages/ counts as a source.
async function ensureBundles() {
  const sources = fs.readdirSync(path.join(here, 'pages')).map((f) => fs.statSync(path.join(here, 'pages', f)).mtimeMs);
  const stale = [...SHOP_ENTRIES.map((b) => path.join(dist, `${b}.js`)), SHOP_BUILD_FILE].some(
    (out) => !fs.existsSync(out) || sources.some((mtime) => mtime > fs.statSync(out).mtimeMs),
  );
  if (args.build || stale) {
    await build();
    log('bundles built');
  }
}

// Waits for the shop to answer /healthz (it may still be starting) and learns
// from it where its pages send RUM data.
async function shopHealth() {
  const end = Date.now() + 30_000;
  let last;
  while (Date.now() < end) {
    try {
      const res = await fetch(`${shop}/healthz`);
      if (res.ok) return await res.json();
      last = `status ${res.status}`;
    } catch (e) {
      last = e.cause?.code ?? String(e);
    }
    await sleep(250);
  }
  throw new Error(`shop at ${shop} not healthy after 30 s (${last})`);
}

// The shop must serve the very bundles of tools/browser/dist: their maps are the ones
// deployed to the collector, and dist/shop-build.json describes them.
async function checkBundleServed(name) {
  const res = await fetch(`${shop}/dist/${name}.js`);
  if (!res.ok) {
    throw new Error(`${shop}/dist/${name}.js answers ${res.status}: is the shop's -assets directory tools/browser/dist?`);
  }
  const served = Buffer.from(await res.arrayBuffer());
  if (!served.equals(fs.readFileSync(path.join(dist, `${name}.js`)))) {
    throw new Error(`${shop}/dist/${name}.js is not tools/browser/dist/${name}.js: is the shop's -assets directory tools/browser/dist?`);
  }
}

// ---------------------------------------------------------------------------
// one session

function parseTraceparent(tp) {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(tp || '');
  return m ? { traceparent: tp, trace_id: m[1], span_id: m[2] } : null;
}

// Server-Timing: traceparent;desc="00-...-01" (possibly among other metrics)
function serverTimingTraceparent(header) {
  const m = /(?:^|,)\s*traceparent\s*;\s*desc\s*=\s*"?([^",;]+)"?/.exec(header || '');
  return m ? m[1].trim() : null;
}

class Session {
  constructor(index, sdk, rumOrigin) {
    this.index = index;
    this.sdk = sdk; // 'faro' | 'otel'
    this.base = sdk === 'otel' ? '/otel' : '';
    this.rumOrigin = rumOrigin;
    this.pages = []; // one per document navigation to the shop
    this.checkouts = [];
    this.errors = [];
    this.stacks = []; // the stack trace of each uncaught error, as Chromium printed it
    this.errorSpans = []; // OTel page: the spans its error handler recorded the errors on
    this.sessionIds = new Set();
    this.offLoopback = [];
    this.pending = []; // async response inspections to await before closing
  }

  async open(browser) {
    ({ context: this.context, offLoopback: this.offLoopback } = await newLoopbackContext(browser));
    this.tracker = trackCollectorRequests(this.context, this.rumOrigin);
    this.page = await this.context.newPage();
    this.page.on('pageerror', (e) => {
      this.errors.push(e.message);
      this.stacks.push(e.stack ?? '');
    });
    this.page.on('response', (res) => this.onResponse(res));
    this.page.on('requestfinished', (req) => this.onRequestFinished(req));
  }

  onResponse(res) {
    const req = res.request();
    if (req.resourceType() !== 'document' || req.frame() !== this.page.mainFrame()) return;
    const u = new URL(res.url());
    if (u.origin !== shopUrl.origin) return;
    const tp = serverTimingTraceparent(res.headers()['server-timing']);
    this.pages.push({ path: u.pathname, status: res.status(), ...(parseTraceparent(tp) ?? { traceparent: null }) });
  }

  onRequestFinished(req) {
    const u = new URL(req.url());
    if (u.origin !== shopUrl.origin || u.pathname !== '/api/checkout' || req.method() !== 'POST') return;
    this.pending.push(
      (async () => {
        const sent = (await req.allHeaders()).traceparent ?? null;
        const res = await req.response();
        let body = null;
        try {
          body = await res.json();
        } catch {
          /* not JSON: reported as missing below */
        }
        const browser = parseTraceparent(sent);
        this.checkouts.push({
          page: new URL(req.frame().url()).pathname,
          status: res?.status() ?? null,
          traceparent_sent: sent,
          trace_id: browser?.trace_id ?? null, // the browser's fetch span
          parent_span_id: browser?.span_id ?? null,
          backend_trace_id: body?.trace_id ?? null,
          backend_span_id: body?.span_id ?? null,
          order_id: body?.order_id ?? null,
        });
      })().catch((e) => this.checkouts.push({ error: String(e) })),
    );
  }

  async waitReady() {
    await this.page.waitForFunction(() => window.shop && window.shop.ready === true, null, { timeout: 20_000 });
    const id = await this.page.evaluate(() => window.shop.sessionId()).catch(() => null);
    if (id) this.sessionIds.add(id);
  }

  async visit(pathname) {
    await this.page.goto(`${shop}${this.base}${pathname}`, { waitUntil: 'load' });
    await this.waitReady();
  }

  // A real click on a product link: the browser navigates, a new document.
  async clickProduct(id) {
    await Promise.all([
      this.page.waitForURL(`**${this.base}/product/${id}`, { waitUntil: 'load' }),
      this.page.click(`#product-${id}`),
    ]);
    await this.waitReady();
  }

  async checkout() {
    const before = await this.page.evaluate(() => window.shop.checkouts.length);
    await this.page.click('#checkout');
    await this.page.waitForFunction((n) => window.shop.checkouts.length > n, before, { timeout: 10_000 });
  }

  async breakIt() {
    const before = this.errors.length;
    await this.page.click('#break');
    const end = Date.now() + 5000;
    while (this.errors.length === before && Date.now() < end) await sleep(50);
    this.breakStack ??= this.stacks[before];
    this.breakPage ??= this.pages.at(-1); // the document the button was pressed on
    if (this.sdk === 'otel') {
      this.errorSpans = await this.page.evaluate(() => window.shop.errorSpans ?? []).catch(() => []);
    }
  }

  // Navigating away hides the page: web-vitals reports CLS/INP and the SDKs
  // flush with keepalive fetches/beacons, which outlive the document.
  async leave() {
    await this.page.goto('about:blank');
    await Promise.all(this.pending);
    await this.tracker.settle({ quietMs: 1000, maxMs: 5000 });
    await sleep(GRACE_MS);
  }

  async close() {
    await Promise.allSettled(this.pending);
    await this.context?.close().catch(() => {});
  }

  checkBreak(shopBuild) {
    this.breakCheck = this.breakStack !== undefined ? checkBreakFrame(this.breakStack, shopBuild, dist) : null;
  }

  // The collector requests Playwright saw, and the requests that left the loopback
  // interface: the tail of every session's summary.
  collectorSummary() {
    const seen = this.tracker?.seen ?? [];
    const observed = {};
    for (const r of seen) observed[r.path] = (observed[r.path] ?? 0) + 1;
    // A beacon or keepalive fetch still in flight when its document unloads
    // is reported as net::ERR_ABORTED, yet the browser delivers it (the
    // collector counts it). Such requests are listed, not counted as failures;
    // a refused connection, a CORS error or a non-2xx status is a failure.
    const aborted = (r) => r.failure === 'net::ERR_ABORTED';
    return {
      // Only what Playwright saw: requests sent while a document was alive.
      collector_requests_observed: observed,
      collector_failures: seen.filter((r) => !aborted(r) && failed(r)),
      collector_requests_unconfirmed: seen.filter(aborted).map((r) => `${r.method} ${r.path}`),
      off_loopback_requests: this.offLoopback,
    };
  }

  summary() {
    const ids = [...this.sessionIds];
    return {
      index: this.index,
      sdk: this.sdk,
      session_id: ids[0] ?? null,
      session_ids_seen: ids, // more than one means the session was lost
      split: !!this.split,
      page_views: this.pages.length,
      pages: this.pages,
      page_trace_ids: this.pages.map((p) => p.trace_id).filter(Boolean),
      checkouts: this.checkouts,
      checkout_trace_ids: this.checkouts.map((c) => c.trace_id).filter(Boolean),
      errors: this.errors,
      // The Break error's top frame as the browser printed it (minified) and where the
      // bundle's map puts it; the problems below say when that is not the build's
      // break site.
      break_frame: this.breakCheck?.frame ?? null,
      break_frame_resolved: this.breakCheck?.resolved ?? null,
      break_problems: this.breakCheck?.problems ?? [],
      // The page the Break button was pressed on, with its Server-Timing trace.
      break_page: this.breakPage ?? null,
      error_spans: this.errorSpans,
      ...this.collectorSummary(),
    };
  }

  // The single-page journey's summary: what spaSteps did (routes, clicks), as the
  // page recorded it, and what the browser sent and got.
  spaSummary() {
    const ids = [...this.sessionIds];
    return {
      index: this.index,
      sdk: this.sdk,
      base: this.base,
      session_id: ids[0] ?? null,
      session_ids_seen: ids,
      // The section's document loads: one, the hard navigation, with its backend trace.
      page_views: this.pages.length,
      pages: this.pages,
      // Every route shown, the first by the hard navigation, the others soft
      // (history.pushState). template is the page's route template below base;
      // path_template the same with base, as the collector's routes name it.
      routes: (this.spa?.routes ?? []).map((r) => ({ ...r, path_template: this.base + r.template })),
      clicks: this.spa?.clicks ?? [],
      // "Add to cart": POST /api/checkout with the browser's and the backend's trace.
      adds: this.checkouts,
      add_trace_ids: this.checkouts.map((c) => c.trace_id).filter(Boolean),
      errors: this.errors,
      error_spans: this.errorSpans,
      ...this.collectorSummary(),
    };
  }
}

// What a complete session must show, else exit 1.
function problemsOf(s, expectedViews) {
  const p = [];
  if (s.page_views < expectedViews) p.push(`${s.page_views} page views, want ${expectedViews}`);
  if (s.pages.some((x) => !x.trace_id)) p.push('a page response without Server-Timing traceparent');
  if (!s.session_id) p.push('no SDK session id');
  if (s.session_ids_seen.length > 1) p.push(`session changed between pages: ${s.session_ids_seen.join(', ')}`);
  if (s.checkouts.length === 0) p.push('no checkout request');
  p.push(...checkoutProblems(s.checkouts));
  if (s.errors.length === 0) p.push('the Break button threw no error');
  if (s.errors.length > 0 && !s.break_frame) p.push('no stack trace of the Break error');
  p.push(...(s.break_problems ?? []));
  if (s.sdk === 'otel' && s.error_spans.length === 0) p.push('the OTel page recorded the Break error on no span');
  return p;
}

// checkoutProblems: each POST /api/checkout must succeed and carry the browser's
// trace to the backend.
function checkoutProblems(checkouts) {
  const p = [];
  for (const c of checkouts) {
    if (c.error || c.status !== 200) p.push(`checkout failed: ${c.error ?? c.status}`);
    else if (!c.trace_id) p.push('checkout fetch sent no traceparent');
    else if (c.backend_trace_id !== c.trace_id) p.push(`backend saw trace ${c.backend_trace_id}, browser sent ${c.trace_id}`);
  }
  return p;
}

// The routes and clicks of a complete single-page journey (spaSteps).
const SPA_ROUTES = [
  { template: '/app/', soft: false },
  { template: '/app/product/{id}', soft: true },
  { template: '/app/cart', soft: true },
];
const SPA_CLICKS = { 'spa-add': 1, 'spa-rage': RAGE_CLICKS, 'spa-error': 1, 'spa-dead': 1 };
const SPA_CLICK_ROUTE = '/app/cart';

// What a complete single-page session must show, else exit 1.
function spaProblemsOf(s) {
  const p = [];
  if (s.page_views !== 1) p.push(`${s.page_views} document loads, want 1 (then only soft navigations)`);
  if (s.pages.some((x) => !x.trace_id)) p.push('a page response without Server-Timing traceparent');
  if (!s.session_id) p.push('no SDK session id');
  if (s.session_ids_seen.length > 1) p.push(`session changed: ${s.session_ids_seen.join(', ')}`);
  const routes = s.routes.map((r) => `${r.template}${r.soft ? ' (soft)' : ''}`).join(' → ');
  const want = SPA_ROUTES.map((r) => `${r.template}${r.soft ? ' (soft)' : ''}`).join(' → ');
  if (routes !== want) p.push(`routes ${routes || 'none'}, want ${want}`);
  for (const [id, n] of Object.entries(SPA_CLICKS)) {
    const on = s.clicks.filter((c) => c.id === id);
    if (on.length !== n) p.push(`${on.length} clicks on #${id}, want ${n}`);
    if (on.some((c) => c.route !== SPA_CLICK_ROUTE)) p.push(`a click on #${id} outside ${SPA_CLICK_ROUTE}`);
  }
  if (s.adds.length === 0) p.push('no add-to-cart request');
  p.push(...checkoutProblems(s.adds));
  if (!s.errors.some((e) => SPA_ERROR.test(e))) p.push('the Pay now button threw no error');
  if (s.sdk === 'otel' && s.error_spans.length === 0) p.push('the OTel page recorded the Pay now error on no span');
  return p;
}

// ---------------------------------------------------------------------------

const PRODUCTS = ['7', '42', '3', '1', '2'];

async function waitForFile(file, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > end) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function waitForRemoval(file, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (fs.existsSync(file) && Date.now() < end) await sleep(200);
}

async function runSession(s, { split, keepOpen, pause }) {
  const product = PRODUCTS[(s.index - 1) % PRODUCTS.length];
  const step = (p, what) => withTimeout(p, sessionTimeoutMs, `session ${s.index} (${s.sdk}) ${what}`);

  await step(
    (async () => {
      await s.visit('/');
      log(`session ${s.index} (${s.sdk}): home page`);
      await sleep(pause);
      await s.clickProduct(product);
      log(`session ${s.index}: product ${product}`);
      await s.checkout();
      await s.breakIt();
      // Event Timing entries arrive after the next paint and web-vitals
      // processes them when idle: give INP time before hiding the page.
      await sleep(1500);
    })(),
    'first pages',
  );

  if (split) {
    s.split = true;
    // Leave first, so everything of the first half is flushed and nothing is
    // sent while the caller restarts the collector.
    await step(s.leave(), 'leaving before the pause');
    phase('paused', { session: s.index, sdk: s.sdk, session_id: [...s.sessionIds][0] ?? null });
    await waitForFile(args['resume-file'], resumeTimeoutMs);
    phase('resumed', { session: s.index });
    // Same context and tab: sessionStorage still holds the SDK session.
    const next = PRODUCTS[s.index % PRODUCTS.length];
    await step(
      (async () => {
        await s.visit(`/product/${next}`);
        log(`session ${s.index}: resumed on product ${next}`);
        await s.checkout();
        await sleep(1500);
      })(),
      'second half',
    );
  }

  if (keepOpen) {
    fs.writeFileSync(keepOpen, JSON.stringify({ phase: 'open', session: s.index, session_id: [...s.sessionIds][0] ?? null }) + '\n');
    phase('open', { session: s.index, file: keepOpen });
    await waitForRemoval(keepOpen, keepOpenMaxMs);
    log(`session ${s.index}: ${keepOpen} gone, leaving`);
  }
  await step(s.leave(), 'leaving');
}

// runSpaSession: one hard navigation to the section, then the soft journey.
async function runSpaSession(s) {
  const step = (p, what) => withTimeout(p, sessionTimeoutMs, `session ${s.index} (${s.sdk}, single-page) ${what}`);
  await step(
    (async () => {
      await s.page.goto(`${shop}${s.base}/app/`, { waitUntil: 'load' });
      log(`session ${s.index} (${s.sdk}): single-page section`);
      s.spa = await spaSteps(s.page);
      if (s.spa.sessionId) s.sessionIds.add(s.spa.sessionId);
      if (s.sdk === 'otel') {
        s.errorSpans = await s.page.evaluate(() => window.shop.errorSpans ?? []).catch(() => []);
      }
    })(),
    'journey',
  );
  await step(s.leave(), 'leaving');
}

async function main() {
  await ensureBundles();
  const shopBuild = readShopBuild();
  const health = await shopHealth();
  const rumUrl = (args['rum-url'] ?? health.rum_url ?? '').replace(/\/+$/, '');
  let rumOrigin;
  try {
    rumOrigin = new URL(rumUrl).origin;
  } catch {
    throw new Error(`no usable RUM URL (shop /healthz says ${JSON.stringify(health.rum_url)}); pass --rum-url`);
  }
  if (faroSessions || faroSpaSessions) await checkBundleServed('shop-faro');
  if (otelSessions || otelSpaSessions) await checkBundleServed('shop-otel');

  const browser = await launchBrowser();
  log(`chromium ${browser.version()}; shop ${shop}; RUM to ${rumUrl}`);
  const out = {
    shop,
    rum_url: rumUrl,
    app_key: health.app_key ?? null,
    chromium: browser.version(),
    release: shopBuild.release,
    break_site: shopBuild.break,
    sessions: [],
  };
  let exitCode = 0;
  const tally = (sum) => {
    if (sum.off_loopback_requests.length) sum.problems.push('requests outside the loopback interface');
    if (sum.collector_failures.length) exitCode = 2;
    else if (sum.problems.length && exitCode === 0) exitCode = 1;
  };
  const plan = [
    ...Array.from({ length: faroSessions }, () => 'faro'),
    ...Array.from({ length: otelSessions }, () => 'otel'),
  ];
  try {
    for (let i = 0; i < plan.length; i++) {
      const s = new Session(i + 1, plan[i], rumOrigin);
      const split = args['split-session'] && i === 0;
      const expectedViews = split ? 3 : 2;
      let error = null;
      try {
        await s.open(browser);
        await runSession(s, {
          split,
          keepOpen: i === plan.length - 1 ? args['keep-open-file'] : undefined,
          pause: pauseMs,
        });
      } catch (e) {
        error = String(e?.message ?? e);
        log(`session ${s.index} failed: ${error}`);
      } finally {
        await s.close();
      }
      s.checkBreak(shopBuild);
      const sum = s.summary();
      sum.problems = error ? [error] : problemsOf(sum, expectedViews);
      tally(sum);
      out.sessions.push(sum);
      log(`session ${s.index} done: ${sum.page_views} page views, ${sum.checkouts.length} checkouts, ` +
        `${sum.errors.length} errors, problems: ${sum.problems.length ? sum.problems.join('; ') : 'none'}`);
    }
    const spaPlan = [
      ...Array.from({ length: faroSpaSessions }, () => 'faro'),
      ...Array.from({ length: otelSpaSessions }, () => 'otel'),
    ];
    if (spaPlan.length) out.spa_sessions = [];
    for (let i = 0; i < spaPlan.length; i++) {
      const s = new Session(plan.length + i + 1, spaPlan[i], rumOrigin);
      let error = null;
      try {
        await s.open(browser);
        await runSpaSession(s);
      } catch (e) {
        error = String(e?.message ?? e);
        log(`session ${s.index} failed: ${error}`);
      } finally {
        await s.close();
      }
      const sum = s.spaSummary();
      sum.problems = error ? [error] : spaProblemsOf(sum);
      tally(sum);
      out.spa_sessions.push(sum);
      log(`session ${s.index} done: ${sum.routes.length} routes, ${sum.clicks.length} clicks, ` +
        `${sum.errors.length} errors, problems: ${sum.problems.length ? sum.problems.join('; ') : 'none'}`);
    }
  } finally {
    await browser.close().catch(() => {});
  }
  if (args['keep-open-file']) fs.rmSync(args['keep-open-file'], { force: true });
  const all = [...out.sessions, ...(out.spa_sessions ?? [])];
  const failures = all.flatMap((s) => s.collector_failures);
  if (failures.length) out.error = `${failures.length} collector request(s) failed or got a non-2xx status`;
  else if (exitCode) out.error = 'journey problems: ' + all.flatMap((s) => s.problems).join('; ');
  return printSummary(out, exitCode);
}

// Setup failures (shop not healthy, bundles not served, Chromium missing)
// still print one JSON object.
runMain('demo.mjs', main, { shop });
