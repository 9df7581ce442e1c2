// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Records the stack traces V8 prints for the frame shapes the parser must read, from
// headless Chromium (a page served on 127.0.0.1) and from Node's vm module (file:// and
// Windows file URLs), into v8-captured.json next to this file. Run it from the
// repository root after `make browser`:
//
//   node internal/jsstack/testdata/capture-v8.mjs
//
// playwright-core comes from tools/browser (TOOLS_BROWSER overrides the directory).
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.TOOLS_BROWSER || path.join(here, '../../../tools/browser');
const { chromium } = createRequire(path.join(toolsDir, 'package.json'))('playwright-core');

// A bundle name with a content hash, a query string and parentheses, and a script whose
// path holds a colon and parentheses.
const bundle = `
function Foo() { throw new Error('in constructor'); }
class Widget { render() { return this.paint(); } paint() { null.x; } }
`;
const weird = 'function weirdFn() { throw new RangeError("weird url"); }';
const page = `<!doctype html><html><body>
<script src="/static/js/app.3f2c1.js?v=2&x=(1)"></script>
<script src="/static/js/chunk(1):name.js"></script>
<script>
window.results = {};
function rec(name, fn) { try { fn(); } catch (e) { results[name] = e.stack; } }
function evalInNamed() { eval('function ev() { throw new Error("from eval"); } ev()'); }
rec('constructor', () => new Foo());
rec('method', () => new Widget().render());
rec('alias', () => { const o = { alias: function real() { throw new Error('alias'); } }; o.alias(); });
rec('builtin', () => [1].forEach(function () { throw new TypeError('in forEach'); }));
rec('eval', () => evalInNamed());
rec('nestedEval', () => eval('eval("throw new Error(\\'nested\\')")'));
rec('newFunction', () => new Function('throw new Error("new Function")')());
rec('jsonParse', () => JSON.parse('{bad'));
rec('urlWithColon', () => weirdFn());
rec('objectMethod', () => ({ f: () => { throw new Error('arrow in object'); } }).f());
async function a1() { await null; throw new Error('async'); }
async function a2() { await a1(); }
window.asyncStack = a2().catch((e) => e.stack);
window.promiseAll = Promise.all([a1()]).catch((e) => e.stack);
const blobSrc = "function blobFn() { throw new Error('blob'); } window.blobStack = (() => { try { blobFn(); } catch (e) { return e.stack; } })();";
window.blobDone = new Promise((r) => {
  const s = document.createElement('script');
  s.src = URL.createObjectURL(new Blob([blobSrc], { type: 'text/javascript' }));
  s.onload = r;
  document.head.appendChild(s);
});
</script></body></html>`;

const server = http.createServer((req, res) => {
  res.setHeader('content-type', req.url.startsWith('/static/') ? 'text/javascript' : 'text/html');
  if (req.url.startsWith('/static/js/app.')) res.end(bundle);
  else if (req.url.startsWith('/static/js/chunk')) res.end(weird);
  else res.end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
  timeout: 30_000,
});
let out;
try {
  const p = await browser.newPage();
  await p.goto(`http://127.0.0.1:${server.address().port}/shop/index.html?q=1`);
  out = await p.evaluate(async () => {
    await window.blobDone;
    return {
      userAgent: navigator.userAgent,
      stacks: {
        ...window.results,
        async: await window.asyncStack,
        promiseAll: await window.promiseAll,
        blob: window.blobStack,
      },
    };
  });
} finally {
  await browser.close();
  server.close();
}

// Node: an anonymous function called on an object, and scripts named by file URLs.
function nodeStack(filename, code) {
  try {
    vm.runInNewContext(code, {}, { filename });
  } catch (e) {
    return e.stack;
  }
  return '';
}
out.node = process.version;
out.stacks.nodeObjectAnonymous = nodeStack('file:///srv/app/server.js',
  '(function () { throw new Error("anonymous"); }).call({});');
out.stacks.nodeWindowsFile = nodeStack('file:///C:/app/server.js',
  'function handler() { throw new Error("windows"); }\nhandler();');
fs.writeFileSync(path.join(here, 'v8-captured.json'), JSON.stringify(out, null, 2) + '\n');
