// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

import { addToCart } from './cart.js';

export function checkout(items) {
  const cart = [];
  for (const item of items) {
    addToCart(cart, item);
  }
  return cart;
}
