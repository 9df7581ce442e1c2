// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// The app names (service.name) of the demo shop's two front-ends, in one place:
// the pages send them, and build.mjs writes them to dist/shop-build.json, where the
// source-map deployment (deploy-maps.mjs) and the end-to-end test read them.
export const SHOP_APPS = {
  'shop-faro': 'shop-frontend',
  'shop-otel': 'shop-frontend-otel',
};
