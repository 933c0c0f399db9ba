// The WhatsApp inbox against the built-in Meta sandbox: a customer writes from the customer
// phone panel and the conversation appears live; alice answers and watches the ticks go to
// read; outside the 24-hour window only an approved template can go out.

import assert from 'node:assert/strict';

import { signIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { PHONE_NUMBER_ID, customerWrites, setSandboxWindow } from '../lib/sandbox.mjs';
import { BASE_URL, DEMO_ORG_ID, USERS } from '../lib/stack.mjs';

const INBOX_URL = `${BASE_URL}/orgs/${DEMO_ORG_ID}/inbox`;

const conversationRow = (page, waId) => page.locator(`[data-testid="conversation-row"][data-wa-id="${waId}"]`);
const messages = (page, direction) => page.getByTestId('thread').locator(`[data-testid="message"][data-direction="${direction}"]`);

/** Opens a conversation from the list and waits for its thread. */
async function openConversation(page, waId) {
  const row = conversationRow(page, waId);
  await row.waitFor();
  const id = await row.getAttribute('data-conversation-id');
  await row.click();
  await page.waitForURL(`${INBOX_URL}/${id}`);
  await page.locator(`[data-testid="thread"][data-conversation-id="${id}"]`).waitFor();
  return id;
}

browserTest('a customer writes from the phone; alice answers and sees her reply read', async ({ newUser }) => {
  const customer = { number: '15550001111', name: 'Maria Lopes' };
  const question = 'Hello from the phone';
  const answer = 'Hi Maria! Your parcel left this morning.';

  const { page } = await newUser('alice');
  await signIn(page, USERS.alice, { path: `/orgs/${DEMO_ORG_ID}` });
  await page.getByTestId('nav-inbox').click();
  await page.waitForURL(INBOX_URL);
  await page.locator('[data-testid="inbox-empty"], [data-testid="conversation-list"]').first().waitFor();
  assert.equal(await conversationRow(page, customer.number).count(), 0, 'no conversation with the customer yet');

  // The customer phone, writing to the demo number.
  await page.getByTestId('customer-phone-toggle').click();
  const phone = page.getByTestId('customer-phone');
  await phone.waitFor();
  await eventually(async () => assert.equal(await phone.getByTestId('customer-phone-business').inputValue(), PHONE_NUMBER_ID));
  await phone.getByTestId('customer-phone-number').fill(customer.number);
  await phone.getByTestId('customer-phone-name').fill(customer.name);
  await phone.getByTestId('customer-phone-input').fill(question);
  await phone.getByTestId('customer-phone-send').click();
  await phone.locator('[data-testid="customer-phone-message"][data-from="customer"]').filter({ hasText: question }).waitFor();
  assert.equal(await phone.getByTestId('customer-phone-error').count(), 0);

  // The inbox, never reloaded, shows the new conversation.
  const row = conversationRow(page, customer.number);
  await row.waitFor();
  assert.equal((await row.getByTestId('conversation-name').innerText()).trim(), customer.name);
  assert.equal((await row.getByTestId('conversation-preview').innerText()).trim(), question);
  assert.equal(await row.getAttribute('data-unread'), '1');
  assert.equal(await row.getAttribute('data-status'), 'OPEN');

  await openConversation(page, customer.number);
  const inbound = messages(page, 'INBOUND');
  await eventually(async () => assert.equal(await inbound.count(), 1));
  assert.equal(await inbound.getByTestId('message-text').innerText(), question);
  assert.equal(await inbound.getAttribute('data-kind'), 'TEXT');
  // Opening it marks it read.
  await eventually(async () => assert.equal(await row.getAttribute('data-unread'), '0'));

  // Inside the window: free text, Enter sends.
  const composer = page.getByTestId('composer');
  assert.equal(await composer.getAttribute('data-mode'), 'text');
  const indicator = composer.getByTestId('window-indicator');
  assert.equal(await indicator.getAttribute('data-open'), 'true');
  assert.match(await indicator.innerText(), /^Window open until /);
  const input = composer.getByTestId('composer-input');
  await input.fill(answer);
  await input.press('Enter');

  const reply = messages(page, 'OUTBOUND').filter({ has: page.getByTestId('message-text').getByText(answer, { exact: true }) });
  await reply.waitFor();
  assert.equal(await input.inputValue(), '', 'the composer is cleared after sending');
  assert.equal(await reply.getAttribute('data-kind'), 'TEXT');
  // The sandbox reports sent → delivered → read; the bubble and its ticks follow, live.
  await eventually(async () => assert.equal(await reply.getAttribute('data-status'), 'READ'), { timeout: 15_000 });
  const ticks = reply.getByTestId('message-ticks');
  assert.equal(await ticks.getAttribute('data-status'), 'READ');
  assert.match(await ticks.getAttribute('class'), /\bticks-read\b/);
  assert.equal(await ticks.getAttribute('title'), 'Read');
  assert.equal(await reply.getByTestId('message-error').count(), 0);
  const wamid = await reply.getAttribute('data-wamid');
  assert.ok(wamid, 'the reply has Meta’s message id');

  // The customer's phone (polling the sandbox through the server) shows the same message.
  const received = phone.locator(`[data-testid="customer-phone-message"][data-from="business"][data-wamid="${wamid}"]`);
  await received.waitFor();
  assert.equal(await received.getByTestId('customer-phone-message-text').innerText(), answer);
  await eventually(async () => assert.equal(await received.getAttribute('data-status'), 'read'));
  assert.equal(await phone.getByTestId('customer-phone-error').count(), 0);
});

browserTest('outside the 24-hour window only an approved template goes out', async ({ newUser }) => {
  const { page } = await newUser('alice');
  await signIn(page, USERS.alice, { path: `/orgs/${DEMO_ORG_ID}/whatsapp` });

  // The number's templates, read from Meta.
  await page.getByTestId('templates-sync').click();
  const orderUpdate = page.locator('[data-testid="template-row"][data-name="order_update"]');
  await orderUpdate.waitFor();
  assert.equal(await orderUpdate.getAttribute('data-status'), 'APPROVED');
  assert.equal(await page.getByTestId('templates-sync-error').count(), 0);

  // A customer who last wrote 25 hours ago: the 24-hour window has closed.
  const silent = '15550002222';
  await customerWrites({
    from: silent,
    name: 'Jonas',
    content: { body: 'Can I still order the blue one?' },
    timestamp: Math.floor(Date.now() / 1000) - 25 * 3600,
  });

  await page.getByTestId('nav-inbox').click();
  await page.waitForURL(INBOX_URL);
  await openConversation(page, silent);
  const lastWords = messages(page, 'INBOUND');
  await eventually(async () => assert.equal(await lastWords.getByTestId('message-text').innerText(), 'Can I still order the blue one?'));

  const composer = page.getByTestId('composer');
  const indicator = composer.getByTestId('window-indicator');
  assert.equal(await indicator.getAttribute('data-open'), 'false');
  assert.equal((await indicator.innerText()).trim(), 'Window closed — send an approved template');
  assert.equal(await composer.getAttribute('data-mode'), 'template');
  assert.ok(await composer.getByTestId('composer-input').isDisabled(), 'no free text outside the window');
  assert.equal(await composer.getByTestId('composer-template-toggle').count(), 0, 'no way back to free text');
  assert.ok(await composer.getByTestId('composer-send').isDisabled(), 'nothing to send before a template is chosen');

  // The picker offers the synced, approved templates.
  const picker = composer.getByTestId('template-picker');
  await picker.waitFor();
  const option = picker.locator('[data-testid="template-option"][data-name="order_update"]');
  await picker.selectOption(await option.getAttribute('value'));
  await composer.getByTestId('template-param-1').fill('Jonas');
  await composer.getByTestId('composer-send').click();
  assert.equal((await composer.getByTestId('composer-error').innerText()).trim(), 'Fill in {{2}}.');
  assert.equal(await messages(page, 'OUTBOUND').count(), 0, 'an incomplete template is not sent');

  await composer.getByTestId('template-param-2').fill('#1042');
  assert.equal(await composer.getByTestId('template-preview').innerText(), 'Hi Jonas, your order #1042 has shipped.');
  await composer.getByTestId('composer-send').click();

  const sent = messages(page, 'OUTBOUND');
  await eventually(async () => assert.equal(await sent.count(), 1));
  assert.equal(await sent.getAttribute('data-kind'), 'TEMPLATE');
  const template = sent.getByTestId('message-template');
  assert.match(await template.innerText(), /order_update/);
  assert.match(await template.innerText(), /Jonas · #1042/);
  await eventually(
    async () => {
      const status = await sent.getAttribute('data-status');
      assert.ok(['DELIVERED', 'READ'].includes(status), `the template is ${status}, not yet delivered`);
    },
    { timeout: 15_000 },
  );
  assert.equal(await sent.getByTestId('message-error').count(), 0);
  assert.equal(await composer.getByTestId('composer-error').count(), 0);
  assert.equal(await picker.inputValue(), '', 'the picker is reset after sending');

  // When Meta's window has closed but WAgent still counts it open (the sandbox's window is
  // backdated; WAgent's cannot be), free text is accepted, then fails with Meta's 131047.
  const late = '15550003333';
  await customerWrites({ from: late, name: 'Lena Late', content: { body: 'Is my order on its way?' } });
  assert.deepEqual(await setSandboxWindow({ waId: late, lastMessageAt: new Date(Date.now() - 25 * 3600 * 1000) }), { open: false });
  await openConversation(page, late);
  await eventually(async () => assert.equal(await messages(page, 'INBOUND').count(), 1));
  await composer.getByTestId('composer-input').fill('It ships today.');
  await composer.getByTestId('composer-send').click();
  const refused = messages(page, 'OUTBOUND');
  await refused.waitFor();
  await eventually(async () => assert.equal(await refused.getAttribute('data-status'), 'FAILED'), { timeout: 15_000 });
  assert.match(await refused.getByTestId('message-error').innerText(), /^Error 131047\b/);
  assert.match(await refused.getByTestId('message-ticks').getAttribute('class'), /\bticks-failed\b/);
});
