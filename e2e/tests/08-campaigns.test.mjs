// Campaigns: alice builds a campaign in the wizard (number, a marketing template, a value for
// each placeholder, a tag and a one-off file as audience, a time to send it), sees on the review step who is skipped and why and the
// exact message of each, schedules it, watches it start at its time, pauses and resumes it while the sandbox sends slowly,
// watches the funnel fill live as the sandbox delivers and a customer replies, exports the
// recipients, and finds the customer who then sent STOP left out of the campaign's copy.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { expectNoAxeViolations } from '../lib/a11y.mjs';
import { appGraphql, importContacts } from '../lib/app-api.mjs';
import { signIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { PHONE_NUMBER_ID, configureSandbox, customerWrites } from '../lib/sandbox.mjs';
import { BASE_URL, DEMO_ORG_ID, USERS } from '../lib/stack.mjs';

const ORG_URL = `${BASE_URL}/orgs/${DEMO_ORG_ID}`;
const TAG = 'e2e-campaign';
const TEMPLATE = 'e2e_spring_sale';
const CAMPAIGN = 'E2E spring sale';

const PAULA = '5511987658801';
const RUI = '5511987658802';
const SARA = '5511987658803';
const DAN = '14155550188';
// Only in the fair's visitor list, a file imported as an audience: not tagged.
const VERA = '5511987658804';
// Enough recipients that a sandbox sending one message a second is still busy when alice pauses.
const CROWD = Array.from({ length: 16 }, (_, i) => `55119876589${String(i).padStart(2, '0')}`);

const CSV = [
  'phone,name,tier,tags',
  `+${PAULA},Paula Reis,gold,${TAG}`,
  `+${RUI},Rui Costa,silver,${TAG}`,
  // No tier, and the placeholder that takes it has no fallback: skipped.
  `+${SARA},Sara Nunes,,${TAG}`,
  // A US number is never sent a marketing template: skipped.
  `+${DAN},Dan Miller,gold,${TAG}`,
  ...CROWD.map((phone, i) => `+${phone},Crowd ${i},gold,${TAG}`),
  '',
].join('\n');
const FAIR_CSV = ['phone,name,tier', `+${PAULA},Paula Reis,gold`, `+${VERA},Vera Lima,gold`, ''].join('\n');
const AUDIENCE = 4 + CROWD.length + 1;
const SENDABLE = AUDIENCE - 2;

const funnel = (page, step) => page.locator(`[data-testid="funnel-step"][data-step="${step}"]`);
const funnelCount = async (page, step) => Number(await funnel(page, step).getAttribute('data-count'));
const sideCount = async (page, key) =>
  Number(await page.locator(`[data-testid="campaign-count"][data-key="${key}"]`).getAttribute('data-count'));
const campaignStatus = (page) => page.getByTestId('campaign-page').getAttribute('data-status');
/**
 * The first whole minute at least `aheadMs` from now: the instant, and how a
 * `datetime-local` input shows it in `timeZone`.
 */
function wholeMinuteAhead(timeZone, aheadMs) {
  const at = new Date(Math.ceil((Date.now() + aheadMs) / 60_000) * 60_000);
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { at, input: `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}` };
}

const skipCount = async (page, reason) => {
  const row = page.locator(`[data-testid="review-skip"][data-reason="${reason}"]`);
  return (await row.count()) === 0 ? 0 : Number(await row.getAttribute('data-count'));
};

/**
 * The marketing template `e2e_spring_sale`, created on the demo number and approved by the
 * sandbox; returns the number's id.
 */
async function springSaleTemplate(page) {
  const data = await appGraphql(
    page,
    'query($o: ID!) { organization(id: $o) { phoneNumbers { id phoneNumberId } templates { name status } } }',
    { o: DEMO_ORG_ID },
  );
  const number = data.organization.phoneNumbers.find((n) => n.phoneNumberId === PHONE_NUMBER_ID).id;
  if (!data.organization.templates.some((t) => t.name === TEMPLATE)) {
    await appGraphql(
      page,
      `mutation($o: ID!, $n: ID!) { createTemplate(input: {organizationId: $o, phoneNumberId: $n, name: "${TEMPLATE}", language: "en_US", category: MARKETING, bodyText: "Hi {{1}}, your {{2}} discount is waiting.", bodyExamples: ["Ana", "gold"]}) { id } }`,
      { o: DEMO_ORG_ID, n: number },
    );
  }
  await eventually(
    async () => {
      const now = await appGraphql(page, 'query($o: ID!) { organization(id: $o) { templates { name status } } }', { o: DEMO_ORG_ID });
      assert.ok(now.organization.templates.some((t) => t.name === TEMPLATE && t.status === 'APPROVED'), 'the template is approved');
    },
    { timeout: 30_000, interval: 250 },
  );
  return number;
}

/** Looks a contact up on the review step and returns the preview shown for them. */
async function previewFor(page, name) {
  await page.getByTestId('review-contact-search').fill(name);
  await page.getByTestId('review-contact-find').click();
  const match = page.getByTestId('review-contact').filter({ hasText: name });
  await match.first().waitFor();
  const contactId = await match.first().getAttribute('data-contact-id');
  await match.first().click();
  const result = page.locator(`[data-testid="review-preview-for-result"][data-contact-id="${contactId}"]`);
  await result.waitFor();
  return result;
}

browserTest(
  'alice builds, reviews, launches, pauses and resumes a campaign, follows its funnel live and exports its recipients',
  async ({ newUser }) => {
    const { page } = await newUser('alice');
    await signIn(page, USERS.alice, { path: `/orgs/${DEMO_ORG_ID}` });
    await importContacts(page, DEMO_ORG_ID, CSV, 'campaign-contacts.csv');
    const fairFile = await importContacts(page, DEMO_ORG_ID, FAIR_CSV, 'e2e-fair-visitors.csv', { asAudience: true });
    const numberId = await springSaleTemplate(page);

    // The list, from the sidebar.
    await page.getByTestId('nav-campaigns').click();
    await page.waitForURL(`${ORG_URL}/campaigns`);
    await page.locator('[data-testid="campaigns-table"], [data-testid="campaigns-empty"]').first().waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), 'Campaigns');
    await expectNoAxeViolations(page, { label: 'the campaign list' });

    // Step 1: name, number and an approved template (its category shown).
    await page.getByTestId('campaigns-new').first().click();
    await page.waitForURL(`${ORG_URL}/campaigns/new`);
    await page.getByTestId('campaign-builder').waitFor();
    await page.getByTestId('campaign-name-input').fill(CAMPAIGN);
    const number = page.getByTestId('campaign-number');
    await number.locator(`option[value="${numberId}"]`).waitFor({ state: 'attached' });
    await number.selectOption(numberId);
    const template = page.locator(`[data-testid="campaign-template"][data-name="${TEMPLATE}"]`);
    await template.waitFor();
    assert.equal(await template.getAttribute('data-category'), 'MARKETING');
    assert.equal((await template.getByTestId('campaign-template-category').innerText()).trim(), 'Marketing');
    await template.getByTestId('campaign-template-radio').check();
    await expectNoAxeViolations(page, { label: 'the campaign wizard, step 1' });

    // Step 2: the first placeholder from the first name, with a fallback; the second not yet.
    await page.getByTestId('campaign-next').click();
    const first = page.locator('[data-testid="campaign-variable"][data-placeholder="1"]');
    const second = page.locator('[data-testid="campaign-variable"][data-placeholder="2"]');
    await second.waitFor();
    await first.getByTestId('campaign-variable-source').selectOption('attr:first_name');
    await first.getByTestId('campaign-variable-fallback').fill('there');
    assert.match(await page.getByTestId('campaign-body-preview').innerText(), /Hi ‹First name, else “there”›, your \(not chosen\) discount/);
    await expectNoAxeViolations(page, { label: 'the campaign wizard, step 2' });

    // Step 3: the audience is a tag, and the fair's visitors (Paula, tagged too, receives it once).
    await page.getByTestId('campaign-next').click();
    await page.getByTestId('campaign-tag-input').fill(TAG);
    await page.getByTestId('campaign-tag-input').press('Enter');
    await page.locator(`[data-testid="campaign-tag"][data-tag="${TAG}"]`).waitFor();
    const fair = page.locator(`[data-testid="campaign-file"][data-import-id="${fairFile}"]`);
    assert.equal(await fair.getAttribute('data-name'), 'e2e-fair-visitors.csv');
    await fair.getByTestId('campaign-file-checkbox').check();
    await expectNoAxeViolations(page, { label: 'the campaign wizard, step 3' });

    // Step 4: now. The server refuses the draft and names the placeholder without a source.
    await page.getByTestId('campaign-next').click();
    await page.getByTestId('campaign-schedule').waitFor();
    assert.ok(await page.getByTestId('campaign-schedule-NOW').isChecked());
    await expectNoAxeViolations(page, { label: 'the campaign wizard, step 4' });
    await page.getByTestId('campaign-save-review').click();
    const refusal = page.getByTestId('campaign-save-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /body \{\{2\}\}/);
    assert.equal(new URL(page.url()).pathname, `/orgs/${DEMO_ORG_ID}/campaigns/new`, 'nothing was saved');

    // Back to the variables: the tier, from the contact field the import made.
    await page.getByTestId('campaign-step-2').click();
    await second.getByTestId('campaign-variable-source').selectOption('field:tier');
    await page.getByTestId('campaign-step-4').click();
    // Scheduled for a time in the organization's zone, far enough ahead for the review.
    const zone = (await appGraphql(page, 'query($o: ID!) { organization(id: $o) { timeZone } }', { o: DEMO_ORG_ID }))
      .organization.timeZone;
    const startsAt = wholeMinuteAhead(zone, 45_000);
    await page.getByTestId('campaign-schedule-AT').check();
    await page.getByTestId('campaign-at').fill(startsAt.input);
    await expectNoAxeViolations(page, { label: 'the campaign wizard, a scheduled time' });
    await page.getByTestId('campaign-save-review').click();
    await page.waitForURL((url) => /\/campaigns\/[^/]+\/edit$/.test(url.pathname) && url.searchParams.get('step') === '5');
    const campaignId = new URL(page.url()).pathname.split('/').at(-2);

    // The review: who is skipped and why, the budget, and each message exactly.
    await page.getByTestId('campaign-review').waitFor();
    assert.equal(await page.getByTestId('review-audience').getAttribute('data-count'), String(AUDIENCE));
    assert.equal(await page.getByTestId('review-queued').getAttribute('data-count'), String(SENDABLE));
    assert.equal(await skipCount(page, 'MISSING_VALUE'), 1);
    assert.equal(await skipCount(page, 'US_MARKETING'), 1);
    assert.match(
      await page.locator('[data-testid="review-skip"][data-reason="MISSING_VALUE"]').innerText(),
      /no value and no fallback/,
    );
    assert.equal(await page.getByTestId('review-budget').locator('dl').getAttribute('data-covers'), 'true');
    await page.getByTestId('review-budget-ok').waitFor();
    // The first recipients (in the server's order), each with their message or why not.
    const samples = page.getByTestId('review-sample');
    assert.equal(await samples.count(), Math.min(10, AUDIENCE));
    for (const text of await page.getByTestId('review-sample-text').allInnerTexts()) {
      assert.match(text, /^Hi \S+, your (gold|silver) discount is waiting\.$/);
    }
    // Any contact, looked up by name.
    const sara = await previewFor(page, 'Sara Nunes');
    assert.equal(await sara.getAttribute('data-skip-reason'), 'MISSING_VALUE');
    assert.match(await sara.getByTestId('review-preview-for-result-skip').innerText(), /no value and no fallback \(body \{\{2\}\}\)/);
    const paula = await previewFor(page, 'Paula Reis');
    assert.equal(await paula.getByTestId('review-preview-for-result-text').innerText(), 'Hi Paula, your gold discount is waiting.');
    const rui = await previewFor(page, 'Rui Costa');
    assert.equal(await rui.getByTestId('review-preview-for-result-text').innerText(), 'Hi Rui, your silver discount is waiting.');
    await expectNoAxeViolations(page, { label: 'the campaign review step' });

    // Launch, with the sandbox sending one message a second so that there is time to pause.
    await configureSandbox({ throughput_per_second: 1 });
    try {
      await page.getByTestId('campaign-launch').click();
      await page.getByTestId('confirm-dialog').waitFor();
      await page.getByTestId('confirm-dialog-confirm').click();
      await page.waitForURL(`${ORG_URL}/campaigns/${campaignId}`);
      await page.getByTestId('campaign-page').waitFor();
      // Nothing goes out before its time.
      assert.equal(await campaignStatus(page), 'SCHEDULED');

      // At its time it starts, and the funnel moves without a reload; pause while it is
      // still sending.
      await eventually(async () => assert.ok((await funnelCount(page, 'sent')) > 0, 'a first message went out'), {
        timeout: 150_000,
        interval: 500,
      });
      assert.ok(Date.now() >= startsAt.at.getTime() - 1_000, 'it started at its time, not before');
      assert.equal(await funnelCount(page, 'audience'), AUDIENCE);
      await page.getByTestId('campaign-pause').click();
      // A live event read just before the pause committed can still show it running for a
      // moment; the pause's own event follows it.
      await eventually(async () => {
        assert.equal(await campaignStatus(page), 'PAUSED');
        assert.equal(await page.getByTestId('campaign-status').getAttribute('data-status'), 'PAUSED');
        assert.equal(await page.getByTestId('campaign-pause').count(), 0);
      });
      await page.getByTestId('campaign-resume').waitFor();
      assert.ok((await funnelCount(page, 'sent')) < SENDABLE, 'paused before the end');
      await expectNoAxeViolations(page, { label: 'the campaign page, paused' });
    } finally {
      await configureSandbox({ throughput_per_second: 80 });
    }

    // Resume: the rest goes out, and the sandbox reports delivered and read, live.
    await page.getByTestId('campaign-resume').click();
    await eventually(async () => assert.notEqual(await campaignStatus(page), 'PAUSED'));
    await eventually(
      async () => {
        assert.equal(await funnelCount(page, 'sent'), SENDABLE);
        assert.equal(await funnelCount(page, 'delivered'), SENDABLE);
        assert.equal(await funnelCount(page, 'read'), SENDABLE);
        assert.equal(await campaignStatus(page), 'COMPLETED');
      },
      { timeout: 60_000 },
    );
    assert.equal(await sideCount(page, 'skipped'), 2);
    assert.equal(await sideCount(page, 'failed'), 0);
    const skippedRows = page.getByTestId('campaign-skipped-row');
    assert.deepEqual(
      (await skippedRows.evaluateAll((rows) => rows.map((r) => `${r.dataset.key}:${r.dataset.count}`))).sort(),
      ['missing_value:1', 'us_marketing:1'],
    );
    await eventually(async () =>
      assert.ok(Number(await page.getByTestId('campaign-timeline-chart').getAttribute('data-points')) > 0, 'the timeline has points'),
    );

    // Paula answers: a reply, counted live.
    assert.equal(await funnelCount(page, 'replied'), 0);
    await customerWrites({ from: PAULA, name: 'Paula Reis', content: { body: 'Yes please, I want it!' } });
    await eventually(async () => assert.equal(await funnelCount(page, 'replied'), 1));
    await page.locator('[data-testid="campaign-billable-row"][data-key="marketing"]').waitFor();
    await expectNoAxeViolations(page, { label: 'the campaign page, completed' });

    // The recipients, filtered.
    const recipients = page.getByTestId('recipient-row');
    await page.getByTestId('recipients-refresh').click();
    await page.getByTestId('recipients-filter-status').selectOption('SKIPPED');
    await eventually(async () => assert.equal(await recipients.count(), 2));
    assert.deepEqual(
      (await recipients.evaluateAll((rows) => rows.map((r) => r.dataset.skipReason))).sort(),
      ['MISSING_VALUE', 'US_MARKETING'],
    );
    await page.getByTestId('recipients-filter-status').selectOption('');
    await page.getByTestId('recipients-filter-replied').selectOption('yes');
    await eventually(async () => {
      assert.equal(await recipients.count(), 1);
      assert.equal(await recipients.first().getAttribute('data-address'), `+${PAULA}`);
    });

    // The CSV of every recipient, fetched with alice's token.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recipients-export').click()]);
    assert.equal(download.suggestedFilename(), 'E2E_spring_sale-recipients.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.match(lines[0], /^recipient_id,contact_id,name,address,status,skip_reason,error_code/);
    assert.equal(lines.length, AUDIENCE + 1, csv);
    assert.ok(lines.some((l) => l.includes(`,Sara Nunes,+${SARA},skipped,missing_value,`)), csv);
    assert.ok(lines.some((l) => l.includes(`,Dan Miller,+${DAN},skipped,us_marketing,`)), csv);
    assert.ok(lines.some((l) => l.includes(`,Paula Reis,+${PAULA},read,`)), csv);
    assert.equal(await page.getByTestId('recipients-export-error').count(), 0);

    // Rui sends STOP: counted against this campaign, live.
    await customerWrites({ from: RUI, name: 'Rui Costa', content: { body: 'STOP' } });
    await eventually(async () => assert.equal(await sideCount(page, 'optedOut'), 1));

    // The list shows the campaign as it ended.
    await page.getByTestId('campaign-back').click();
    await page.waitForURL(`${ORG_URL}/campaigns`);
    const row = page.locator(`[data-testid="campaign-row"][data-campaign-id="${campaignId}"]`);
    await eventually(async () => assert.equal(await row.getAttribute('data-status'), 'COMPLETED'));
    assert.equal(await row.getByTestId('campaign-row-sent').getAttribute('data-count'), String(SENDABLE));
    assert.equal((await row.getByTestId('campaign-row-delivery-rate').innerText()).trim(), '100%');
    await expectNoAxeViolations(page, { label: 'the campaign list with a campaign' });

    // Its copy leaves Rui out: opted out.
    await row.getByTestId('campaign-name').click();
    await page.getByTestId('campaign-page').waitFor();
    await page.getByTestId('campaign-duplicate').click();
    await page.waitForURL((url) => /\/campaigns\/[^/]+\/edit$/.test(url.pathname) && !url.pathname.includes(campaignId));
    await page.getByTestId('campaign-form').waitFor();
    assert.equal(await page.getByTestId('campaign-name-input').inputValue(), `Copy of ${CAMPAIGN}`);
    await page.getByTestId('campaign-step-5').click();
    await page.getByTestId('campaign-review').waitFor();
    assert.equal(await skipCount(page, 'OPTED_OUT'), 1);
    assert.equal(await page.getByTestId('review-queued').getAttribute('data-count'), String(SENDABLE - 1));
    const stopped = await previewFor(page, 'Rui Costa');
    assert.equal(await stopped.getAttribute('data-skip-reason'), 'OPTED_OUT');
    assert.match(await stopped.getByTestId('review-preview-for-result-skip').innerText(), /Opted out of marketing/);
    await expectNoAxeViolations(page, { label: 'the review step of the copy' });

    // Paula's thread in the inbox shows the campaign message she answered, before her answer,
    // named after the campaign and linked to its page.
    await page.goto(`${ORG_URL}/inbox`);
    await page.locator(`[data-testid="conversation-row"][data-wa-id="${PAULA}"]`).click();
    const fromCampaign = page
      .locator('[data-testid="message"][data-direction="OUTBOUND"]')
      .filter({ has: page.getByTestId('message-campaign').getByText(CAMPAIGN, { exact: true }) });
    await eventually(async () => assert.equal(await fromCampaign.count(), 1));
    assert.equal(
      (await fromCampaign.getByTestId('message-template').locator('.message-text').innerText()).trim(),
      'Hi Paula, your gold discount is waiting.',
    );
    await expectNoAxeViolations(page, { label: 'a thread with a campaign message' });
    await fromCampaign.getByTestId('message-campaign').getByRole('link').click();
    await page.waitForURL(`${ORG_URL}/campaigns/${campaignId}`);
    await page.getByTestId('campaign-page').waitFor();
  },
  { timeout: 400_000 },
);
