// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package errorgroup gives every JavaScript error the id of its group: one bug, seen in
// many sessions, browsers and builds, has one id.
//
// # The fingerprint
//
// A group is the exception type, the message with its variable parts masked
// (MaskMessage), and the top in-app frames of the stack trace after symbolication, each
// as its source file and function. Nothing that changes from one occurrence or one
// build of the same bug to the next counts:
//
//   - line and column numbers (any edit above the bug moves them);
//   - the origin, query and fragment of a file's URL (a CDN host, "?v=2", a cache buster);
//   - content hashes, chunk numbers and UUIDs in file names: app.3f2c1.js and
//     app.9ab01.js are both app.js (parts of a name, between ".", "-", "_" or "~", made
//     of digits only, of five or more hex digits with a digit among them, or of eight or
//     more letters and digits with a digit among them; a blob: URL's UUID);
//   - what MaskMessage masks: numbers, ids, URLs, e-mail addresses, quoted values;
//   - the decoration of a function's printed name: "new ", " [as alias]", Firefox's "/<".
//
// A frame without a function name counts by its file alone. Frames of built-ins
// ("Array.forEach (<anonymous>)", "[native code]", "index 0") never count: whether they
// appear depends on the browser, not on the bug. Before symbolication the files and
// functions are the bundle's minified ones, so two builds group together only once
// their source maps resolve the frames; the same build always does.
//
// # In-app frames and the library pattern
//
// Frames whose URL (the source file a source map gave, or the bundle URL when there was
// none) matches the library pattern are left out, so that an error of the app is grouped
// by the app's code that called the library, not by the library's internals, which are
// the same for every bug that passes through them. When no frame is in-app (an error
// raised inside a library with no call from the app on the stack), the top library
// frames count instead, so that such errors are not grouped by their message alone.
//
// A good pattern matches what the bundler puts in sources of dependencies and of its own
// runtime, and the chunks that hold only dependencies:
//
//   - node_modules: every npm dependency, in source paths ("webpack://app/node_modules/
//     react-dom/…", "../../node_modules/.pnpm/…") and in Vite's pre-bundled
//     "/node_modules/.vite/deps/…";
//   - webpack/bootstrap and webpack/runtime: webpack's module loader;
//   - vendor chunks: "vendor.3f2c1.js", webpack's "vendors~main.js" and
//     "vendors-node_modules_…", Vite's manualChunks "vendor-…";
//
// for example `node_modules|webpack/(bootstrap|runtime)|\bvendors?\b`. The pattern is
// an RE2 regular expression (Go's regexp) matched anywhere in the URL.
//
// # The id
//
// The id is 16 lower-case hex digits: the first 8 bytes of the SHA-256 of a canonical
// byte string, a version tag ("jserr/v1") then each field (type, masked message, and
// per frame the cleaned file and function), each followed by its length as 4 bytes
// big-endian, so that no two fingerprints share a string. It is the same on every run
// and every machine, and changes only when this package's rules change (with the tag).
// SHA-256 rather than a faster non-cryptographic hash because a browser can send
// anything: with FNV or xxHash it could craft a fingerprint that lands in another
// error's group; SHA-256 costs well under a microsecond for a fingerprint, small beside
// symbolication.
package errorgroup // import "github.com/otelcol-rum/otelcol-rum/internal/errorgroup"
