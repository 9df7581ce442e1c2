// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// The demo shop's cart arithmetic, and the bug behind its Break button: a cart line
// whose unit price never arrived. The error is thrown here, in a module of its own,
// so that a symbolicated stack trace has a known original file, line, column and
// function to name: build.mjs finds the `throw` below (the only one in this file) and
// writes its position to dist/shop-build.json, which tools/browser/demo.mjs and the
// end-to-end test compare with what comes out of the browser and the collector.

// cartFor is the cart of the Break button: one product whose price is missing.
export function cartFor(productId) {
  return { lines: [{ productId: Number(productId) || 1, quantity: 1 }] };
}

export function computeCartTotal(cart) {
  let total = 0;
  for (const line of cart.lines) {
    if (typeof line.unitPrice !== 'number') {
      throw new TypeError(`Cart total is undefined: product ${line.productId} has no unit price`);
    }
    total += line.unitPrice * line.quantity;
  }
  return total;
}
