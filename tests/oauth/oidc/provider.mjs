#!/usr/bin/env node
// Test-only OpenID Provider for the OIDC social-login tests.
//
// Wraps the npm package `oidc-provider` (panva) and serves it over plain
// HTTP on 127.0.0.1. When it is ready it prints exactly one JSON line on
// stdout:
//
//   {"issuer":"http://127.0.0.1:PORT","discovery":"http://127.0.0.1:PORT/.well-known/openid-configuration","port":PORT}
//
// and nothing else is ever written to stdout (oidc-provider's own warnings
// and our event log go to stderr). SIGTERM / SIGINT stop it with exit 0.
//
// Usage:
//   node provider.mjs [--port N] [--config FILE | --config-json JSON]
//                     [--bad-signature] [--skip-consent] [--require-pkce]
//                     [--verbose]
//
// Environment equivalents (command-line flags win):
//   OIDC_PROVIDER_PORT, OIDC_PROVIDER_CONFIG (JSON text),
//   OIDC_PROVIDER_CONFIG_FILE, OIDC_PROVIDER_BAD_SIGNATURE=1,
//   OIDC_PROVIDER_SKIP_CONSENT=1, OIDC_PROVIDER_REQUIRE_PKCE=1,
//   OIDC_PROVIDER_VERBOSE=1
//
// Port 0 (the default) picks a free port; the issuer always carries the
// real port. See README.md for the configuration format.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import querystring from 'node:querystring';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const HOST = '127.0.0.1';
const JWKS_PATH = '/jwks';
const SUPPORTED_SCOPES = ['openid', 'email', 'profile'];
const MAX_FORM_BYTES = 16 * 1024;

function die(message) {
  process.stderr.write(`provider.mjs: ${message}\n`);
  process.exit(2);
}

function truthy(value) {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

// ---------------------------------------------------------------- options

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string' },
      config: { type: 'string' },
      'config-json': { type: 'string' },
      'bad-signature': { type: 'boolean' },
      'skip-consent': { type: 'boolean' },
      'require-pkce': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
} catch (err) {
  die(err.message);
}
const opts = parsed.values;

if (opts.help) {
  process.stderr.write(
    'usage: node provider.mjs [--port N] [--config FILE | --config-json JSON]\n'
    + '                         [--bad-signature] [--skip-consent] [--require-pkce] [--verbose]\n',
  );
  process.exit(0);
}

function readFile(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    return die(`cannot read configuration file: ${err.message}`);
  }
}

function loadConfig() {
  let text;
  let origin;
  if (opts['config-json'] !== undefined) {
    text = opts['config-json'];
    origin = '--config-json';
  } else if (opts.config !== undefined) {
    text = readFile(opts.config);
    origin = opts.config;
  } else if (process.env.OIDC_PROVIDER_CONFIG) {
    text = process.env.OIDC_PROVIDER_CONFIG;
    origin = 'OIDC_PROVIDER_CONFIG';
  } else if (process.env.OIDC_PROVIDER_CONFIG_FILE) {
    text = readFile(process.env.OIDC_PROVIDER_CONFIG_FILE);
    origin = process.env.OIDC_PROVIDER_CONFIG_FILE;
  } else {
    return {};
  }
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('top level must be a JSON object');
    }
    return value;
  } catch (err) {
    return die(`invalid configuration in ${origin}: ${err.message}`);
  }
}

const config = loadConfig();

const portText = opts.port ?? process.env.OIDC_PROVIDER_PORT ?? String(config.port ?? 0);
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) die(`invalid port: ${portText}`);

const badSignature = opts['bad-signature'] || truthy(process.env.OIDC_PROVIDER_BAD_SIGNATURE)
  || config.bad_signature === true;
const skipConsent = opts['skip-consent'] || truthy(process.env.OIDC_PROVIDER_SKIP_CONSENT)
  || config.skip_consent === true;
