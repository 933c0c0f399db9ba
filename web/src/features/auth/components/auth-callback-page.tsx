import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';

import { Button } from '@/components/ui/button';
import { LoadingState } from '@/components/ui/feedback';
import { AuthScreen } from '@/features/auth/components/auth-screen';
import { useAuth } from '@/lib/auth-context';

/** `/auth/callback`: trades the authorization code for tokens, then returns to the saved path. */
export function AuthCallbackPage() {
  const { completeSignIn, signIn } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    completeSignIn()
      .then((returnTo) => {
        if (active) void navigate(returnTo, { replace: true });
      })
      .catch((e: unknown) => {
        if (active) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      active = false;
    };
  }, [completeSignIn, navigate]);

  if (error) {
    return (
      <AuthScreen title="Sign-in did not complete" testId="auth-callback-error">
        <p className="auth-text">
          The identity provider sent you back, but we could not finish signing you in: <em>{error}</em>
        </p>
        <Button variant="primary" className="btn-block" onClick={() => void signIn('/')} data-testid="sign-in-button">
          Sign in again
        </Button>
      </AuthScreen>
    );
  }
  return (
    <AuthScreen title="Signing you in…" testId="auth-callback">
      <LoadingState label="Finishing sign-in" />
    </AuthScreen>
  );
}
