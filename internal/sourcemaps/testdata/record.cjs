// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Runs a bundle under Node as if a page had loaded it from the given URL, calls its
// breakShop and prints the frames of the error V8 throws as JSON: what a browser on
// V8 would print, structured, so that the Go tests need no stack parser.
//
//   node record.cjs <bundle file> <bundle URL>

'use strict';
const fs = require('fs');
const vm = require('vm');

const [file, url] = process.argv.slice(2);
vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: url });

Error.prepareStackTrace = (_err, sites) =>
  sites
    .filter((s) => s.getFileName() === url)
    .map((s) => ({
      function: s.getFunctionName() || '',
      url: s.getFileName(),
      line: s.getLineNumber(),
      column: s.getColumnNumber(),
    }));

try {
  globalThis.breakShop();
  console.error('breakShop did not throw');
  process.exit(1);
} catch (err) {
  process.stdout.write(JSON.stringify(err.stack, null, 2) + '\n');
}
