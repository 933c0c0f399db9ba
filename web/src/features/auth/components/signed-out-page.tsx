import { Navigate } from 'react-router';

import { LoadingState } from '@/components/ui/feedback';
import { SignInPage } from '@/features/auth/components/sign-in-page';
import { useAuth } from '@/lib/auth-context';

/** `/signed-out`: the landing after signing out. */
export function SignedOutPage() {
  const { status } = useAuth();
  if (status === 'loading') return <LoadingState />;
  if (status === 'signedIn') return <Navigate to="/" replace />;
  return <SignInPage reason="signed-out" returnTo="/" />;
}
