// API tokens: alice creates one in the UI, an integrator uses it, alice revokes it and it stops
// working at once.

import assert from 'node:assert/strict';

import { signIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { graphql } from '../lib/graphql.mjs';
import { BASE_URL, DEMO_ORG_ID, USERS } from '../lib/stack.mjs';

const TOKEN_NAME = 'E2E CRM sync';
const VIEWER = '{ viewer { kind apiToken { organizationId role } } }';

browserTest('an API token works until alice revokes it in the UI', async ({ newUser }) => {
  const { page } = await newUser('alice');
  await signIn(page, USERS.alice, { path: `/orgs/${DEMO_ORG_ID}/api-tokens` });
  await page.waitForURL(`${BASE_URL}/orgs/${DEMO_ORG_ID}/api-tokens`);

  await page.getByTestId('api-token-name-input').fill(TOKEN_NAME);
  await page.getByTestId('api-token-role-select').selectOption('MEMBER');
  await page.getByTestId('api-token-submit').click();
  const token = (await page.getByTestId('new-api-token').innerText()).trim();
  assert.ok(token.length > 20, `a token is shown: ${token}`);
  assert.match(await page.getByTestId('new-api-token-notice').innerText(), /will not be shown again/);

  const row = page.locator(`[data-testid="api-token-row"][data-name="${TOKEN_NAME}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-revoked'), 'false');
  assert.equal((await row.getByTestId('api-token-status').innerText()).trim(), 'Active');

  // The integrator's call.
  const before = await graphql(VIEWER, { token });
  assert.equal(before.status, 200, JSON.stringify(before.body));
  assert.deepEqual(before.body, {
    data: { viewer: { kind: 'API_TOKEN', apiToken: { organizationId: DEMO_ORG_ID, role: 'MEMBER' } } },
  });

  // Revoke, through the confirmation dialog.
  await row.getByTestId('api-token-revoke').click();
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.getByTestId('confirm-dialog-confirm').waitFor();
  assert.match(await dialog.innerText(), new RegExp(`Revoke “${TOKEN_NAME}”\\?`));
  await dialog.getByTestId('confirm-dialog-confirm').click();
  await dialog.getByTestId('confirm-dialog-confirm').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('confirm-dialog-error').count(), 0);

  // The same call is now refused as unauthenticated.
  const after = await graphql(VIEWER, { token });
  assert.equal(after.status, 401, JSON.stringify(after.body));
  assert.equal(after.body?.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(after.body));
  assert.equal(after.body?.data ?? null, null);

  // The list says so, now and after a reload, and offers no second revoke.
  await eventually(async () => assert.equal(await row.getAttribute('data-revoked'), 'true'));
  assert.match(await row.getByTestId('api-token-status').innerText(), /^Revoked/);
  assert.equal(await row.getByTestId('api-token-revoke').count(), 0);
  await page.reload();
  await row.waitFor();
  assert.equal(await row.getAttribute('data-revoked'), 'true');
  assert.match(await row.getByTestId('api-token-status').innerText(), /^Revoked/);
});
