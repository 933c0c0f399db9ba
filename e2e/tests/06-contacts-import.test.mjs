// Contacts and the contact import wizard: alice uploads a spreadsheet of her shop's customers
// (Portuguese headers, numbers as people write them in Brazil), checks how it reads, maps a
// column to a field of her own, imports it while the progress comes in live, downloads the
// rows that were refused, finds the new contacts and records one customer's opt-out.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { expectNoAxeViolations } from '../lib/a11y.mjs';
import { signIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { BASE_URL, DEMO_ORG_ID, USERS } from '../lib/stack.mjs';

const CONTACTS_URL = `${BASE_URL}/orgs/${DEMO_ORG_ID}/contacts`;
const IMPORT_URL = `${CONTACTS_URL}/import`;

// Line 1 is the header; line 4 has a broken e-mail, line 5 a number too short to be one and
// line 6 is blank.
const CSV = [
  'Nome;Celular;E-mail;Grupos;Cidade',
  'Ana Souza;(11) 98765-4301;ana@example.com;VIP, Loja Centro;São Paulo',
  'Bruno Lima;21 99876-4302;;loja centro;Rio de Janeiro',
  'Carla Dias;11 98765-4303;carla@;;Campinas',
  'Davi;12345;;;',
  ';;;;',
  'Eva Reis;31 99123-4304;eva@example.com;online;Belo Horizonte',
  '',
].join('\r\n');

const mappingRow = (page, column) => page.locator(`[data-testid="import-mapping-row"][data-column="${column}"]`);
const previewRow = (page, line) => page.locator(`[data-testid="import-preview-row"][data-line="${line}"]`);
const contactRow = (page, phone) => page.locator(`[data-testid="contact-row"][data-phone="${phone}"]`);

browserTest(
  'alice imports a contact list, downloads its rejected rows and records an opt-out',
  async ({ newUser }) => {
    const { page } = await newUser('alice');
    await signIn(page, USERS.alice, { path: `/orgs/${DEMO_ORG_ID}` });

    // Contacts, from the sidebar.
    await page.getByTestId('nav-contacts').click();
    await page.waitForURL(CONTACTS_URL);
    await page.locator('[data-testid="contacts-table"], [data-testid="contacts-empty"]').first().waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), 'Contacts');
    await expectNoAxeViolations(page, { label: 'the contact list' });

    await page.getByTestId('contacts-import').first().click();
    await page.waitForURL(IMPORT_URL);
    const fileInput = page.getByTestId('import-file-input');
    await fileInput.waitFor();
    await page.locator('[data-testid="import-history-table"], [data-testid="import-history-empty"]').first().waitFor();
    await expectNoAxeViolations(page, { label: 'the import page, step 1' });

    // A picture renamed .csv is refused with the server's reason, and nothing moves on.
    await fileInput.setInputFiles({
      name: 'photo.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
    });
    await page.getByTestId('import-upload').click();
    const refusal = page.getByTestId('import-upload-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /not a CSV or XLSX file/);
    assert.equal(page.url(), IMPORT_URL);

    // The real list.
    await fileInput.setInputFiles({ name: 'clientes.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await page.getByTestId('import-upload').click();
    await page.waitForURL((url) => url.pathname.startsWith(`/orgs/${DEMO_ORG_ID}/contacts/import/`));
    const importId = new URL(page.url()).pathname.split('/').at(-1);

    // The columns are guessed from their Portuguese names; the city is left for alice.
    await mappingRow(page, 'Cidade').waitFor();
    const guessed = {};
    for (const column of ['Nome', 'Celular', 'E-mail', 'Grupos', 'Cidade']) {
      guessed[column] = await mappingRow(page, column).getAttribute('data-field');
    }
    assert.deepEqual(guessed, { Nome: 'name', Celular: 'phone', 'E-mail': 'email', Grupos: 'tags', Cidade: '' });
    assert.match(await page.getByTestId('import-reading').innerText(), /separated by semicolon/i);

    // National numbers are read in the default country.
    await page.getByTestId('import-default-country').fill('br');
    await eventually(async () => {
      assert.equal(await previewRow(page, 2).getAttribute('data-outcome'), 'contact');
      assert.equal(await previewRow(page, 2).getByTestId('import-preview-phone').innerText(), '+5511987654301');
    });
    assert.deepEqual(
      await previewRow(page, 2).getByTestId('import-preview-tag').evaluateAll((tags) => tags.map((t) => t.dataset.tag)),
      ['vip', 'loja centro'],
    );
    assert.equal(await previewRow(page, 4).getAttribute('data-outcome'), 'rejected');
    assert.match(await previewRow(page, 4).getByTestId('import-preview-rejection').innerText(), /carla@.* is not an e-mail address/);
    assert.equal(await previewRow(page, 5).getAttribute('data-outcome'), 'rejected');
    assert.match(await previewRow(page, 5).getByTestId('import-preview-rejection').innerText(), /12345.* is not a valid phone number/);
    assert.equal(await previewRow(page, 6).getAttribute('data-outcome'), 'blank');
    assert.equal(await previewRow(page, 7).getAttribute('data-outcome'), 'contact');

    // The city becomes a field of her own.
    await mappingRow(page, 'Cidade').getByTestId('import-mapping-select').selectOption('custom');
    await mappingRow(page, 'Cidade').getByTestId('import-mapping-key').fill('city');
    await eventually(async () =>
      assert.equal(await previewRow(page, 2).getByTestId('import-preview-more').innerText(), 'city: São Paulo'),
    );
    assert.equal(await page.getByTestId('import-mapping-problem').count(), 0);
    assert.ok(await page.getByTestId('import-duplicates-SKIP').isChecked(), 'existing contacts are skipped by default');
    await expectNoAxeViolations(page, { label: 'the import page, step 2' });

    // Start, and follow the progress live until it is done.
    const start = page.getByTestId('import-start');
    await eventually(async () => assert.ok(await start.isEnabled(), 'Start is enabled'));
    await start.click();
    const run = page.getByTestId('import-run');
    await run.waitFor();
    await eventually(async () => assert.equal(await run.getAttribute('data-status'), 'DONE'), { timeout: 60_000 });
    const progress = page.getByTestId('import-progress');
    assert.equal(await progress.getAttribute('aria-valuenow'), '100');
    assert.match(await page.getByTestId('import-progress-text').innerText(), /^Done: 6 rows read/);
    const counts = {};
    for (const key of ['records', 'imported', 'updated', 'duplicates', 'invalid', 'empty']) {
      counts[key] = Number(await page.getByTestId(`import-count-${key}`).getAttribute('data-count'));
    }
    assert.deepEqual(counts, { records: 6, imported: 3, updated: 0, duplicates: 0, invalid: 2, empty: 1 });
    assert.equal(await page.getByTestId('import-cancel').count(), 0, 'nothing left to cancel');
    const history = page.locator(`[data-testid="import-history-row"][data-import-id="${importId}"]`);
    await eventually(async () => assert.equal(await history.getAttribute('data-status'), 'DONE'));
    await expectNoAxeViolations(page, { label: 'the import page, step 3' });

    // The rejected rows, as a CSV to fix and import again.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-download-rejected').click(),
    ]);
    assert.equal(download.suggestedFilename(), 'clientes-rejected.csv');
    const report = await readFile(await download.path(), 'utf8');
    const lines = report.trim().split(/\r?\n/);
    assert.equal(lines[0], 'line,reason,cells');
    assert.equal(lines.length, 3, report);
    assert.match(lines[1], /^4,`carla@` is not an e-mail address,Carla Dias,/);
    assert.match(lines[2], /^5,`12345` is not a valid phone number,Davi,12345/);
    assert.equal(await page.getByTestId('import-download-error').count(), 0);

    // The new contacts, found by a tag from the file.
    await page.getByTestId('import-view-contacts').click();
    await page.waitForURL(CONTACTS_URL);
    await page.getByTestId('contacts-filter-tag').fill('Loja Centro');
    await eventually(async () => assert.equal(await page.getByTestId('contact-row').count(), 2));
    const ana = contactRow(page, '5511987654301');
    assert.equal((await ana.getByTestId('contact-row-name').innerText()).trim(), 'Ana Souza');
    assert.equal(await ana.getByTestId('contact-row-country').innerText(), 'BR');
    assert.deepEqual(
      await ana.getByTestId('contact-tag').evaluateAll((tags) => tags.map((t) => t.dataset.tag)),
      ['vip', 'loja centro'],
    );
    assert.equal(await ana.getByTestId('contact-row-marketing').getAttribute('data-marketing'), 'UNKNOWN');
    assert.equal(await contactRow(page, '5521998764302').count(), 1);
    // Eva is not tagged so: the search and the tag together match nobody.
    await page.getByTestId('contacts-search').fill('Eva Reis');
    await page.getByTestId('contacts-no-matches').waitFor();
    await page.getByTestId('contacts-clear-filters').click();
    await page.getByTestId('contacts-search').fill('Eva Reis');
    await eventually(async () => {
      assert.equal(await page.getByTestId('contact-row').count(), 1);
      assert.equal(await contactRow(page, '5531991234304').count(), 1);
    });
    await page.getByTestId('contacts-clear-filters').click();
    await ana.waitFor();

    // Ana's page: what the file said about her, then an opt-out recorded by hand.
    await ana.getByTestId('contact-row-name').click();
    await page.waitForURL(new RegExp(`/orgs/${DEMO_ORG_ID}/contacts/[^/]+$`));
    await page.getByTestId('contact-page').waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), 'Ana Souza');
    assert.equal(await page.getByTestId('contact-email').innerText(), 'ana@example.com');
    assert.equal(await page.getByTestId('contact-time-zone').innerText(), 'America/Sao_Paulo');
    assert.equal(await page.locator('[data-testid="contact-field"][data-key="city"]').innerText(), 'São Paulo');
    assert.equal(await page.getByTestId('contact-marketing').getAttribute('data-marketing'), 'UNKNOWN');
    await page.getByTestId('consent-history-empty').waitFor();
    await expectNoAxeViolations(page, { label: 'the contact page' });

    const note = 'Asked by phone to stop the offers';
    await page.getByTestId('contact-consent-note').fill(note);
    await page.getByTestId('contact-opt-out').click();
    await page.getByTestId('contact-consent-saved').waitFor();
    await eventually(async () =>
      assert.equal(await page.getByTestId('contact-marketing').getAttribute('data-marketing'), 'OPTED_OUT'),
    );
    assert.match(await page.getByTestId('contact-marketing-source').innerText(), /team member/);
    const latest = page.getByTestId('consent-event').first();
    await eventually(async () => assert.equal(await latest.getAttribute('data-marketing'), 'OPTED_OUT'));
    assert.equal(await latest.getAttribute('data-source'), 'manual');
    assert.equal(await latest.getByTestId('consent-event-note').innerText(), note);
    assert.match(await latest.innerText(), /Alice Owner/);
    assert.equal(await page.getByTestId('contact-consent-error').count(), 0);
    assert.equal(await page.getByTestId('contact-consent-note').inputValue(), '', 'the note is cleared');

    // The list agrees.
    await page.getByTestId('contact-back').click();
    await page.waitForURL(CONTACTS_URL);
    await page.getByTestId('contacts-filter-marketing').selectOption('OPTED_OUT');
    await eventually(async () => {
      assert.equal(await page.getByTestId('contact-row').count(), 1);
      assert.equal(await contactRow(page, '5511987654301').count(), 1);
    });
  },
  { timeout: 180_000 },
);
