// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

import { Composer } from '@/features/inbox/components/composer';
import type { ConversationSummary } from '@/features/inbox/hooks/use-conversation-list';
import { stubGraphqlFetch, testClient, withApp, type GraphqlCall } from '@/test/graphql';
import { click, pressKey, render, typeInto, waitFor } from '@/test/render';

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

function conversation(windowOpenUntil: string | null): ConversationSummary {
  return {
    id: 'conv-1',
    status: 'OPEN',
    labels: [],
    unreadCount: 0,
    lastMessageAt: '2026-03-10T10:00:00Z',
    lastMessagePreview: 'Hi',
    handler: 'TEAM',
    windowOpenUntil,
    windowOpen: windowOpenUntil != null,
    contact: { id: 'ct-1', waId: '15550001111', phone: '15550001111', userId: null, username: null, profileName: 'Sam' },
    phoneNumber: { id: 'pn-1', phoneNumberId: 'PN1', displayPhoneNumber: '+1 555 0100', verifiedName: 'Acme', disconnectedAt: null },
    assignee: null,
  };
}

const sent = (call: GraphqlCall) => ({
  data: {
    sendMessage: {
      __typename: 'Message',
      id: 'm-new',
      conversationId: 'conv-1',
      direction: 'OUTBOUND',
      wamid: null,
      kind: (call.variables.input as { template?: unknown }).template ? 'TEMPLATE' : 'TEXT',
      text: 'sent',
      content: {},
      status: 'PENDING',
      statusAt: '2026-03-10T10:00:00Z',
      error: null,
      replyToWamid: null,
  agentId: null,
  aiTurn: null,
      sentBy: null,
      sentAt: '2026-03-10T10:00:00Z',
      media: null,
    },
  },
});

const templates = () => ({
  data: {
    organization: {
      __typename: 'Organization',
      id: 'org-1',
      templates: [
        {
          __typename: 'MessageTemplate',
          id: 't1',
          name: 'order_update',
          language: 'en_US',
          category: 'UTILITY',
          status: 'APPROVED',
          bodyText: 'Hi {{1}}, your order {{2}} is on its way.',
          parameterCount: 2,
        },
        {
          __typename: 'MessageTemplate',
          id: 't2',
          name: 'draft_promo',
          language: 'en_US',
          category: 'MARKETING',
          status: 'PENDING',
          bodyText: 'Sale!',
          parameterCount: 0,
        },
      ],
    },
  },
});

const canned = [{ id: 'c1', shortcut: 'hours', body: 'We are open 9–18.' }];

async function renderComposer(windowOpenUntil: string | null, responders: Parameters<typeof stubGraphqlFetch>[0] = {}) {
  const server = stubGraphqlFetch({ SendMessage: sent, InboxTemplates: templates, ...responders });
  const onSent = vi.fn();
  const view = await render(
    withApp({
      client: testClient(server.fetch),
      url: '/orgs/org-1/inbox/conv-1',
      path: '/orgs/:orgId/inbox/:conversationId',
      element: (
        <Composer
          organizationId="org-1"
          conversation={conversation(windowOpenUntil)}
          cannedResponses={canned}
          replyTo={null}
          contactLabel="Sam"
          onCancelReply={() => undefined}
          onSent={onSent}
        />
      ),
    }),
  );
  return { view, server, onSent };
}

describe('Composer', () => {
  it('sends text with Enter inside the window, and Shift+Enter does not send', async () => {
    const { view, server, onSent } = await renderComposer(inAnHour());
    expect(view.byTestId('window-indicator')?.textContent).toMatch(/^Window open until /);
    const input = view.byTestId('composer-input');
    await typeInto(input, 'Hello there');
    await pressKey(input, 'Enter', { shiftKey: true });
    expect(server.calls).toHaveLength(0);
    await pressKey(input, 'Enter');
    await waitFor(() => expect(onSent).toHaveBeenCalled());
    expect(server.calls[0]?.variables.input).toEqual({
      organizationId: 'org-1',
      conversationId: 'conv-1',
      text: 'Hello there',
      replyToMessageId: null,
    });
    expect((input as HTMLTextAreaElement).value).toBe('');
    await view.unmount();
  });

  it('offers canned responses for /shortcut and inserts the picked one instead of sending', async () => {
    const { view, server } = await renderComposer(inAnHour());
    const input = view.byTestId('composer-input');
    await typeInto(input, 'Sure! /ho');
    expect(view.allByTestId('canned-suggestion').map((s) => s.getAttribute('data-shortcut'))).toEqual(['hours']);
    await pressKey(input, 'Enter');
    expect((input as HTMLTextAreaElement).value).toBe('Sure! We are open 9–18.');
    expect(view.byTestId('canned-suggestions')).toBeNull();
    expect(server.calls).toHaveLength(0);
    await view.unmount();
  });

  it('outside the window locks the text box and sends an approved template with its parameters', async () => {
    const { view, server, onSent } = await renderComposer(new Date(Date.now() - 60_000).toISOString());
    expect(view.byTestId('window-indicator')?.textContent).toBe('Window closed — send an approved template');
    expect((view.byTestId('composer-input') as HTMLTextAreaElement).disabled).toBe(true);
    await waitFor(() => expect(view.byTestId('template-picker')).not.toBeNull());
    const options = [...(view.byTestId('template-picker') as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(['', 't1']);

    await typeInto(view.byTestId('template-picker'), 't1');
    await typeInto(view.byTestId('template-param-1'), 'Ana');
    await click(view.byTestId('composer-send'));
    expect(view.byTestId('composer-error')?.textContent).toBe('Fill in {{2}}.');
    expect(server.calls.filter((c) => c.operationName === 'SendMessage')).toHaveLength(0);

    await typeInto(view.byTestId('template-param-2'), '#1042');
    expect(view.byTestId('template-preview')?.textContent).toBe('Hi Ana, your order #1042 is on its way.');
    await click(view.byTestId('composer-send'));
    await waitFor(() => expect(onSent).toHaveBeenCalled());
    const send = server.calls.find((c) => c.operationName === 'SendMessage');
    expect(send?.variables.input).toMatchObject({
      template: { name: 'order_update', language: 'en_US', bodyParameters: ['Ana', '#1042'] },
    });
    await view.unmount();
  });

  it("shows the server's VALIDATION message next to the composer", async () => {
    const { view } = await renderComposer(inAnHour(), {
      SendMessage: () => ({
        errors: [{ message: 'the 24-hour window closed at 2026-03-10 10:00 UTC', extensions: { code: 'VALIDATION' } }],
      }),
    });
    await typeInto(view.byTestId('composer-input'), 'Late reply');
    await click(view.byTestId('composer-send'));
    await waitFor(() =>
      expect(view.byTestId('composer-error')?.textContent).toBe('the 24-hour window closed at 2026-03-10 10:00 UTC'),
    );
    await view.unmount();
  });
});
