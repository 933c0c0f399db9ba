/**
 * Contact lists over plain HTTP: the upload an import starts from
 * (`POST /api/organizations/{org}/contact-imports`, the raw file as the body) and the CSV of
 * rejected rows (`ContactImport.rejectedRowsUrl`). Both carry the same Bearer token as GraphQL.
 */

import { attachmentName } from '@/lib/downloads';

export { attachmentName, saveFile } from '@/lib/downloads';

/** What the server answers to an upload. */
export interface UploadedContactList {
  importId: string;
  format: string;
  fileName: string;
  size: number;
}

export class ContactFileError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'ContactFileError';
  }
}

const NETWORK_MESSAGE = 'Cannot reach the server. Check your connection and try again.';

/** The first error of a `{errors: [{message, extensions: {code}}]}` body, if it is one. */
async function refusal(response: Response, fallback: string): Promise<ContactFileError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  const error = (payload as { errors?: { message?: string; extensions?: { code?: string } }[] } | null)?.errors?.[0];
  if (error?.message) return new ContactFileError(error.message, error.extensions?.code ?? null);
  if (response.status === 413) return new ContactFileError('The file is too large to upload.', 'VALIDATION');
  if (response.status === 401) return new ContactFileError('Your session has ended; sign in again.', 'UNAUTHENTICATED');
  if (response.status === 403) return new ContactFileError('You need the Admin or Owner role to import contacts.', 'FORBIDDEN');
  return new ContactFileError(`${fallback} (${response.status}).`, null);
}

/** Uploads a CSV or XLSX file for import; the server checks what it is before keeping it. */
export async function uploadContactList({
  organizationId,
  file,
  token,
  fetchImpl = fetch,
}: {
  organizationId: string;
  file: Blob & { name?: string };
  token: string | null;
  fetchImpl?: typeof fetch;
}): Promise<UploadedContactList> {
  const headers: Record<string, string> = {
    'content-type': file.type || 'application/octet-stream',
    // Header values are Latin-1: anything else in the name is replaced rather than refused.
    'x-file-name': (file.name ?? 'contacts').replace(/[^\x20-\x7e]/g, '_'),
  };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetchImpl(`/api/organizations/${encodeURIComponent(organizationId)}/contact-imports`, {
      method: 'POST',
      headers,
      body: file,
    });
  } catch {
    throw new ContactFileError(NETWORK_MESSAGE, 'NETWORK');
  }
  if (!response.ok) throw await refusal(response, 'The upload failed');
  const payload = (await response.json().catch(() => null)) as Partial<UploadedContactList> | null;
  if (!payload || typeof payload.importId !== 'string') {
    throw new ContactFileError('The server did not say which import the file became.', null);
  }
  return {
    importId: payload.importId,
    format: payload.format ?? '',
    fileName: payload.fileName ?? file.name ?? '',
    size: payload.size ?? file.size,
  };
}

/** Fetches the rejected rows of an import as a CSV file. */
export async function fetchRejectedRows({
  url,
  token,
  fetchImpl = fetch,
}: {
  url: string;
  token: string | null;
  fetchImpl?: typeof fetch;
}): Promise<{ blob: Blob; fileName: string }> {
  const headers: Record<string, string> = { accept: 'text/csv' };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers });
  } catch {
    throw new ContactFileError(NETWORK_MESSAGE, 'NETWORK');
  }
  if (!response.ok) throw await refusal(response, 'The download failed');
  const blob = await response.blob();
  return { blob, fileName: attachmentName(response.headers.get('content-disposition'), 'rejected-rows.csv') };
}
