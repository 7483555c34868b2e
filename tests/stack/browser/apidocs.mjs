#!/usr/bin/env node
// Opens the service's Swagger UI (/apidocs/) in headless Chromium (Debian's /usr/bin/chromium,
// through playwright-core), checks that it lists the operations of the specification, then runs
// "Try it out" -> "Execute" on GET /healthz and reads the live response the page shows.
//
//   node apidocs.mjs --base-url URL [--expect "GET /healthz" ...] [--executable PATH]
//
// Prints one JSON line on stdout: {"operations": ["GET /healthz", ...], "try_it_out": {"status":
// 200, "body": "..."}, "requests": [every URL the page fetched], "problems": [console errors, CSP
// violations, failed requests]}. Exit status 0 when the page rendered and the call was made; the
// caller (tests/stack/test_apidocs.py) judges the rest.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    executable: { type: 'string' },
    'timeout-ms': { type: 'string', default: '30000' },
  },
});
if (!opts['base-url']) {
  process.stderr.write('usage: node apidocs.mjs --base-url URL [--executable PATH] [--timeout-ms N]\n');
  process.exit(2);
}
const base = new URL(opts['base-url']);
const timeout = Number(opts['timeout-ms']) || 30000;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'apidocs-browser-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: opts.executable ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  timeout,
});
context.setDefaultTimeout(timeout);
const requests = [];
const problems = [];
let result;
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  const answer = await page.goto(new URL('/apidocs/', base).href, { waitUntil: 'load' });
  if (!answer || answer.status() !== 200) throw new Error(`/apidocs/ answered ${answer?.status()}`);
  await page.waitForSelector('.opblock', { state: 'attached' });
  const operations = await page.$$eval('.opblock', (blocks) => blocks.map((block) => {
    const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
    const where = block.querySelector('.opblock-summary-path');
    const route = where?.getAttribute('data-path') ?? where?.textContent?.trim() ?? '';
    return `${method} ${route}`;
  }));

  // Try it out on GET /healthz: expand it, switch to "try it out", execute, read the live response.
  const healthz = page.locator('.opblock.opblock-get').filter({
    has: page.locator('.opblock-summary-path[data-path="/healthz"]'),
  }).first();
  await healthz.locator('.opblock-summary').first().click();
  await healthz.locator('button.try-out__btn').click();
  await healthz.locator('button.execute').click();
  const live = healthz.locator('.live-responses-table .response');
  await live.first().waitFor();
  const status = Number((await live.locator('.response-col_status').first().textContent()).trim());
  const body = (await healthz.locator('.live-responses-table .response-col_description pre').first().textContent()) ?? '';
  result = { operations, try_it_out: { status, body }, requests, problems };
} catch (error) {
  result = { error: String(error?.message ?? error), requests, problems };
} finally {
  await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.error ? 1 : 0);
