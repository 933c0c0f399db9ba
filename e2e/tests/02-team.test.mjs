// Team flow: alice founds "E2E Co", invites bob as a Member with a link; bob follows it through
// sign-in, accepts, and as a Member is kept out of the Admin pages; both see him on the team.
// Then alice, the Owner, sets the organization's time zone in its settings.

import assert from 'node:assert/strict';

import { expectNoAxeViolations } from '../lib/a11y.mjs';
import { submitLogin, waitForSignedIn, signIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { BASE_URL, USERS } from '../lib/stack.mjs';

const ORG_NAME = 'E2E Co';

const memberRow = (page, email) => page.locator(`[data-testid="member-row"][data-email="${email}"]`);

browserTest('alice invites bob to a new organization; bob joins as a Member', async ({ newUser }) => {
  const alice = await newUser('alice');
  await alice.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  await signIn(alice.page, USERS.alice);

  // A new organization from the sidebar.
  await alice.page.getByTestId('nav-new-organization').click();
  await alice.page.getByTestId('organization-name-input').fill(ORG_NAME);
  await alice.page.getByTestId('create-organization-submit').click();
  await alice.page.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);
  const orgId = new URL(alice.page.url()).pathname.split('/')[2];
  await eventually(async () => assert.equal(await alice.page.getByTestId('organization-name').innerText(), ORG_NAME));
  assert.equal(await alice.page.getByTestId('overview-role').getAttribute('data-role'), 'OWNER');
  await eventually(async () =>
    assert.equal((await alice.page.getByTestId('org-switcher').locator('option:checked').innerText()).trim(), `${ORG_NAME} · Owner`),
  );

  // Invite bob as a Member and copy the link, as she would to send it.
  await alice.page.getByTestId('nav-members').click();
  await alice.page.getByTestId('members-alone-hint').waitFor();
  await alice.page.getByTestId('invite-email-input').fill(USERS.bob.email);
  await alice.page.getByTestId('invite-role-select').selectOption('MEMBER');
  await alice.page.getByTestId('invite-submit').click();
  const link = (await alice.page.getByTestId('invite-link').innerText()).trim();
  assert.ok(link.startsWith(`${BASE_URL}/invitations/accept#token=`), `invitation link: ${link}`);
  await alice.page.getByTestId('invite-link-copy').click();
  assert.equal(await alice.page.evaluate(() => navigator.clipboard.readText()), link, 'the copy button copies the link');
  await alice.page.locator(`[data-testid="invitation-row"][data-email="${USERS.bob.email}"]`).waitFor();

  // bob, in his own browser, opens the link: first sign-in, then straight back to the invitation.
  const bob = await newUser('bob');
  await bob.page.goto(link);
  await bob.page.getByTestId('sign-in-page').waitFor();
  assert.match(await bob.page.getByTestId('sign-in-page').innerText(), /You have been invited/);
  await bob.page.getByTestId('sign-in-button').click();
  await bob.page.locator('#username').waitFor();
  await submitLogin(bob.page, USERS.bob.username);
  await waitForSignedIn(bob.page);
  await bob.page.getByTestId('invitation-card').waitFor();
  const back = new URL(bob.page.url());
  assert.equal(`${back.origin}${back.pathname}${back.hash}`, link, 'back on the invitation after sign-in');
  assert.equal(await bob.page.getByTestId('invitation-organization').innerText(), ORG_NAME);
  assert.equal(await bob.page.getByTestId('invitation-role').getAttribute('data-role'), 'MEMBER');
  assert.equal((await bob.page.getByTestId('invitation-role').innerText()).trim(), 'Member');
  assert.equal(await bob.page.getByTestId('invitation-email').innerText(), USERS.bob.email);
  assert.equal(await bob.page.getByTestId('invitation-email-mismatch').count(), 0);

  await bob.page.getByTestId('accept-invitation').click();
  await bob.page.waitForURL(`${BASE_URL}/orgs/${orgId}`);
  await eventually(async () => assert.equal(await bob.page.getByTestId('organization-name').innerText(), ORG_NAME));
  assert.equal(await bob.page.getByTestId('overview-role').getAttribute('data-role'), 'MEMBER');
  await bob.page.getByTestId('member-note').waitFor();
  await eventually(async () =>
    assert.equal((await bob.page.getByTestId('org-switcher').locator('option:checked').innerText()).trim(), `${ORG_NAME} · Member`),
  );

  // A Member has no Admin links, and typing their addresses shows the forbidden panel.
  await bob.page.getByTestId('nav-members').waitFor();
  assert.equal(await bob.page.getByTestId('nav-api-tokens').count(), 0);
  assert.equal(await bob.page.getByTestId('nav-audit-log').count(), 0);
  for (const page of ['api-tokens', 'audit-log']) {
    await bob.page.goto(`/orgs/${orgId}/${page}`);
    await bob.page.getByTestId('forbidden').waitFor();
    assert.match(await bob.page.getByTestId('forbidden').innerText(), /Admin or Owner/);
  }
  assert.equal(await bob.page.getByTestId('create-api-token-form').count(), 0);
  assert.equal(await bob.page.getByTestId('audit-log-table').count(), 0);

  // bob sees himself on the team as a Member, next to alice the Owner.
  await bob.page.getByTestId('nav-members').click();
  await memberRow(bob.page, USERS.bob.email).waitFor();
  assert.equal(await memberRow(bob.page, USERS.bob.email).getAttribute('data-role'), 'MEMBER');
  assert.equal(await memberRow(bob.page, USERS.alice.email).getAttribute('data-role'), 'OWNER');
  assert.equal(await bob.page.getByTestId('invite-member-form').count(), 0);

  // alice's members page, open all along, shows bob without a reload and drops the pending invitation.
  await eventually(async () => assert.equal(await memberRow(alice.page, USERS.bob.email).getAttribute('data-role'), 'MEMBER'));
  assert.match(await memberRow(alice.page, USERS.bob.email).innerText(), /Bob Builder/);
  await eventually(async () =>
    assert.equal(await alice.page.locator(`[data-testid="invitation-row"][data-email="${USERS.bob.email}"]`).count(), 0),
  );
  // ... and so does a fresh load.
  await alice.page.reload();
  await memberRow(alice.page, USERS.bob.email).waitFor();
  assert.equal(await memberRow(alice.page, USERS.bob.email).getAttribute('data-role'), 'MEMBER');

  // alice picks Lisbon from the searchable list of zones; it holds after a reload.
  await alice.page.getByTestId('nav-settings').click();
  await alice.page.waitForURL(`${BASE_URL}/orgs/${orgId}/settings`);
  const zone = alice.page.getByTestId('time-zone-select');
  await zone.waitFor();
  await expectNoAxeViolations(alice.page, { label: 'the organization settings' });
  await alice.page.getByTestId('time-zone-search').fill('lisbon');
  await zone.selectOption('Europe/Lisbon');
  await alice.page.getByTestId('time-zone-submit').click();
  await alice.page.getByTestId('time-zone-saved').waitFor();
  await alice.page.reload();
  await zone.waitFor();
  assert.equal(await zone.inputValue(), 'Europe/Lisbon');
  assert.match(await zone.locator('option:checked').innerText(), /^Europe\/Lisbon \(UTC\+0[01]:00\)$/);
});
