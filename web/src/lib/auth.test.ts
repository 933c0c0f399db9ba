// @vitest-environment happy-dom
import { User } from 'oidc-client-ts';
import { afterEach, describe, expect, it } from 'vitest';

import { claimAutomaticSignIn, createUserManager, returnToFromUser, signInState } from '@/lib/auth';

const oidc = { issuer: 'http://localhost:8081', clientId: 'wagent-spa', scope: 'openid profile email', audience: 'wagent' };

describe('createUserManager', () => {
  afterEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it('uses the authorization-code flow with PKCE and the SPA callback URLs', () => {
    const manager = createUserManager(oidc, 'https://app.example');
    expect(manager.settings.response_type).toBe('code');
    expect(manager.settings.disablePKCE).toBe(false);
    expect(manager.settings.redirect_uri).toBe('https://app.example/auth/callback');
    expect(manager.settings.post_logout_redirect_uri).toBe('https://app.example/');
    expect(manager.settings.client_id).toBe('wagent-spa');
    expect(manager.settings.scope).toBe('openid profile email');
    expect(manager.settings.extraQueryParams).toEqual({ audience: 'wagent' });
    expect(manager.settings.automaticSilentRenew).toBe(true);
    expect(manager.settings.accessTokenExpiringNotificationTimeInSeconds).toBe(60);
  });

  it('keeps the signed-in user in sessionStorage, never localStorage', async () => {
    const manager = createUserManager(oidc, 'https://app.example');
    await manager.storeUser(
      new User({
        access_token: 'at',
        token_type: 'Bearer',
        profile: { sub: 'u1', iss: oidc.issuer, aud: oidc.clientId, exp: 0, iat: 0 },
        expires_at: Math.floor(Date.now() / 1000) + 300,
      }),
    );
    expect(Object.keys(sessionStorage).some((k) => k.startsWith('oidc.user:'))).toBe(true);
    expect(localStorage.length).toBe(0);
    expect((await manager.getUser())?.access_token).toBe('at');
  });
});

describe('sign-in state', () => {
  it('brings the user back to the page they were on, fragment included', () => {
    const state = signInState('/invitations/accept#token=abc');
    expect(returnToFromUser({ state })).toBe('/invitations/accept#token=abc');
    expect(returnToFromUser({ state: { returnTo: 'https://evil.example' } })).toBe('/');
    expect(returnToFromUser({ state: undefined })).toBe('/');
  });
});

describe('claimAutomaticSignIn', () => {
  it('allows one automatic sign-in per minute so a refusing server cannot cause a redirect loop', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(claimAutomaticSignIn(storage, 1_000_000)).toBe(true);
    expect(claimAutomaticSignIn(storage, 1_030_000)).toBe(false);
    expect(claimAutomaticSignIn(storage, 1_061_000)).toBe(true);
  });
});
