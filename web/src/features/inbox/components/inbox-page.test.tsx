// @vitest-environment happy-dom
import { Client, fetchExchange, subscriptionExchange, type ExecutionResult } from '@urql/core';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { InboxPage } from '@/features/inbox/components/inbox-page';
import type { MessageDirection, MessageStatus } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext, stubGraphqlFetch, withApp } from '@/test/graphql';
import { click, render, waitFor } from '@/test/render';

const number = {
  __typename: 'PhoneNumber',
  id: 'pn-1',
  phoneNumberId: 'PN1',
  displayPhoneNumber: '+1 555-0100',
  verifiedName: 'Acme',
  disconnectedAt: null,
};

function conversation(id: string, name: string, at: string, unreadCount: number, preview: string) {
  return {
    __typename: 'Conversation',
    id,
    status: 'OPEN',
    labels: id === 'conv-1' ? ['vip'] : [],
    unreadCount,
    lastMessageAt: at,
    lastMessagePreview: preview,
    handler: id === 'conv-2' ? 'BOT' : 'TEAM',
    windowOpenUntil: new Date(Date.now() + 3_600_000).toISOString(),
    windowOpen: true,
    contact: { __typename: 'Contact', id: `ct-${id}`, waId: '15550001111', phone: '15550001111', userId: null, username: null, profileName: name },
    phoneNumber: number,
    assignee: null,
  };
}

function message(id: string, direction: MessageDirection, status: MessageStatus, text: string, sentAt: string, wamid = `wamid.${id}`) {
  return {
    __typename: 'Message',
    id,
    conversationId: 'conv-1',
    direction,
    wamid,
    kind: 'TEXT',
    text,
    content: direction === 'INBOUND' ? { type: 'text', data: { body: text } } : { body: text },
    status,
    statusAt: sentAt,
    error: null,
    replyToWamid: null,
    agentId: null,
    aiTurn: null,
    sentBy: null,
    sentAt,
    media: null,
  };
}

const conv1 = conversation('conv-1', 'Sam', '2026-03-10T10:05:00Z', 2, 'Is it in stock?');
const conv2 = conversation('conv-2', 'Ana', '2026-03-10T09:00:00Z', 0, 'Thanks!');

function server(numbers: unknown[] = [number], conversations = [conv1, conv2]) {
  return stubGraphqlFetch({
    Viewer: () => ({
      data: {
        viewer: {
          __typename: 'Viewer',
          kind: 'USER',
          user: { __typename: 'User', id: 'me', name: 'Me', email: 'me@example.com' },
          memberships: [],
        },
      },
    }),
    InboxSetup: () => ({
      data: {
        organization: {
          __typename: 'Organization',
          id: 'org-1',
          phoneNumbers: numbers,
          cannedResponses: [],
          agents: [],
          members: { __typename: 'MemberConnection', nodes: [] },
        },
      },
    }),
    InboxConversations: () => ({
      data: {
        organization: {
          __typename: 'Organization',
          id: 'org-1',
          conversations: {
            __typename: 'ConversationConnection',
            edges: conversations.map((node) => ({ __typename: 'ConversationEdge', cursor: node.id, node })),
            pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
          },
        },
      },
    }),
    ConversationThread: () => ({
      data: {
        organization: {
          __typename: 'Organization',
          id: 'org-1',
          conversation: {
            ...conv1,
            handler: 'TEAM',
            agentId: null,
            handoffReason: null,
            handoffAt: null,
            notes: [],
            messages: {
              __typename: 'MessageConnection',
              edges: [
                message('m2', 'OUTBOUND', 'SENT', 'We have it!', '2026-03-10T10:01:00Z'),
                message('m1', 'INBOUND', 'RECEIVED', 'Is it in stock?', '2026-03-10T10:00:00Z'),
              ].map((node) => ({ __typename: 'MessageEdge', cursor: node.id, node })),
              pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
            },
          },
        },
      },
    }),
    MarkConversationRead: () => ({ data: { markConversationRead: { ...conv1, unreadCount: 0 } } }),
  });
}

/** A client whose subscriptions the test feeds by hand. */
function liveClient(fetchStub: typeof fetch) {
  const sinks: { next: (result: ExecutionResult) => void }[] = [];
  const client = new Client({
    url: 'http://localhost/graphql',
    fetch: fetchStub,
    preferGetMethod: false,
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: () => ({
          subscribe(sink) {
            sinks.push(sink);
            return { unsubscribe: () => undefined };
          },
        }),
      }),
    ],
  });
  const push = async (inboxEvents: unknown) => {
    await act(async () => {
      for (const sink of sinks) sink.next({ data: { inboxEvents } });
      await Promise.resolve();
    });
  };
  return { client, push };
}

