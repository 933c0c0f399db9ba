// AI agents: alice uploads a small policy document to the knowledge page and waits until it is
// read, creates an agent answering on the demo number and switches it on, and asks it in the
// playground. A customer then writes from the customer phone: the bot answers with the quoted
// fact and its source under the message in the inbox; asking for a human hands the conversation
// to the team (header and reason), after which the bot stays silent; "Hand to bot" gives it
// back. The server runs without an AI key here, so answers are the offline fallback:
// `From “<citation>”:\n\n<quoted passage>`; the test asserts on the quoted fact.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import { expectNoAxeViolations } from '../lib/a11y.mjs';
import { appGraphql } from '../lib/app-api.mjs';
import { signIn } from '../lib/auth.mjs';
import { browserTest, eventually } from '../lib/browser.mjs';
import { PHONE_NUMBER_ID } from '../lib/sandbox.mjs';
import { BASE_URL, DEMO_ORG_ID, USERS } from '../lib/stack.mjs';

const ORG_URL = `${BASE_URL}/orgs/${DEMO_ORG_ID}`;
const INBOX_URL = `${ORG_URL}/inbox`;
const FIXTURE = fileURLToPath(new URL('../fixtures/moonbeam-care.md', import.meta.url));
const FACT = 'within 47 days of delivery';
const QUESTION = 'How many days do I have to return an item?';
const AGENT = 'E2E care bot';
const CUSTOMER = { number: '15550009901', name: 'Rita Moon' };

const aiMessages = (page) => page.getByTestId('thread').locator('[data-testid="message"][data-direction="OUTBOUND"]:has([data-testid="message-ai"])');
const handler = (page) => page.getByTestId('thread-header').getByTestId('conversation-handler');

/** The customer phone writes `text` and waits until it shows it sent. */
async function customerSays(phone, text) {
  await phone.getByTestId('customer-phone-input').fill(text);
  await phone.getByTestId('customer-phone-send').click();
  await phone.locator('[data-testid="customer-phone-message"][data-from="customer"]').filter({ hasText: text }).first().waitFor();
  assert.equal(await phone.getByTestId('customer-phone-error').count(), 0);
}

