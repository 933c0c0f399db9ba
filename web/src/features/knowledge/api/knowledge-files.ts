/**
 * Knowledge files over plain HTTP: `POST /api/organizations/{org}/knowledge` with the raw file
 * as the body, its name in `X-File-Name` (the extension says the kind) and an optional
 * `X-Language`; the same Bearer token as GraphQL. The file is read in the background.
 */

/** What the server answers to an upload. */
export interface UploadedKnowledgeFile {
  sourceId: string;
  title: string;
  contentType: string | null;
  size: number | null;
  status: string;
}

export class KnowledgeFileError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'KnowledgeFileError';
  }
}

/** The extensions the server reads. */
export const KNOWLEDGE_FILE_EXTENSIONS = ['.pdf', '.docx', '.txt', '.md', '.html'] as const;

/** 25 MB; the server checks again while reading. */
export const MAX_KNOWLEDGE_FILE_BYTES = 25 * 1024 * 1024;

const NETWORK_MESSAGE = 'Cannot reach the server. Check your connection and try again.';

/** Whether the file name ends with an extension the server reads. */
export function isKnowledgeFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return KNOWLEDGE_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext)) || lower.endsWith('.htm') || lower.endsWith('.markdown');
}

/**
 * The reason of a refusal: `{errors: [{message, extensions: {code}}]}` (what the server sends)
 * or `{error: {message, code}}`, else one made from the status.
 */
export async function knowledgeRefusal(response: Response, fallback: string): Promise<KnowledgeFileError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  const body = payload as {
    errors?: { message?: string; extensions?: { code?: string } }[];
    error?: { message?: string; code?: string } | string;
  } | null;
  const first = body?.errors?.[0];
  if (first?.message) return new KnowledgeFileError(first.message, first.extensions?.code ?? null);
  if (typeof body?.error === 'string') return new KnowledgeFileError(body.error, null);
  if (body?.error?.message) return new KnowledgeFileError(body.error.message, body.error.code ?? null);
  if (response.status === 413) return new KnowledgeFileError('The file is too large to upload.', 'VALIDATION');
  if (response.status === 401) return new KnowledgeFileError('Your session has ended; sign in again.', 'UNAUTHENTICATED');
  if (response.status === 403) return new KnowledgeFileError('You need the Admin or Owner role to add knowledge.', 'FORBIDDEN');
  return new KnowledgeFileError(`${fallback} (${response.status}).`, null);
}

/** Uploads a document for the AI agents to answer from. */
export async function uploadKnowledgeFile({
  organizationId,
  file,
  language,
  token,
  fetchImpl = fetch,
}: {
  organizationId: string;
  file: Blob & { name?: string };
  language: string | null;
  token: string | null;
  fetchImpl?: typeof fetch;
}): Promise<UploadedKnowledgeFile> {
  const headers: Record<string, string> = {
    'content-type': file.type || 'application/octet-stream',
    // Header values are Latin-1: anything else in the name is replaced rather than refused.
    'x-file-name': (file.name ?? 'document.txt').replace(/[^\x20-\x7e]/g, '_'),
  };
  if (language) headers['x-language'] = language;
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetchImpl(`/api/organizations/${encodeURIComponent(organizationId)}/knowledge`, {
      method: 'POST',
      headers,
      body: file,
    });
  } catch {
    throw new KnowledgeFileError(NETWORK_MESSAGE, 'NETWORK');
  }
  if (!response.ok) throw await knowledgeRefusal(response, 'The upload failed');
  const payload = (await response.json().catch(() => null)) as Partial<UploadedKnowledgeFile> | null;
  if (!payload || typeof payload.sourceId !== 'string') {
    throw new KnowledgeFileError('The server did not say which source the file became.', null);
  }
  return {
    sourceId: payload.sourceId,
    title: payload.title ?? file.name ?? '',
    contentType: payload.contentType ?? null,
    size: payload.size ?? file.size,
    status: payload.status ?? 'QUEUED',
  };
}
