// Contact fields and segments: alice defines a field of her own, fills it on a contact's page,
// builds a segment while its count follows every condition, saves it, sees the count follow a
// contact she tags, and exports the segment's contacts as CSV.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { expectNoAxeViolations } from '../lib/a11y.mjs';
import { signIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { BASE_URL, DEMO_ORG_ID, USERS } from '../lib/stack.mjs';

const ORG_URL = `${BASE_URL}/orgs/${DEMO_ORG_ID}`;
// A tag of this test's own, so that contacts other tests made do not count.
const TAG = 'e2e-segment';
const CSV = [
  'phone,name,tags',
  `+5511987657701,Gabi Rocha,"${TAG}, vip"`,
  `+5511987657702,Hugo Melo,${TAG}`,
  `+5511987657703,Iara Luz,"${TAG}, vip"`,
  '',
].join('\n');

/** Imports `csv` as alice, through the same API the import wizard uses, with her session's token. */
async function importContacts(page, csv) {
  await page.evaluate(
    async ({ org, csv }) => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
      const token = JSON.parse(sessionStorage.getItem(key)).access_token;
      const auth = { authorization: `Bearer ${token}` };
      const uploaded = await fetch(`/api/organizations/${org}/contact-imports`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv', 'x-file-name': 'segment-contacts.csv' },
        body: csv,
      }).then((r) => r.json());
      const gql = (query, variables) =>
        fetch('/graphql', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        }).then((r) => r.json());
      const mapping = ['phone', 'name', 'tags'].map((c) => ({ column: c, field: c }));
      const started = await gql(
        'mutation($o: ID!, $i: ID!, $m: [ColumnMappingInput!]!) { importContacts(input: {organizationId: $o, importId: $i, mapping: $m, duplicates: UPDATE}) { id } }',
        { o: org, i: uploaded.importId, m: mapping },
      );
      if (started.errors) throw new Error(JSON.stringify(started.errors));
      for (let i = 0; i < 300; i++) {
        const state = await gql('query($o: ID!, $i: ID!) { organization(id: $o) { contactImport(id: $i) { status } } }', {
          o: org,
          i: uploaded.importId,
        });
        const status = state.data?.organization.contactImport.status;
        if (status === 'DONE') return;
        if (status === 'FAILED' || status === 'CANCELLED') throw new Error(`the import ended ${status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the import did not finish');
    },
    { org: DEMO_ORG_ID, csv },
  );
}

/** The cells of one CSV line (quotes as the csv writer puts them). */
function cells(line) {
  const out = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      out.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  out.push(cell);
  return out;
}

const previewCount = async (page) => {
  const count = page.getByTestId('segment-preview-count');
  return (await count.getAttribute('data-loading')) === 'false' ? await count.getAttribute('data-count') : null;
};

const previewPhones = (page) =>
  page.getByTestId('segment-preview-contact').evaluateAll((items) => items.map((i) => i.dataset.phone).sort());

browserTest(
  'alice defines a field, edits a contact, builds a segment with a live count and exports it',
  async ({ newUser }) => {
    const { page } = await newUser('alice');
    await signIn(page, USERS.alice, { path: `/orgs/${DEMO_ORG_ID}/contacts` });
    await page.locator('[data-testid="contacts-table"], [data-testid="contacts-empty"]').first().waitFor();
    await importContacts(page, CSV);

    // A field of her own, from the contact list.
    await page.getByTestId('contacts-fields').click();
    await page.waitForURL(`${ORG_URL}/contacts/fields`);
    await page.locator('[data-testid="fields-table"], [data-testid="fields-empty"]').first().waitFor();
    await expectNoAxeViolations(page, { label: 'the contact fields page' });
    await page.getByTestId('field-define-label').fill('Plan');
    assert.equal(await page.getByTestId('field-define-key').inputValue(), 'plan', 'the key follows the label');
    await page.getByTestId('field-define-kind').selectOption('CHOICE');
    await page.getByTestId('field-define-choices').fill('Gold\nSilver');
    await page.getByTestId('field-define-submit').click();
    const plan = page.locator('[data-testid="field-row"][data-key="plan"]');
    await plan.waitFor();
    assert.equal(await plan.getAttribute('data-kind'), 'CHOICE');
    assert.equal(await plan.getByTestId('field-choices').innerText(), 'Gold, Silver');
    // The form at the bottom scrolled the page: the header's links sit under the sticky top
    // bar, which axe counts as targets too small to touch. Checked from the top, as it opens.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectNoAxeViolations(page, { label: 'the contact fields page with a field' });

    // Gabi's page: her plan, and a better name.
    await page.goto(`${ORG_URL}/contacts`);
    await page.getByTestId('contacts-search').fill('Gabi Rocha');
    const gabi = page.locator('[data-testid="contact-row"][data-phone="5511987657701"]');
    await eventually(async () => assert.equal(await page.getByTestId('contact-row').count(), 1));
    await gabi.getByTestId('contact-row-name').click();
    await page.getByTestId('contact-page').waitFor();
    await page.getByTestId('contact-edit').click();
    await page.getByTestId('contact-edit-form').waitFor();
    await expectNoAxeViolations(page, { label: 'the contact page, editing' });
    await page.getByTestId('contact-edit-name').fill('Gabriela Rocha');
    await page.locator('[data-testid="contact-edit-field"][data-key="plan"]').selectOption('Gold');
    await page.getByTestId('contact-edit-save').click();
    await eventually(async () =>
      assert.equal(await page.locator('[data-testid="contact-field"][data-key="plan"]').innerText(), 'Gold'),
    );
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), 'Gabriela Rocha');
    assert.equal(await page.getByTestId('contact-edit-error').count(), 0);

    // A segment, built while the count follows each condition.
    await page.getByTestId('nav-segments').click();
    await page.waitForURL(`${ORG_URL}/segments`);
    await page.locator('[data-testid="segments-table"], [data-testid="segments-empty"]').first().waitFor();
    await expectNoAxeViolations(page, { label: 'the segment list' });
    await page.getByTestId('segments-new').first().click();
    await page.waitForURL(`${ORG_URL}/segments/new`);
    await page.getByTestId('segment-builder').waitFor();
    await eventually(async () => assert.notEqual(await previewCount(page), null));
    await expectNoAxeViolations(page, { label: 'the segment builder' });

    await page.getByTestId('segment-allOf').fill(TAG);
    await eventually(async () => assert.equal(await previewCount(page), '3'));
    assert.deepEqual(await previewPhones(page), ['5511987657701', '5511987657702', '5511987657703']);

    await page.getByTestId('segment-add-field').click();
    const rule = page.getByTestId('segment-field-rule');
    await rule.getByTestId('segment-field-key').selectOption('plan');
    await rule.getByTestId('segment-field-value').selectOption('Gold');
    await eventually(async () => assert.equal(await previewCount(page), '1'));
    assert.deepEqual(await previewPhones(page), ['5511987657701']);

    await rule.getByTestId('segment-field-remove').click();
    await page.getByTestId('segment-allOf').fill(`${TAG}, VIP`);
    await eventually(async () => assert.equal(await previewCount(page), '2'));
    assert.deepEqual(await previewPhones(page), ['5511987657701', '5511987657703']);
    await expectNoAxeViolations(page, { label: 'the segment builder with conditions' });

    await page.getByTestId('segment-name-input').fill('E2E VIPs');
    await page.getByTestId('segment-save').click();
    await page.waitForURL(`${ORG_URL}/segments`);
    const row = page.locator('[data-testid="segment-row"][data-name="E2E VIPs"]');
    await eventually(async () => assert.equal(await row.getByTestId('segment-count').getAttribute('data-count'), '2'));
    await expectNoAxeViolations(page, { label: 'the segment list with a segment' });

    // Hugo becomes a VIP: the saved segment counts him when the list is shown again.
    await page.goto(`${ORG_URL}/contacts`);
    await page.getByTestId('contacts-search').fill('Hugo Melo');
    await eventually(async () => assert.equal(await page.getByTestId('contact-row').count(), 1));
    await page.getByTestId('contact-row-name').click();
    await page.getByTestId('contact-edit').click();
    await page.getByTestId('contact-edit-tags').fill(`${TAG}, vip`);
    await page.getByTestId('contact-edit-save').click();
    await eventually(async () =>
      assert.deepEqual(
        await page.getByTestId('contact-tag').evaluateAll((tags) => tags.map((t) => t.dataset.tag)),
        [TAG, 'vip'],
      ),
    );
    await page.getByTestId('nav-segments').click();
    await eventually(async () => assert.equal(await row.getByTestId('segment-count').getAttribute('data-count'), '3'));

    // The export: every column, the field included, one line per contact.
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('segment-export').click()]);
    assert.equal(download.suggestedFilename(), 'E2E-VIPs.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    const header = cells(lines[0]);
    assert.equal(header[0], 'phone');
    assert.ok(header.includes('plan'), lines[0]);
    assert.equal(lines.length, 4, csv);
    const gabiLine = lines.find((l) => l.startsWith('+5511987657701,'));
    assert.ok(gabiLine, csv);
    assert.match(gabiLine, /^\+5511987657701,Gabriela Rocha,/);
    const gabiCells = cells(gabiLine);
    assert.equal(gabiCells[header.indexOf('plan')], 'Gold');
    assert.equal(gabiCells[header.indexOf('tags')], `${TAG}, vip`);
    assert.equal(await row.getByTestId('segment-export-error').count(), 0);
  },
  { timeout: 180_000 },
);
