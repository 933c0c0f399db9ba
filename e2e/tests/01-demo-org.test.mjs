// What scripts/run.sh promises: sign in as alice and you are the Owner of "Demo Shop".
// (Runs first: alice's first sign-in is what makes her the Owner of the pre-created organization.)

import assert from 'node:assert/strict';

import { openLoginPage, submitLogin, waitForSignedIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { BASE_URL, DEMO_ORG_ID, ISSUER, USERS } from '../lib/stack.mjs';

browserTest('alice signs in through the login page and lands in Demo Shop as its Owner', async ({ newUser }) => {
  const { page } = await newUser('alice');

  await openLoginPage(page, '/');
  assert.equal(new URL(page.url()).origin, new URL(ISSUER).origin, 'the login form is the identity provider’s');

  // A typo first: the provider says so and keeps her on its page.
  await submitLogin(page, USERS.alice.username, 'not-the-password');
  await page.locator('#login-error').waitFor();
  assert.equal(new URL(page.url()).origin, new URL(ISSUER).origin);

  await submitLogin(page, USERS.alice.username);
  await waitForSignedIn(page);

  // "/" takes her straight into her only organization.
  await page.waitForURL(`${BASE_URL}/orgs/${DEMO_ORG_ID}`);
  await eventually(async () => assert.equal(await page.getByTestId('organization-name').innerText(), 'Demo Shop'));
  const role = page.getByTestId('overview-role');
  assert.equal(await role.getAttribute('data-role'), 'OWNER');
  assert.equal((await role.innerText()).trim(), 'Owner');

  // The switcher and the sidebar agree, and an Owner gets the admin pages.
  const selected = page.getByTestId('org-switcher').locator('option:checked');
  assert.equal((await selected.innerText()).trim(), 'Demo Shop · Owner');
  for (const id of ['nav-members', 'nav-api-tokens', 'nav-audit-log', 'nav-settings']) {
    assert.ok(await page.getByTestId(id).isVisible(), `${id} is in the sidebar`);
  }
  await page.getByTestId('next-steps').waitFor();

  // The top bar knows who she is.
  assert.match(await page.getByTestId('user-menu').innerText(), /Alice Owner/);
});
