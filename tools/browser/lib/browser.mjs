// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Launches the system Chromium (Debian package, /usr/bin/chromium) through
// playwright-core. Playwright never downloads a browser here: playwright-core
// has no browser download step and we always pass executablePath.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export function chromiumPath() {
  const p = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(p)) {
    throw new Error(`Chromium not found at ${p}: run "apt-get install -y chromium" or set CHROMIUM_PATH`);
  }
  return p;
}

// chromium.launch() gives every run a fresh temporary user-data-dir
// (removed again on close).
export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

// Host names of the loopback interface, as URL.hostname spells them.
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

// A fresh browser context. Requests are NOT intercepted (Playwright answers
// CORS preflights itself when request interception is on, which would hide
// the collector's real CORS behaviour); instead every network request that is
// not for the loopback interface is recorded in `offLoopback` so callers can
// fail.
export async function newLoopbackContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const offLoopback = [];
  context.on('request', (req) => {
    let u;
    try {
      u = new URL(req.url());
    } catch {
      return;
    }
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return;
    if (!LOOPBACK_HOSTS.includes(u.hostname)) offLoopback.push(req.url());
  });
  return { context, offLoopback };
}
