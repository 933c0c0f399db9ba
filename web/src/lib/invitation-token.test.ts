import { describe, expect, it } from 'vitest';

import { parseInvitationToken } from '@/lib/invitation-token';

describe('parseInvitationToken', () => {
  it('reads the token from the fragment of an invitation link', () => {
    expect(parseInvitationToken(new URL('https://app.example/invitations/accept#token=abc123').hash)).toBe('abc123');
    expect(parseInvitationToken('#token=abc123')).toBe('abc123');
    expect(parseInvitationToken('token=abc123')).toBe('abc123');
  });

  it('decodes URL-encoded tokens and ignores other fragment parameters', () => {
    expect(parseInvitationToken('#token=a%2Bb%2Fc%3D')).toBe('a+b/c=');
    expect(parseInvitationToken('#foo=1&token=xyz&bar=2')).toBe('xyz');
  });

  it('returns null when there is no usable token', () => {
    expect(parseInvitationToken('')).toBeNull();
    expect(parseInvitationToken('#')).toBeNull();
    expect(parseInvitationToken('#token=')).toBeNull();
    expect(parseInvitationToken('#token=%20%20')).toBeNull();
    expect(parseInvitationToken('#other=1')).toBeNull();
  });
});
