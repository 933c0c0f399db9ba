// Signing in the way a person does: the SPA's sign-in landing, then the identity provider's
// real login page (dev/oidc), then back through /auth/callback to where they started.

import { BASE_URL, ISSUER, PASSWORD } from './stack.mjs';

const APP_ORIGIN = new URL(BASE_URL).origin;
const ISSUER_ORIGIN = new URL(ISSUER).origin;

/** Opens `path` signed out, clicks "Sign in" and waits for the provider's login form. */
export async function openLoginPage(page, path = '/') {
  await page.goto(path);
  await page.getByTestId('sign-in-page').waitFor();
  await page.getByTestId('sign-in-button').click();
  await page.waitForURL((url) => url.origin === ISSUER_ORIGIN && url.pathname.startsWith('/interaction/'));
  await page.locator('#username').waitFor();
}

/** Fills and submits the provider's login form. */
export async function submitLogin(page, username, password = PASSWORD) {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#sign-in').click();
}

/** Waits until the SPA has finished sign-in and shows its signed-in shell. */
export async function waitForSignedIn(page) {
  const outcome = page.locator(
    '[data-testid="topbar"], [data-testid="auth-callback-error"], [data-testid="sign-in-failure-reason"], #login-error',
  );
  await outcome.first().waitFor();
  if (!(await page.getByTestId('topbar').isVisible())) {
    throw new Error(`sign-in did not complete at ${page.url()}: ${(await outcome.first().innerText()).trim()}`);
  }
  const url = new URL(page.url());
  if (url.origin !== APP_ORIGIN || url.pathname.startsWith('/auth/callback')) {
    throw new Error(`sign-in ended on ${page.url()}`);
  }
}

/** Signs `user` (from USERS) in, starting at `path` (signed out), and waits for the app. */
export async function signIn(page, user, { path = '/' } = {}) {
  await openLoginPage(page, path);
  await submitLogin(page, user.username);
  await waitForSignedIn(page);
}
