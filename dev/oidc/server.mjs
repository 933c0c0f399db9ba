// Local OpenID Connect provider for WAgent development and tests.
//
// Mirrors the production Keycloak realm (docker/keycloak/realm-wagent.json):
// one public client `wagent-spa` (authorization code + PKCE S256, refresh
// tokens), RS256-signed JWT access tokens with `aud` = OIDC_AUDIENCE and
// Keycloak-like claims, and a handful of demo users.
//
// stdout carries exactly one line, printed once the server listens:
//   {"ready":true,"issuer":"http://localhost:8081","port":8081}
// Everything else (logs, oidc-provider notices) goes to stderr.
//
// See README.md for the environment variables and the HTTP login flow.

import * as crypto from 'node:crypto';
import * as http from 'node:http';

import { Provider, errors } from 'oidc-provider';

// oidc-provider prints notices with console.info; keep stdout for the ready line.
console.info = (...args) => console.error(...args);
console.log = (...args) => console.error(...args);

// ---------------------------------------------------------------------------
// Configuration from the environment
// ---------------------------------------------------------------------------

function env(name, fallback) {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function fail(message) {
  console.error(`dev/oidc: ${message}`);
  process.exit(2);
}

const HOST = env('OIDC_HOST', '127.0.0.1');
const REQUESTED_PORT = Number(env('OIDC_PORT', '8081'));
if (!Number.isInteger(REQUESTED_PORT) || REQUESTED_PORT < 0 || REQUESTED_PORT > 65535) {
  fail(`invalid OIDC_PORT: ${process.env.OIDC_PORT}`);
}
const AUDIENCE = env('OIDC_AUDIENCE', 'wagent');
const ACCESS_TOKEN_TTL = Number(env('OIDC_ACCESS_TOKEN_TTL', '300'));
if (!Number.isInteger(ACCESS_TOKEN_TTL) || ACCESS_TOKEN_TTL <= 0) {
  fail(`invalid OIDC_ACCESS_TOKEN_TTL: ${process.env.OIDC_ACCESS_TOKEN_TTL}`);
}

const REDIRECT_URIS = env(
  'OIDC_REDIRECT_URIS',
  'http://localhost:8080/auth/callback,http://127.0.0.1:8080/auth/callback,http://localhost:5173/auth/callback',
)
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

function originOf(uri) {
  try {
    return new URL(uri).origin;
  } catch {
    fail(`invalid redirect URI: ${uri}`);
    return undefined;
  }
}

// Origins of the redirect URIs: allowed for CORS and (with "/") as
// post-logout redirect URIs by default.
const REDIRECT_ORIGINS = [...new Set(REDIRECT_URIS.map(originOf))];

const POST_LOGOUT_REDIRECT_URIS = env(
  'OIDC_POST_LOGOUT_REDIRECT_URIS',
  REDIRECT_ORIGINS.map((o) => `${o}/`).join(','),
)
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const CLIENT_ID = 'wagent-spa';
// Answered by this server (see handleUserinfo), advertised by oidc-provider.
const USERINFO_PATH = '/me';

// The resource indicator of the WAgent API. Resource indicators must be
// absolute URIs; the audience ("wagent") is not, so it is wrapped in a URN.
// Clients never need to send it: it is the default resource.
const RESOURCE = /^[a-z][a-z0-9+.-]*:/i.test(AUDIENCE) ? AUDIENCE : `urn:${AUDIENCE}`;
const RESOURCE_SCOPE = 'openid profile email offline_access';

// ---------------------------------------------------------------------------
// Demo users (same password for everyone)
// ---------------------------------------------------------------------------

const DEMO_PASSWORD = 'wagent-demo';

const ACCOUNTS = new Map(
  [
    ['alice', 'Alice', 'Owner', 'alice@example.com', true],
    ['bob', 'Bob', 'Builder', 'bob@example.com', true],
    ['carol', 'Carol', 'Member', 'carol@example.com', true],
    ['dave', 'Dave', 'Unverified', 'dave@example.com', false],
  ].map(([id, given, family, email, verified]) => [
    id,
    {
      sub: id,
      preferred_username: id,
      name: `${given} ${family}`,
      given_name: given,
      family_name: family,
      email,
      email_verified: verified,
    },
  ]),
);

function lookupLogin(login) {
  const needle = String(login ?? '').trim().toLowerCase();
  if (!needle) return undefined;
  if (ACCOUNTS.has(needle)) return ACCOUNTS.get(needle);
  for (const account of ACCOUNTS.values()) {
    if (account.email.toLowerCase() === needle) return account;
  }
  return undefined;
}

function passwordMatches(given) {
  const a = Buffer.from(String(given ?? ''));
  const b = Buffer.from(DEMO_PASSWORD);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

// ---------------------------------------------------------------------------
// Signing key: RSA 2048, generated at start-up, kid = RFC 7638 thumbprint
// ---------------------------------------------------------------------------

function generateSigningJwk() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const thumbprintInput = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  const kid = crypto.createHash('sha256').update(thumbprintInput).digest('base64url');
  return { ...jwk, kid, use: 'sig', alg: 'RS256' };
}

const SIGNING_JWK = generateSigningJwk();
const VERIFY_KEY = crypto.createPublicKey({
  key: { kty: SIGNING_JWK.kty, n: SIGNING_JWK.n, e: SIGNING_JWK.e },
  format: 'jwk',
});

// ---------------------------------------------------------------------------
// HTML helpers (no external assets)
// ---------------------------------------------------------------------------

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

const STYLE = `
  body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1f2933;margin:0}
  main{max-width:380px;margin:48px auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.12);padding:28px 32px}
  h1{font-size:1.3em;margin:0 0 4px}
  p.sub{margin:0 0 20px;color:#52606d;font-size:.9em}
  label{display:block;font-size:.85em;font-weight:600;margin:14px 0 4px}
  input{box-sizing:border-box;width:100%;padding:9px 10px;font-size:1em;border:1px solid #9aa5b1;border-radius:4px}
  button{margin-top:20px;width:100%;padding:10px;font-size:1em;font-weight:600;border:0;border-radius:4px;background:#128c7e;color:#fff;cursor:pointer}
  .error{background:#fde8e8;color:#9b1c1c;border-radius:4px;padding:8px 10px;font-size:.9em;margin-bottom:8px}
  .hint{margin-top:24px;font-size:.82em;color:#52606d;border-top:1px solid #e4e7eb;padding-top:12px}
  .hint code{background:#f0f4f8;padding:1px 4px;border-radius:3px}
  .hint ul{padding-left:18px;margin:6px 0}
  pre{white-space:pre-wrap;word-wrap:break-word}
`;

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function loginPage({ uid, clientName, username = '', error }) {
  const users = [...ACCOUNTS.values()]
    .map((a) => `<li><code>${escapeHtml(a.sub)}</code> / <code>${escapeHtml(a.email)}</code> — ${escapeHtml(a.name)}${a.email_verified ? '' : ' (e-mail not verified)'}</li>`)
    .join('\n');
  return page('Sign in · WAgent dev OIDC', `
<h1>Sign in</h1>
<p class="sub">to ${escapeHtml(clientName)} — local development identity provider</p>
${error ? `<div class="error" id="login-error" role="alert">${escapeHtml(error)}</div>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}" autocomplete="off">
  <label for="username">Username or e-mail</label>
  <input name="username" id="username" type="text" value="${escapeHtml(username)}" autofocus required>
  <label for="password">Password</label>
  <input name="password" id="password" type="password" required>
  <button type="submit" id="sign-in">Sign in</button>
</form>
<div class="hint" id="demo-users">
  Demo users (password <code>${escapeHtml(DEMO_PASSWORD)}</code> for all):
  <ul>
${users}
  </ul>
</div>`);
}

// ---------------------------------------------------------------------------
// oidc-provider configuration
// ---------------------------------------------------------------------------

function buildConfiguration() {
  return {
    clients: [
      {
        client_id: CLIENT_ID,
        client_name: 'WAgent',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: REDIRECT_URIS,
        post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
      },
    ],

    jwks: { keys: [SIGNING_JWK] },

    cookies: {
      keys: [crypto.randomBytes(32).toString('base64url')],
    },

    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],

    // Like Keycloak: profile / email claims in the ID token too, not only userinfo.
    conformIdTokenClaims: false,

    async findAccount(_ctx, sub) {
      const account = ACCOUNTS.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { ...account };
        },
      };
    },

    // Access tokens are for the WAgent API: JWT, RS256, aud = OIDC_AUDIENCE,
    // carrying Keycloak-like identity claims.
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const account = ACCOUNTS.get(token.accountId);
      if (!account) return undefined;
      return {
        azp: token.clientId,
        email: account.email,
        email_verified: account.email_verified,
        name: account.name,
        given_name: account.given_name,
        family_name: account.family_name,
        preferred_username: account.preferred_username,
      };
    },

    formats: {
      customizers: {
        // Keycloak signs access tokens with header typ "JWT" (not RFC 9068's
        // "at+jwt") and a `typ: "Bearer"` claim; do the same so the API's
        // validation is exercised against the production token shape.
        jwt(_ctx, _token, jwt) {
          jwt.header = { ...jwt.header, typ: 'JWT' };
          jwt.payload.typ = 'Bearer';
        },
      },
    },

    clientBasedCORS(_ctx, origin, client) {
      return client.clientId === CLIENT_ID && REDIRECT_ORIGINS.includes(origin);
    },

    pkce: {
      required: () => true,
    },

    // Keycloak issues a refresh token with every code exchange (no offline_access needed).
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },

    ttl: {
      AccessToken: () => ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL,
      RefreshToken: 30 * 60,
      Interaction: 10 * 60,
      Session: 10 * 60 * 60,
      Grant: 10 * 60 * 60,
    },

    interactions: {
      url(_ctx, interaction) {
        return `/interaction/${interaction.uid}`;
      },
    },

    responseTypes: ['code'],
    routes: { userinfo: USERINFO_PATH },

    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Auto-confirm the logout (no "do you want to sign out?" question).
        async logoutSource(ctx, form) {
          const autoForm = form.replace(
            '</form>',
            '<input type="hidden" name="logout" value="yes"/><noscript><button type="submit" id="logout">Sign out</button></noscript></form>',
          );
          ctx.body = page('Signing out · WAgent dev OIDC', `
<h1>Signing out…</h1>
${autoForm}
<script>document.getElementById('op.logoutForm').submit();</script>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out · WAgent dev OIDC', '<h1 id="signed-out">You are signed out.</h1>');
        },
      },
      resourceIndicators: {
        enabled: true,
        // The SPA never sends `resource`: every authorization request is for the WAgent API.
        async defaultResource(_ctx, _client, oneOf) {
          if (oneOf) return oneOf.includes(RESOURCE) ? RESOURCE : oneOf[0];
          return RESOURCE;
        },
        // …and the token endpoint uses the granted resource without a `resource` parameter.
        async useGrantedResource() {
          return true;
        },
        async getResourceServerInfo(_ctx, resourceIndicator) {
          if (resourceIndicator !== RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: RESOURCE_SCOPE,
            audience: AUDIENCE,
            accessTokenTTL: ACCESS_TOKEN_TTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },

    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Error · WAgent dev OIDC', `
<h1>Something went wrong</h1>
${Object.entries(out).map(([k, v]) => `<pre id="error-${escapeHtml(k)}"><strong>${escapeHtml(k)}</strong>: ${escapeHtml(v)}</pre>`).join('\n')}`);
    },
  };
}

// ---------------------------------------------------------------------------
// Interactions: login form + automatic consent for the first-party client
// ---------------------------------------------------------------------------

const MAX_FORM_BYTES = 16 * 1024;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        reject(new Error('form too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function sendHtml(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(html);
}

async function grantConsent(provider, req, res, details) {
  const { prompt, params, session } = details;
  if (params.client_id !== CLIENT_ID) {
    // Only the first-party client exists; any other client gets no consent.
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'consent is only granted automatically to the first-party client',
    }, { mergeWithLastSubmission: false });
    return;
  }

  let grant;
  if (details.grantId) grant = await provider.Grant.find(details.grantId);
  if (!grant) grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });

  const d = prompt.details;
  if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
  if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
  if (d.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const grantId = await grant.save();
  const consent = details.grantId ? {} : { grantId };
  await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
}

async function handleInteraction(provider, req, res, uid) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (err) {
    // Missing/expired interaction cookie or interaction.
    sendHtml(res, 400, page('Sign-in expired · WAgent dev OIDC', `
<h1>Sign-in session expired</h1>
<p id="login-error">${escapeHtml(err.error_description || err.message)}</p>
<p>Go back to the application and start signing in again.</p>`));
    return;
  }
  if (details.uid !== uid) {
    sendHtml(res, 400, page('Error', '<h1>Interaction mismatch</h1>'));
    return;
  }

  const client = await provider.Client.find(details.params.client_id);
  const clientName = client?.clientName || details.params.client_id;

  if (details.prompt.name === 'consent') {
    await grantConsent(provider, req, res, details);
    return;
  }

  if (details.prompt.name !== 'login') {
    sendHtml(res, 400, page('Error', `<h1>Unsupported prompt ${escapeHtml(details.prompt.name)}</h1>`));
    return;
  }

  if (req.method === 'GET') {
    sendHtml(res, 200, loginPage({ uid, clientName, username: details.params.login_hint || '' }));
    return;
  }

  const form = await readForm(req);
  const username = form.get('username') ?? '';
  const account = lookupLogin(username);
  if (!account || !passwordMatches(form.get('password'))) {
    sendHtml(res, 200, loginPage({
      uid, clientName, username, error: 'Invalid username or password.',
    }));
    return;
  }

  await provider.interactionFinished(req, res, {
    login: { accountId: account.sub },
  }, { mergeWithLastSubmission: false });
}

// ---------------------------------------------------------------------------
// UserInfo for JWT access tokens
// ---------------------------------------------------------------------------
//
// oidc-provider only serves userinfo for opaque, audience-less access tokens.
// Our access tokens are JWTs for the WAgent API (aud = OIDC_AUDIENCE), which
// Keycloak's userinfo endpoint accepts. To behave the same, the userinfo route
// (/me, as advertised in discovery) is answered here: the bearer JWT is
// verified (RS256 signature with our key, iss, exp) and the claims allowed by
// its scope are returned.

function verifyAccessToken(token, issuer) {
  const parts = String(token).split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'RS256' || header.kid !== SIGNING_JWK.kid) return undefined;
    const signatureOk = crypto.verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      VERIFY_KEY,
      Buffer.from(parts[2], 'base64url'),
    );
    if (!signatureOk) return undefined;
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (payload.iss !== issuer) return undefined;
    if (typeof payload.exp !== 'number' || payload.exp <= Math.floor(Date.now() / 1000)) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

function corsHeaders(req) {
  const { origin } = req.headers;
  if (origin && REDIRECT_ORIGINS.includes(origin)) {
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
  }
  return { Vary: 'Origin' };
}

function handleUserinfo(req, res, issuer) {
  const cors = corsHeaders(req);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    res.end();
    return;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const payload = match ? verifyAccessToken(match[1], issuer) : undefined;
  const account = payload && ACCOUNTS.get(payload.sub);
  if (!account) {
    res.writeHead(401, {
      ...cors,
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'WWW-Authenticate': match
        ? 'Bearer error="invalid_token", error_description="invalid token provided"'
        : 'Bearer',
    });
    res.end(JSON.stringify(match
      ? { error: 'invalid_token', error_description: 'invalid token provided' }
      : { error: 'invalid_request', error_description: 'no access token provided' }));
    return;
  }
  const scopes = new Set(String(payload.scope ?? '').split(' '));
  const claims = { sub: account.sub };
  if (scopes.has('profile')) {
    Object.assign(claims, {
      name: account.name,
      given_name: account.given_name,
      family_name: account.family_name,
      preferred_username: account.preferred_username,
    });
  }
  if (scopes.has('email')) {
    Object.assign(claims, { email: account.email, email_verified: account.email_verified });
  }
  const body = JSON.stringify(claims);
  res.writeHead(200, {
    ...cors,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

// ---------------------------------------------------------------------------
// HTTP server
// ---------------------------------------------------------------------------

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)\/?$/;

let providerCallback;
let provider;

const server = http.createServer(async (req, res) => {
  if (!providerCallback) {
    res.writeHead(503, { 'Content-Type': 'text/plain' });
    res.end('starting\n');
    return;
  }
  const { pathname } = new URL(req.url, 'http://internal');
  const match = INTERACTION_PATH.exec(pathname);
  if (match && (req.method === 'GET' || req.method === 'POST')) {
    try {
      await handleInteraction(provider, req, res, match[1]);
    } catch (err) {
      console.error('dev/oidc: interaction error:', err);
      if (!res.headersSent) sendHtml(res, 500, page('Error', '<h1>Internal error</h1>'));
      else res.end();
    }
    return;
  }
  if (pathname === USERINFO_PATH && ['GET', 'POST', 'OPTIONS'].includes(req.method)) {
    handleUserinfo(req, res, provider.issuer);
    return;
  }
  providerCallback(req, res);
});

server.keepAliveTimeout = 5000;

server.listen(REQUESTED_PORT, HOST, () => {
  const { port } = server.address();
  // OIDC_ISSUER may contain "{port}" (useful with OIDC_PORT=0).
  const issuer = env('OIDC_ISSUER', 'http://localhost:{port}')
    .replaceAll('{port}', String(port))
    .replace(/\/+$/, '');

  provider = new Provider(issuer, buildConfiguration());

  for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error', 'userinfo.error', 'revocation.error']) {
    provider.on(event, (ctx, err) => {
      const detail = err?.error_description ? `${err.message}: ${err.error_description}` : err?.message;
      console.error(`dev/oidc: ${event}: ${detail}`);
      if (event === 'server_error') console.error(err);
    });
  }

  providerCallback = provider.callback();
  process.stdout.write(`${JSON.stringify({ ready: true, issuer, port })}\n`);
});

server.on('error', (err) => {
  console.error(`dev/oidc: cannot listen on ${HOST}:${REQUESTED_PORT}: ${err.message}`);
  process.exit(1);
});

function shutdown(signal) {
  console.error(`dev/oidc: ${signal}, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

// A test process that started us may end without stopping us (its handle lives in a static):
// with OIDC_EXIT_WITH_PID set, go when that process is gone.
const parent = Number(process.env.OIDC_EXIT_WITH_PID || 0);
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      shutdown('parent gone');
    }
  }, 1000).unref();
}
