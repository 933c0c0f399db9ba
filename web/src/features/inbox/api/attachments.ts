/** Files sent to a customer: `POST /api/organizations/{org}/conversations/{id}/media`, the raw file as the body. */

export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

export class AttachmentError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'AttachmentError';
  }
}

/**
 * Uploads `file` and queues it as an image, video, audio or document message (by its type);
 * the message itself arrives through the inbox events. Returns the new message's id.
 */
export async function sendAttachment({
  organizationId,
  conversationId,
  file,
  caption,
  token,
  fetchImpl = fetch,
}: {
  organizationId: string;
  conversationId: string;
  file: Blob & { name?: string };
  caption?: string | null;
  token: string | null;
  fetchImpl?: typeof fetch;
}): Promise<string | null> {
  const query = caption?.trim() ? `?caption=${encodeURIComponent(caption.trim())}` : '';
  const headers: Record<string, string> = {
    'content-type': file.type || 'application/octet-stream',
    // Header values are Latin-1: anything else in the name is replaced rather than refused.
    'x-file-name': (file.name ?? 'file').replace(/[^\x20-\x7e]/g, '_'),
  };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetchImpl(
      `/api/organizations/${encodeURIComponent(organizationId)}/conversations/${encodeURIComponent(conversationId)}/media${query}`,
      { method: 'POST', headers, body: file },
    );
  } catch {
    throw new AttachmentError('Cannot reach the server. Check your connection and try again.', 'NETWORK');
  }
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = (payload as { errors?: { message?: string; extensions?: { code?: string } }[] } | null)?.errors?.[0];
    throw new AttachmentError(error?.message ?? `The upload failed (${response.status}).`, error?.extensions?.code ?? null);
  }
  const id = (payload as { messageId?: unknown } | null)?.messageId;
  return typeof id === 'string' ? id : null;
}
