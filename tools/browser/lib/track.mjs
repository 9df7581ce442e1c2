// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Tracks, from the browser side, the requests a page sends to the collector
// (drive.mjs and demo.mjs, where the collector is not ours to inspect;
// capture.mjs compares it with what its recording collector got).
export function trackCollectorRequests(context, collectorOrigin) {
  const seen = [];
  const pending = new Set();
  let lastActivity = Date.now();
  const isCollector = (req) => req.url().startsWith(collectorOrigin + '/') && req.method() === 'POST';
  context.on('request', (req) => {
    if (!isCollector(req)) return;
    pending.add(req);
    lastActivity = Date.now();
  });
  const finish = async (req, failed) => {
    if (!isCollector(req)) return;
    pending.delete(req);
    lastActivity = Date.now();
    let status = null;
    if (!failed) {
      try {
        status = (await req.response())?.status() ?? null;
      } catch {
        status = null;
      }
    }
    const u = new URL(req.url());
    seen.push({
      method: req.method(),
      path: u.pathname,
      query: u.search.slice(1),
      resource_type: req.resourceType(),
      status,
      failure: failed ? req.failure()?.errorText ?? 'failed' : null,
    });
  };
  context.on('requestfinished', (req) => finish(req, false));
  context.on('requestfailed', (req) => finish(req, true));
  return {
    seen,
    // resolves once nothing is pending and nothing happened for quietMs,
    // or after maxMs
    async settle({ quietMs = 1500, maxMs = 15_000 } = {}) {
      const end = Date.now() + maxMs;
      while (Date.now() < end) {
        if (pending.size === 0 && Date.now() - lastActivity >= quietMs) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    },
  };
}

// failed says whether a tracked request failed (network or CORS error) or got
// a status other than 2xx.
export function failed(r) {
  return Boolean(r.failure) || r.status === null || r.status < 200 || r.status > 299;
}
