/**
 * Invitation links carry their token in the URL fragment (`#token=...`) so it never reaches
 * a server log or a Referer header. Returns null when the fragment has no usable token.
 */
export function parseInvitationToken(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment === '') return null;
  let token: string | null;
  try {
    token = new URLSearchParams(fragment).get('token');
  } catch {
    return null;
  }
  const trimmed = token?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
