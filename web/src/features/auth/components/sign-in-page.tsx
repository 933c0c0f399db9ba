import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { AuthScreen } from '@/features/auth/components/auth-screen';
import { useAuth } from '@/lib/auth-context';
import { currentPath } from '@/lib/return-to';

export type SignInReason = 'default' | 'invitation' | 'signed-out' | 'failed';

const COPY: Record<SignInReason, { title: string; body: string }> = {
  default: {
    title: 'Sign in to WAgent',
    body: 'Run WhatsApp campaigns and AI agents with your team. Sign in with your company account to continue.',
  },
  invitation: {
    title: 'You have been invited to WAgent',
    body: 'Sign in with the email address the invitation was sent to. You will come straight back here to accept it.',
  },
  'signed-out': {
    title: 'You are signed out',
    body: 'Thanks for using WAgent. Sign in again whenever you are ready.',
  },
  failed: {
    title: 'We could not keep you signed in',
    body: 'The server did not accept your session right after sign-in. This usually means the sign-in settings of this server need attention. You can try again, or contact your administrator if it keeps happening.',
  },
};

/** The landing shown to signed-out visitors; signing in brings them back to `returnTo`. */
export function SignInPage({ reason = 'default', returnTo }: { reason?: SignInReason; returnTo?: string }) {
  const { signIn, failureReason } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const copy = COPY[reason];

  return (
    <AuthScreen title={copy.title} testId="sign-in-page">
      <p className="auth-text">{copy.body}</p>
      {reason === 'failed' && failureReason ? (
        <p className="auth-text" data-testid="sign-in-failure-reason">
          The server said: <em>{failureReason}</em>
        </p>
      ) : null}
      <Button
        variant="primary"
        className="btn-block"
        busy={busy}
        data-testid="sign-in-button"
        onClick={() => {
          setBusy(true);
          setError(null);
          signIn(returnTo ?? currentPath()).catch((e: unknown) => {
            setBusy(false);
            setError(`Could not reach the sign-in service. ${e instanceof Error ? e.message : ''}`.trim());
          });
        }}
      >
        Sign in
      </Button>
      <FormError message={error} testId="sign-in-error" />
    </AuthScreen>
  );
}
