import { describe, expect, it, vi } from 'vitest';

import { sendCustomerMessage } from '@/features/customer-phone/api/sandbox';
import { buildChat, lastBusinessMessage, parseCustomerNumber } from '@/features/customer-phone/utils/chat';

const business = (id: string, at: number, request: unknown, status = 'delivered') => ({
  id,
  phone_number_id: 'PN',
  to: '15550001111',
  type: (request as { type: string }).type,
  status,
  request,
  timestamp: String(at),
});

const customer = (id: string, at: number, message: Record<string, unknown>) => ({
  id,
  phone_number_id: 'PN',
  from: '15550001111',
  message: { id, from: '15550001111', timestamp: String(at), ...message },
});

describe('buildChat', () => {
  it('puts both sides in time order, with quotes, buttons and reactions on their message', () => {
    const chat = buildChat(
      [
        business('wamid.B1', 110, { type: 'text', text: { body: 'Hi, how can we help?' }, context: { message_id: 'wamid.C1' } }),
        business('wamid.B2', 130, {
          type: 'interactive',
          interactive: { type: 'button', body: { text: 'Confirm?' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] } },
        }),
        business('wamid.B3', 140, { type: 'reaction', reaction: { message_id: 'wamid.C1', emoji: '❤️' } }),
        business('wamid.B4', 150, { type: 'template', template: { name: 'order_update', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } }),
      ],
      [
        customer('wamid.C1', 100, { type: 'text', text: { body: 'Hello' } }),
        customer('wamid.C2', 120, { type: 'location', location: { latitude: 1, longitude: 2, name: 'Shop' } }),
        customer('wamid.C3', 135, { type: 'reaction', reaction: { message_id: 'wamid.B1', emoji: '👍' } }),
      ],
    );
    expect(chat.map((i) => [i.id, i.from, i.text])).toEqual([
      ['wamid.C1', 'customer', 'Hello'],
      ['wamid.B1', 'business', 'Hi, how can we help?'],
      ['wamid.C2', 'customer', '📍 Shop'],
      ['wamid.B2', 'business', 'Confirm?'],
      ['wamid.B4', 'business', 'Template “order_update”: Ana'],
    ]);
    expect(chat[1]?.quotedId).toBe('wamid.C1');
    expect(chat[1]?.reactions).toEqual([{ emoji: '👍', from: 'customer' }]);
    expect(chat[0]?.reactions).toEqual([{ emoji: '❤️', from: 'business' }]);
    expect(chat[3]?.buttons).toEqual([{ id: 'y', title: 'Yes' }]);
    expect(lastBusinessMessage(chat)?.id).toBe('wamid.B4');
  });

  it('checks the customer number', () => {
    expect(parseCustomerNumber('+1 555-000-1111')).toEqual({ ok: true, value: '15550001111' });
    expect(parseCustomerNumber('123').ok).toBe(false);
  });
});

describe('sendCustomerMessage', () => {
  it('posts the sandbox payload with the bearer token and returns the wamid', async () => {
    const fetchStub = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve(new Response(JSON.stringify({ messaging_product: 'whatsapp', id: 'wamid.NEW' }), { status: 200 })),
    );
    const result = await sendCustomerMessage(
      'token-1',
      {
        organizationId: 'org-1',
        phoneNumberId: 'PN',
        from: '15550001111',
        name: 'Sam',
        content: { type: 'text', text: { body: 'Hi' } },
        replyTo: 'wamid.B1',
      },
      fetchStub,
    );
    expect(result).toEqual({ wamid: 'wamid.NEW' });
    const [url, init] = fetchStub.mock.calls[0]!;
    expect(url).toBe('/sandbox/organizations/org-1/customers/messages');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer token-1');
    expect(JSON.parse(init?.body as string)).toEqual({
      phone_number_id: 'PN',
      from: '15550001111',
      name: 'Sam',
      type: 'text',
      text: { body: 'Hi' },
      context: { id: 'wamid.B1' },
    });
  });

  it("reports the sandbox's error message", async () => {
    const fetchStub = vi.fn(() =>
      Promise.resolve(new Response(JSON.stringify({ error: { message: 'no phone number PN' } }), { status: 404 })),
    );
    await expect(
      sendCustomerMessage(
        null,
        { organizationId: 'org-1', phoneNumberId: 'PN', from: '1555000', content: { type: 'text', text: { body: 'x' } } },
        fetchStub,
      ),
    ).rejects.toThrow('no phone number PN');
  });
});
