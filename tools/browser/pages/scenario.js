// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Shared page behaviour for every scenario: the DOM interactions that make
// the browser produce all five Core Web Vitals (LCP, INP, CLS, FCP, TTFB),
// a same-origin backend fetch, and a flag the driver polls.
//
// The page HTML already contains a large text block (#hero, the LCP
// candidate) and the #buy button. This module adds:
//   - a layout shift: a banner inserted ABOVE the content ~400 ms after load
//     (no user input before it, so it counts towards CLS),
//   - a click handler doing ~80 ms of busy work, then changing the DOM
//     (an interaction long enough to be an Event Timing entry, i.e. INP),
//   - window.__rum = { ready, clicked, ... } for the driver.
import { afterLoad, busy } from './common.js';

export const params = new URLSearchParams(location.search);

export function collectorBase() {
  const c = params.get('collector');
  if (!c) throw new Error('missing ?collector=');
  return c.replace(/\/+$/, '');
}

export function appKey() {
  return params.get('key') || 'test-app-key';
}

window.__rum = window.__rum || { ready: false, clicked: false, steps: [] };

// run(scenarioSteps): scenarioSteps is an async function executed after the
// load event; the layout shift is scheduled independently.
export function setupScenario({ steps, onClick } = {}) {
  const btn = document.getElementById('buy');
  if (btn) {
    btn.addEventListener('click', () => {
      busy(80);
      const out = document.getElementById('out');
      out.textContent = 'Added product 42 to the cart at ' + new Date().toISOString();
      out.style.padding = '12px';
      if (onClick) {
        try { onClick(); } catch (e) { /* reported by the SDK */ }
      }
      window.__rum.clicked = true;
    });
  }

  afterLoad(async () => {
    setTimeout(() => {
      const banner = document.createElement('div');
      banner.id = 'promo';
      banner.textContent = 'Free shipping on orders over 50 EUR — limited time only!';
      banner.style.cssText = 'height:180px;background:#fde68a;font:24px sans-serif;padding:20px';
      document.body.insertBefore(banner, document.body.firstChild);
      window.__rum.shifted = true;
    }, 400);
    try {
      if (steps) await steps();
    } catch (e) {
      window.__rum.stepError = String(e && e.stack || e);
    }
    // give the layout shift time to happen before the driver clicks
    setTimeout(() => { window.__rum.ready = true; }, 700);
  });
}
