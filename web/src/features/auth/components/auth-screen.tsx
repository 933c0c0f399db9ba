import type { ReactNode } from 'react';

import { LogoMark } from '@/components/ui/icons';

/** The centered card used before the dashboard exists: sign-in, callback, errors. */
export function AuthScreen({ title, children, testId }: { title: ReactNode; children?: ReactNode; testId?: string }) {
  return (
    <div className="auth-screen">
      <main className="auth-card" data-testid={testId}>
        <div className="auth-brand">
          <LogoMark width={36} height={36} />
          <span>WAgent</span>
        </div>
        <h1 className="auth-title">{title}</h1>
        {children}
      </main>
    </div>
  );
}
