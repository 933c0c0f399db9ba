// Obtain tokens from the local OIDC provider by driving the real
// authorization-code + PKCE flow over plain HTTP, exactly as a browser would
// (and as the Rust integration tests do). No test-only endpoint is involved.
//
//   node get-token.mjs alice            -> prints the access token
//   node get-token.mjs bob --json       -> prints the whole token response
//   node get-token.mjs alice@example.com --claims  -> prints the decoded access-token claims
//
// Environment:
//   OIDC_ISSUER        issuer URL (default http://localhost:8081)
//   OIDC_CLIENT_ID     client id (default wagent-spa)
//   OIDC_REDIRECT_URI  registered redirect URI (default http://localhost:8080/auth/callback)
//   OIDC_PASSWORD      password (default wagent-demo)
//   OIDC_SCOPE         scope (default "openid profile email")
//
// Steps (see README.md, "Getting a token over HTTP"):
//   1. GET  {issuer}/.well-known/openid-configuration
//   2. GET  {authorization_endpoint}?response_type=code&client_id&redirect_uri&scope&state&nonce
//           &code_challenge&code_challenge_method=S256          -> 303 /interaction/{uid}
//   3. GET  /interaction/{uid} (with cookies)                   -> 200 login form
//   4. POST /interaction/{uid}  username=…&password=…           -> 303 /auth/{uid}
//   5. follow redirects (/auth/{uid} -> /interaction/{uid2} -> /auth/{uid2}) keeping
//      cookies, until Location starts with the redirect URI     -> ?code=…&state=…
//   6. POST {token_endpoint} grant_type=authorization_code&code&redirect_uri&client_id
//           &code_verifier                                      -> JSON with access_token

import * as crypto from 'node:crypto';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const [username] = args.filter((a) => !a.startsWith('--'));

if (!username || flags.has('--help')) {
  console.error('usage: node get-token.mjs USER [--json | --claims]   (USER: alice, bob, carol, dave or an e-mail)');
  process.exit(username ? 0 : 2);
}

const issuer = (process.env.OIDC_ISSUER || 'http://localhost:8081').replace(/\/+$/, '');
const clientId = process.env.OIDC_CLIENT_ID || 'wagent-spa';
const redirectUri = process.env.OIDC_REDIRECT_URI || 'http://localhost:8080/auth/callback';
const password = process.env.OIDC_PASSWORD || 'wagent-demo';
const scope = process.env.OIDC_SCOPE || 'openid profile email';

function die(message) {
  console.error(`get-token: ${message}`);
  process.exit(1);
}

// A minimal cookie jar: name -> value. Cookie names used by the provider are
// unique (_session, _interaction, _interaction_resume and their .sig
// companions), so ignoring Path is safe; a path-aware jar works as well.
const jar = new Map();

function storeCookies(response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => {
      const [k, v] = a.split('=').map((s) => s?.trim());
      if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
      if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
      return false;
    });
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
  }
}

function cookieHeader() {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

async function request(url, init = {}) {
  const headers = { ...init.headers };
  if (jar.size) headers.cookie = cookieHeader();
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  storeCookies(response);
  return response;
}

// 1. Discovery
const discoveryResponse = await fetch(`${issuer}/.well-known/openid-configuration`).catch((err) => die(`cannot reach ${issuer}: ${err.cause?.message || err.message}`));
if (!discoveryResponse.ok) die(`discovery failed: HTTP ${discoveryResponse.status}`);
const discovery = await discoveryResponse.json();

// 2. Authorization request with PKCE (S256)
const codeVerifier = crypto.randomBytes(32).toString('base64url');
const codeChallenge = crypto.createHash('sha256').update(codeVerifier).digest('base64url');
const state = crypto.randomBytes(16).toString('base64url');
const nonce = crypto.randomBytes(16).toString('base64url');

const authUrl = new URL(discovery.authorization_endpoint);
authUrl.search = new URLSearchParams({
  response_type: 'code',
  client_id: clientId,
  redirect_uri: redirectUri,
  scope,
  state,
  nonce,
  code_challenge: codeChallenge,
  code_challenge_method: 'S256',
}).toString();

let url = authUrl.href;
let response = await request(url);
let submitted = false;
let code;

// 3.–5. Follow redirects, submit the login form once, stop at the redirect URI.
for (let hop = 0; hop < 20; hop += 1) {
  if (response.status >= 300 && response.status < 400) {
    const location = new URL(response.headers.get('location'), url).href;
    if (location.startsWith(redirectUri)) {
      const params = new URL(location).searchParams;
      if (params.get('error')) die(`authorization error: ${params.get('error')}: ${params.get('error_description')}`);
      if (params.get('state') !== state) die('state mismatch');
      code = params.get('code');
      break;
    }
    url = location;
    response = await request(url);
    continue;
  }

  const body = await response.text();
  if (response.status !== 200 || !body.includes('id="username"')) {
    die(`unexpected HTTP ${response.status} at ${url}: ${body.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  if (submitted) die(`login rejected for ${username} (wrong user or password)`);

  // The form posts back to the interaction URL itself.
  response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  submitted = true;
}
if (!code) die('did not reach the redirect URI');

// 6. Code exchange (public client: no secret, PKCE verifier instead)
const tokenResponse = await fetch(discovery.token_endpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: codeVerifier,
  }).toString(),
});
const tokens = await tokenResponse.json();
if (!tokenResponse.ok) die(`token endpoint: HTTP ${tokenResponse.status}: ${JSON.stringify(tokens)}`);

if (flags.has('--json')) {
  console.log(JSON.stringify(tokens, null, 2));
} else if (flags.has('--claims')) {
  const [header, payload] = tokens.access_token.split('.').slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  console.log(JSON.stringify({ header, payload }, null, 2));
} else {
  console.log(tokens.access_token);
}
