// An OpenID provider without a login page, for the id_token checks of the service: the npm package
// oauth2-mock-server (a real OAuth 2 / OIDC server written by others), with one deliberate fault
// chosen by --mode:
//   ok               a well-formed id_token for the configured user
//   wrong-nonce      the id_token's nonce is not the one the service sent
//   wrong-audience   the id_token is for another client
//   expired          the id_token expired an hour ago
//   bad-signature    the id_token's signature is damaged after signing
//
//   node mock_provider.mjs [--port N] [--mode MODE] [--sub S] [--email E] [--email-verified true|false]
//
// Prints one JSON line when listening: {"issuer", "discovery", "port"}; stops on SIGTERM/SIGINT.
import { OAuth2Server } from 'oauth2-mock-server';

const options = { port: 0, mode: 'ok', sub: 'mock-user-1', email: 'mock.user@example.com', emailVerified: 'true' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const name = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  if (!(name in options)) {
    console.error(`unknown option ${argv[i]}`);
    process.exit(2);
  }
  options[name] = argv[i + 1];
}
const modes = ['ok', 'wrong-nonce', 'wrong-audience', 'expired', 'bad-signature'];
if (!modes.includes(options.mode)) {
  console.error(`--mode must be one of ${modes.join(', ')}`);
  process.exit(2);
}

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');

server.service.on('beforeTokenSigning', (token) => {
  const now = Math.floor(Date.now() / 1000);
  Object.assign(token.payload, {
    sub: options.sub,
    email: options.email,
    email_verified: options.emailVerified === 'true',
    given_name: 'Mock',
    family_name: 'User',
  });
  if (options.mode === 'wrong-nonce' && 'nonce' in token.payload) token.payload.nonce = 'not-the-nonce';
  if (options.mode === 'wrong-audience') token.payload.aud = 'some-other-client';
  if (options.mode === 'expired') Object.assign(token.payload, { iat: now - 7200, exp: now - 3600 });
});
server.service.on('beforeResponse', (response) => {
  const idToken = response.body?.id_token;
  if (options.mode === 'bad-signature' && typeof idToken === 'string') {
    const [header, payload, signature] = idToken.split('.');
    const damaged = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    response.body.id_token = `${header}.${payload}.${damaged}`;
  }
});

await server.start(Number(options.port), '127.0.0.1');
const port = Number(new URL(server.issuer.url).port);
// The service only talks to loopback addresses over http: name the issuer by its address.
server.issuer.url = `http://127.0.0.1:${port}`;
const issuer = server.issuer.url;
process.stdout.write(JSON.stringify({ issuer, discovery: `${issuer}/.well-known/openid-configuration`, port }) + '\n');

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
