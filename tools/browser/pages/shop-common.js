// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Page behaviour shared by the demo shop's two front-ends (examples/shop):
// shop-faro.js (Grafana Faro) and shop-otel.js (OpenTelemetry JS). The Go
// server renders the HTML and puts the configuration on <body>:
//   data-rum-url     base URL of the collector's rum receiver
//   data-app-key     app key to send with the RUM data
//   data-variant     "faro" or "otel"
//   data-base        URL prefix of the variant's pages ('' or '/otel')
//   data-product-id  set on product pages only
//   data-spa         set on the single-page section's document (<base>/app/...),
//                    whose routes pages/spa.js renders (startSpa) instead of setupShop
//
// The page is a plain shop; what it does is chosen so that a short visit
// produces every Core Web Vital and a backend call:
//   - a large hero paragraph (the LCP element),
//   - a "recommended" strip inserted above the content shortly after load
//     (a layout shift without user input, so CLS > 0),
//   - a Checkout button whose handler does some synchronous work before its
//     fetch (a long enough interaction for INP),
//   - a Break button whose handler computes a cart total that throws (cart.js): an
//     uncaught TypeError from a minified bundle, which the SDKs report with its stack.
// window.shop exposes state for tools/browser/demo.mjs.
import { afterLoad, busy } from './common.js';
import { cartFor, computeCartTotal } from './cart.js';

// RELEASE identifies the build (esbuild defines __SHOP_RELEASE__, see build.mjs); the
// pages send it as service.version, the key under which the source maps are deployed.
export const RELEASE = __SHOP_RELEASE__;

export function shopConfig() {
  const d = document.body.dataset;
  return {
    rumUrl: (d.rumUrl || '').replace(/\/+$/, ''),
    appKey: d.appKey || '',
    variant: d.variant || '',
    base: d.base || '',
    productId: d.productId || null,
    spa: d.spa !== undefined,
  };
}

window.shop = window.shop || {
  ready: false,
  checkouts: [], // backend JSON responses of /api/checkout
  sessionId: () => null, // set by the SDK entry
};

async function checkout(productId) {
  const status = document.getElementById('status');
  busy(60); // stands in for real client-side work (recomputing the cart, rendering)
  status.textContent = 'Placing your order…';
  try {
    const res = await fetch('/api/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: productId || '1' }),
    });
    const order = await res.json();
    window.shop.checkouts.push(order);
    status.textContent = `Order ${order.order_id} placed (backend trace ${order.trace_id})`;
  } catch (e) {
    window.shop.checkouts.push({ error: String(e) });
    status.textContent = `Checkout failed: ${e}`;
  }
}

export function setupShop() {
  const { productId } = shopConfig();
  document.getElementById('checkout')?.addEventListener('click', () => checkout(productId));
  document.getElementById('break')?.addEventListener('click', () => {
    // Deliberately uncaught: the SDK's (or the page's) window error handler reports it.
    const total = computeCartTotal(cartFor(productId));
    document.getElementById('status').textContent = `Total: ${total}`;
  });

  afterLoad(() => {
    setTimeout(() => {
      const strip = document.createElement('aside');
      strip.id = 'recommended';
      strip.textContent = 'Recommended for you: free shipping on orders over 50 EUR this week.';
      strip.style.cssText = 'height:120px;background:#fde68a;font-size:22px;padding:16px 24px';
      document.querySelector('main').prepend(strip);
    }, 400);
    // Ready once the layout shift is done, so the driver's clicks come after it
    // (shifts right after an input do not count towards CLS).
    setTimeout(() => {
      window.shop.ready = true;
    }, 700);
  });
}