const requirePkce = opts['require-pkce'] || truthy(process.env.OIDC_PROVIDER_REQUIRE_PKCE)
  || config.require_pkce === true;
const verbose = opts.verbose || truthy(process.env.OIDC_PROVIDER_VERBOSE);

const DEFAULT_ACCOUNTS = {
  alice: {
    email: 'alice@example.test',
    email_verified: true,
    given_name: 'Alice',
    family_name: 'Anderson',
  },
  bob: {
    email: 'bob@example.test',
    email_verified: false,
    given_name: 'Bob',
    family_name: 'Brown',
  },
};

const accounts = config.accounts ?? DEFAULT_ACCOUNTS;
if (typeof accounts !== 'object' || Array.isArray(accounts) || Object.keys(accounts).length === 0) {
  die('"accounts" must be a non-empty object: {"<login>": {"email": ..., ...}}');
}

const clientsIn = config.clients ?? [];
if (!Array.isArray(clientsIn) || clientsIn.length === 0) {
  die('at least one client is required: {"clients":[{"client_id":...,"client_secret":...,"redirect_uris":[...]}]}');
}
const clients = clientsIn.map((c, i) => {
  if (!c || typeof c.client_id !== 'string' || !c.client_id) die(`clients[${i}].client_id missing`);
  if (!Array.isArray(c.redirect_uris) || c.redirect_uris.length === 0) {
    die(`clients[${i}].redirect_uris must be a non-empty array`);
  }
  const method = c.token_endpoint_auth_method ?? 'client_secret_basic';
  if (method !== 'none' && (typeof c.client_secret !== 'string' || !c.client_secret)) {
    die(`clients[${i}].client_secret missing (token_endpoint_auth_method ${method})`);
  }
  return {
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...c,
    token_endpoint_auth_method: method,
  };
});

// ---------------------------------------------------------------- keys

function newRsaJwk(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

function publicPart(jwk) {
  const {
    kty, n, e, kid, alg, use,
  } = jwk;
  return {
    kty, n, e, kid, alg, use,
  };
}

const signingKid = `test-${crypto.randomBytes(6).toString('hex')}`;
const signingKey = newRsaJwk(signingKid);
// In --bad-signature mode /jwks advertises this key instead, under the
// signing key's kid: id_tokens are then signed by a key that is not the one
// published, so signature verification must fail on the relying party.
const decoyKey = badSignature ? newRsaJwk(signingKid) : null;

// ---------------------------------------------------------------- accounts

function accountClaims(id) {
  const a = accounts[id] ?? {};
  const out = { sub: id };
  for (const name of ['email', 'email_verified', 'given_name', 'family_name', 'name']) {
    if (a[name] !== undefined) out[name] = a[name];
  }
  if (out.name === undefined && (a.given_name || a.family_name)) {
    out.name = [a.given_name, a.family_name].filter(Boolean).join(' ');
  }
  return out;
}

async function findAccount(_ctx, id) {
  if (!Object.hasOwn(accounts, id)) return undefined;
  return {
    accountId: id,
    // oidc-provider filters these by granted scope/claims itself.
    async claims() {
      return accountClaims(id);
    },
  };
}

function checkCredentials(login, password) {
  if (typeof login !== 'string' || !Object.hasOwn(accounts, login)) return false;
  const expected = accounts[login].password;
  if (expected === undefined || expected === null) return true; // any password
  if (typeof password !== 'string') return false;
  const a = Buffer.from(String(expected));
  const b = Buffer.from(password);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

// ---------------------------------------------------------------- provider

async function loadExistingGrant(ctx) {
  const grantId = ctx.oidc.result?.consent?.grantId
    || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
  if (grantId) return ctx.oidc.provider.Grant.find(grantId);
  if (!skipConsent) return undefined;
  // --skip-consent: grant whatever supported scopes were asked for.
  const grant = new ctx.oidc.provider.Grant({
    clientId: ctx.oidc.client.clientId,
    accountId: ctx.oidc.session.accountId,
  });
  const requested = String(ctx.oidc.params.scope ?? '').split(' ').filter((s) => SUPPORTED_SCOPES.includes(s));
  grant.addOIDCScope(requested.join(' '));
  await grant.save();
  return grant;
}

function log(line) {
  process.stderr.write(`[oidc-provider] ${line}\n`);
}

const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, HOST, () => {
    server.off('error', reject);
    resolve();
  });
});
const actualPort = server.address().port;
const issuer = `http://${HOST}:${actualPort}`;

