import { describe, expect, it, vi } from 'vitest';

import { ConfigError, fetchRuntimeConfig, NO_WHATSAPP, parseRuntimeConfig } from '@/config/runtime-config';

describe('parseRuntimeConfig', () => {
  it('reads the OIDC settings the server publishes', () => {
    expect(
      parseRuntimeConfig({
        oidc: {
          issuer: 'http://localhost:8081',
          clientId: 'wagent-spa',
          scope: 'openid profile email',
          audience: 'wagent',
        },
        version: '0.1.0',
      }),
    ).toEqual({
      version: '0.1.0',
      oidc: { issuer: 'http://localhost:8081', clientId: 'wagent-spa', scope: 'openid profile email', audience: 'wagent' },
      whatsapp: NO_WHATSAPP,
    });
  });

  it('treats oidc: null as "sign-in not configured" instead of failing', () => {
    expect(parseRuntimeConfig({ oidc: null, version: '0.1.0' })).toEqual({
      oidc: null,
      version: '0.1.0',
      whatsapp: NO_WHATSAPP,
    });
  });

  it('fills in a default scope and no audience', () => {
    expect(parseRuntimeConfig({ oidc: { issuer: 'https://id.example', clientId: 'spa' } }).oidc).toEqual({
      issuer: 'https://id.example',
      clientId: 'spa',
      scope: 'openid profile email',
      audience: null,
    });
  });

  it('reads the WhatsApp settings, and turns sign-up off when they are missing or malformed', () => {
    expect(
      parseRuntimeConfig({ oidc: null, whatsapp: { appId: '123', configId: '456', sandbox: true } }).whatsapp,
    ).toEqual({ appId: '123', configId: '456', sandbox: true });
    expect(parseRuntimeConfig({ oidc: null, whatsapp: { appId: null, configId: '', sandbox: 'yes' } }).whatsapp).toEqual(
      NO_WHATSAPP,
    );
    expect(parseRuntimeConfig({ oidc: null, whatsapp: 'on' }).whatsapp).toEqual(NO_WHATSAPP);
  });

  it('rejects a config it cannot use', () => {
    expect(() => parseRuntimeConfig('nope')).toThrow(ConfigError);
    expect(() => parseRuntimeConfig({ oidc: { issuer: '' } })).toThrow(/issuer/);
  });
});

describe('fetchRuntimeConfig', () => {
  it('reports a failed /config.json with its status', async () => {
    const fetchStub = vi.fn(() => Promise.resolve(new Response('gone', { status: 502 })));
    await expect(fetchRuntimeConfig(fetchStub)).rejects.toThrow('GET /config.json answered 502');
    expect(fetchStub).toHaveBeenCalledWith('/config.json', expect.anything());
  });
});
