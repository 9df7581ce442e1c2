// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Scenario definitions shared by capture.mjs (recording collector, strict
// checks) and drive.mjs (any collector, no payload access).
//
// Every scenario follows the same user journey:
//   1. open the page (SDK initialises, page load + TTFB/FCP/LCP happen),
//   2. the page fetches /api/products/42 from its own origin and inserts a
//      banner above the content after ~400 ms (layout shift -> CLS),
//   3. the driver clicks #buy, whose handler busy-waits ~80 ms (-> INP) and
//      POSTs /api/cart,
//   4. the driver waits ~1.5 s (INP entries are processed on idle; span
//      batch processors export after 1 s),
//   5. the driver NAVIGATES AWAY. That is what makes the page hidden in
//      headless Chromium (visibilitychange -> 'hidden', then pagehide), which
//      is when web-vitals reports CLS and INP and when Faro/OTel flush their
//      batches. Opening/fronting another tab does not hide a headless page.

export const HARD_TIMEOUT_MS = 60_000;

async function waitReady(page) {
  await page.waitForFunction(() => window.__rum && window.__rum.ready === true, null, { timeout: 20_000 });
}

async function interact(page) {
  await page.click('#buy');
  await page.waitForFunction(() => window.__rum.clicked === true, null, { timeout: 5_000 });
  await page.waitForTimeout(1500);
}

async function sessionIdOf(page) {
  return page.evaluate(() => (window.__rum.sessionId ? window.__rum.sessionId() : null)).catch(() => null);
}

function pageUrl(pageOrigin, path, collector, appKey, extra = {}) {
  const q = new URLSearchParams({ collector, key: appKey, ...extra });
  return `${pageOrigin}${path}?${q}`;
}

// journey(page, { pageOrigin, collector, appKey }) -> info
async function singlePageJourney(page, env, path, extra) {
  await page.goto(pageUrl(env.pageOrigin, path, env.collector, env.appKey, extra), { waitUntil: 'load' });
  await waitReady(page);
  await interact(page);
  const sessionId = await sessionIdOf(page);
  await page.goto(`${env.pageOrigin}/next.html`, { waitUntil: 'load' });
  return { sessionId };
}

async function faroJourney(page, env, extra = {}) {
  await page.goto(pageUrl(env.pageOrigin, '/faro.html', env.collector, env.appKey, extra), { waitUntil: 'load' });
  await waitReady(page);
  await interact(page);
  const sessionId = await sessionIdOf(page);
  // Second page view of the same session (sessionStorage keeps the session).
  // Navigating hides page 1: its web vitals are reported and Faro flushes.
  await page.goto(pageUrl(env.pageOrigin, '/faro.html', env.collector, env.appKey, { ...extra, next: '1' }), {
    waitUntil: 'load',
  });
  await waitReady(page);
  await page.waitForTimeout(1500);
  // Leave page 2 as well so its batch is flushed.
  await page.goto(`${env.pageOrigin}/next.html`, { waitUntil: 'load' });
  return { sessionId };
}

// The single-page journey (pages/spa.js), shared with demo.mjs: load <base>/app/,
// soft-navigate by clicking the links to /app/product/42 and /app/cart, click "Add to
// cart" (a user action with a request), rage-click "Apply coupon" (5 clicks, 80 ms apart),
// click "Pay now" (throws: an error click) and "Add to wishlist" (does nothing: a dead
// click), all on /app/cart, then leave (hidden: INP and CLS are reported, batches flush).
// Returns what it did, as window.spa recorded it.
export const RAGE_CLICKS = 5;

