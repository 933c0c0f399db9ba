import { AuthScreen } from '@/features/auth/components/auth-screen';

/** Shown for every route when the server publishes no OIDC settings. */
export function SignInNotConfiguredPage({ version }: { version: string }) {
  return (
    <AuthScreen title="Sign-in is not configured on this server" testId="oidc-not-configured">
      <p className="auth-text">
        This WAgent server has no identity provider set up, so nobody can sign in to the web app. Only API tokens can
        be used with it, through the GraphQL API at <code>/graphql</code>.
      </p>
      <p className="auth-text muted">
        Administrators: set the OIDC issuer and client id in the server configuration and reload this page.
      </p>
      <p className="auth-footnote">WAgent {version}</p>
    </AuthScreen>
  );
}
