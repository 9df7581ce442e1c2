// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Tracing setup shared by the OpenTelemetry JS pages (otel.js, shop-otel.js).
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { urlPrefix } from './common.js';

// registerTracing makes provider the global tracer provider and instruments
// the page load (documentLoad, a child of <meta name="traceparent"> when the
// page has one) and fetch: requests to the page's own origin carry a
// traceparent, requests to the collector (collectorBase) are not traced.
export function registerTracing(provider, collectorBase) {
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      new FetchInstrumentation({
        propagateTraceHeaderCorsUrls: [urlPrefix(location.origin)],
        ignoreUrls: [urlPrefix(collectorBase)],
      }),
    ],
  });
}