export async function spaSteps(page) {
  await page.waitForFunction(() => window.spa && window.spa.ready === true, null, { timeout: 20_000 });
  await page.click('#spa-link-product');
  await page.waitForSelector('#spa-link-cart', { timeout: 5_000 });
  // Faro closes its navigation activity window after 100 ms of quiet.
  await page.waitForTimeout(400);
  await page.click('#spa-link-cart');
  await page.waitForSelector('#cart-lines', { timeout: 5_000 });
  await page.waitForTimeout(400);
  await page.click('#spa-add');
  await page.waitForFunction(() => window.spa.adds.length > 0, null, { timeout: 5_000 });
  await page.waitForTimeout(400);
  for (let i = 0; i < RAGE_CLICKS; i++) {
    await page.click('#spa-rage', { delay: 10 });
    await page.waitForTimeout(80);
  }
  await page.waitForTimeout(400);
  await page.click('#spa-error');
  await page.waitForTimeout(400);
  await page.click('#spa-dead');
  // INP entries are processed on idle; the span batch processors export after 1 s.
  await page.waitForTimeout(1500);
  return page.evaluate(() => ({
    sessionId: window.spa.sessionId ? window.spa.sessionId() : null,
    routes: window.spa.routes,
    clicks: window.spa.clicks,
  }));
}

async function spaJourney(page, env, base) {
  await page.goto(pageUrl(env.pageOrigin, `${base}/app/`, env.collector, env.appKey), { waitUntil: 'load' });
  const did = await spaSteps(page);
  await page.goto(`${env.pageOrigin}/next.html`, { waitUntil: 'load' });
  return did;
}

// ---------------------------------------------------------------------------
// payload helpers for checks

export function jsonOf(rec) {
  if (rec._json !== undefined) return rec._json;
  try {
    rec._json = JSON.parse(rec.body.toString('utf8'));
  } catch {
    rec._json = null;
  }
  return rec._json;
}

const faroBodies = (recs) => recs.filter((r) => r.path.startsWith('/collect/')).map(jsonOf).filter(Boolean);
const all = (bodies, key) => bodies.flatMap((b) => (Array.isArray(b[key]) ? b[key] : []));

function otlpSpans(bodies) {
  return bodies.flatMap((b) =>
    (b.resourceSpans || []).flatMap((rs) =>
      (rs.scopeSpans || []).flatMap((ss) => (ss.spans || []).map((s) => ({ ...s, resource: rs.resource, scope: ss.scope }))),
    ),
  );
}

function otlpLogRecords(bodies) {
  return bodies.flatMap((b) =>
    (b.resourceLogs || []).flatMap((rl) =>
      (rl.scopeLogs || []).flatMap((sl) => (sl.logRecords || []).map((l) => ({ ...l, resource: rl.resource }))),
    ),
  );
}

function attr(attrs, key) {
  const a = (attrs || []).find((x) => x.key === key);
  if (!a) return undefined;
  const v = a.value || {};
  return v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue;
}

const VITALS = ['lcp', 'inp', 'cls', 'fcp', 'ttfb'];

function faroVitalsCovered(bodies) {
  const seen = new Set();
  for (const m of all(bodies, 'measurements')) {
    if (m.type !== 'web-vitals') continue;
    for (const k of VITALS) if (typeof m.values?.[k] === 'number') seen.add(k);
  }
  return seen;
}

// ---------------------------------------------------------------------------
// Faro check list (also used for the gzip variant)

