// The sidebar remembers being collapsed across a reload, in the `wagent_sidebar` cookie; and
// that is the only cookie WAgent sets (the privacy policy allows essential cookies and this one
// UI preference; sign-in state lives in sessionStorage).

import assert from 'node:assert/strict';

import { signIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { BASE_URL, DEMO_ORG_ID, USERS } from '../lib/stack.mjs';

const APP_ORIGIN = new URL(BASE_URL).origin;

async function sidebarState(page) {
  const toggle = page.getByTestId('sidebar-toggle');
  await toggle.waitFor();
  // The sidebar's width is animated: measure once no transition runs (a cancelled one rejects
  // `finished`, and may have been replaced by another).
  await page.evaluate(async () => {
    for (let i = 0; i < 50; i++) {
      const running = document.getAnimations().filter((a) => a.playState === 'running' || a.pending);
      if (running.length === 0) return;
      await Promise.all(running.map((a) => a.finished.catch(() => {})));
    }
  });
  return {
    expanded: await toggle.getAttribute('aria-expanded'),
    width: Math.round((await page.getByTestId('sidebar').boundingBox()).width),
    labelShown: await page.getByTestId('nav-members').getByText('Members', { exact: true }).isVisible(),
  };
}

browserTest('the collapsed sidebar survives a reload, and wagent_sidebar is the only cookie', async ({ newUser }) => {
  const { context, page } = await newUser('alice');

  // Every Set-Cookie header the WAgent server sends, whatever the page.
  const setCookies = [];
  context.on('response', (response) => {
    if (new URL(response.url()).origin !== APP_ORIGIN) return;
    response
      .headerValues('set-cookie')
      .then((values) => values.forEach((v) => setCookies.push(`${response.url()}: ${v}`)))
      .catch(() => {});
  });

  await signIn(page, USERS.alice);
  await page.waitForURL(`${BASE_URL}/orgs/${DEMO_ORG_ID}`);

  const expanded = await sidebarState(page);
  assert.equal(expanded.expanded, 'true', 'expanded by default');
  assert.ok(expanded.labelShown, 'labels are shown when expanded');

  await page.getByTestId('sidebar-toggle').click();
  await eventually(async () => assert.equal(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded'), 'false'));
  const collapsed = await eventually(async () => {
    const s = await sidebarState(page);
    assert.ok(s.width < expanded.width, `narrower when collapsed (${s.width}px vs ${expanded.width}px)`);
    return s;
  });
  assert.equal(collapsed.labelShown, false, 'labels are hidden when collapsed');

  const cookie = (await context.cookies(BASE_URL)).find((c) => c.name === 'wagent_sidebar');
  assert.ok(cookie, 'the wagent_sidebar cookie is set');
  assert.equal(cookie.value, 'collapsed');
  assert.equal(cookie.path, '/');
  assert.equal(cookie.sameSite, 'Lax');
  assert.ok(cookie.expires > Date.now() / 1000 + 300 * 24 * 3600, 'it is kept for about a year, not just the session');

  // A reload (same tab: still signed in) keeps it collapsed.
  await page.reload();
  await page.getByTestId('topbar').waitFor();
  assert.deepEqual(await sidebarState(page), collapsed);

  // Another page of the app, loaded fresh, too.
  await page.goto(`/orgs/${DEMO_ORG_ID}/members`);
  await page.getByTestId('members-table').waitFor();
  assert.equal((await sidebarState(page)).expanded, 'false');

  // Expanding again is remembered as well.
  await page.getByTestId('sidebar-toggle').click();
  await eventually(async () => assert.equal(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded'), 'true'));
  await page.reload();
  await page.getByTestId('members-table').waitFor();
  assert.deepEqual(await sidebarState(page), expanded);

  // No other cookie on the WAgent origin: none in the jar, none in document.cookie, and the
  // server never sent a Set-Cookie header.
  const names = (await context.cookies(BASE_URL)).map((c) => `${c.name} (domain ${c.domain}, path ${c.path})`);
  assert.deepEqual(names, ['wagent_sidebar (domain localhost, path /)']);
  assert.equal(await page.evaluate(() => document.cookie), 'wagent_sidebar=expanded');
  assert.deepEqual(setCookies, []);
});
