import type { ReactNode } from 'react';
import { useLocation } from 'react-router';

import { LoadingState } from '@/components/ui/feedback';
import { AuthScreen } from '@/features/auth/components/auth-screen';
import { SignInPage } from '@/features/auth/components/sign-in-page';
import { useAuth } from '@/lib/auth-context';

/** Renders its children for signed-in users; everyone else sees the sign-in landing in place. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  const returnTo = `${location.pathname}${location.search}${location.hash}`;

  switch (status) {
    case 'signedIn':
      return children;
    case 'loading':
      return (
        <div className="auth-screen">
          <LoadingState />
        </div>
      );
    case 'redirecting':
      return (
        <AuthScreen title="Taking you to sign-in…" testId="redirecting">
          <LoadingState label="Redirecting" />
        </AuthScreen>
      );
    case 'failed':
      return <SignInPage reason="failed" returnTo={returnTo} />;
    case 'signedOut':
      return (
        <SignInPage
          reason={location.pathname.startsWith('/invitations/') ? 'invitation' : 'default'}
          returnTo={returnTo}
        />
      );
  }
}
