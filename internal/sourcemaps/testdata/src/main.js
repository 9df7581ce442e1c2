// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

import { checkout } from './checkout.js';

// The Break button of a page would call this; generate.sh calls it under Node to record
// the frames of the error as V8 prints them.
globalThis.breakShop = function breakShop() {
  return checkout([{ sku: 'TEA-1', name: 'tea' }, { name: 'broken' }]);
};
