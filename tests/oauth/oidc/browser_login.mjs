#!/usr/bin/env node
// Drives headless Chromium (Debian's /usr/bin/chromium, through
// playwright-core) through an OIDC login on the test provider's own pages.
//
// Usage:
//   node browser_login.mjs --start-url URL --login NAME --password PW
//                          [--timeout-ms N] [--screenshot FILE]
//                          [--executable PATH] [--verbose]
//   node browser_login.mjs URL NAME PW          (positional form)
//
// The start URL is our service's /api/v1/oauth/<provider>/login, which
// answers 302 to the provider (with a cookie). The script fills the
// provider's login form, approves consent if asked, and follows the
// redirects until the browser is back on the start URL's origin
// (the service's callback). It then prints one JSON line on stdout:
//
//   {"final_url":"...","status":200,"body":"<text of the final response>",
//    "chain":[{"url":"...","status":302},...],"cookies":[...]}
//
// "chain" lists every main-frame HTTP response in order (redirects
// included); "cookies" are the browser's cookies for the final URL.
// Exit 0 once the browser is back on the service, whatever the HTTP status
// there (negative tests check "status"/"body"). Exit 1, with a message on
// stderr and nothing on stdout, if the flow could not get there: the start
// URL failed, the provider rejected the credentials, an unexpected page,
// or the overall timeout (default 30 s, never more).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const MAX_TIMEOUT_MS = 30_000;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function fail(message) {
  // playwright colours its call logs; keep the message plain.
  const plain = String(message).replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
  process.stderr.write(`browser_login.mjs: ${plain}\n`);
  process.exitCode = 1;
}

let opts;
try {
  const parsed = parseArgs({
    options: {
      'start-url': { type: 'string' },
      login: { type: 'string' },
      password: { type: 'string' },
      'timeout-ms': { type: 'string' },
      screenshot: { type: 'string' },
      executable: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  opts = parsed.values;
  const [pUrl, pLogin, pPassword] = parsed.positionals;
  opts['start-url'] ??= pUrl;
  opts.login ??= pLogin;
  opts.password ??= pPassword;
} catch (err) {
  fail(err.message);
  process.exit(2);
}

if (opts.help || !opts['start-url'] || opts.login === undefined || opts.password === undefined) {
  process.stderr.write(
    'usage: node browser_login.mjs --start-url URL --login NAME --password PW\n'
    + '                              [--timeout-ms N (<= 30000)] [--screenshot FILE] [--executable PATH] [--verbose]\n',
  );
  process.exit(opts.help ? 0 : 2);
}

const startUrl = new URL(opts['start-url']);
const serviceOrigin = startUrl.origin;
const totalTimeout = Math.min(Number(opts['timeout-ms'] ?? MAX_TIMEOUT_MS) || MAX_TIMEOUT_MS, MAX_TIMEOUT_MS);
const stepTimeout = Math.min(15_000, totalTimeout);
const executablePath = opts.executable ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function debug(line) {
  if (opts.verbose) process.stderr.write(`[browser_login] ${line}\n`);
}

function snippet(text, max = 500) {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-browser-'));
let context;

// Hard deadline for the whole run, whatever state the browser is in.
const deadline = setTimeout(() => {
  process.stderr.write(`browser_login.mjs: timed out after ${totalTimeout} ms\n`);
  Promise.resolve(context?.close()).catch(() => {}).finally(() => {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    process.exit(1);
  });
  setTimeout(() => process.exit(1), 3000).unref();
}, totalTimeout);

async function run() {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: stepTimeout,
    ignoreHTTPSErrors: false,
  });
  context.setDefaultTimeout(stepTimeout);
  context.setDefaultNavigationTimeout(stepTimeout);
  const page = context.pages()[0] ?? await context.newPage();

  const chain = [];
  let lastResponse = null;
  page.on('response', (response) => {
    const req = response.request();
    if (!req.isNavigationRequest() || response.frame() !== page.mainFrame()) return;
    chain.push({ url: response.url(), status: response.status() });
    debug(`${response.status()} ${response.url()}`);
    if (response.status() < 300 || response.status() >= 400) lastResponse = response;
  });

  // Waits until the main frame has committed a new document and loaded it.
  async function settle(action) {
    const before = chain.length;
    await Promise.all([
      page.waitForEvent('load', { timeout: stepTimeout }),
      action(),
    ]);
    if (chain.length === before) throw new Error('no navigation happened');
  }

  await settle(() => page.goto(startUrl.href, { waitUntil: 'commit' }));

  for (let step = 0; step < 10; step += 1) {
    const here = new URL(page.url());
    // Been anywhere else (the provider) since the start URL?
    const leftService = chain.some((c) => new URL(c.url).origin !== serviceOrigin);
    if (here.origin === serviceOrigin) {
      if (leftService) return { page, chain, response: lastResponse };
      const status = lastResponse?.status();
      const body = lastResponse ? await lastResponse.text().catch(() => '') : '';
      throw new Error(`start URL did not redirect to the provider: ${page.url()} answered ${status}: ${snippet(body)}`);
    }

    const loginForm = page.locator('form:has(input[name="login"])');
    const consentForm = page.locator('form:has(input[name="prompt"][value="consent"])');

    if (await loginForm.count() > 0) {
      debug(`login form at ${page.url()}`);
      await loginForm.locator('input[name="login"]').fill(opts.login);
      await loginForm.locator('input[name="password"]').fill(opts.password);
      await settle(() => loginForm.locator('button[type="submit"]').click({ noWaitAfter: true }));
      if (lastResponse && lastResponse.status() === 401
          && new URL(lastResponse.url()).origin !== serviceOrigin) {
        throw new Error(`provider rejected the login for ${JSON.stringify(opts.login)}: ${snippet(await page.textContent('body'))}`);
      }
    } else if (await consentForm.count() > 0) {
      debug(`consent form at ${page.url()}`);
      await settle(() => consentForm.locator('button[type="submit"]').click({ noWaitAfter: true }));
    } else {
      const status = lastResponse?.status();
      throw new Error(`unexpected page at ${page.url()} (HTTP ${status}): ${snippet(await page.textContent('body').catch(() => ''))}`);
    }
  }
  throw new Error(`too many steps; still at ${page.url()}`);
}

let result;
try {
  const { page, chain, response } = await run();
  let body = '';
  if (response) {
    try {
      body = await response.text();
    } catch {
      body = await page.content();
    }
  }
  if (opts.screenshot) await page.screenshot({ path: opts.screenshot, fullPage: true });
  const cookies = await context.cookies(page.url());
  result = {
    final_url: page.url(),
    status: response ? response.status() : null,
    body,
    chain,
    cookies,
  };
} catch (err) {
  if (opts.screenshot && context) {
    const page = context.pages()[0];
    await page?.screenshot({ path: opts.screenshot, fullPage: true }).catch(() => {});
  }
  fail(err.message);
} finally {
  await context?.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
  clearTimeout(deadline);
}

if (result) process.stdout.write(`${JSON.stringify(result)}\n`);