function faroChecks({ gzip = false } = {}) {
  const checks = [
    {
      name: 'every /collect request is a POST with Content-Type application/json and x-faro-session-id',
      test: (recs, info) => {
        const c = recs.filter((r) => r.path.startsWith('/collect/'));
        return (
          c.length > 0 &&
          c.every(
            (r) =>
              r.method === 'POST' &&
              (r.content_type || '').startsWith('application/json') &&
              typeof r.headers['x-faro-session-id'] === 'string' &&
              r.path === `/collect/${info.appKey}`,
          )
        );
      },
    },
    {
      name: 'meta has session id, app shop-web/1.4.2/test, browser and page url',
      test: (recs) =>
        faroBodies(recs).some(
          (b) =>
            b.meta?.session?.id &&
            b.meta?.app?.name === 'shop-web' &&
            b.meta?.app?.version === '1.4.2' &&
            b.meta?.app?.environment === 'test' &&
            b.meta?.browser?.name &&
            b.meta?.page?.url?.includes('/faro.html'),
        ),
    },
    {
      name: 'traces: OTLP JSON resourceSpans with a fetch span for /api/products/42 and a documentLoad span',
      test: (recs) => {
        const spans = otlpSpans(faroBodies(recs).map((b) => b.traces).filter(Boolean));
        const fetchSpan = spans.some((s) =>
          (s.attributes || []).some((a) => /url/.test(a.key) && String(a.value?.stringValue).includes('/api/products/42')),
        );
        return fetchSpan && spans.some((s) => s.name === 'documentLoad');
      },
    },
    {
      name: 'backend received a traceparent header on /api/products/42',
      test: (recs, info) => info.backendRequests.some((r) => r.path === '/api/products/42' && r.traceparent),
    },
    {
      name: 'exceptions: uncaught error and pushError, both with stacktrace frames',
      test: (recs) => {
        const ex = all(faroBodies(recs), 'exceptions');
        const has = (re) => ex.some((e) => re.test(e.value || '') && (e.stacktrace?.frames?.length ?? 0) > 0);
        return has(/simulated uncaught error/) && has(/payment widget failed to load/);
      },
    },
    {
      name: gzip
        ? 'logs: console log, info, warn and error (consoleErrorAsLog) captured'
        : 'logs: console log, info and warn captured',
      test: (recs) => {
        const levels = new Set(all(faroBodies(recs), 'logs').map((l) => l.level));
        return ['log', 'info', 'warn', ...(gzip ? ['error'] : [])].every((l) => levels.has(l));
      },
    },
    ...(gzip
      ? []
      : [
          {
            name: 'exceptions: console.error reported as an exception (Faro default)',
            test: (recs) => all(faroBodies(recs), 'exceptions').some((e) => /^console\.error: /.test(e.value || '')),
          },
        ]),
    {
      name: 'events: add_to_cart custom event',
      test: (recs) => all(faroBodies(recs), 'events').some((e) => e.name === 'add_to_cart' && e.attributes?.product_id === '42'),
    },
    {
      name: 'events: faro.performance.navigation carrying the Server-Timing traceparent',
      test: (recs, info) => {
        const doc = info.documents.find((d) => d.path === '/faro.html' && d.traceparent);
        if (!doc) return false;
        const [, traceId, spanId] = doc.traceparent.split('-');
        return all(faroBodies(recs), 'events').some(
          (e) => e.name === 'faro.performance.navigation' && e.trace?.trace_id === traceId && e.trace?.span_id === spanId,
        );
      },
    },
    {
      name: 'events: faro.performance.resource for the fetch',
      test: (recs) =>
        all(faroBodies(recs), 'events').some(
          (e) => e.name === 'faro.performance.resource' && String(e.attributes?.name || '').includes('/api/products/42'),
        ),
    },
    {
      name: 'measurements: web-vitals lcp, inp, cls, fcp and ttfb',
      test: (recs) => VITALS.every((k) => faroVitalsCovered(faroBodies(recs)).has(k)),
    },
  ];
  if (gzip) {
    checks.push({
      name: 'requests are gzip-compressed (Content-Encoding: gzip) and decompress to JSON',
      test: (recs) => {
        const c = recs.filter((r) => r.path.startsWith('/collect/'));
        return c.length > 0 && c.every((r) => r.gzipped && !r.decode_error && jsonOf(r));
      },
    });
  } else {
    checks.push(
      {
        name: 'custom measurement cart_render',
        test: (recs) => all(faroBodies(recs), 'measurements').some((m) => m.type === 'cart_render'),
      },
      {
        name: 'second page view of the same session (meta.page.url with next=1)',
        test: (recs) => {
          const b = faroBodies(recs);
          const ids = new Set(b.map((x) => x.meta?.session?.id).filter(Boolean));
          return ids.size === 1 && b.some((x) => x.meta?.page?.url?.includes('next=1'));
        },
      },
    );
  }
  return checks;
}

