/**
 * The sidebar's collapsed state lives in a first-party cookie: the one UI preference the
 * privacy policy allows besides essential cookies.
 */
export const SIDEBAR_COOKIE = 'wagent_sidebar';

export type SidebarState = 'collapsed' | 'expanded';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Reads the state from a `document.cookie` string; anything unknown means expanded. */
export function parseSidebarCookie(cookieHeader: string): SidebarState {
  for (const part of cookieHeader.split(';')) {
    const [rawName, ...rest] = part.split('=');
    if (rawName?.trim() === SIDEBAR_COOKIE) {
      return rest.join('=').trim() === 'collapsed' ? 'collapsed' : 'expanded';
    }
  }
  return 'expanded';
}

/** The `document.cookie` assignment that stores the state for a year on the whole site. */
export function serializeSidebarCookie(state: SidebarState, secure = false): string {
  const attributes = [`${SIDEBAR_COOKIE}=${state}`, 'Path=/', `Max-Age=${ONE_YEAR_SECONDS}`, 'SameSite=Lax'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function readSidebarState(doc: Pick<Document, 'cookie'> = document): SidebarState {
  return parseSidebarCookie(doc.cookie);
}

export function writeSidebarState(
  state: SidebarState,
  doc: Pick<Document, 'cookie'> = document,
  secure = typeof location !== 'undefined' && location.protocol === 'https:',
): void {
  doc.cookie = serializeSidebarCookie(state, secure);
}
