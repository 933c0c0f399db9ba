import { describe, expect, it } from 'vitest';

import {
  describeMessage,
  messageContext,
  messageReferral,
  messageSummary,
  openStreetMapUrl,
  reactionsByTarget,
  type MessageLike,
} from '@/features/inbox/utils/message-content';
import type { MessageKind } from '@/gql/graphql';

// Inbound content is stored as Meta's type in lower case, with its data.
const inbound = (kind: MessageKind, data: unknown, extra: Record<string, unknown> = {}, text: string | null = null): MessageLike => ({
  kind,
  text,
  direction: 'INBOUND',
  content: { type: kind.toLowerCase(), data, ...extra },
});

describe('describeMessage', () => {
  it('reads text, outbound and inbound', () => {
    expect(describeMessage(inbound('TEXT', { body: 'Hi there' }))).toEqual({ type: 'text', text: 'Hi there' });
    expect(describeMessage({ kind: 'TEXT', text: 'Hello', direction: 'OUTBOUND', content: { body: 'Hello' } })).toEqual({
      type: 'text',
      text: 'Hello',
    });
  });

  it('reads a location with an OpenStreetMap link', () => {
    const body = describeMessage(inbound('LOCATION', { latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower', address: 'Paris' }));
    expect(body).toEqual({
      type: 'location',
      latitude: 48.8584,
      longitude: 2.2945,
      name: 'Eiffel Tower',
      address: 'Paris',
      mapUrl: 'https://www.openstreetmap.org/?mlat=48.8584&mlon=2.2945#map=16/48.8584/2.2945',
    });
    expect(openStreetMapUrl(-23.5, -46.625)).toBe('https://www.openstreetmap.org/?mlat=-23.5&mlon=-46.625#map=16/-23.5/-46.625');
  });

  it('reads shared contacts', () => {
    const body = describeMessage(
      inbound('CONTACTS', [
        { name: { formatted_name: 'Ana Souza' }, phones: [{ phone: '+55 11 91234-5678' }], emails: [{ email: 'ana@example.com' }] },
        { name: { first_name: 'Bo', last_name: 'Li' }, phones: [] },
      ]),
    );
    expect(body).toEqual({
      type: 'contacts',
      contacts: [
        { name: 'Ana Souza', phones: ['+55 11 91234-5678'], emails: ['ana@example.com'] },
        { name: 'Bo Li', phones: [], emails: [] },
      ],
    });
  });

  it('reads button and list replies, flat or nested', () => {
    expect(describeMessage(inbound('INTERACTIVE', { type: 'button_reply', id: 'yes', title: 'Yes please' }))).toMatchObject({
      type: 'reply',
      reply: 'button',
      title: 'Yes please',
    });
    expect(
      describeMessage(inbound('INTERACTIVE', { type: 'list_reply', list_reply: { id: 'l', title: 'Large', description: '12"' } })),
    ).toMatchObject({ type: 'reply', reply: 'list', title: 'Large', description: '12"' });
    expect(describeMessage(inbound('BUTTON', { payload: 'STOP', text: 'Stop promotions' }))).toMatchObject({
      type: 'reply',
      title: 'Stop promotions',
    });
  });

  it('reads media with its caption, file name and voice flag', () => {
    expect(describeMessage(inbound('IMAGE', { id: 'm1', mime_type: 'image/png', caption: 'My receipt' }))).toMatchObject({
      type: 'media',
      media: 'IMAGE',
      caption: 'My receipt',
      mimeType: 'image/png',
    });
    expect(
      describeMessage(inbound('DOCUMENT', { media: { id: 'm2', mime_type: 'application/pdf' }, filename: 'invoice.pdf' })),
    ).toMatchObject({ type: 'media', media: 'DOCUMENT', fileName: 'invoice.pdf' });
    expect(describeMessage(inbound('AUDIO', { media: { id: 'm3' }, voice: true }))).toMatchObject({ media: 'AUDIO', voice: true });
  });

  it('reads reactions, templates, system notes, and never returns an empty bubble', () => {
    expect(describeMessage(inbound('REACTION', { message_id: 'wamid.A', emoji: '👍' }))).toEqual({
      type: 'reaction',
      targetWamid: 'wamid.A',
      emoji: '👍',
    });
    expect(
      describeMessage({ kind: 'REACTION', direction: 'OUTBOUND', content: { message_id: 'uuid', emoji: '❤️', wamid: 'wamid.B' } }),
    ).toEqual({ type: 'reaction', targetWamid: 'wamid.B', emoji: '❤️' });
    expect(
      describeMessage({
        kind: 'TEMPLATE',
        direction: 'OUTBOUND',
        content: { name: 'order_update', language: 'en_US', body_parameters: ['Ana', '#42'] },
      }),
    ).toEqual({ type: 'template', name: 'order_update', language: 'en_US', parameters: ['Ana', '#42'], campaign: null });
    expect(
      describeMessage({
        kind: 'TEMPLATE',
        direction: 'OUTBOUND',
        content: { name: 'spring_sale', language: 'en', body_parameters: ['Ana'], campaign: { id: 'c-1', name: 'Spring sale' } },
      }),
    ).toEqual({ type: 'template', name: 'spring_sale', language: 'en', parameters: ['Ana'], campaign: { id: 'c-1', name: 'Spring sale' } });
    expect(describeMessage(inbound('SYSTEM', { body: 'User changed number' }))).toEqual({ type: 'system', text: 'User changed number' });
    expect(describeMessage(inbound('UNSUPPORTED', { kind: 'poll' }, {}, 'Unsupported message'))).toEqual({
      type: 'unsupported',
      text: 'Unsupported message',
    });
    expect(describeMessage(inbound('LOCATION', { nonsense: true }, {}, 'Somewhere'))).toEqual({ type: 'unsupported', text: 'Somewhere' });
  });
});

describe('context and referral', () => {
  it('finds the quoted wamid and the forwarded flag', () => {
    const message = inbound('TEXT', { body: 'this one' }, { context: { id: 'wamid.Q', from: '1555', forwarded: true } });
    expect(messageContext(message)).toEqual({ quotedWamid: 'wamid.Q', forwarded: true });
    expect(messageContext({ ...message, replyToWamid: 'wamid.R' }).quotedWamid).toBe('wamid.R');
    expect(messageContext(inbound('TEXT', { body: 'x' }))).toEqual({ quotedWamid: null, forwarded: false });
  });

  it('reads a click-to-WhatsApp ad referral', () => {
    const message = inbound('TEXT', { body: 'hi' }, { referral: { headline: 'Chat with us', body: 'Try WAgent', source_url: 'https://fb.me/x' } });
    expect(messageReferral(message)).toEqual({ headline: 'Chat with us', body: 'Try WAgent', sourceUrl: 'https://fb.me/x' });
    expect(messageReferral(inbound('TEXT', { body: 'hi' }))).toBeNull();
  });
});

describe('messageSummary', () => {
  it('describes any message in one line', () => {
    expect(messageSummary(inbound('IMAGE', { id: 'm' }))).toBe('Photo');
    expect(messageSummary(inbound('AUDIO', { media: { id: 'm' }, voice: true }))).toBe('Voice message');
    expect(messageSummary(inbound('LOCATION', { latitude: 1, longitude: 2, name: 'Shop' }))).toBe('Shop');
    expect(messageSummary(inbound('CONTACTS', [{ name: { formatted_name: 'Ana' } }]))).toBe('Contact: Ana');
  });
});

describe('reactionsByTarget', () => {
  it('keeps each side’s latest reaction, and an empty emoji removes it', () => {
    const messages = [
      { id: '1', ...inbound('REACTION', { message_id: 'wamid.A', emoji: '👍' }) },
      { id: '2', kind: 'REACTION' as const, direction: 'OUTBOUND' as const, content: { message_id: 'x', emoji: '❤️', wamid: 'wamid.A' } },
      { id: '3', ...inbound('REACTION', { message_id: 'wamid.A', emoji: '😂' }) },
      { id: '4', ...inbound('REACTION', { message_id: 'wamid.B', emoji: '👍' }) },
      { id: '5', ...inbound('REACTION', { message_id: 'wamid.B' }) },
    ];
    const reactions = reactionsByTarget(messages);
    expect(reactions.get('wamid.A')).toEqual([
      { emoji: '😂', direction: 'INBOUND' },
      { emoji: '❤️', direction: 'OUTBOUND' },
    ]);
    expect(reactions.has('wamid.B')).toBe(false);
  });
});
