/**
 * Where to go after sign-in. Only same-site paths are accepted so a crafted state can never
 * send the user to another origin.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/auth/callback')) return fallback;
  return value;
}

/** The current location as a path to come back to (path, query and fragment). */
export function currentPath(loc: Pick<Location, 'pathname' | 'search' | 'hash'> = window.location): string {
  return `${loc.pathname}${loc.search}${loc.hash}`;
}
