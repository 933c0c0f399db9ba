import { describe, expect, it, vi } from 'vitest';

import { attachmentName, fetchRejectedRows, uploadContactList } from '@/features/contacts/api/import-files';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('uploadContactList', () => {
  it('posts the raw file with its name and the bearer token', async () => {
    const fetchStub = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve(json({ importId: 'imp-1', format: 'csv', fileName: 'clientes março.csv', size: 42 })),
    );
    const file = new File(['Nome;Celular\n'], 'clientes março.csv', { type: 'text/csv' });
    const uploaded = await uploadContactList({ organizationId: 'org-1', file, token: 'tok', fetchImpl: fetchStub });
    expect(uploaded).toEqual({ importId: 'imp-1', format: 'csv', fileName: 'clientes março.csv', size: 42 });
    const [url, init] = fetchStub.mock.calls[0]!;
    expect(url).toBe('/api/organizations/org-1/contact-imports');
    expect(init?.method).toBe('POST');
    const headers = new Headers(init?.headers);
    expect(headers.get('authorization')).toBe('Bearer tok');
    expect(headers.get('x-file-name')).toBe('clientes mar_o.csv');
    expect(headers.get('content-type')).toBe('text/csv');
    expect(init?.body).toBe(file);
  });

  it("reports the server's reason, e.g. a picture renamed .csv", async () => {
    const fetchStub = vi.fn(() =>
      Promise.resolve(
        json({ errors: [{ message: 'the file is not a CSV or XLSX file', extensions: { code: 'VALIDATION' } }] }, 400),
      ),
    );
    await expect(
      uploadContactList({ organizationId: 'o', file: new Blob(['\x89PNG']), token: null, fetchImpl: fetchStub }),
    ).rejects.toMatchObject({ message: 'the file is not a CSV or XLSX file', code: 'VALIDATION' });
  });

  it('explains a refusal without a JSON body', async () => {
    const fetchStub = vi.fn(() => Promise.resolve(new Response('Payload Too Large', { status: 413 })));
    await expect(
      uploadContactList({ organizationId: 'o', file: new Blob(['x']), token: null, fetchImpl: fetchStub }),
    ).rejects.toMatchObject({ message: 'The file is too large to upload.' });
    const offline = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(
      uploadContactList({ organizationId: 'o', file: new Blob(['x']), token: null, fetchImpl: offline }),
    ).rejects.toMatchObject({ code: 'NETWORK' });
  });
});

describe('fetchRejectedRows', () => {
  it('downloads the CSV with the bearer token and names it as the server does', async () => {
    const fetchStub = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve(
        new Response('line,reason,cells\r\n4,bad,x\r\n', {
          status: 200,
          headers: { 'content-disposition': 'attachment; filename="clientes-rejected.csv"' },
        }),
      ),
    );
    const { blob, fileName } = await fetchRejectedRows({
      url: '/api/organizations/o/contact-imports/i/rejected.csv',
      token: 'tok',
      fetchImpl: fetchStub,
    });
    expect(fileName).toBe('clientes-rejected.csv');
    expect(await blob.text()).toContain('4,bad,x');
    const [url, init] = fetchStub.mock.calls[0]!;
    expect(url).toBe('/api/organizations/o/contact-imports/i/rejected.csv');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok');
  });

  it('falls back to a plain name', () => {
    expect(attachmentName(null, 'rejected-rows.csv')).toBe('rejected-rows.csv');
    expect(attachmentName('attachment; filename=report.csv', 'x')).toBe('report.csv');
  });
});
