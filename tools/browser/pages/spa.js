// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// A small single-page shop, shared by the capture pages (spa-faro.js, spa-otel.js) and
// the demo shop's single-page section (shop-faro.js, shop-otel.js under /app/): after
// the first load every "page" is a history.pushState and a render into #app, as in a
// React or Vue app. The server answers every URL under <base>/app/ with the same
// document, so a reload of any route works too.
//
// Routes (templates in the notation of our route config):
//   <base>/app/               home: the LCP text and a link to product 42
//   <base>/app/product/{id}   a product: link to the cart
//   <base>/app/cart           the cart
// The toolbar on every route has the buttons the journeys click:
//   #spa-add    "Add to cart": busy work, a POST to the API, a DOM update (a user action
//               with a request; its busy work makes an INP candidate);
//   #spa-rage   "Apply coupon": updates a line of text, nothing else; the journeys click it
//               five times fast (rage clicks);
//   #spa-error  "Pay now": updates the status, then throws (an error click);
//   #spa-dead   "Add to wishlist": its handler does nothing at all (a dead click).
// Each is marked data-faro-user-action-name, so Faro makes user actions of them (all but
// the dead one: Faro cancels an action that causes no DOM, resource or HTTP activity).
// Links are <a data-route>; the router intercepts their clicks. Back/forward (popstate)
// re-renders.
//
// window.spa exposes what the drivers need: ready, the routes visited (with the
// route template), and the clicks.
import { afterLoad, busy } from './common.js';

export const SPA_ERROR_MESSAGE = 'Payment failed: card declined (simulated error click)';

window.spa = window.spa || { ready: false, routes: [], clicks: [], adds: [] };

// route matches a path below base to its template and params; null for an unknown one.
export function matchRoute(base, pathname) {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : null;
  if (rest === null) return null;
  if (rest === '/app' || rest === '/app/') return { template: '/app/', view: 'home', params: {} };
  if (rest === '/app/cart') return { template: '/app/cart', view: 'cart', params: {} };
  const m = /^\/app\/product\/([A-Za-z0-9-]{1,40})$/.exec(rest);
  if (m) return { template: '/app/product/{id}', view: 'product', params: { id: m[1] } };
  return { template: '/app/*', view: 'notfound', params: {} };
}

function el(tag, attrs = {}, text = '') {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

function render(base, route) {
  const main = document.getElementById('spa-view');
  main.replaceChildren();
  if (route.view === 'home') {
    main.append(
      el('h1', {}, 'Welcome to the single-page shop'),
      el(
        'p',
        { id: 'hero', class: 'hero' },
        'Everything for running on trails and in the city, in a shop that never reloads: every page ' +
          'after the first is a history.pushState and a render. This text is large on purpose: it is ' +
          'the Largest Contentful Paint element of the first view.',
      ),
    );
    const a = el('a', { id: 'spa-link-product', href: `${base}/app/product/42`, 'data-route': '' }, 'Trail Runner 3000');
    main.append(el('p'), a);
  } else if (route.view === 'product') {
    main.append(
      el('h1', {}, `Product ${route.params.id}`),
      el('p', { class: 'price' }, '129.90 EUR'),
      el('p', {}, 'A lightweight running shoe with a breathable mesh upper and a grippy outsole.'),
      el('a', { id: 'spa-link-cart', href: `${base}/app/cart`, 'data-route': '' }, 'Go to the cart'),
    );
  } else if (route.view === 'cart') {
    main.append(
      el('h1', {}, 'Your cart'),
      el('p', { id: 'cart-lines' }, `${window.spa.adds.length} item(s)`),
      el('a', { id: 'spa-link-home', href: `${base}/app/`, 'data-route': '' }, 'Continue shopping'),
    );
  } else {
    main.append(el('h1', {}, 'Not found'));
  }
}

// The toolbar, the same on every route (rendered once into #spa-toolbar).
const TOOLBAR_HTML = `
<div class="actions">
  <button id="spa-add" data-faro-user-action-name="add-to-cart">Add to cart</button>
  <button id="spa-rage" data-faro-user-action-name="apply-coupon">Apply coupon</button>
  <button id="spa-error" data-faro-user-action-name="pay">Pay now</button>
  <button id="spa-dead" data-faro-user-action-name="add-to-wishlist">Add to wishlist</button>
</div>
<output id="spa-status"></output>`;

// startSpa renders the current route and handles the toolbar and links.
//   base:     URL prefix of the section's variant ('' or '/otel')
//   addUrl:   where "Add to cart" POSTs
//   onRoute:  called after every soft navigation with (route, url, previous
//             {route, url}) — the Faro pages tell Faro about the new view there.
export function startSpa({ base = '', addUrl, onRoute = () => {} }) {
  document.getElementById('spa-toolbar').innerHTML = TOOLBAR_HTML;
  let current = { route: matchRoute(base, location.pathname), url: location.href };
  window.spa.routes.push({ template: current.route.template, url: current.url, soft: false, at: Date.now() });
  render(base, current.route);

  const show = () => {
    const previous = current;
    current = { route: matchRoute(base, location.pathname), url: location.href };
    if (current.url === previous.url) return;
    render(base, current.route);
    window.spa.routes.push({ template: current.route.template, url: current.url, soft: true, at: Date.now() });
    onRoute(current.route, current.url, previous);
  };
  const navigate = (href) => {
    history.pushState({}, '', href);
    show();
  };
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[data-route]') : null;
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    navigate(a.getAttribute('href'));
  });
  addEventListener('popstate', show);

  const status = document.getElementById('spa-status');
  const clicked = (id) => window.spa.clicks.push({ id, route: current.route.template, at: Date.now() });

  document.getElementById('spa-add').addEventListener('click', async () => {
    clicked('spa-add');
    busy(80); // client-side work: an interaction long enough for INP
    status.textContent = 'Adding to cart…';
    try {
      const res = await fetch(addUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ product_id: '42', qty: 1 }),
      });
      window.spa.adds.push(await res.json());
      status.textContent = `Added (${window.spa.adds.length} in the cart)`;
    } catch (err) {
      status.textContent = `Could not add: ${err}`;
    }
  });
  let coupons = 0;
  document.getElementById('spa-rage').addEventListener('click', () => {
    clicked('spa-rage');
    coupons++;
    status.textContent = `Checking coupon… (${coupons})`;
  });
  document.getElementById('spa-error').addEventListener('click', () => {
    clicked('spa-error');
    status.textContent = 'Paying…';
    // Deliberately uncaught: the SDK's (or the page's) window error handler reports it.
    throw new Error(SPA_ERROR_MESSAGE);
  });
  document.getElementById('spa-dead').addEventListener('click', () => {
    // A feature that silently does nothing: no request, no DOM change.
    clicked('spa-dead');
  });

  afterLoad(() => {
    // Ready after a short settle, so the drivers' first click is not the page's first paint.
    setTimeout(() => {
      window.spa.ready = true;
    }, 300);
  });
  return { navigate };
}

