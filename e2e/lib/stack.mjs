// Where the stack started by scripts/e2e.sh lives: the WAgent server (with the SPA) and the
// local OpenID Connect provider. The tests never start anything themselves.

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests with \`bash scripts/e2e.sh\``);
  }
  return value;
}

/** The SPA's origin as users see it, e.g. http://localhost:41234 (WAGENT_PUBLIC_URL). */
export const BASE_URL = required('E2E_BASE_URL').replace(/\/$/, '');

/** The identity provider's issuer, e.g. http://127.0.0.1:41235. */
export const ISSUER = required('E2E_ISSUER').replace(/\/$/, '');

/** The organization made by `wagent org create --name "Demo Shop" --owner-email alice@example.com`. */
export const DEMO_ORG_ID = required('E2E_DEMO_ORG_ID');

/** The same server for calls from Node: the server listens on 127.0.0.1 only, and Node may
 * resolve `localhost` to ::1 first. */
export const API_URL = (() => {
  const url = new URL(BASE_URL);
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  return url.origin;
})();

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

/** Screenshots and page logs of failed tests (gitignored). */
export const ARTIFACTS_DIR = new URL('../.artifacts/', import.meta.url);

/** The demo users of dev/oidc. */
export const PASSWORD = 'wagent-demo';
export const USERS = {
  alice: { username: 'alice', email: 'alice@example.com', name: 'Alice Owner' },
  bob: { username: 'bob', email: 'bob@example.com', name: 'Bob Builder' },
  carol: { username: 'carol', email: 'carol@example.com', name: 'Carol Member' },
};
