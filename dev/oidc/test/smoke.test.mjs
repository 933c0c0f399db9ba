// Smoke test: start the provider on a free port, run the HTTP login flow with
// get-token.mjs and check the access token. Run with `npm test`.
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

const dir = fileURLToPath(new URL('..', import.meta.url));
let server;
let issuer;

before(async () => {
  server = spawn(process.execPath, ['server.mjs'], {
    cwd: dir,
    env: { ...process.env, OIDC_PORT: '0', OIDC_ISSUER: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await once(createInterface({ input: server.stdout }), 'line');
  const ready = JSON.parse(line);
  assert.equal(ready.ready, true);
  assert.equal(ready.issuer, `http://localhost:${ready.port}`);
  issuer = ready.issuer;
});

after(async () => {
  server.kill('SIGTERM');
  const [code] = await once(server, 'exit');
  assert.equal(code, 0);
});

const run = promisify(execFile);
async function token(user, flag) {
  const { stdout } = await run(process.execPath, ['get-token.mjs', user, flag], {
    cwd: dir,
    env: { ...process.env, OIDC_ISSUER: issuer },
  });
  return JSON.parse(stdout);
}

test('discovery and JWKS', async () => {
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  assert.equal(discovery.issuer, issuer);
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  assert.equal(jwks.keys.length, 1);
  assert.equal(jwks.keys[0].alg, 'RS256');
  assert.ok(jwks.keys[0].kid);
});

test('access token of alice carries Keycloak-like claims', async () => {
  const { header, payload } = await token('alice', '--claims');
  assert.equal(header.alg, 'RS256');
  assert.ok(header.kid);
  assert.equal(payload.iss, issuer);
  assert.equal(payload.sub, 'alice');
  assert.equal(payload.aud, 'wagent');
  assert.equal(payload.azp, 'wagent-spa');
  assert.equal(payload.exp - payload.iat, 300);
  assert.equal(payload.scope, 'openid profile email');
  assert.equal(payload.email, 'alice@example.com');
  assert.equal(payload.email_verified, true);
  assert.equal(payload.name, 'Alice Owner');
  assert.equal(payload.preferred_username, 'alice');
});

test('login by e-mail; unverified user', async () => {
  const { payload } = await token('dave@example.com', '--claims');
  assert.equal(payload.sub, 'dave');
  assert.equal(payload.email_verified, false);
});

test('refresh token and userinfo', async () => {
  const tokens = await token('bob', '--json');
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'wagent-spa' }),
  });
  assert.equal(response.status, 200);
  const refreshed = await response.json();
  const me = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
  assert.equal(me.status, 200);
  assert.deepEqual(await me.json(), {
    sub: 'bob', name: 'Bob Builder', given_name: 'Bob', family_name: 'Builder',
    preferred_username: 'bob', email: 'bob@example.com', email_verified: true,
  });
});

test('wrong password is rejected', async () => {
  await assert.rejects(run(process.execPath, ['get-token.mjs', 'carol'], {
    cwd: dir,
    env: { ...process.env, OIDC_ISSUER: issuer, OIDC_PASSWORD: 'nope' },
  }), /login rejected/);
});
