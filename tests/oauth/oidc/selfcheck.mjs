#!/usr/bin/env node
// Self-check of provider.mjs + browser_login.mjs, with no dependency on the
// C++ service: a tiny relying party written here stands in for it.
//
//   node selfcheck.mjs [--verbose]
//
// The stand-in RP (http://127.0.0.1:<port>):
//   GET /login/<client>  302 to the provider's authorization endpoint with
//                        state, nonce and PKCE S256, and sets a cookie that
//                        binds them to this browser.
//   GET /callback        checks state against the cookie, exchanges the code
//                        at the token endpoint (client_secret_basic or
//                        client_secret_post, per client) and answers 200 with
//                        the token endpoint's JSON (or 4xx with the error).
//
// Cases: a full login with each client auth method (id_token signature,
// iss/aud/nonce and email/profile claims checked, userinfo too), a wrong
// password and an unknown login (browser_login.mjs must fail), and
// --bad-signature + --skip-consent mode (no consent page; the
// id_token must NOT verify against the advertised JWKS).
// Ends with the line "N passed, M failed"; exit status 1 if any failed.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const verbose = process.argv.includes('--verbose');
const children = new Set();

function log(line) {
  process.stderr.write(`[selfcheck] ${line}\n`);
}

function b64urlJson(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

// ------------------------------------------------------------ processes

function startProvider(config, extraArgs = []) {
  const child = spawn(process.execPath, [
    path.join(here, 'provider.mjs'), '--port', '0', '--config-json', JSON.stringify(config), ...extraArgs,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.stderr.on('data', (d) => { if (verbose) process.stderr.write(d); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not become ready in 15 s')), 15_000);
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, ready: JSON.parse(line) });
      } catch (err) {
        reject(new Error(`provider printed a non-JSON line: ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`provider exited early with ${code}`)));
  });
}

function stopProvider(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

function runBrowserLogin(startUrl, login, password) {
  return new Promise((resolve) => {
    const args = [path.join(here, 'browser_login.mjs'), '--start-url', startUrl, '--login', login, '--password', password];
    if (verbose) args.push('--verbose');
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; if (verbose) process.stderr.write(d); });
    child.on('exit', (code) => {
      children.delete(child);
      resolve({ code, out, err });
    });
  });
}

// ------------------------------------------------------------ stand-in RP

function startRelyingParty() {
  const pending = new Map(); // cookie value -> {state, nonce, verifier, client}
  const rp = { clients: new Map(), discovery: null, port: 0 };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    try {
      const loginMatch = url.pathname.match(/^\/login\/([^/]+)$/);
      if (req.method === 'GET' && loginMatch) {
        const client = rp.clients.get(loginMatch[1]);
        if (!client) return send(404, { error: 'unknown client' });
        const sid = crypto.randomBytes(16).toString('base64url');
        const state = crypto.randomBytes(16).toString('base64url');
        const nonce = crypto.randomBytes(16).toString('base64url');
        const verifier = crypto.randomBytes(32).toString('base64url');
        const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
        pending.set(sid, {
          state, nonce, verifier, client,
        });
        const authz = new URL(rp.discovery.authorization_endpoint);
        authz.search = new URLSearchParams({
          response_type: 'code',
          client_id: client.client_id,
          redirect_uri: client.redirect_uris[0],
          scope: 'openid email profile',
          state,
          nonce,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }).toString();
        return send(302, '', {
          location: authz.href,
          'set-cookie': `rp_flow=${sid}; Path=/; HttpOnly; SameSite=Lax`,
        });
      }
      if (req.method === 'GET' && url.pathname === '/callback') {
        const sid = /(?:^|;\s*)rp_flow=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
        const flow = sid && pending.get(sid);
        if (!flow) return send(400, { error: 'no flow cookie' });
        pending.delete(sid);
        if (url.searchParams.get('error')) return send(400, Object.fromEntries(url.searchParams));
        if (url.searchParams.get('state') !== flow.state) return send(400, { error: 'state mismatch' });
        if (url.searchParams.get('iss') && url.searchParams.get('iss') !== rp.discovery.issuer) {
          return send(400, { error: 'iss mismatch' });
        }
        const { client } = flow;
        const form = new URLSearchParams({
          grant_type: 'authorization_code',
          code: url.searchParams.get('code') ?? '',
          redirect_uri: client.redirect_uris[0],
          code_verifier: flow.verifier,
        });
        const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
        if (client.token_endpoint_auth_method === 'client_secret_post') {
          form.set('client_id', client.client_id);
          form.set('client_secret', client.client_secret);
        } else {
          // RFC 6749 2.3.1: form-urlencode id and secret before base64.
          const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
          headers.authorization = `Basic ${Buffer.from(`${enc(client.client_id)}:${enc(client.client_secret)}`).toString('base64')}`;
        }
        const tokenRes = await fetch(rp.discovery.token_endpoint, { method: 'POST', headers, body: form });
        const tokenJson = await tokenRes.json();
        // Expose the nonce this flow sent so the checker can compare.
        return send(tokenRes.status, { ...tokenJson, _rp_nonce: flow.nonce });
      }
      return send(404, { error: 'not found' });
    } catch (err) {
      return send(500, { error: String(err) });
    }
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      rp.port = server.address().port;
      rp.server = server;
      resolve(rp);
    });
  });
}

// ------------------------------------------------------------ checks

async function verifyIdToken(idToken, discovery) {
  const [h, p, s] = idToken.split('.');
  const header = b64urlJson(h);
  const claims = b64urlJson(p);
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) return { header, claims, signatureValid: false, reason: `kid ${header.kid} not in jwks` };
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const signatureValid = header.alg === 'RS256'
    && crypto.verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
  return { header, claims, signatureValid };
}

const results = [];
function check(name, ok, detail = '') {
  results.push(ok);
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` -- ${detail}` : ''}\n`);
}

function expectEqual(name, actual, expected) {
  check(name, actual === expected, actual === expected ? '' : `got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
}

const ACCOUNTS = {
  alice: {
    email: 'alice@example.test',
    email_verified: true,
    given_name: 'Alice',
    family_name: 'Anderson',
    password: 'correct horse',
  },
  bob: {
    email: 'bob@example.test',
    email_verified: false,
    given_name: 'Bob',
    family_name: 'Brown',
  },
};

async function loginFlow(rp, ready, discovery, client, login, password, label) {
  const startUrl = `http://127.0.0.1:${rp.port}/login/${client.client_id}`;
  const run = await runBrowserLogin(startUrl, login, password);
  if (run.code !== 0) {
    check(`${label}: browser_login exits 0`, false, run.err.trim());
    return null;
  }
  let out;
  try {
    out = JSON.parse(run.out.trim().split('\n').pop());
  } catch {
    check(`${label}: browser_login prints JSON`, false, run.out);
    return null;
  }
  check(`${label}: browser_login reached the callback`,
    out.final_url.startsWith(`http://127.0.0.1:${rp.port}/callback?`) && out.status === 200,
    `${out.status} ${out.final_url} ${out.status !== 200 ? out.body : ''}`);
  const token = JSON.parse(out.body);
  check(`${label}: token response has id_token and access_token`,
    typeof token.id_token === 'string' && typeof token.access_token === 'string', Object.keys(token).join(','));
  if (typeof token.id_token !== 'string') return null;
  const v = await verifyIdToken(token.id_token, discovery);
  if (verbose) log(`${label}: id_token header ${JSON.stringify(v.header)} claims ${JSON.stringify(v.claims)}`);
  expectEqual(`${label}: id_token alg`, v.header.alg, 'RS256');
  expectEqual(`${label}: id_token iss`, v.claims.iss, ready.issuer);
  expectEqual(`${label}: id_token aud`, v.claims.aud, client.client_id);
  expectEqual(`${label}: id_token nonce`, v.claims.nonce, token._rp_nonce);
  expectEqual(`${label}: id_token sub`, v.claims.sub, login);
  return { token, verified: v, out };
}

async function main() {
  const rp = await startRelyingParty();
  const redirect = `http://127.0.0.1:${rp.port}/callback`;
  const clients = [
    {
      client_id: 'rp-basic', client_secret: 'basic secret/1+%', redirect_uris: [redirect], token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: 'rp-post', client_secret: 'post secret/2+', redirect_uris: [redirect], token_endpoint_auth_method: 'client_secret_post',
    },
  ];
  for (const c of clients) rp.clients.set(c.client_id, c);

  // --- normal provider
  const { child, ready } = await startProvider({ clients, accounts: ACCOUNTS }, ['--require-pkce']);
  log(`provider ready: ${JSON.stringify(ready)}`);
  expectEqual('provider ready line: discovery URL', ready.discovery, `${ready.issuer}/.well-known/openid-configuration`);
  const discovery = await (await fetch(ready.discovery)).json();
  rp.discovery = discovery;
  expectEqual('discovery issuer', discovery.issuer, ready.issuer);
  check('discovery advertises S256 PKCE', (discovery.code_challenge_methods_supported ?? []).includes('S256'));
  check('discovery advertises RS256 id_tokens', (discovery.id_token_signing_alg_values_supported ?? []).includes('RS256'));

  const basic = await loginFlow(rp, ready, discovery, clients[0], 'alice', 'correct horse', 'basic/alice');
  if (basic) {
    const c = basic.verified.claims;
    check('basic/alice: id_token signature verifies against jwks_uri', basic.verified.signatureValid, basic.verified.reason ?? '');
    expectEqual('basic/alice: id_token email', c.email, 'alice@example.test');
    expectEqual('basic/alice: id_token email_verified', c.email_verified, true);
    expectEqual('basic/alice: id_token given_name', c.given_name, 'Alice');
    expectEqual('basic/alice: id_token family_name', c.family_name, 'Anderson');
    const ui = await (await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${basic.token.access_token}` },
    })).json();
    expectEqual('basic/alice: userinfo email', ui.email, 'alice@example.test');
    expectEqual('basic/alice: userinfo family_name', ui.family_name, 'Anderson');
    check('basic/alice: callback cookie visible in browser_login output',
      basic.out.cookies.some((k) => k.name === 'rp_flow'));
  }

  const post = await loginFlow(rp, ready, discovery, clients[1], 'bob', 'anything', 'post/bob');
  if (post) {
    const c = post.verified.claims;
    check('post/bob: id_token signature verifies against jwks_uri', post.verified.signatureValid, post.verified.reason ?? '');
    expectEqual('post/bob: id_token email', c.email, 'bob@example.test');
    expectEqual('post/bob: id_token email_verified', c.email_verified, false);
  }

  const wrong = await runBrowserLogin(`http://127.0.0.1:${rp.port}/login/rp-basic`, 'alice', 'wrong password');
  check('wrong password: browser_login exits non-zero with a message',
    wrong.code !== 0 && /rejected the login/.test(wrong.err) && wrong.out === '', `code=${wrong.code} ${wrong.err.trim()}`);
  const unknown = await runBrowserLogin(`http://127.0.0.1:${rp.port}/login/rp-basic`, 'mallory', 'x');
  check('unknown login: browser_login exits non-zero', unknown.code !== 0, `code=${unknown.code}`);

  // Token endpoint rejects a wrong secret (sanity for negative tests).
  const badAuth = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('rp-basic:nope').toString('base64')}`,
    },
    body: 'grant_type=authorization_code&code=x&redirect_uri=x',
  });
  expectEqual('token endpoint rejects a wrong client secret', badAuth.status, 401);
  await stopProvider(child);

  // --- bad-signature provider
  // (also exercises --skip-consent: no consent page may be shown)
  const bad = await startProvider({ clients, accounts: ACCOUNTS }, ['--bad-signature', '--skip-consent']);
  rp.discovery = await (await fetch(bad.ready.discovery)).json();
  const flow = await loginFlow(rp, bad.ready, rp.discovery, clients[0], 'alice', 'correct horse', 'bad-signature');
  if (flow) {
    check('bad-signature: id_token does NOT verify against jwks_uri', !flow.verified.signatureValid);
    const pages = flow.out.chain.filter((c) => c.status === 200 && c.url.includes('/interaction/'));
    expectEqual('skip-consent: only the login page was shown', pages.length, 1);
    expectEqual('bad-signature: claims still present', flow.verified.claims.email, 'alice@example.test');
  }
  await stopProvider(bad.child);

  rp.server.close();
}

let crashed = false;
try {
  await main();
} catch (err) {
  crashed = true;
  process.stdout.write(`FAIL selfcheck crashed: ${err.stack ?? err}\n`);
} finally {
  for (const child of children) child.kill('SIGTERM');
}
const passed = results.filter(Boolean).length;
const failed = results.length - passed + (crashed ? 1 : 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
