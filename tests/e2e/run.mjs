// Browser tests of the web pages: runs every tests/e2e/*.spec.mjs in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core from web/node_modules).
// Usage: node tests/e2e/run.mjs BASE_URL OUT_DIR [SPEC...]
// Each spec exports `default async function (t)` with t = {browser, base, out, users, page(),
// shot(page, name), check(cond, what), api(method, path, body, headers)}; a spec fails on a
// thrown error, a failed check, or any console error or Content-Security-Policy violation of
// its pages (API answers of 4xx excepted: the pages handle them). Screenshots go to OUT_DIR/<spec>-<name>.png.
// t.axe(page, what) runs axe-core (web/node_modules) on the page as it is and fails the spec on
// every serious or critical violation (it returns all of them); the script is evaluated through
// the DevTools protocol, so the pages' Content-Security-Policy stays as strict as served.
import { createRequire } from 'node:module';
import { readdirSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [base, out, ...only] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node tests/e2e/run.mjs BASE_URL OUT_DIR [SPEC...]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const users = JSON.parse(process.env.FZ_E2E_USERS || '{}');

const browser = await chromium.launch({
  executablePath: process.env.FZ_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run',
         '--disable-default-apps', '--disable-features=Translate,MediaRouter,OptimizationHints'],
});

async function api(method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, headers: res.headers };
}

const specs = readdirSync(here).filter((f) => f.endsWith('.spec.mjs')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));
let failed = 0;
for (const file of specs) {
  const name = basename(file, '.spec.mjs');
  const problems = [];
  const contexts = [];
  const t = {
    browser, base, out, users, api,
    async page(options = {}) {
      const context = await browser.newContext({ locale: 'zh-CN', ...options });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (m) => {
        // An API answering 4xx is the page's business (a login form after 401, a message after
        // 422); anything else logged as an error — a script error, a CSP violation, a 5xx — fails.
        const expected = /Failed to load resource: the server responded with a status of 4\d\d/;
        if (m.type() === 'error' && !expected.test(m.text()))
          problems.push(`console error on ${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
      return page;
    },
    async shot(page, what) {
      await page.screenshot({ path: join(out, `${name}-${what}.png`), fullPage: true });
    },
    check(cond, what) {
      if (!cond) problems.push(`check failed: ${what}`);
    },
    async axe(page, what) {
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
      const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      if (process.env.FZ_AXE_VERBOSE) {
        console.log(`axe ${what}: ${res.violations.map((v) => `${v.id}/${v.impact}/${v.nodes.map((n) => n.target.join(' ')).join(';')}`).join(' ') || 'none'}`);
      }
      for (const v of res.violations) {
        if (v.impact !== 'serious' && v.impact !== 'critical') continue;
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
        problems.push(`axe ${what}: ${v.id} (${v.impact}) ${v.help} — ${where}`);
      }
      return res.violations;
    },
  };
  const t0 = Date.now();
  try {
    const spec = await import(pathToFileURL(join(here, file)).href);
    await spec.default(t);
  } catch (e) {
    problems.push(`${e.stack || e}`);
  }
  for (const c of contexts) await c.close();
  const ms = Date.now() - t0;
  if (problems.length) {
    failed++;
    console.log(`FAIL ${name} (${ms} ms)`);
    for (const p of problems) console.log(`  ${p}`);
  } else {
    console.log(`ok   ${name} (${ms} ms)`);
  }
}
await browser.close();
console.log(`${specs.length - failed} of ${specs.length} specs passed; screenshots in ${out}`);
process.exit(failed ? 1 : 0);