const provider = new Provider(issuer, {
  clients,
  findAccount,
  loadExistingGrant,
  jwks: { keys: [signingKey] },
  cookies: {
    keys: [crypto.randomBytes(32).toString('base64url')],
    // Plain-http loopback: no `secure` attribute is ever forced (koa's
    // ctx.secure is false on http), and SameSite=Lax keeps the cookies on
    // the top-level redirects between 127.0.0.1:<rp> and 127.0.0.1:<op>
    // (same site: ports do not matter).
    long: { httpOnly: true, sameSite: 'lax' },
    short: { httpOnly: true, sameSite: 'lax' },
  },
  scopes: SUPPORTED_SCOPES,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  // Put scope-requested claims (email, profile) in the id_token too, not
  // only at userinfo, although an access token is issued (code flow).
  conformIdTokenClaims: false,
  pkce: {
    required: () => requirePkce,
  },
  features: {
    devInteractions: { enabled: true },
    userinfo: { enabled: true },
    revocation: { enabled: true },
  },
  routes: { jwks: JWKS_PATH },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 120,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
});

// Password check in front of the devInteractions login form (which itself
// accepts any login and ignores the password). A rejected login answers
// 401 with a small page; unknown login names are rejected the same way.
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && /^\/interaction\/[^/]+$/.test(ctx.path)
      && ctx.is('application/x-www-form-urlencoded')) {
    const chunks = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) ctx.throw(413, 'form too large');
      chunks.push(chunk);
    }
    const form = querystring.parse(Buffer.concat(chunks).toString('utf8'));
    // oidc-provider reads an already-parsed body from req.body.
    ctx.req.body = form;
    if (form.prompt === 'login' && !checkCredentials(form.login, form.password)) {
      log(`login rejected for ${JSON.stringify(form.login)}`);
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = '<!DOCTYPE html><html><head><title>Sign-in failed</title></head>'
        + '<body><p id="login-error">invalid login or password</p></body></html>';
      return;
    }
  }
  if (decoyKey && ctx.method === 'GET' && ctx.path === JWKS_PATH) {
    ctx.type = 'application/jwk-set+json';
    ctx.body = { keys: [publicPart(decoyKey)] };
    return;
  }
  await next();
});

if (verbose) {
  provider.use(async (ctx, next) => {
    const started = Date.now();
    await next();
    log(`${ctx.method} ${ctx.originalUrl} -> ${ctx.status} (${Date.now() - started} ms)`);
  });
}

for (const event of [
  'server_error', 'authorization.error', 'grant.error', 'userinfo.error',
  'revocation.error', 'jwks.error', 'discovery.error', 'end_session.error',
]) {
  provider.on(event, (...args) => {
    const err = args.find((a) => a instanceof Error);
    log(`${event}: ${err ? `${err.name}: ${err.message}${err.error_description ? ` (${err.error_description})` : ''}` : ''}`);
  });
}
provider.on('grant.success', (ctx) => {
  if (verbose) log(`grant.success client=${ctx.oidc.client?.clientId}`);
});

server.on('request', provider.callback());

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

if (badSignature) log('bad-signature mode: /jwks advertises a key that did not sign the id_tokens');

process.stdout.write(`${JSON.stringify({
  issuer,
  discovery: `${issuer}/.well-known/openid-configuration`,
  port: actualPort,
})}\n`);
