/**
 * Files the server streams behind the same Bearer token as GraphQL (CSV exports and
 * reports): fetched with the token, then handed to the browser as a download.
 */

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** The file name of a `Content-Disposition: attachment; filename="..."` header. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header?.match(/filename="([^"]*)"/i) ?? header?.match(/filename=([^;]+)/i);
  const name = match?.[1]?.trim();
  return name ? name : fallback;
}

/** Fetches a file with the Bearer token; a refusal becomes a `DownloadError` with the server's reason. */
export async function fetchFile({
  url,
  token,
  fallbackName,
  fetchImpl = fetch,
}: {
  url: string;
  token: string | null;
  fallbackName: string;
  fetchImpl?: typeof fetch;
}): Promise<{ blob: Blob; fileName: string }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers });
  } catch {
    throw new DownloadError('Cannot reach the server. Check your connection and try again.', 'NETWORK');
  }
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as {
      errors?: { message?: string; extensions?: { code?: string } }[];
    } | null;
    const error = payload?.errors?.[0];
    throw new DownloadError(
      error?.message ?? `The download failed (${response.status}).`,
      error?.extensions?.code ?? null,
    );
  }
  const blob = await response.blob();
  return { blob, fileName: attachmentName(response.headers.get('content-disposition'), fallbackName) };
}

/** Hands a fetched file to the browser as a download. */
export function saveFile(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: the browser reads the object URL after the click returns.
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
