// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// withTimeout rejects when promise has not settled within ms; `what` names it in the error.
export function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]);
}
