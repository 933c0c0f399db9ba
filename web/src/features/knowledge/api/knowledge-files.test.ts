import { describe, expect, it, vi } from 'vitest';

import { isKnowledgeFileName, uploadKnowledgeFile } from '@/features/knowledge/api/knowledge-files';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('uploadKnowledgeFile', () => {
  it('posts the raw file with its name, its language and the bearer token', async () => {
    const fetchStub = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve(json({ sourceId: 'src-1', title: 'política.pdf', contentType: 'application/pdf', size: 9, status: 'QUEUED' })),
    );
    const file = new File(['%PDF-1.7'], 'política.pdf', { type: 'application/pdf' });
    const uploaded = await uploadKnowledgeFile({ organizationId: 'org-1', file, language: 'pt', token: 'tok', fetchImpl: fetchStub });
    expect(uploaded).toEqual({ sourceId: 'src-1', title: 'política.pdf', contentType: 'application/pdf', size: 9, status: 'QUEUED' });
    const [url, init] = fetchStub.mock.calls[0]!;
    expect(url).toBe('/api/organizations/org-1/knowledge');
    expect(init?.method).toBe('POST');
    const headers = new Headers(init?.headers);
    expect(headers.get('authorization')).toBe('Bearer tok');
    expect(headers.get('x-file-name')).toBe('pol_tica.pdf');
    expect(headers.get('x-language')).toBe('pt');
    expect(init?.body).toBe(file);
  });

  it("reports the server's reason in either error shape", async () => {
    const graphqlShape = vi.fn(() =>
      Promise.resolve(json({ errors: [{ message: 'the file is not a PDF', extensions: { code: 'VALIDATION' } }] }, 400)),
    );
    await expect(
      uploadKnowledgeFile({ organizationId: 'o', file: new Blob(['x']), language: null, token: null, fetchImpl: graphqlShape }),
    ).rejects.toMatchObject({ message: 'the file is not a PDF', code: 'VALIDATION' });
    const plainShape = vi.fn(() => Promise.resolve(json({ error: { message: 'too many sources', code: 'VALIDATION' } }, 400)));
    await expect(
      uploadKnowledgeFile({ organizationId: 'o', file: new Blob(['x']), language: null, token: null, fetchImpl: plainShape }),
    ).rejects.toMatchObject({ message: 'too many sources', code: 'VALIDATION' });
    const tooBig = vi.fn(() => Promise.resolve(new Response('', { status: 413 })));
    await expect(
      uploadKnowledgeFile({ organizationId: 'o', file: new Blob(['x']), language: null, token: null, fetchImpl: tooBig }),
    ).rejects.toMatchObject({ message: 'The file is too large to upload.' });
  });

  it('knows which files the server reads', () => {
    expect(isKnowledgeFileName('Policy.PDF')).toBe(true);
    expect(isKnowledgeFileName('notes.md')).toBe(true);
    expect(isKnowledgeFileName('page.htm')).toBe(true);
    expect(isKnowledgeFileName('sheet.xlsx')).toBe(false);
  });
});
