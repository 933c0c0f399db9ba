import { useEffect, useMemo, useState } from 'react';
import { BrowserRouter } from 'react-router';

import { AppRoutes } from '@/app/routes';
import { LoadingState } from '@/components/ui/feedback';
import { fetchRuntimeConfig, type OidcConfig, type RuntimeConfig } from '@/config/runtime-config';
import { RuntimeConfigContext } from '@/config/runtime-config-context';
import { SignInNotConfiguredPage } from '@/features/auth/components/sign-in-not-configured-page';
import { AuthScreen } from '@/features/auth/components/auth-screen';
import { createUserManager } from '@/lib/auth';
import { AuthProvider } from '@/lib/auth-context';
import { GraphqlProvider } from '@/lib/graphql-provider';

type ConfigState = { kind: 'loading' } | { kind: 'ready'; config: RuntimeConfig } | { kind: 'failed'; message: string };

function SignedInApp({ oidc, config }: { oidc: OidcConfig; config: RuntimeConfig }) {
  const manager = useMemo(() => createUserManager(oidc), [oidc]);
  return (
    <RuntimeConfigContext.Provider value={config}>
      <AuthProvider manager={manager}>
        <GraphqlProvider>
          <BrowserRouter>
            <AppRoutes version={config.version} />
          </BrowserRouter>
        </GraphqlProvider>
      </AuthProvider>
    </RuntimeConfigContext.Provider>
  );
}

/** Loads /config.json, then starts sign-in and the router. */
export function App() {
  const [state, setState] = useState<ConfigState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let active = true;
    fetchRuntimeConfig()
      .then((config) => active && setState({ kind: 'ready', config }))
      .catch((e: unknown) => active && setState({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      active = false;
    };
  }, [attempt]);

  switch (state.kind) {
    case 'loading':
      return (
        <div className="auth-screen">
          <LoadingState label="Starting WAgent" />
        </div>
      );
    case 'failed':
      return (
        <AuthScreen title="WAgent could not start" testId="config-error">
          <p className="auth-text">
            The server&rsquo;s configuration (<code>/config.json</code>) could not be loaded: {state.message}
          </p>
          <button
            type="button"
            className="btn btn-primary btn-block"
            onClick={() => {
              setState({ kind: 'loading' });
              setAttempt((n) => n + 1);
            }}
            data-testid="retry-button"
          >
            Try again
          </button>
        </AuthScreen>
      );
    case 'ready':
      return state.config.oidc ? (
        <SignedInApp oidc={state.config.oidc} config={state.config} />
      ) : (
        <SignInNotConfiguredPage version={state.config.version} />
      );
  }
}
