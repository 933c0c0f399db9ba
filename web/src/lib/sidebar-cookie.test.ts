// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';

import {
  parseSidebarCookie,
  readSidebarState,
  serializeSidebarCookie,
  SIDEBAR_COOKIE,
  writeSidebarState,
} from '@/lib/sidebar-cookie';

function clearCookie() {
  document.cookie = `${SIDEBAR_COOKIE}=; Path=/; Max-Age=0`;
}

describe('sidebar cookie', () => {
  afterEach(clearCookie);

  it('defaults to expanded when there is no cookie', () => {
    expect(readSidebarState()).toBe('expanded');
    expect(parseSidebarCookie('')).toBe('expanded');
  });

  it('round-trips collapsed and expanded through document.cookie', () => {
    writeSidebarState('collapsed');
    expect(document.cookie).toContain('wagent_sidebar=collapsed');
    expect(readSidebarState()).toBe('collapsed');

    writeSidebarState('expanded');
    expect(document.cookie).toContain('wagent_sidebar=expanded');
    expect(readSidebarState()).toBe('expanded');
  });

  it('is a one-year, site-wide, SameSite=Lax cookie', () => {
    const cookie = serializeSidebarCookie('collapsed');
    expect(cookie).toBe('wagent_sidebar=collapsed; Path=/; Max-Age=31536000; SameSite=Lax');
    expect(serializeSidebarCookie('expanded', true)).toMatch(/; Secure$/);
  });

  it('finds its value among other cookies and ignores junk', () => {
    expect(parseSidebarCookie('a=1; wagent_sidebar=collapsed; b=2')).toBe('collapsed');
    expect(parseSidebarCookie('wagent_sidebar_old=collapsed')).toBe('expanded');
    expect(parseSidebarCookie('wagent_sidebar=sideways')).toBe('expanded');
  });
});
