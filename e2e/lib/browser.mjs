// Chromium through playwright-core (Debian's browser: nothing is downloaded), one browser
// context per user so sessions never mix, and a screenshot of every open page when a test fails.

import { mkdir, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { ARTIFACTS_DIR, BASE_URL, CHROMIUM } from './stack.mjs';

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** How long one wait (a selector, a URL, an assertion) may take. Generous for a busy 2-core box. */
export const WAIT_MS = 20_000;

/**
 * A test with a fresh browser. `fn` receives `newUser(label)`, which opens a new context (its
 * own cookies and storage) at 1280x800 and returns `{ context, page }`.
 */
export function browserTest(name, fn, { timeout = 90_000 } = {}) {
  test(name, { timeout }, async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    const users = [];
    const newUser = async (label) => {
      const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(WAIT_MS);
      context.setDefaultNavigationTimeout(WAIT_MS);
      const log = [];
      context.on('page', (p) => watch(p, log));
      const page = await context.newPage();
      users.push({ label, context, log });
      return { context, page };
    };
    try {
      await fn({ newUser });
    } catch (error) {
      await saveArtifacts(name, users).catch((e) => console.error(`could not save artifacts: ${e}`));
      throw error;
    } finally {
      await browser.close();
    }
  });
}

function watch(page, log) {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => log.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) log.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) log.push(`navigated: ${f.url()}`);
  });
}

async function saveArtifacts(testName, users) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const slug = testName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  for (const { label, context, log } of users) {
    const pages = context.pages();
    for (const [i, page] of pages.entries()) {
      const file = new URL(`${slug}--${label}${pages.length > 1 ? `-${i + 1}` : ''}.png`, ARTIFACTS_DIR);
      await page.screenshot({ path: fileURLToPath(file), fullPage: true, timeout: 5_000 }).catch(() => {});
      log.push(`page ${i + 1} at failure: ${page.url()}`);
    }
    await writeFile(new URL(`${slug}--${label}.log`, ARTIFACTS_DIR), `${log.join('\n')}\n`);
  }
  console.error(`screenshots and page logs in ${fileURLToPath(ARTIFACTS_DIR)}`);
}

/**
 * Retries `check` (an async function that throws on failure, e.g. with node:assert) until it
 * passes or `timeout` runs out; then throws its last error. For things the UI shows eventually.
 */
export async function eventually(check, { timeout = WAIT_MS, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}
