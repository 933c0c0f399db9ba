import type { User, UserManager } from 'oidc-client-ts';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

import {
  claimAutomaticSignIn,
  isUsable,
  redeemSignInCallback,
  returnToFromUser,
  signInState,
} from '@/lib/auth';
import { currentPath } from '@/lib/return-to';

export type AuthStatus =
  /** Reading the stored session. */
  | 'loading'
  | 'signedOut'
  | 'signedIn'
  /** On the way to the identity provider. */
  | 'redirecting'
  /** The server keeps refusing fresh sign-ins; we stopped instead of looping. */
  | 'failed';

export interface AuthProfile {
  name: string | null;
  email: string | null;
}

export interface AuthContextValue {
  status: AuthStatus;
  accessToken: string | null;
  /** The token as of now, for code outside React's render (request headers, socket params). */
  getAccessToken: () => string | null;
  profile: AuthProfile | null;
  /** Why the session ended, as the server put it (shown when we stop retrying). */
  failureReason: string | null;
  /** Starts sign-in; after it the user lands on `returnTo` (default: where they are now). */
  signIn: (returnTo?: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The session ended (expired or refused by the server): sign in again, keeping the path. */
  reauthenticate: (reason?: string) => void;
  /** Finishes sign-in on /auth/callback and returns the path to go back to. */
  completeSignIn: () => Promise<string>;
}

/** Exported for tests that need a signed-in user without an identity provider. */
export const AuthContext = createContext<AuthContextValue | null>(null);

function profileOf(user: User | null): AuthProfile | null {
  if (!user) return null;
  const claims = user.profile;
  const name = claims.name ?? claims.preferred_username ?? null;
  return { name: name ?? null, email: claims.email ?? null };
}

export function AuthProvider({ manager, children }: { manager: UserManager; children: ReactNode }) {
  const [user, setUserState] = useState<User | null>(null);
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [failureReason, setFailureReason] = useState<string | null>(null);
  // Updated together with `user`, before any child renders with it, so no request goes out stale.
  const tokenRef = useRef<string | null>(null);
  const setUser = useCallback((next: User | null) => {
    tokenRef.current = next?.access_token ?? null;
    setUserState(next);
  }, []);
  const getAccessToken = useCallback(() => tokenRef.current, []);

  const signIn = useCallback(
    async (returnTo?: string) => {
      setStatus('redirecting');
      await manager.signinRedirect({ state: signInState(returnTo ?? currentPath()) });
    },
    [manager],
  );

  const reauthenticate = useCallback((reason?: string) => {
    setFailureReason(reason ?? null);
    if (!claimAutomaticSignIn(window.sessionStorage, Date.now())) {
      setStatus('failed');
      return;
    }
    setStatus('redirecting');
    void manager
      .removeUser()
      .then(() => manager.signinRedirect({ state: signInState(currentPath()) }))
      .catch(() => setStatus('failed'));
  }, [manager]);

  const signOut = useCallback(async () => {
    setStatus('redirecting');
    const stored = await manager.getUser();
    try {
      await manager.signoutRedirect({ id_token_hint: stored?.id_token });
    } catch {
      // The provider has no end-session endpoint: forgetting the local session is all we can do.
      await manager.removeUser();
      window.location.assign('/signed-out');
    }
  }, [manager]);

  const completeSignIn = useCallback(async () => {
    const signedIn = await redeemSignInCallback(manager, window.location.href);
    setUser(signedIn);
    setStatus('signedIn');
    return returnToFromUser(signedIn);
  }, [manager, setUser]);

  useEffect(() => {
    let active = true;
    manager
      .getUser()
      .then((stored) => {
        if (!active) return;
        if (isUsable(stored)) {
          setUser(stored);
          setStatus((s) => (s === 'loading' ? 'signedIn' : s));
        } else if (stored) {
          // There was a session and it ran out: straight back through sign-in.
          reauthenticate('Your session expired.');
        } else {
          setStatus((s) => (s === 'loading' ? 'signedOut' : s));
        }
      })
      .catch(() => active && setStatus('signedOut'));

    const onLoaded = (loaded: User) => {
      setUser(loaded);
      setStatus('signedIn');
    };
    const onUnloaded = () => {
      setUser(null);
      setStatus((s) => (s === 'signedIn' ? 'signedOut' : s));
    };
    manager.events.addUserLoaded(onLoaded);
    manager.events.addUserUnloaded(onUnloaded);
    const onExpired = () => reauthenticate('Your session expired.');
    manager.events.addAccessTokenExpired(onExpired);
    return () => {
      active = false;
      manager.events.removeUserLoaded(onLoaded);
      manager.events.removeUserUnloaded(onUnloaded);
      manager.events.removeAccessTokenExpired(onExpired);
    };
  }, [manager, reauthenticate, setUser]);

  const value = useMemo<AuthContextValue>(
    () => ({
      status,
      accessToken: user?.access_token ?? null,
      getAccessToken,
      profile: profileOf(user),
      failureReason,
      signIn,
      signOut,
      reauthenticate,
      completeSignIn,
    }),
    [status, user, getAccessToken, failureReason, signIn, signOut, reauthenticate, completeSignIn],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
