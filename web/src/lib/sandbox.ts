/**
 * The WhatsApp sandbox's own API, which the server proxies under
 * `/sandbox/organizations/<organization id>/` on our origin when it runs with the sandbox instead
 * of Meta: for the organization's members, about the organization's numbers only. Sent with the
 * same bearer token as GraphQL.
 */

export class SandboxError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export interface SandboxRequest {
  /** The organization whose numbers the call is about. */
  organizationId: string;
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | undefined>;
  token: string | null;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

function errorText(payload: unknown, status: number): string {
  const error = (payload as { error?: { message?: unknown } } | null)?.error;
  if (typeof error?.message === 'string' && error.message.trim() !== '') return error.message;
  return `The sandbox answered ${status}.`;
}

/** One call to `/sandbox/organizations/<id>/<path>`; its `{"error":{"message"}}` becomes a SandboxError. */
export async function sandboxRequest<T>(path: string, request: SandboxRequest): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {})) if (value != null) params.set(key, value);
  const search = params.toString();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    const base = `/sandbox/organizations/${encodeURIComponent(request.organizationId)}`;
    response = await (request.fetch ?? fetch)(`${base}/${path.replace(/^\/+/, '')}${search ? `?${search}` : ''}`, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new SandboxError('Cannot reach the sandbox. Check your connection and try again.', 0);
  }
  const text = await response.text();
  let payload: unknown = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (!response.ok) throw new SandboxError(errorText(payload, response.status), response.status);
  return payload as T;
}