async function renderInbox(url: string, stub = server()) {
  const live = liveClient(stub.fetch);
  const view = await render(
    withApp({
      client: live.client,
      url,
      path: '/orgs/:orgId/inbox/:conversationId?',
      element: (
        <OrganizationContext.Provider value={organizationContext({ viewerRole: 'MEMBER' })}>
          <InboxPage />
        </OrganizationContext.Provider>
      ),
    }),
  );
  return { view, stub, push: live.push };
}

const rowIds = (view: Awaited<ReturnType<typeof renderInbox>>['view']) =>
  view.allByTestId('conversation-row').map((r) => r.getAttribute('data-conversation-id'));

describe('InboxPage', () => {
  it('lists conversations and opens one, reading its unread messages', async () => {
    const { view, stub } = await renderInbox('/orgs/org-1/inbox/conv-1');
    await waitFor(() => expect(rowIds(view)).toEqual(['conv-1', 'conv-2']));
    const first = view.allByTestId('conversation-row')[0];
    expect(first?.querySelector('[data-testid="conversation-name"]')?.textContent).toBe('Sam');
    expect(first?.querySelector('[data-testid="conversation-unread"]')?.textContent).toBe('2');
    expect(first?.querySelector('[data-testid="conversation-label"]')?.textContent).toBe('vip');
    // Which conversations an AI agent answers shows in the list.
    expect(first?.querySelector('[data-testid="conversation-bot"]')).toBeNull();
    expect(view.allByTestId('conversation-row')[1]?.querySelector('[data-testid="conversation-bot"]')?.textContent).toBe('AI agent');

    await waitFor(() => expect(view.allByTestId('message')).toHaveLength(2));
    expect(view.allByTestId('message').map((m) => m.getAttribute('data-direction'))).toEqual(['INBOUND', 'OUTBOUND']);
    await waitFor(() => expect(stub.calls.some((c) => c.operationName === 'MarkConversationRead')).toBe(true));
    await waitFor(() => expect(view.allByTestId('conversation-unread')).toHaveLength(0));
    expect(view.byTestId('contact-name')?.textContent).toBe('Sam');
    await view.unmount();
  });

  it('updates live: new messages re-sort the list, ticks only move forward', async () => {
    const { view, push } = await renderInbox('/orgs/org-1/inbox/conv-1');
    await waitFor(() => expect(view.allByTestId('message')).toHaveLength(2));

    await push({
      __typename: 'InboxEvent',
      kind: 'MESSAGE_CREATED',
      conversation: { ...conv2, lastMessageAt: '2026-03-10T11:00:00Z', unreadCount: 1, lastMessagePreview: 'One more thing' },
      message: { ...message('m9', 'INBOUND', 'RECEIVED', 'One more thing', '2026-03-10T11:00:00Z'), conversationId: 'conv-2' },
    });
    await waitFor(() => expect(rowIds(view)).toEqual(['conv-2', 'conv-1']));
    expect(view.allByTestId('message')).toHaveLength(2);

    const outbound = () => view.container.querySelector('[data-testid="message"][data-message-id="m2"]');
    await push({ __typename: 'InboxEvent', kind: 'MESSAGE_UPDATED', conversation: conv1, message: message('m2', 'OUTBOUND', 'READ', 'We have it!', '2026-03-10T10:01:00Z') });
    await waitFor(() => expect(outbound()?.getAttribute('data-status')).toBe('READ'));
    await push({ __typename: 'InboxEvent', kind: 'MESSAGE_UPDATED', conversation: conv1, message: message('m2', 'OUTBOUND', 'DELIVERED', 'We have it!', '2026-03-10T10:01:00Z') });
    expect(outbound()?.getAttribute('data-status')).toBe('READ');
    expect(outbound()?.querySelector('[data-testid="message-ticks"]')?.classList.contains('ticks-read')).toBe(true);

    await push({
      __typename: 'InboxEvent',
      kind: 'MESSAGE_CREATED',
      conversation: conv1,
      message: message('m3', 'INBOUND', 'RECEIVED', 'Great, I will come by', '2026-03-10T11:05:00Z'),
    });
    await waitFor(() => expect(view.allByTestId('message')).toHaveLength(3));
    await view.unmount();
  });

  it('follows a click to another conversation while live events re-sort the list, even from a closed window', async () => {
    // Sam's 24-hour window has closed: the thread and composer show it, and must not keep
    // re-rendering for it (a busy re-render starved the router's navigation transition, so
    // the URL moved while the previous thread stayed).
    const closed = { ...conv1, windowOpen: false, windowOpenUntil: '2026-03-09T10:05:00Z' };
    const threadOf = (asked: typeof conv1) => {
      const first = { ...message(`${asked.id}-m1`, 'INBOUND', 'RECEIVED', asked.lastMessagePreview ?? '', '2026-03-10T09:00:00Z'), conversationId: asked.id };
      return {
        data: {
          organization: {
            __typename: 'Organization',
            id: 'org-1',
            conversation: {
              ...asked,
              notes: [],
              messages: {
                __typename: 'MessageConnection',
                edges: [{ __typename: 'MessageEdge', cursor: first.id, node: first }],
                pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
              },
            },
          },
        },
      };
    };
    const stub = server(undefined, [closed, conv2]);
    // Each thread answers with the conversation asked for, as the server does.
    const threads = stubGraphqlFetch({
      ConversationThread: (call) => threadOf(call.variables.conversationId === 'conv-2' ? conv2 : closed),
    });
    const merged = ((input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(init?.body as string) as { operationName: string };
      return (body.operationName === 'ConversationThread' ? threads.fetch : stub.fetch)(input, init);
    }) as typeof fetch;
    const { view, push } = await renderInbox('/orgs/org-1/inbox/conv-1', { fetch: merged, calls: stub.calls });
    const shownThread = () => view.byTestId('thread')?.getAttribute('data-conversation-id');
    await waitFor(() => expect(shownThread()).toBe('conv-1'));

    // Ana writes in: her conversation moves to the top.
    await push({
      __typename: 'InboxEvent',
      kind: 'MESSAGE_CREATED',
      conversation: { ...conv2, lastMessageAt: '2026-03-10T11:00:00Z', unreadCount: 1, lastMessagePreview: 'Hello?' },
      message: { ...message('m-live', 'INBOUND', 'RECEIVED', 'Hello?', '2026-03-10T11:00:00Z'), conversationId: 'conv-2' },
    });
    await waitFor(() => expect(rowIds(view)).toEqual(['conv-2', 'conv-1']));

    // Outside act(), as in a browser: React schedules the navigation as a transition.
    globalThis.IS_REACT_ACT_ENVIRONMENT = false;
    try {
      const timers = vi.spyOn(window, 'setTimeout');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const immediate = timers.mock.calls.filter(([, ms]) => !ms).length;
      timers.mockRestore();
      // Before the fix: dozens in 200 ms, for ever, each one a render that interrupts and
      // restarts the navigation's transition.
      expect(immediate, 'timers due at once while idle on a closed window').toBeLessThan(3);

      view.container.querySelector<HTMLElement>('[data-testid="conversation-row"][data-conversation-id="conv-2"]')?.click();
      const clicked = Date.now();
      while (shownThread() !== 'conv-2') {
        expect(Date.now() - clicked, 'the thread follows the click').toBeLessThan(1000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      globalThis.IS_REACT_ACT_ENVIRONMENT = true;
    }
    await waitFor(() => expect(view.byTestId('contact-name')?.textContent).toBe('Ana'));
    await view.unmount();
  });

  it('loads older conversations with the cursor', async () => {
    const stub = server();
    const firstPage = stub.fetch;
    const pages = stubGraphqlFetch({
      InboxConversations: (call) => {
        const after = call.variables.after as string | null;
        const node = after ? conv2 : conv1;
        return {
          data: {
            organization: {
              __typename: 'Organization',
              id: 'org-1',
              conversations: {
                __typename: 'ConversationConnection',
                edges: [{ __typename: 'ConversationEdge', cursor: node.id, node }],
                pageInfo: { __typename: 'PageInfo', hasNextPage: !after, endCursor: after ? null : 'cursor-1' },
              },
            },
          },
        };
      },
    });
    const merged = ((input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(init?.body as string) as { operationName: string };
      return (body.operationName === 'InboxConversations' ? pages.fetch : firstPage)(input, init);
    }) as typeof fetch;
    const { view } = await renderInbox('/orgs/org-1/inbox', { fetch: merged, calls: stub.calls });
    await waitFor(() => expect(rowIds(view)).toEqual(['conv-1']));
    await click(view.byTestId('inbox-load-more'));
    await waitFor(() => expect(rowIds(view)).toEqual(['conv-1', 'conv-2']));
    expect(pages.calls.map((c) => c.variables.after)).toEqual([null, 'cursor-1']);
    expect(view.byTestId('inbox-load-more')).toBeNull();
    await view.unmount();
  });

  it('asks to connect a number when there is none', async () => {
    const { view } = await renderInbox('/orgs/org-1/inbox', server([], []));
    await waitFor(() => expect(view.byTestId('inbox-no-number')).not.toBeNull());
    expect(view.byTestId('inbox-connect-number')?.getAttribute('href')).toBe('/orgs/org-1/whatsapp');
    await view.unmount();
  });

  it('explains how customers reach the business while the inbox is empty', async () => {
    const { view } = await renderInbox('/orgs/org-1/inbox', server([number], []));
    await waitFor(() => expect(view.byTestId('inbox-empty')).not.toBeNull());
    expect(view.byTestId('inbox-empty')?.textContent).toContain('https://wa.me/15550100');
    expect(view.byTestId('thread-empty')).not.toBeNull();
    await view.unmount();
  });
});
