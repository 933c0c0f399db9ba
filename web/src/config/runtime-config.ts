/** The OIDC settings the server publishes for the SPA. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
  audience: string | null;
}

/** `GET /config.json`: read at start-up so one build runs against any server. */
export interface RuntimeConfig {
  oidc: OidcConfig | null;
  version: string;
}

export class ConfigError extends Error {}

function stringField(source: Record<string, unknown>, key: string): string | null {
  const value = source[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Checks the shape of /config.json; `oidc: null` means sign-in is not configured. */
export function parseRuntimeConfig(json: unknown): RuntimeConfig {
  if (typeof json !== 'object' || json === null) throw new ConfigError('config.json is not an object');
  const root = json as Record<string, unknown>;
  const version = typeof root.version === 'string' ? root.version : 'unknown';
  const rawOidc = root.oidc;
  if (rawOidc === null || rawOidc === undefined) return { oidc: null, version };
  if (typeof rawOidc !== 'object') throw new ConfigError('config.json: "oidc" must be an object or null');
  const oidc = rawOidc as Record<string, unknown>;
  const issuer = stringField(oidc, 'issuer');
  const clientId = stringField(oidc, 'clientId');
  if (!issuer || !clientId) throw new ConfigError('config.json: "oidc" needs "issuer" and "clientId"');
  return {
    version,
    oidc: {
      issuer,
      clientId,
      scope: stringField(oidc, 'scope') ?? 'openid profile email',
      audience: stringField(oidc, 'audience'),
    },
  };
}

export async function fetchRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  const response = await fetchImpl('/config.json', { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new ConfigError(`GET /config.json answered ${response.status}`);
  return parseRuntimeConfig(await response.json());
}
