import { describe, expect, it } from 'vitest';

import { currentPath, safeReturnTo } from '@/lib/return-to';

describe('safeReturnTo', () => {
  it('keeps same-site paths, including query and fragment', () => {
    expect(safeReturnTo('/orgs/1/members')).toBe('/orgs/1/members');
    expect(safeReturnTo('/invitations/accept#token=abc')).toBe('/invitations/accept#token=abc');
  });

  it('never sends the user to another origin or back to the callback', () => {
    expect(safeReturnTo('https://evil.example/')).toBe('/');
    expect(safeReturnTo('//evil.example/')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('/auth/callback?code=1')).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo(42, '/profile')).toBe('/profile');
  });

  it('builds the path to come back to from a location', () => {
    expect(currentPath({ pathname: '/invitations/accept', search: '?x=1', hash: '#token=t' })).toBe(
      '/invitations/accept?x=1#token=t',
    );
  });
});
