// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Demo shop front-end (examples/shop, pages / and /product/{id}) with the
// Grafana Faro web SDK and faro-web-tracing. Sends everything to
// <data-rum-url>/collect/<data-app-key> as app "shop-frontend" (shop-apps.js), version
// the build's release (build.mjs): the rum receiver makes them service.name and
// service.version, under which the collector finds the bundle's source map.
//
// Trace linking:
//   - the page's server span arrives as Server-Timing: traceparent, which Faro
//     copies onto its faro.performance.navigation event;
//   - the same traceparent is in <meta name="traceparent">, so the OTel
//     document-load instrumentation makes documentLoad a child of it;
//   - Faro's fetch instrumentation sends a traceparent with /api/checkout, so
//     the backend's checkout span continues the browser's fetch span.
//
// Faro does not report the connection's quality: the page puts
// navigator.connection.effectiveType into the session attribute effectiveType, which
// the rum receiver records as rum.network.effective_type. Faro keeps a resumed
// session's stored attributes, so the value is the one of the session's first page.
//
// The single-page section (/app/...; data-spa) renders its routes with pages/spa.js
// and tells Faro about them as an app would (spa-faro-web.js): the view API
// (view_changed, meta.view), route_change events in faro-react's shape, and Faro's
// own navigation instrumentation (faro.navigation), which is experimental and off
// unless asked for. Its buttons carry data-faro-user-action-name: user actions.
import { initializeFaro, getWebInstrumentations, faro } from '@grafana/faro-web-sdk';
import { TracingInstrumentation, getDefaultOTELInstrumentations } from '@grafana/faro-web-tracing';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { urlPrefix } from './common.js';
import { SHOP_APPS } from './shop-apps.js';
import { RELEASE, shopConfig, setupShop } from './shop-common.js';
import { initialFaroView, tellFaroAboutRoute } from './spa-faro-web.js';
import { matchRoute, startSpa } from './spa.js';

const cfg = shopConfig();
const url = `${cfg.rumUrl}/collect/${encodeURIComponent(cfg.appKey)}`;
// Same-origin fetches always carry traceparent; list the origin anyway so the
// intent is explicit if the API moves to another origin.
const backend = [urlPrefix(location.origin)];
// Never trace Faro's own requests to the collector.
const collector = urlPrefix(cfg.rumUrl);
// Only Chromium-based browsers have navigator.connection.
const effectiveType = navigator.connection?.effectiveType;

initializeFaro({
  url,
  app: { name: SHOP_APPS['shop-faro'], version: RELEASE, environment: 'demo' },
  sessionTracking: effectiveType ? { session: { attributes: { effectiveType } } } : undefined,
  ...(cfg.spa
    ? { view: initialFaroView(matchRoute(cfg.base, location.pathname)), experimental: { trackNavigation: true } }
    : {}),
  instrumentations: [
    ...getWebInstrumentations(),
    new TracingInstrumentation({
      instrumentations: [
        ...getDefaultOTELInstrumentations({ ignoreUrls: [collector], propagateTraceHeaderCorsUrls: backend }),
        // Faro's defaults are fetch and XHR only.
        new DocumentLoadInstrumentation(),
      ],
    }),
  ],
});

window.shop.sessionId = () => faro.api.getSession()?.id ?? null;
if (cfg.spa) {
  window.spa.sessionId = window.shop.sessionId;
  startSpa({ base: cfg.base, addUrl: '/api/checkout', onRoute: tellFaroAboutRoute });
} else {
  setupShop();
}
