import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';

import type { OidcConfig } from '@/config/runtime-config';
import { safeReturnTo } from '@/lib/return-to';

/** What we carry through the identity provider and back. */
interface SignInState {
  returnTo: string;
}

/**
 * Authorization-code flow with PKCE. The signed-in user and the in-flight sign-in state live in
 * sessionStorage only: they end with the tab, and nothing goes to localStorage or cookies.
 */
export function createUserManager(oidc: OidcConfig, origin: string = window.location.origin): UserManager {
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  return new UserManager({
    authority: oidc.issuer,
    client_id: oidc.clientId,
    redirect_uri: `${origin}/auth/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: oidc.scope,
    extraQueryParams: oidc.audience ? { audience: oidc.audience } : {},
    userStore: store,
    stateStore: store,
    // Renew a minute before expiry with the refresh token, so requests and the socket (which
    // the server closes at the token's expiry) move to the new token without a visible gap.
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: 60,
    monitorSession: false,
    loadUserInfo: false,
  });
}

export function signInState(returnTo: string): SignInState {
  return { returnTo: safeReturnTo(returnTo) };
}

/** The path saved before sign-in, checked again on the way back. */
export function returnToFromUser(user: Pick<User, 'state'>): string {
  const state = user.state as Partial<SignInState> | undefined;
  return safeReturnTo(state?.returnTo);
}

/** Usable for API calls: present and not past its expiry. */
export function isUsable(user: User | null): user is User {
  return user != null && !user.expired && user.access_token !== '';
}

const REAUTH_KEY = 'wagent_reauth_at';
const REAUTH_WINDOW_MS = 60_000;

/**
 * Sending the user back to the identity provider on its own is fine once; doing it again within
 * a minute means the server keeps refusing fresh tokens, so we stop and say so instead of looping.
 */
export function claimAutomaticSignIn(storage: Pick<Storage, 'getItem' | 'setItem'>, now: number): boolean {
  const last = Number(storage.getItem(REAUTH_KEY));
  if (Number.isFinite(last) && last > 0 && now - last < REAUTH_WINDOW_MS) return false;
  storage.setItem(REAUTH_KEY, String(now));
  return true;
}

/** The sign-in callback can only be redeemed once; React may mount the page twice in development. */
const callbacks = new Map<string, Promise<User>>();

export function redeemSignInCallback(manager: UserManager, url: string): Promise<User> {
  let pending = callbacks.get(url);
  if (!pending) {
    pending = manager.signinRedirectCallback(url);
    callbacks.set(url, pending);
  }
  return pending;
}
