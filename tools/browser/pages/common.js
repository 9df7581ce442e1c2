// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Helpers shared by every page bundle: the scenario pages (scenario.js) and
// the demo shop's front-ends (shop-common.js).

// urlPrefix matches the URLs under base (an origin or a base URL), for the
// SDKs' propagateTraceHeaderCorsUrls and ignoreUrls options.
export function urlPrefix(base) {
  return new RegExp('^' + base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/');
}

// busy blocks the main thread for ms: it stands in for real client-side work
// and makes an interaction long enough to count towards INP.
export function busy(ms) {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}

// afterLoad runs fn once the load event has fired (right away if it has).
export function afterLoad(fn) {
  if (document.readyState === 'complete') setTimeout(fn, 0);
  else addEventListener('load', () => setTimeout(fn, 0), { once: true });
}
