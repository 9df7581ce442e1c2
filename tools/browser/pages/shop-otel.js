// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Demo shop front-end (examples/shop, pages under /otel) with the
// OpenTelemetry JS web SDK and the web-vitals library:
//   - spans (documentLoad tree, fetch) as OTLP/HTTP JSON to <rum>/v1/traces,
//     resource service.name "shop-frontend-otel" (shop-apps.js), service.version the
//     build's release (build.mjs; the collector finds the bundle's source map under
//     both), and a session.id that lives as long as the tab (sessionStorage), so
//     several page views share it;
//   - uncaught errors as `exception` events of an error span (otel-errors.js);
//   - each web vital as its own navigator.sendBeacon to <rum>/vitals.
// Neither SDK reports the connection's quality: the page puts
// navigator.connection.effectiveType (Chromium only) on the resource as
// rum.network.effective_type and on the beacon URL as effective_type=.
//
// The single-page section (/otel/app/...; data-spa) renders its routes with
// pages/spa.js and adds the instrumentations of single-page apps (otel-web.js):
// user-interaction (a span per click) and browser-navigation (a browser.navigation log
// record per navigation, hard or soft, sent as OTLP/HTTP JSON to <rum>/v1/logs).
//
// The page's <meta name="traceparent"> (the backend's server span) makes the
// documentLoad span its child, and the fetch instrumentation sends a
// traceparent with /api/checkout, so both directions of the page join the
// backend's traces.
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SESSION_ID } from '@opentelemetry/semantic-conventions/incubating';
import { onLCP, onINP, onCLS, onFCP, onTTFB } from 'web-vitals';
import { recordUncaughtErrors } from './otel-errors.js';
import { registerTracing } from './otel-web.js';
import { SHOP_APPS } from './shop-apps.js';
import { RELEASE, shopConfig, setupShop } from './shop-common.js';
import { startSpa } from './spa.js';

const SERVICE = SHOP_APPS['shop-otel'];
const cfg = shopConfig();

// One session per tab: sessionStorage survives navigations within the tab
// but not a new tab or a new browser context.
function tabSessionId() {
  const key = 'shop.session.id';
  let id = sessionStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem(key, id);
  }
  return id;
}
const sessionId = tabSessionId();
const effectiveType = navigator.connection?.effectiveType ?? '';
window.shop.sessionId = () => sessionId;

const resource = resourceFromAttributes({
  [ATTR_SERVICE_NAME]: SERVICE,
  [ATTR_SERVICE_VERSION]: RELEASE,
  [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: 'demo',
  [ATTR_SESSION_ID]: sessionId,
  ...(effectiveType ? { 'rum.network.effective_type': effectiveType } : {}),
});
// x-api-key is how an OTLP request names its app when the collector has `apps`
// configured.
const headers = { 'x-api-key': cfg.appKey };
const provider = new WebTracerProvider({
  resource,
  spanProcessors: [
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${cfg.rumUrl}/v1/traces`, headers }), {
      scheduledDelayMillis: 1000,
    }),
  ],
});
// Only the single-page section sends logs (browser.navigation); the batch is flushed
// when the page is hidden, as the spans are.
const loggerProvider = cfg.spa
  ? new LoggerProvider({
      resource,
      processors: [
        new BatchLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: `${cfg.rumUrl}/v1/logs`, headers }),
          scheduledDelayMillis: 1000,
        }),
      ],
    })
  : null;
// Before any click listener of the page is added: user-interaction sees only later ones.
registerTracing(provider, cfg.rumUrl, loggerProvider ? { loggerProvider } : null);
window.shop.errorSpans = []; // {trace_id, span_id} of every error span, for demo.mjs
recordUncaughtErrors(provider.getTracer(SERVICE), ({ traceId, spanId }) =>
  window.shop.errorSpans.push({ trace_id: traceId, span_id: spanId }),
);

// sendBeacon cannot set headers, so the beacon names its app key in the query,
// plus the session, service name, page and connection quality, which the rum
// receiver reads from session_id=, app=, page_url= and effective_type= (the body
// stays the plain web-vitals Metric; across origins the Referer holds only the
// origin, not the page). page_url is the page when the beacon is sent: after a soft
// navigation of the single-page section, INP and CLS are reported on the route the
// user was on (the landing URL would file them under the wrong route).
const vitalsUrl = () =>
  `${cfg.rumUrl}/vitals?app_key=${encodeURIComponent(cfg.appKey)}` +
  `&session_id=${encodeURIComponent(sessionId)}&app=${encodeURIComponent(SERVICE)}` +
  `&page_url=${encodeURIComponent(location.href)}` +
  `&effective_type=${encodeURIComponent(effectiveType)}`;
const report = (metric) => navigator.sendBeacon(vitalsUrl(), JSON.stringify(metric));
onLCP(report);
onINP(report);
onCLS(report);
onFCP(report);
onTTFB(report);

if (cfg.spa) {
  window.spa.sessionId = () => sessionId;
  startSpa({ base: cfg.base, addUrl: '/api/checkout' });
} else {
  setupShop();
}
