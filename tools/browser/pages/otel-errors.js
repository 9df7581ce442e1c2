// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Uncaught errors of an OpenTelemetry JS page, reported as users of that SDK do (it has
// no error instrumentation of its own): a window error handler that records the error on
// a span of its own, as an `exception` span event (exception.type, exception.message and
// exception.stacktrace, the browser's Error.stack, minified positions included), with the
// span's status set to ERROR and url.full naming the page. Unhandled promise rejections
// are reported the same way.
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';

// recordUncaughtErrors installs the handlers; onRecorded, if given, gets the span
// context of every error span (the demo driver reads it to find the error in Jaeger).
export function recordUncaughtErrors(tracer, onRecorded) {
  const record = (name, error) => {
    const span = tracer.startSpan(name, { attributes: { [ATTR_URL_FULL]: location.href } });
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error?.message ?? error) });
    span.end();
    onRecorded?.(span.spanContext());
  };
  addEventListener('error', (event) => record('uncaught error', event.error ?? event.message));
  addEventListener('unhandledrejection', (event) => record('unhandled rejection', event.reason));
}