browserTest(
  'agents: knowledge upload, playground, the bot answers with its source, hands over and is handed back',
  async ({ newUser }) => {
    const { page } = await newUser('alice');
    await signIn(page, USERS.alice, { path: `/orgs/${DEMO_ORG_ID}` });

    // Knowledge: upload the document and wait until it is read.
    await page.getByTestId('nav-knowledge').click();
    await page.waitForURL(`${ORG_URL}/knowledge`);
    await page.getByTestId('knowledge-page').waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), 'Knowledge');
    await page.locator('[data-testid="knowledge-empty"], [data-testid="knowledge-table"]').first().waitFor();
    const before = await page.getByTestId('knowledge-source-row').evaluateAll((rows) => rows.map((r) => r.dataset.sourceId));
    await page.getByTestId('knowledge-file-input').setInputFiles(FIXTURE);
    await page.getByTestId('knowledge-file-language').selectOption('en');
    await page.getByTestId('knowledge-upload').click();
    const row = page.getByTestId('knowledge-source-row');
    let sourceId = null;
    await eventually(async () => {
      const ids = await row.evaluateAll((rows) => rows.map((r) => r.dataset.sourceId));
      sourceId = ids.find((id) => !before.includes(id)) ?? null;
      assert.ok(sourceId, 'the uploaded document is listed');
    });
    assert.equal(await page.getByTestId('knowledge-upload-error').count(), 0);
    const source = page.locator(`[data-testid="knowledge-source-row"][data-source-id="${sourceId}"]`);
    // Polled while it is queued or being read.
    await eventually(async () => assert.equal(await source.getAttribute('data-status'), 'READY'), { timeout: 60_000, interval: 250 });
    assert.ok(Number(await source.getAttribute('data-chunks')) > 0, 'the document was cut into passages');
    assert.equal((await source.getByTestId('knowledge-source-kind').innerText()).trim(), 'Markdown');
    const title = await source.getAttribute('data-title');
    assert.ok(title, 'the source has a title');

    // Its passages, in the preview.
    const chunks = page.getByTestId('knowledge-chunks');
    if ((await chunks.count()) === 0) await source.getByTestId('knowledge-source-title').click();
    await chunks.getByTestId('knowledge-chunk').first().waitFor();
    await eventually(async () => assert.match(await chunks.innerText(), /47 days/));
    await expectNoAxeViolations(page, { label: 'the knowledge page with a source and its passages' });

    // A new agent on the demo number, switched on, answering at once.
    await page.getByTestId('nav-agents').click();
    await page.waitForURL(`${ORG_URL}/agents`);
    await page.getByTestId('agents-page').waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), 'AI agents');
    await page.locator('[data-testid="agents-empty"], [data-testid="agents-table"]').first().waitFor();
    await page.getByTestId('ai-usage').waitFor();
    await expectNoAxeViolations(page, { label: 'the agents page' });
    await page.getByTestId('agents-new').first().click();
    await page.waitForURL(`${ORG_URL}/agents/new`);
    await page.getByTestId('agent-name').fill(AGENT);
    await page.getByTestId('agent-system-prompt').fill('You answer customers of Moonbeam Outfitters.');
    await page.locator(`[data-testid="agent-number"][data-phone-number-id="${PHONE_NUMBER_ID}"]`).check();
    await page.getByTestId('agent-debounce').fill('0');
    await page.getByTestId('agent-enabled').check();
    await page.getByTestId('agent-save').click();
    await page.waitForURL(new RegExp(`/orgs/${DEMO_ORG_ID}/agents/(?!new)[^/]+$`));
    const agentPage = page.getByTestId('agent-page');
    await eventually(async () => assert.equal(await agentPage.getAttribute('data-state'), 'ON'));
    const agentId = await agentPage.getAttribute('data-agent-id');
    await eventually(async () => assert.equal((await page.getByTestId('page-title').innerText()).trim(), AGENT));
    assert.ok(await page.getByTestId('agent-enabled').isChecked());
    assert.equal(await page.getByTestId('agent-paused').count(), 0);

    // The playground answers from the document and shows where from.
    await page.getByTestId('playground-input').fill(QUESTION);
    await page.getByTestId('playground-send').click();
    const reply = page.getByTestId('playground-reply').last();
    await reply.waitFor();
    assert.equal(await reply.getAttribute('data-handoff'), 'false');
    const replyText = await reply.getByTestId('playground-reply-text').innerText();
    assert.ok(replyText.includes(FACT), `the answer quotes the policy: ${replyText}`);
    assert.ok(replyText.startsWith(`From “${title}`), `the answer names its source: ${replyText}`);
    const citation = reply.getByTestId('playground-source-citation').first();
    assert.ok((await citation.innerText()).startsWith(title));
    await citation.click();
    assert.match(await reply.getByTestId('playground-source-text').first().innerText(), /47 days/);
    // The turn is logged with the agent's recent turns.
    await page.getByTestId('agent-turn').first().waitFor();
    await expectNoAxeViolations(page, { label: 'the agent page with the playground' });

    // A new customer writes to the demo number: the bot answers, with its source.
    await page.getByTestId('nav-inbox').click();
    await page.waitForURL(INBOX_URL);
    await page.locator('[data-testid="inbox-empty"], [data-testid="conversation-list"]').first().waitFor();
    await page.getByTestId('customer-phone-toggle').click();
    const phone = page.getByTestId('customer-phone');
    await phone.waitFor();
    await eventually(async () => assert.equal(await phone.getByTestId('customer-phone-business').inputValue(), PHONE_NUMBER_ID));
    await phone.getByTestId('customer-phone-number').fill(CUSTOMER.number);
    await phone.getByTestId('customer-phone-name').fill(CUSTOMER.name);
    await customerSays(phone, QUESTION);

    const conversationRow = page.locator(`[data-testid="conversation-row"][data-wa-id="${CUSTOMER.number}"]`);
    await conversationRow.waitFor();
    const conversationId = await conversationRow.getAttribute('data-conversation-id');
    await conversationRow.click();
    await page.waitForURL(`${INBOX_URL}/${conversationId}`);
    await page.locator(`[data-testid="thread"][data-conversation-id="${conversationId}"]`).waitFor();
    await eventually(async () => assert.equal(await handler(page).getAttribute('data-handler'), 'BOT'));
    assert.equal(await handler(page).getAttribute('data-agent-id'), agentId);
    assert.equal((await handler(page).getByTestId('conversation-handler-label').innerText()).trim(), `Bot · ${AGENT}`);
    // The list says which conversations an AI agent answers.
    await eventually(async () => assert.equal(await conversationRow.getByTestId('conversation-bot').count(), 1));

    const answer = aiMessages(page).first();
    await answer.waitFor({ timeout: 30_000 });
    assert.ok((await answer.getByTestId('message-text').innerText()).includes(FACT));
    const sourceLine = answer.getByTestId('message-ai-source').first();
    await sourceLine.waitFor();
    assert.equal(await sourceLine.getAttribute('data-source-id'), sourceId);
    assert.ok((await sourceLine.getByTestId('message-ai-source-citation').innerText()).startsWith(title));
    await sourceLine.getByTestId('message-ai-source-citation').click();
    assert.match(await sourceLine.getByTestId('message-ai-source-text').innerText(), /47 days/);
    // The customer receives it too.
    await phone
      .locator('[data-testid="customer-phone-message"][data-from="business"]')
      .filter({ hasText: '47 days' })
      .first()
      .waitFor({ timeout: 30_000 });
    await expectNoAxeViolations(page, { label: 'the inbox with a bot conversation and its sources' });

    // Asking for a person hands the conversation to the team.
    await customerSays(phone, 'I want to talk to a human');
    await eventually(async () => assert.equal(await handler(page).getAttribute('data-handler'), 'TEAM'), { timeout: 30_000 });
    assert.equal((await handler(page).getByTestId('conversation-handler-label').innerText()).trim(), 'Team');
    assert.match(await handler(page).getByTestId('conversation-handoff-reason').innerText(), /asked for a person/);
    await eventually(async () => assert.equal(await conversationRow.getByTestId('conversation-bot').count(), 0));
    // The bot's last words are the handoff message, with no sources.
    await eventually(async () => assert.equal(await aiMessages(page).count(), 2), { timeout: 30_000 });
    const handoffMessage = aiMessages(page).last();
    await eventually(async () => assert.equal(await handoffMessage.getByTestId('message-ai').getAttribute('data-outcome'), 'HANDOFF'));
    assert.equal(await handoffMessage.getByTestId('message-ai-source').count(), 0);
    await expectNoAxeViolations(page, { label: 'the inbox with a conversation handed to the team' });

    // While the team has it, the bot stays silent.
    const silentQuestion = 'Hello? Is anyone there?';
    await customerSays(phone, silentQuestion);
    const inbound = page.getByTestId('thread').locator('[data-testid="message"][data-direction="INBOUND"]');
    await inbound.filter({ hasText: silentQuestion }).waitFor();

    // "Hand to bot" gives it back; the bot answers the next question.
    await handler(page).getByTestId('conversation-hand-to-bot').click();
    await eventually(async () => assert.equal(await handler(page).getAttribute('data-handler'), 'BOT'));
    await eventually(async () => assert.equal(await conversationRow.getByTestId('conversation-bot').count(), 1));
    assert.equal(await handler(page).getByTestId('conversation-handoff-reason').count(), 0);
    assert.equal(await handler(page).getByTestId('conversation-handler-error').count(), 0);
    await expectNoAxeViolations(page, { label: 'the inbox with a conversation handed back to the bot' });
    // The bot reads the messages that arrived after it was handed the conversation (in
    // arrival order, not by Meta's whole-second timestamps), so an immediate question counts.
    const again = 'And how many days to return an item, again?';
    await customerSays(phone, again);
    await eventually(async () => assert.equal(await aiMessages(page).count(), 3), { timeout: 30_000 });
    assert.ok((await aiMessages(page).last().getByTestId('message-text').innerText()).includes(FACT));

    // Nothing else went out: the first answer, the handoff message and the answer after it.
    await eventually(async () => {
      const outbound = await page
        .getByTestId('thread')
        .locator('[data-testid="message"][data-direction="OUTBOUND"]')
        .evaluateAll((nodes) => nodes.map((n) => n.querySelector('[data-testid="message-ai"]')?.getAttribute('data-outcome') ?? 'not the bot'));
      assert.deepEqual(outbound.sort(), ['FALLBACK', 'FALLBACK', 'HANDOFF'], 'the bot said nothing while the team had the conversation');
    });
    // And the conversation's AI turns say the same: answer, handoff, answer; none in between.
    const turns = await appGraphql(page, 'query($o: ID!, $c: ID!) { organization(id: $o) { conversation(id: $c) { aiTurns { outcome } } } }', {
      o: DEMO_ORG_ID,
      c: conversationId,
    });
    assert.deepEqual(
      turns.organization.conversation.aiTurns.map((t) => t.outcome),
      ['FALLBACK', 'HANDOFF', 'FALLBACK'],
    );

    // Leave the demo number to people for whatever runs next.
    await appGraphql(page, 'mutation($a: ID!, $o: ID!) { updateAgent(agentId: $a, input: {organizationId: $o, enabled: false}) { id } }', {
      a: agentId,
      o: DEMO_ORG_ID,
    });
  },
  { timeout: 240_000 },
);
