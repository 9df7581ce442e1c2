// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Tracing setup shared by the OpenTelemetry JS pages (otel.js, spa-otel.js, shop-otel.js).
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { BrowserNavigationInstrumentation } from '@opentelemetry/instrumentation-browser-navigation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { urlPrefix } from './common.js';

// registerTracing makes provider the global tracer provider and instruments
// the page load (documentLoad, a child of <meta name="traceparent"> when the
// page has one) and fetch: requests to the page's own origin carry a
// traceparent, requests to the collector (collectorBase) are not traced.
//
// With spa.loggerProvider (single-page pages) it also instruments
//   - clicks (user-interaction): a span `click` per click listener run, renamed
//     `Navigation: <path>` when the listener pushes a new URL. Without zone.js the
//     span ends when the listener returns (it measures the synchronous handler only);
//     fetches the listener starts are its children;
//   - navigations (browser-navigation): a `browser.navigation` log record for the
//     document load and for every pushState, replaceState and popstate.
// Call it before adding click listeners: without zone.js, user-interaction wraps
// addEventListener and sees only listeners added afterwards.
export function registerTracing(provider, collectorBase, spa = null) {
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    ...(spa ? { loggerProvider: spa.loggerProvider } : {}),
    instrumentations: [
      new DocumentLoadInstrumentation(),
      new FetchInstrumentation({
        propagateTraceHeaderCorsUrls: [urlPrefix(location.origin)],
        ignoreUrls: [urlPrefix(collectorBase)],
      }),
      ...(spa ? [new UserInteractionInstrumentation(), new BrowserNavigationInstrumentation()] : []),
    ],
  });
}
