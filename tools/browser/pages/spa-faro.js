// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Capture page of the single-page shop (spa.js) with the Grafana Faro web SDK, served
// by the capture page server for every path under /spa-faro/app/. Same Faro setup as
// faro.js (app shop-web 1.4.2, fetch tracing with traceparent to the page's origin,
// documentLoad), plus the view API and route_change events (spa-faro-web.js).
import { initializeFaro, getWebInstrumentations, faro } from '@grafana/faro-web-sdk';
import { TracingInstrumentation, getDefaultOTELInstrumentations } from '@grafana/faro-web-tracing';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { urlPrefix } from './common.js';
import { collectorBase, appKey } from './scenario.js';
import { matchRoute, startSpa } from './spa.js';
import { initialFaroView, tellFaroAboutRoute } from './spa-faro-web.js';

const BASE = '/spa-faro';
const url = `${collectorBase()}/collect/${encodeURIComponent(appKey())}`;
const backend = [urlPrefix(location.origin)];

initializeFaro({
  url,
  app: { name: 'shop-web', version: '1.4.2', environment: 'test' },
  // The first view is the landing route: Faro sends view_changed {fromView: unknown}.
  view: initialFaroView(matchRoute(BASE, location.pathname)),
  // NavigationInstrumentation is in getWebInstrumentations() but filtered out unless
  // this experimental flag is set (Faro 2.12.1).
  experimental: { trackNavigation: true },
  instrumentations: [
    ...getWebInstrumentations(),
    new TracingInstrumentation({
      instrumentations: [
        ...getDefaultOTELInstrumentations({ ignoreUrls: [url], propagateTraceHeaderCorsUrls: backend }),
        new DocumentLoadInstrumentation(),
      ],
    }),
  ],
});

window.spa.sessionId = () => faro.api.getSession()?.id ?? null;
startSpa({ base: BASE, addUrl: '/api/cart', onRoute: tellFaroAboutRoute });
