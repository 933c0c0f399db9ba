/** The OIDC settings the server publishes for the SPA. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
  audience: string | null;
}

/** Meta's Embedded Signup settings, and whether the built-in WhatsApp sandbox stands in for Meta. */
export interface WhatsAppConfig {
  appId: string | null;
  configId: string | null;
  /** The server talks to its sandbox: the customer phone panel and simulated sign-up are on. */
  sandbox: boolean;
}

/** `GET /config.json`: read at start-up so one build runs against any server. */
export interface RuntimeConfig {
  oidc: OidcConfig | null;
  version: string;
  whatsapp: WhatsAppConfig;
}

export const NO_WHATSAPP: WhatsAppConfig = { appId: null, configId: null, sandbox: false };

/** A missing or malformed `whatsapp` section only turns WhatsApp sign-up off. */
function parseWhatsApp(raw: unknown): WhatsAppConfig {
  if (typeof raw !== 'object' || raw === null) return NO_WHATSAPP;
  const source = raw as Record<string, unknown>;
  return {
    appId: stringField(source, 'appId'),
    configId: stringField(source, 'configId'),
    sandbox: source.sandbox === true,
  };
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
  const whatsapp = parseWhatsApp(root.whatsapp);
  const rawOidc = root.oidc;
  if (rawOidc === null || rawOidc === undefined) return { oidc: null, version, whatsapp };
  if (typeof rawOidc !== 'object') throw new ConfigError('config.json: "oidc" must be an object or null');
  const oidc = rawOidc as Record<string, unknown>;
  const issuer = stringField(oidc, 'issuer');
  const clientId = stringField(oidc, 'clientId');
  if (!issuer || !clientId) throw new ConfigError('config.json: "oidc" needs "issuer" and "clientId"');
  return {
    version,
    whatsapp,
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
