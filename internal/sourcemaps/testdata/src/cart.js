// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// The cart of the test shop. addToCart throws on an item without a SKU: the error the
// source map tests symbolicate, from a named function at a known line and column.

export function addToCart(cart, item) {
  if (!item.sku) {
    throw new Error(`item without a sku: ${item.name}`);
  }
  cart.push(item);
  return cart.length;
}
