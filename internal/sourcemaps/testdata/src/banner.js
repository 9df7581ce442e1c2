// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// A second bundle, concatenated in front of the app on the same line to make the index
// map of dist/sections: its section starts at column 0, the app's after it.

globalThis.shopRelease = function shopRelease() {
  return { name: 'shop', version: '1.0.0' };
};
