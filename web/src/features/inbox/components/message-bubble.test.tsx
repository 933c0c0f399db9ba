// @vitest-environment happy-dom
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';

import { MessageBubble } from '@/features/inbox/components/message-bubble';
import type { ThreadMessage } from '@/features/inbox/hooks/use-conversation-thread';
import { click, render } from '@/test/render';

const base: ThreadMessage = {
  id: 'm1',
  conversationId: 'conv-1',
  direction: 'OUTBOUND',
  wamid: 'wamid.1',
  kind: 'TEXT',
  text: 'Your order shipped',
  content: { body: 'Your order shipped' },
  status: 'FAILED',
  statusAt: '2026-03-10T10:00:00Z',
  error: { code: 131047, text: 'Re-engagement message' },
  replyToWamid: null,
  agentId: null,
  aiTurn: null,
  sentBy: { id: 'u1', name: 'Alice', email: 'alice@example.com' },
  sentAt: '2026-03-10T10:00:00Z',
  media: null,
};

function bubble(message: ThreadMessage, extra: Partial<Parameters<typeof MessageBubble>[0]> = {}) {
  return (
    <MessageBubble
      message={message}
      quoted={null}
      quotedMissing={false}
      reactions={[]}
      contactLabel="Sam"
      canReply
      canReact
      onReply={() => undefined}
      onReact={() => undefined}
      onShowQuoted={() => undefined}
      {...extra}
    />
  );
}

describe('MessageBubble', () => {
  it("shows a failed send with a red mark and Meta's code and reason", async () => {
    const view = await render(bubble(base));
    const el = view.byTestId('message');
    expect(el?.getAttribute('data-direction')).toBe('OUTBOUND');
    expect(el?.getAttribute('data-status')).toBe('FAILED');
    expect(view.byTestId('message-ticks')?.classList.contains('ticks-failed')).toBe(true);
    expect(view.byTestId('message-ticks')?.getAttribute('title')).toContain('Error 131047: Re-engagement message');
    expect(view.byTestId('message-error')?.textContent).toBe('Error 131047: Re-engagement message');
    await view.unmount();
  });

  it('offers to send a failed message again', async () => {
    const retried: string[] = [];
    const view = await render(bubble(base, { onRetry: (m) => retried.push(m.id) }));
    expect(view.byTestId('message-error')?.textContent).toContain('Error 131047: Re-engagement message');
    await click(view.byTestId('message-retry'));
    expect(retried).toEqual(['m1']);
    await view.rerender(bubble({ ...base, status: 'DELIVERED', error: null }, { onRetry: (m) => retried.push(m.id) }));
    expect(view.byTestId('message-retry')).toBeNull();
    await view.unmount();
  });

  it('shows a location with an OpenStreetMap link, the quoted message and reactions', async () => {
    const location: ThreadMessage = {
      ...base,
      id: 'm2',
      direction: 'INBOUND',
      kind: 'LOCATION',
      status: 'RECEIVED',
      error: null,
      content: { type: 'location', data: { latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower' }, context: { id: 'wamid.1' } },
    };
    const view = await render(
      bubble(location, { quoted: { ...base, status: 'READ', error: null }, reactions: [{ emoji: '👍', direction: 'OUTBOUND' }] }),
    );
    expect(view.byTestId('message-location-link')?.getAttribute('href')).toBe(
      'https://www.openstreetmap.org/?mlat=48.8584&mlon=2.2945#map=16/48.8584/2.2945',
    );
    expect(view.byTestId('message-quote')?.textContent).toBe('YouYour order shipped');
    expect(view.byTestId('message-reactions')?.textContent).toBe('👍');
    expect(view.byTestId('message-ticks')).toBeNull();
    await view.unmount();
  });

  it('names the campaign a template message came from, linked to its page', async () => {
    const fromCampaign: ThreadMessage = {
      ...base,
      kind: 'TEMPLATE',
      status: 'READ',
      error: null,
      sentBy: null,
      text: 'Hi Ana, your gold discount is waiting.',
      content: { name: 'spring_sale', language: 'en', body_parameters: ['Ana', 'gold'], campaign: { id: 'c-9', name: 'Spring sale' } },
    };
    const view = await render(
      <MemoryRouter initialEntries={['/orgs/org-1/inbox/conv-1']}>
        <Routes>
          <Route path="/orgs/:orgId/inbox/:conversationId" element={bubble(fromCampaign)} />
        </Routes>
      </MemoryRouter>,
    );
    expect(view.byTestId('message-campaign')?.textContent).toBe('Campaign Spring sale');
    expect(view.byTestId('message-campaign')?.querySelector('a')?.getAttribute('href')).toBe('/orgs/org-1/campaigns/c-9');
    expect(view.byTestId('message-template')?.textContent).toContain('Hi Ana, your gold discount is waiting.');
    await view.unmount();
  });

  it('shows downloaded media, and a placeholder until then', async () => {
    const image: ThreadMessage = {
      ...base,
      direction: 'INBOUND',
      kind: 'IMAGE',
      status: 'RECEIVED',
      error: null,
      content: { type: 'image', data: { id: 'media-1', mime_type: 'image/png', caption: 'Receipt' } },
      media: { url: '/media/org/m?exp=1&sig=x', mimeType: 'image/png', fileName: null, size: 1200, status: 'STORED', error: null },
    };
    const view = await render(bubble(image));
    expect(view.byTestId('message-media')?.getAttribute('data-has-url')).toBe('true');
    expect(view.container.querySelector('img')?.getAttribute('src')).toBe('/media/org/m?exp=1&sig=x');
    await view.rerender(bubble({ ...image, media: null }));
    expect(view.byTestId('message-media')?.getAttribute('data-has-url')).toBe('false');
    expect(view.byTestId('message-media')?.textContent).toContain('Downloading…');
    await view.unmount();
  });
});
