// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// What the Faro single-page pages (spa-faro.js, and shop-faro.js under /app/) tell Faro
// on a soft navigation. Faro 2.12.1's web instrumentations already notice some of it by
// themselves: NavigationInstrumentation sends `faro.navigation` when an interaction is
// followed by a URL change and a DOM change, and the page URL of every item is
// location.href when it is pushed. An app adds:
//   - the view API: faro.api.setView({name}) makes ViewInstrumentation send
//     `view_changed` {fromView, toView} and puts meta.view on every later item;
//   - `route_change`: what @grafana/faro-react's React Router integration
//     (withFaroRouterInstrumentation) sends on a push or pop, with its attribute names:
//     toRoute, toUrl and, after the first, fromRoute, fromUrl. faro-react needs React
//     and React Router, so this page sends the same event itself, with our route
//     template in place of React Router's pattern (/app/product/{id}, not :id).
import { faro } from '@grafana/faro-web-sdk';

export function initialFaroView(route) {
  return { name: route.template };
}

export function tellFaroAboutRoute(route, url, previous) {
  faro.api.setView({ name: route.template });
  faro.api.pushEvent(
    'route_change',
    { toRoute: route.template, toUrl: url, fromRoute: previous.route.template, fromUrl: previous.url },
    undefined,
    { skipDedupe: true },
  );
}