// ---------------------------------------------------------------------------
// single-page check lists

// The error of the "Pay now" button (pages/spa.js SPA_ERROR_MESSAGE; demo.mjs checks it too).
export const SPA_ERROR = /Payment failed: card declined/;

function spaFaroChecks() {
  const events = (recs) => all(faroBodies(recs), 'events');
  const ev = (recs, name, pred = () => true) => events(recs).some((e) => e.name === name && pred(e.attributes || {}, e));
  return [
    {
      // The first view_changed comes from "unknown": ViewInstrumentation does not report
      // the initial view (config.view) itself.
      name: 'events: view_changed to /app/product/{id} and then to /app/cart (view API)',
      test: (recs) =>
        ev(recs, 'view_changed', (a) => a.fromView === 'unknown' && a.toView === '/app/product/{id}') &&
        ev(recs, 'view_changed', (a) => a.fromView === '/app/product/{id}' && a.toView === '/app/cart'),
    },
    {
      name: 'events: route_change (faro-react shape) from /app/product/{id} to /app/cart',
      test: (recs) =>
        ev(
          recs,
          'route_change',
          (a) => a.fromRoute === '/app/product/{id}' && a.toRoute === '/app/cart' && /\/spa-faro\/app\/cart$/.test(a.toUrl),
        ),
    },
    {
      name: 'events: faro.navigation (NavigationInstrumentation) to /app/product/42 and /app/cart',
      test: (recs) =>
        ev(recs, 'faro.navigation', (a) => /\/app\/product\/42$/.test(a.toUrl) && a.sameDocument === 'true') &&
        ev(recs, 'faro.navigation', (a) => /\/app\/cart$/.test(a.toUrl)),
    },
    {
      name: 'events: faro.user.action for add-to-cart, apply-coupon and pay',
      test: (recs) =>
        ['add-to-cart', 'apply-coupon', 'pay'].every((n) => ev(recs, 'faro.user.action', (a) => a.userActionName === n)),
    },
    {
      name: 'exceptions: the error click, inside the pay action',
      test: (recs) =>
        all(faroBodies(recs), 'exceptions').some((e) => SPA_ERROR.test(e.value || '') && e.action?.name === 'pay'),
    },
    {
      name: 'meta.page.url follows the soft navigations (a body with .../app/cart)',
      test: (recs) => faroBodies(recs).some((b) => /\/spa-faro\/app\/cart$/.test(b.meta?.page?.url || '')),
    },
    {
      name: 'measurements: web-vitals inp and cls',
      test: (recs) => ['inp', 'cls'].every((k) => faroVitalsCovered(faroBodies(recs)).has(k)),
    },
  ];
}

