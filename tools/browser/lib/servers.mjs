// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Loopback HTTP servers used by capture.mjs and drive.mjs:
//  - startPageServer(): serves the scenario pages, the esbuild bundles and a
//    tiny JSON backend (/api/...), stamping each HTML document with a fresh
//    W3C traceparent (Server-Timing header for Faro, <meta> for OTel JS).
//  - startRecordingCollector(): a stand-in collector on another port (so all
//    SDK requests are cross-origin, as in production) that answers CORS
//    preflights and records every POST.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';

export function newTraceparent() {
  const traceId = crypto.randomBytes(16).toString('hex');
  const spanId = crypto.randomBytes(8).toString('hex');
  return { traceparent: `00-${traceId}-${spanId}-01`, traceId, spanId };
}

function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      const { port } = server.address();
      resolve(`http://${HOST}:${port}`);
    });
  });
}

function close(server) {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const PAGES = {
  // path: { title, bundle, traceContext: 'server-timing' | 'meta' | null }
  '/faro.html': { title: 'Shop (Faro)', bundle: 'faro', traceContext: 'server-timing' },
  '/otel.html': { title: 'Shop (OpenTelemetry JS)', bundle: 'otel', traceContext: 'meta' },
  '/vitals.html': { title: 'Shop (web-vitals)', bundle: 'vitals', traceContext: null },
};

// The single-page shop (pages/spa.js): one document for every path under <prefix>/app/,
// as a single-page app's server answers them.
const SPA_PAGES = {
  '/spa-faro/app/': { title: 'Single-page shop (Faro)', bundle: 'spa-faro', traceContext: 'server-timing', spa: true },
  '/spa-otel/app/': { title: 'Single-page shop (OpenTelemetry JS)', bundle: 'spa-otel', traceContext: 'meta', spa: true },
};

function pageFor(pathname) {
  if (PAGES[pathname]) return PAGES[pathname];
  for (const [prefix, page] of Object.entries(SPA_PAGES)) {
    if (pathname.startsWith(prefix) || pathname === prefix.slice(0, -1)) return page;
  }
  return undefined;
}

const CORS_ALLOW_HEADERS = 'content-type, traceparent, tracestate, baggage';

export async function startPageServer({ port = 0 } = {}) {
  const template = fs.readFileSync(path.join(root, 'pages', 'page.html'), 'utf8');
  const spaTemplate = fs.readFileSync(path.join(root, 'pages', 'spa.html'), 'utf8');
  const nextHtml = fs.readFileSync(path.join(root, 'pages', 'next.html'));
  const documents = []; // { path, query, traceparent } per HTML document served
  const backendRequests = []; // { method, path, traceparent, tracestate }

  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const origin = req.headers.origin;
    try {
      if (u.pathname.startsWith('/api/')) {
        const cors = {
          'access-control-allow-origin': origin || '*',
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': CORS_ALLOW_HEADERS,
          'access-control-max-age': '600',
          'timing-allow-origin': '*',
          vary: 'origin',
        };
        if (req.method === 'OPTIONS') {
          res.writeHead(204, cors).end();
          return;
        }
        await readBody(req);
        backendRequests.push({
          method: req.method,
          path: u.pathname,
          traceparent: req.headers.traceparent ?? null,
          tracestate: req.headers.tracestate ?? null,
        });
        let body;
        if (u.pathname.startsWith('/api/products/')) {
          const id = u.pathname.split('/').pop();
          body = { id, name: 'Trail Runner 3000', price: 129.9, currency: 'EUR', stock: 3 };
        } else if (u.pathname === '/api/cart') {
          body = { ok: true, items: 1 };
        } else {
          res.writeHead(404, { 'content-type': 'application/json', ...cors }).end('{"error":"not found"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify(body));
        return;
      }
      if (u.pathname.startsWith('/dist/')) {
        const file = path.join(root, 'dist', path.basename(u.pathname));
        if (!fs.existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        const type = file.endsWith('.map') ? 'application/json' : 'text/javascript';
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(fs.readFileSync(file));
        return;
      }
      if (u.pathname === '/next.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(nextHtml);
        return;
      }
      if (u.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      const page = pageFor(u.pathname);
      if (!page) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const tc = newTraceparent();
      const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
      let head = '';
      if (page.traceContext === 'server-timing') {
        headers['server-timing'] = `traceparent;desc="${tc.traceparent}"`;
      } else if (page.traceContext === 'meta') {
        head = `<meta name="traceparent" content="${tc.traceparent}">`;
      }
      documents.push({
        path: u.pathname,
        query: u.search,
        trace_context: page.traceContext,
        traceparent: page.traceContext ? tc.traceparent : null,
      });
      const html = (page.spa ? spaTemplate : template)
        .replaceAll('{{TITLE}}', page.title)
        .replaceAll('{{BUNDLE}}', page.bundle)
        .replaceAll('{{HEAD}}', head);
      res.writeHead(200, headers).end(html);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  const origin = await listen(server, port);
  return { origin, documents, backendRequests, close: () => close(server) };
}

// Headers a browser SDK may send cross-origin to the collector. Faro 2.12
// sends x-faro-session-id and Idempotency-Key (and x-api-key when apiKey is
// configured); OTel JS sends only the configured headers.
export const COLLECTOR_ALLOW_HEADERS = [
  'content-type',
  'content-encoding',
  'traceparent',
  'tracestate',
  'x-faro-session-id',
  'x-api-key',
  'idempotency-key',
];

const RECORDED_HEADERS = [
  'content-type',
  'user-agent',
  'content-encoding',
  'content-length',
  'origin',
  'x-api-key',
  'x-faro-session-id',
  'idempotency-key',
  'traceparent',
  'sec-fetch-mode',
];

export async function startRecordingCollector() {
  const requests = [];
  const preflights = [];
  let seq = 0;
  const waiters = new Set();

  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const origin = req.headers.origin;
    const cors = {
      'access-control-allow-origin': origin || '*',
      'access-control-allow-credentials': 'true',
      vary: 'origin',
    };
    if (req.method === 'OPTIONS') {
      preflights.push({
        path: u.pathname,
        request_method: req.headers['access-control-request-method'] ?? null,
        request_headers: req.headers['access-control-request-headers'] ?? null,
      });
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': COLLECTOR_ALLOW_HEADERS.join(', '),
        'access-control-max-age': '600',
      }).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, cors).end();
      return;
    }
    const raw = await readBody(req);
    const encoding = (req.headers['content-encoding'] || '').toLowerCase();
    let body = raw;
    let decodeError = null;
    if (encoding === 'gzip') {
      try {
        body = zlib.gunzipSync(raw);
      } catch (e) {
        decodeError = String(e);
      }
    }
    const headers = {};
    for (const h of RECORDED_HEADERS) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
    const rec = {
      seq: ++seq,
      received_at: new Date().toISOString(),
      method: req.method,
      path: u.pathname,
      query: u.search ? u.search.slice(1) : '',
      content_type: req.headers['content-type'] ?? null,
      content_encoding: req.headers['content-encoding'] ?? null,
      gzipped: encoding === 'gzip',
      headers,
      raw,
      body,
      decode_error: decodeError,
    };
    requests.push(rec);
    for (const w of waiters) w();

    if (u.pathname.startsWith('/collect')) {
      res.writeHead(202, { ...cors, 'content-type': 'application/json' }).end('{}');
    } else if (u.pathname.startsWith('/v1/')) {
      const isProto = (rec.content_type || '').includes('protobuf');
      if (isProto) res.writeHead(200, { ...cors, 'content-type': 'application/x-protobuf' }).end();
      else res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{}');
    } else {
      res.writeHead(202, { ...cors, 'content-type': 'text/plain' }).end('ok');
    }
  });
  const origin = await listen(server);
  return {
    origin,
    requests,
    preflights,
    // resolves on the next recorded request or after ms
    waitForRequest(ms) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(t);
          waiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, ms);
        waiters.add(done);
      });
    },
    close: () => close(server),
  };
}
