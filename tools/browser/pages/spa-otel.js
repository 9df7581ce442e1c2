// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Capture page of the single-page shop (spa.js) with the OpenTelemetry JS web SDK,
// served by the capture page server for every path under /spa-otel/app/. Same setup as
// otel.js (resource shop-web-otel, OTLP/HTTP JSON traces and logs, web vitals as
// browser.web_vital log records) plus the user-interaction and browser-navigation
// instrumentations (otel-web.js), whose browser.navigation events go through the same
// logger provider, and the uncaught errors on spans of their own (otel-errors.js).
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SESSION_ID } from '@opentelemetry/semantic-conventions/incubating';
import { onLCP, onINP, onCLS, onFCP, onTTFB } from 'web-vitals';
import { recordUncaughtErrors } from './otel-errors.js';
import { webVitalReporter } from './otel-vitals.js';
import { registerTracing } from './otel-web.js';
import { collectorBase, appKey } from './scenario.js';
import { startSpa } from './spa.js';

const collector = collectorBase();
const sessionId = crypto.randomUUID();
window.spa.sessionId = () => sessionId;

const resource = resourceFromAttributes({
  [ATTR_SERVICE_NAME]: 'shop-web-otel',
  [ATTR_SERVICE_VERSION]: '1.4.2',
  [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: 'test',
  [ATTR_SESSION_ID]: sessionId,
});
const headers = { 'x-api-key': appKey() };
const provider = new WebTracerProvider({
  resource,
  spanProcessors: [
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${collector}/v1/traces`, headers }), { scheduledDelayMillis: 1000 }),
  ],
});
const loggerProvider = new LoggerProvider({
  resource,
  processors: [
    new BatchLogRecordProcessor({
      exporter: new OTLPLogExporter({ url: `${collector}/v1/logs`, headers }),
      scheduledDelayMillis: 1000,
    }),
  ],
});
registerTracing(provider, collector, { loggerProvider });
recordUncaughtErrors(provider.getTracer('shop-web-otel'));

const report = webVitalReporter(loggerProvider.getLogger('web-vitals', '6'));
onLCP(report);
onINP(report);
onCLS(report);
onFCP(report);
onTTFB(report);

startSpa({ base: '/spa-otel', addUrl: '/api/cart' });
