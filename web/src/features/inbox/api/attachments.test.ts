import { describe, expect, it, vi } from 'vitest';

import { sendAttachment } from '@/features/inbox/api/attachments';

describe('sendAttachment', () => {
  it('posts the raw file with its type, name, caption and the bearer token', async () => {
    const fetchStub = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve(new Response(JSON.stringify({ messageId: 'm-9' }), { status: 200 })),
    );
    const file = new File(['%PDF-1.4'], 'Fatura março.pdf', { type: 'application/pdf' });
    const id = await sendAttachment({
      organizationId: 'org-1',
      conversationId: 'conv-1',
      file,
      caption: 'Your invoice',
      token: 'tok',
      fetchImpl: fetchStub,
    });
    expect(id).toBe('m-9');
    const [url, init] = fetchStub.mock.calls[0]!;
    expect(url).toBe('/api/organizations/org-1/conversations/conv-1/media?caption=Your%20invoice');
    const headers = new Headers(init?.headers);
    expect(headers.get('content-type')).toBe('application/pdf');
    expect(headers.get('x-file-name')).toBe('Fatura mar_o.pdf');
    expect(headers.get('authorization')).toBe('Bearer tok');
    expect(init?.body).toBe(file);
  });

  it("reports the server's reason, e.g. the closed window", async () => {
    const fetchStub = vi.fn(() =>
      Promise.resolve(
        new Response(
          JSON.stringify({ data: null, errors: [{ message: 'the 24-hour window closed', extensions: { code: 'VALIDATION' } }] }),
          { status: 400 },
        ),
      ),
    );
    await expect(
      sendAttachment({ organizationId: 'o', conversationId: 'c', file: new Blob(['x']), token: null, fetchImpl: fetchStub }),
    ).rejects.toMatchObject({ message: 'the 24-hour window closed', code: 'VALIDATION' });
  });
});
