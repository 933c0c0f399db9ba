import { createContext, useContext } from 'react';

import { NO_WHATSAPP, type RuntimeConfig } from '@/config/runtime-config';

/** Until a provider says otherwise (e.g. in tests): no sign-in settings, WhatsApp sign-up off. */
const DEFAULT_CONFIG: RuntimeConfig = { oidc: null, version: 'unknown', whatsapp: NO_WHATSAPP };

/** The /config.json the app started with, for pages that depend on the server's settings. */
export const RuntimeConfigContext = createContext<RuntimeConfig>(DEFAULT_CONFIG);

export function useRuntimeConfig(): RuntimeConfig {
  return useContext(RuntimeConfigContext);
}
