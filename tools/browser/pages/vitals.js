// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// The web-vitals library alone, reporting with navigator.sendBeacon (which
// sends Content-Type: text/plain;charset=UTF-8). Query string:
//   ?collector=<origin>&key=<app key>[&batch=1]
// Without batch: one beacon per metric, body = JSON.stringify(metric).
// With batch=1: metrics are queued and sent as ONE beacon holding a JSON
// array when the page becomes hidden (the pattern from the web-vitals README).
import { onLCP, onINP, onCLS, onFCP, onTTFB } from 'web-vitals';
import { params, collectorBase, appKey, setupScenario } from './scenario.js';

const endpoint = `${collectorBase()}/vitals?app_key=${encodeURIComponent(appKey())}`;
const batch = params.get('batch') === '1';
window.__rum.sent = [];

let report;
if (batch) {
  const queue = new Set();
  report = (metric) => queue.add(metric);
  // web-vitals registers its own visibilitychange listeners on window in the
  // capture phase, so they run (and fill the queue) before this listener.
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && queue.size > 0) {
      navigator.sendBeacon(endpoint, JSON.stringify([...queue]));
      queue.clear();
    }
  });
} else {
  report = (metric) => {
    navigator.sendBeacon(endpoint, JSON.stringify(metric));
    window.__rum.sent.push(metric.name);
  };
}

onLCP(report);
onINP(report);
onCLS(report);
onFCP(report);
onTTFB(report);

setupScenario({});