function spaOtelChecks() {
  const spans = (recs) => otlpSpans(recs.filter((r) => r.path === '/v1/traces').map(jsonOf).filter(Boolean));
  const logs = (recs) => otlpLogRecords(recs.filter((r) => r.path === '/v1/logs').map(jsonOf).filter(Boolean));
  const navs = (recs) => logs(recs).filter((l) => l.eventName === 'browser.navigation');
  // One click makes a span per listener it runs, each a child of the previous one's
  // (and the span of a listener that throws is never ended, so never exported).
  const clickSpansOn = (recs, id) =>
    spans(recs).filter((s) => attr(s.attributes, 'event_type') === 'click' && attr(s.attributes, 'target_xpath') === `//*[@id="${id}"]`);
  // the clicks themselves: the first listener's span, a root (no trace context is active)
  const clicksOn = (recs, id) => clickSpansOn(recs, id).filter((s) => !s.parentSpanId);
  return [
    {
      name: 'logs: browser.navigation for the document load (same_document false)',
      test: (recs) =>
        navs(recs).some((l) => attr(l.attributes, 'browser.navigation.same_document') === false && /\/spa-otel\/app\//.test(attr(l.attributes, 'url.full'))),
    },
    {
      name: 'logs: browser.navigation push, same_document true, to /app/product/42 and /app/cart',
      test: (recs) =>
        ['/spa-otel/app/product/42', '/spa-otel/app/cart'].every((p) =>
          navs(recs).some(
            (l) =>
              attr(l.attributes, 'browser.navigation.same_document') === true &&
              attr(l.attributes, 'browser.navigation.type') === 'push' &&
              String(attr(l.attributes, 'url.full')).endsWith(p),
          ),
        ),
    },
    {
      name: 'spans: click spans renamed "Navigation: <path>" for the two soft navigations',
      test: (recs) =>
        ['Navigation: /spa-otel/app/product/42', 'Navigation: /spa-otel/app/cart'].every((n) => spans(recs).some((s) => s.name === n)),
    },
    {
      name: 'spans: the add-to-cart click with a child fetch span POST /api/cart',
      test: (recs) => {
        const all = spans(recs);
        return clickSpansOn(recs, 'spa-add').some((c) =>
          all.some((s) => s.parentSpanId === c.spanId && (s.attributes || []).some((a) => String(a.value?.stringValue).endsWith('/api/cart'))),
        );
      },
    },
    {
      name: `spans: ${RAGE_CLICKS} clicks (root click spans) on the rage button, one each on the error and dead buttons`,
      test: (recs) =>
        clicksOn(recs, 'spa-rage').length === RAGE_CLICKS &&
        clicksOn(recs, 'spa-error').length === 1 &&
        clicksOn(recs, 'spa-dead').length === 1,
    },
    {
      name: 'spans: the error click recorded as an exception (otel-errors.js)',
      test: (recs) =>
        spans(recs).some((s) => (s.events || []).some((e) => e.name === 'exception' && SPA_ERROR.test(String(attr(e.attributes, 'exception.message'))))),
    },
    {
      name: 'logs: browser.web_vital inp and cls',
      test: (recs) => {
        const names = new Set(logs(recs).filter((l) => l.eventName === 'browser.web_vital').map((l) => attr(l.attributes, 'browser.web_vital.name')));
        return names.has('inp') && names.has('cls');
      },
    },
  ];
}

// ---------------------------------------------------------------------------

export const SCENARIOS = {
  faro: {
    description: 'Grafana Faro web SDK + faro-web-tracing, two page views of one session',
    run: (page, env) => faroJourney(page, env),
    checks: faroChecks(),
  },
  'faro-gzip': {
    description: 'Same journey as faro with requestCompression: true (Content-Encoding: gzip)',
    run: (page, env) => faroJourney(page, env, { gzip: '1' }),
    checks: faroChecks({ gzip: true }),
  },
  otel: {
    description: 'OpenTelemetry JS web SDK, OTLP/HTTP JSON traces + browser.web_vital log records',
    run: (page, env) => singlePageJourney(page, env, '/otel.html'),
    checks: [
      {
        name: 'POST /v1/traces with Content-Type application/json',
        test: (recs) => recs.some((r) => r.path === '/v1/traces' && r.content_type === 'application/json'),
      },
      {
        name: 'resource service.name=shop-web-otel with session.id',
        test: (recs) => {
          const spans = otlpSpans(recs.filter((r) => r.path === '/v1/traces').map(jsonOf).filter(Boolean));
          return spans.some(
            (s) => attr(s.resource?.attributes, 'service.name') === 'shop-web-otel' && attr(s.resource?.attributes, 'session.id'),
          );
        },
      },
      {
        name: 'documentLoad span is a child of the <meta name=traceparent> context',
        test: (recs, info) => {
          const doc = info.documents.find((d) => d.path === '/otel.html');
          if (!doc) return false;
          const [, traceId, spanId] = doc.traceparent.split('-');
          const spans = otlpSpans(recs.filter((r) => r.path === '/v1/traces').map(jsonOf).filter(Boolean));
          return spans.some((s) => s.name === 'documentLoad' && s.traceId === traceId && s.parentSpanId === spanId);
        },
      },
      {
        name: 'fetch span for /api/products/42',
        test: (recs) => {
          const spans = otlpSpans(recs.filter((r) => r.path === '/v1/traces').map(jsonOf).filter(Boolean));
          return spans.some((s) => (s.attributes || []).some((a) => String(a.value?.stringValue).includes('/api/products/42')));
        },
      },
      {
        name: 'POST /v1/logs with browser.web_vital events for lcp, inp, cls, fcp and ttfb',
        test: (recs) => {
          const logs = otlpLogRecords(recs.filter((r) => r.path === '/v1/logs').map(jsonOf).filter(Boolean));
          const names = new Set(
            logs.filter((l) => l.eventName === 'browser.web_vital').map((l) => attr(l.attributes, 'browser.web_vital.name')),
          );
          return VITALS.every((v) => names.has(v));
        },
      },
    ],
  },
  'otel-proto': {
    description: 'OpenTelemetry JS web SDK, OTLP/HTTP protobuf traces (exporter-trace-otlp-proto)',
    run: (page, env) => singlePageJourney(page, env, '/otel.html', { proto: '1' }),
    checks: [
      {
        name: 'POST /v1/traces with Content-Type application/x-protobuf',
        test: (recs) => recs.some((r) => r.path === '/v1/traces' && r.content_type === 'application/x-protobuf'),
      },
      {
        name: 'protobuf body contains service name, documentLoad and the fetch URL',
        test: (recs) =>
          recs.some(
            (r) =>
              r.path === '/v1/traces' &&
              r.body.includes('shop-web-otel') &&
              r.body.includes('documentLoad') &&
              r.body.includes('/api/products/42'),
          ),
      },
    ],
  },
  vitals: {
    description: 'web-vitals library alone, one navigator.sendBeacon per metric',
    run: (page, env) => singlePageJourney(page, env, '/vitals.html'),
    checks: [
      {
        name: 'beacons are POST /vitals?app_key=KEY with text/plain;charset=UTF-8',
        test: (recs, info) =>
          recs.length > 0 &&
          recs.every(
            (r) =>
              r.path === '/vitals' &&
              r.query === `app_key=${encodeURIComponent(info.appKey)}` &&
              r.content_type === 'text/plain;charset=UTF-8',
          ),
      },
      {
        name: 'one beacon each for LCP, INP, CLS, FCP, TTFB',
        test: (recs) => {
          const names = recs.map((r) => jsonOf(r)?.name).filter(Boolean);
          return ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'].every((n) => names.includes(n));
        },
      },
    ],
  },
  'vitals-batch': {
    description: 'web-vitals library alone, all metrics batched into one sendBeacon on hidden',
    run: (page, env) => singlePageJourney(page, env, '/vitals.html', { batch: '1' }),
    checks: [
      {
        name: 'a single beacon with a JSON array holding LCP, INP, CLS, FCP, TTFB',
        test: (recs) =>
          recs.length === 1 &&
          Array.isArray(jsonOf(recs[0])) &&
          ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'].every((n) => jsonOf(recs[0]).some((m) => m.name === n)),
      },
    ],
  },
};

// The single-page shop (pages/spa.js), one scenario per SDK.
SCENARIOS['spa-faro'] = {
  description: 'Grafana Faro single-page shop: view API, route_change, navigation and user-action instrumentations',
  run: (page, env) => spaJourney(page, env, '/spa-faro'),
  checks: spaFaroChecks(),
};
SCENARIOS['spa-otel'] = {
  description: 'OpenTelemetry JS single-page shop: user-interaction and browser-navigation instrumentations',
  run: (page, env) => spaJourney(page, env, '/spa-otel'),
  checks: spaOtelChecks(),
};

export function evaluateChecks(scenario, records, info) {
  return scenario.checks.map((c) => {
    let ok = false;
    let error;
    try {
      ok = Boolean(c.test(records, info));
    } catch (e) {
      error = String(e);
    }
    return { name: c.name, ok, ...(error ? { error } : {}) };
  });
}
