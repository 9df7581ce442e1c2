// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// What the command-line entry points (capture.mjs, drive.mjs, demo.mjs) share:
// argument checks, the one JSON summary on stdout, and the exit status.
import { LOOPBACK_HOSTS } from './browser.mjs';

// usageError reports a bad argument on stderr and exits 1.
export function usageError(name, msg) {
  console.error(`${name}: ${msg}`);
  process.exit(1);
}

// loopbackBase parses the URL given as --flag, without trailing slashes, and
// insists that it is on the loopback interface (usage error otherwise).
export function loopbackBase(name, flag, raw) {
  const base = (raw ?? '').replace(/\/+$/, '');
  let url;
  try {
    url = new URL(base);
  } catch {
    usageError(name, `invalid --${flag} ${base}`);
  }
  if (!LOOPBACK_HOSTS.includes(url.hostname)) usageError(name, `--${flag} must be a loopback URL, got ${base}`);
  return { base, url };
}

// printSummary writes summary as ONE line of JSON on stdout, with ok set from
// exitCode, and returns exitCode.
export function printSummary(summary, exitCode) {
  summary.ok = exitCode === 0;
  process.stdout.write(JSON.stringify(summary) + '\n');
  return exitCode;
}

// runMain runs main and exits with the status it resolves to. If main throws
// (setup failed: Chromium missing, a server not up, ...) the error goes to
// stderr and the exit status is 1; with a `failed` summary, that summary is
// still printed, with the error, so that callers can always parse stdout.
export function runMain(name, main, failed = null) {
  main().then(
    (code) => process.exit(code ?? 0),
    (e) => {
      console.error(`${name}: ${e?.stack ?? e}`);
      if (failed) printSummary({ ...failed, error: String(e?.message ?? e) }, 1);
      process.exit(1);
    },
  );
}
