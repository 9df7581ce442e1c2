// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Grafana Faro web SDK + faro-web-tracing, configured as a typical shop
// front-end would be. Query string: ?collector=<origin>&key=<app key>
//   [&gzip=1]  enable Faro's requestCompression (Content-Encoding: gzip)
//              and consoleErrorAsLog
//   [&next=1]  second page of the same session (page view only)
import { initializeFaro, getWebInstrumentations, LogLevel, faro } from '@grafana/faro-web-sdk';
import { TracingInstrumentation, getDefaultOTELInstrumentations } from '@grafana/faro-web-tracing';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { urlPrefix } from './common.js';
import { params, collectorBase, appKey, setupScenario } from './scenario.js';

const url = `${collectorBase()}/collect/${encodeURIComponent(appKey())}`;
const backend = [urlPrefix(location.origin)];
const isNext = params.get('next') === '1';

initializeFaro({
  url,
  app: { name: 'shop-web', version: '1.4.2', environment: 'test' },
  requestCompression: params.get('gzip') === '1',
  instrumentations: [
    // captureConsole is on by default; listed for clarity.
    ...getWebInstrumentations({ captureConsole: true }),
    new TracingInstrumentation({
      // Faro's defaults are fetch + XHR only; add the OTel document-load
      // instrumentation (as the Faro docs suggest for custom instrumentations)
      // so the trace also carries the documentLoad span tree.
      instrumentations: [
        ...getDefaultOTELInstrumentations({ ignoreUrls: [url], propagateTraceHeaderCorsUrls: backend }),
        new DocumentLoadInstrumentation(),
      ],
      instrumentationOptions: { propagateTraceHeaderCorsUrls: backend },
    }),
  ],
  // Default disabled levels are debug, trace and log; capture console.log too.
  // By default console.error is sent as an exception ("console.error: ...");
  // the gzip variant sends it as an error-level log instead.
  consoleInstrumentation: {
    disabledLevels: [LogLevel.DEBUG, LogLevel.TRACE],
    consoleErrorAsLog: params.get('gzip') === '1',
  },
});

window.__rum.sessionId = () => faro.api.getSession() && faro.api.getSession().id;

setupScenario({
  steps: async () => {
    const res = await fetch('/api/products/42', { headers: { accept: 'application/json' } });
    const product = await res.json();
    if (isNext) {
      console.info('checkout page shown', product.id);
      return;
    }
    console.log('product loaded', product.id, product.name);
    console.info('recommendations ready');
    console.warn('stock is low for product', product.id);
    console.error('price service degraded: using cached price');
    faro.api.pushEvent('add_to_cart', { product_id: '42' });
    faro.api.pushMeasurement(
      { type: 'cart_render', values: { render_ms: 12.5, items: 1 } },
      { context: { cart_id: 'c-1001' } },
    );
    faro.api.pushError(new Error('payment widget failed to load'), { context: { widget: 'payment' } });
    // An uncaught error, caught by Faro's window.onerror instrumentation.
    setTimeout(function checkoutButtonHandler() {
      throw new Error('Cannot read cart total: simulated uncaught error');
    }, 0);
  },
  onClick: () => {
    fetch('/api/cart', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: '42', qty: 1 }),
    });
  },
});
