// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Web vitals as OpenTelemetry log records (otel.js, spa-otel.js): event name
// browser.web_vital with the semantic-convention browser.web_vital.* attributes.
import {
  EVENT_BROWSER_WEB_VITAL,
  ATTR_BROWSER_WEB_VITAL_NAME,
  ATTR_BROWSER_WEB_VITAL_VALUE,
  ATTR_BROWSER_WEB_VITAL_DELTA,
  ATTR_BROWSER_WEB_VITAL_ID,
  ATTR_BROWSER_WEB_VITAL_RATING,
  ATTR_BROWSER_WEB_VITAL_NAVIGATION_TYPE,
} from '@opentelemetry/semantic-conventions/incubating';

// webVitalReporter returns a web-vitals callback that emits each metric through logger.
export function webVitalReporter(logger) {
  return (metric) => {
    logger.emit({
      eventName: EVENT_BROWSER_WEB_VITAL,
      attributes: {
        [ATTR_BROWSER_WEB_VITAL_NAME]: metric.name.toLowerCase(),
        [ATTR_BROWSER_WEB_VITAL_VALUE]: metric.value,
        [ATTR_BROWSER_WEB_VITAL_DELTA]: metric.delta,
        [ATTR_BROWSER_WEB_VITAL_ID]: metric.id,
        [ATTR_BROWSER_WEB_VITAL_RATING]: metric.rating,
        [ATTR_BROWSER_WEB_VITAL_NAVIGATION_TYPE]: metric.navigationType,
      },
    });
  };
}
