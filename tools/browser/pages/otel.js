// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// OpenTelemetry JS web SDK: WebTracerProvider + document-load + fetch
// instrumentations, exporting OTLP/HTTP to <collector>/v1/traces, plus the
// five web vitals as OTel log records (event name browser.web_vital) to
// <collector>/v1/logs. Query string: ?collector=<origin>&key=<app key>
//   [&debug=1]  OTel diag logging to the console
//   [&proto=1]  use the OTLP/HTTP protobuf trace exporter instead of JSON
//               (logs are then not exported, so the run is traces-only)
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter as OTLPTraceExporterJSON } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SESSION_ID } from '@opentelemetry/semantic-conventions/incubating';
import { onLCP, onINP, onCLS, onFCP, onTTFB } from 'web-vitals';
import { webVitalReporter } from './otel-vitals.js';
import { registerTracing } from './otel-web.js';
import { params, collectorBase, appKey, setupScenario } from './scenario.js';

if (params.get('debug') === '1') diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG);

const collector = collectorBase();
const proto = params.get('proto') === '1';
const sessionId = crypto.randomUUID();
window.__rum.sessionId = () => sessionId;

const resource = resourceFromAttributes({
  [ATTR_SERVICE_NAME]: 'shop-web-otel',
  [ATTR_SERVICE_VERSION]: '1.4.2',
  [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: 'test',
  [ATTR_SESSION_ID]: sessionId,
});

const headers = { 'x-api-key': appKey() };
const TraceExporter = proto ? OTLPTraceExporterProto : OTLPTraceExporterJSON;
const provider = new WebTracerProvider({
  resource,
  spanProcessors: [
    new BatchSpanProcessor(new TraceExporter({ url: `${collector}/v1/traces`, headers }), {
      scheduledDelayMillis: 1000,
    }),
  ],
});
registerTracing(provider, collector);

if (!proto) {
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      // sdk-logs 0.223 takes a single options object (exporter included)
      new BatchLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${collector}/v1/logs`, headers }),
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  const logger = loggerProvider.getLogger('web-vitals', '6');
  const report = webVitalReporter(logger);
  onLCP(report);
  onINP(report);
  onCLS(report);
  onFCP(report);
  onTTFB(report);
}

setupScenario({
  steps: async () => {
    const res = await fetch('/api/products/42', { headers: { accept: 'application/json' } });
    await res.json();
  },
  onClick: () => {
    fetch('/api/cart', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: '42', qty: 1 }),
    });
  },
});
