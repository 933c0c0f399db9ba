// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';

import { NO_WHATSAPP, type WhatsAppConfig } from '@/config/runtime-config';
import { RuntimeConfigContext } from '@/config/runtime-config-context';
import { WhatsAppPage } from '@/features/whatsapp/components/whatsapp-page';
import type { Role } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext, stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { click, render, typeInto, waitFor } from '@/test/render';

const number = {
  __typename: 'PhoneNumber',
  id: 'pn-1',
  phoneNumberId: '1098765',
  displayPhoneNumber: '+1 555-0100',
  verifiedName: 'Acme',
  qualityRating: 'YELLOW',
  status: 'CONNECTED',
  nameStatus: 'APPROVED',
  messagingLimit: 'TIER_1K',
  throughputLevel: 'STANDARD',
  refreshedAt: '2026-03-10T10:00:00Z',
  disconnectedAt: null,
};

function server(numbers: unknown[]) {
  return stubGraphqlFetch({
    WhatsAppNumbers: () => ({ data: { organization: { __typename: 'Organization', id: 'org-1', phoneNumbers: numbers } } }),
    WhatsAppTemplates: () => ({ data: { organization: { __typename: 'Organization', id: 'org-1', templates: [] } } }),
    BusinessProfile: () => ({
      data: {
        businessProfile: {
          __typename: 'BusinessProfile',
          about: 'Fresh bread daily',
          address: null,
          description: null,
          email: null,
          vertical: 'RETAIL',
          websites: [],
        },
      },
    }),
    ConnectWhatsApp: () => ({
      data: { connectWhatsApp: { __typename: 'PhoneNumber', id: 'pn-2', phoneNumberId: '22222', displayPhoneNumber: '+1 555-0200', verifiedName: 'Acme 2' } },
    }),
    CompleteEmbeddedSignup: () => ({
      data: { completeEmbeddedSignup: { __typename: 'PhoneNumber', id: 'pn-3', phoneNumberId: '33333', displayPhoneNumber: '+1 555-0300', verifiedName: 'Sandbox Biz' } },
    }),
  });
}

async function renderPage(role: Role, whatsapp: WhatsAppConfig = NO_WHATSAPP, numbers: unknown[] = [number]) {
  const stub = server(numbers);
  const view = await render(
    <RuntimeConfigContext.Provider value={{ oidc: null, version: 'test', whatsapp }}>
      {withApp({
        client: testClient(stub.fetch),
        url: '/orgs/org-1/whatsapp',
        path: '/orgs/:orgId/whatsapp',
        element: (
          <OrganizationContext.Provider value={organizationContext({ viewerRole: role })}>
            <WhatsAppPage />
          </OrganizationContext.Provider>
        ),
      })}
    </RuntimeConfigContext.Provider>,
  );
  await waitFor(() => expect(view.allByTestId('phone-number-row').length + view.allByTestId('phone-numbers-empty').length).toBe(1));
  return { view, stub };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('WhatsAppPage', () => {
  it('shows every member the numbers with quality and limits, but only Admins the connect tools', async () => {
    const { view } = await renderPage('MEMBER');
    const row = view.byTestId('phone-number-row');
    expect(row?.getAttribute('data-meta-phone-number-id')).toBe('1098765');
    expect(view.byTestId('phone-number-quality')?.getAttribute('data-quality')).toBe('YELLOW');
    expect(view.byTestId('phone-number-quality')?.classList.contains('badge-warning')).toBe(true);
    expect(view.byTestId('phone-number-limit')?.textContent).toBe('1K customers / 24 h');
    expect(view.byTestId('phone-number-disconnect')).toBeNull();
    expect(view.byTestId('connect-card')).toBeNull();
    expect(view.byTestId('connect-admin-only')).not.toBeNull();
    await waitFor(() => expect(view.byTestId('business-profile-about')?.textContent).toBe('Fresh bread daily'));
    expect(view.byTestId('business-profile-edit')).toBeNull();
    await view.unmount();
  });

  it('disables Embedded Signup and says why when Meta is not configured', async () => {
    const { view } = await renderPage('ADMIN');
    expect((view.byTestId('connect-embedded-signup') as HTMLButtonElement).disabled).toBe(true);
    expect(view.byTestId('connect-embedded-signup-unavailable')).not.toBeNull();
    expect(view.byTestId('phone-number-disconnect')).not.toBeNull();
    await view.unmount();
  });

  it('checks the manual form before connecting, and keeps the token out of sight', async () => {
    const { view, stub } = await renderPage('ADMIN');
    expect((view.byTestId('connect-manual-access-token') as HTMLInputElement).type).toBe('password');
    await typeInto(view.byTestId('connect-manual-waba-id'), 'my business');
    await click(view.byTestId('connect-manual-submit'));
    expect(view.byTestId('connect-manual-waba-error')?.textContent).toMatch(/digits/);
    expect(view.byTestId('connect-manual-token-error')).not.toBeNull();
    expect(stub.calls.some((c) => c.operationName === 'ConnectWhatsApp')).toBe(false);

    await typeInto(view.byTestId('connect-manual-waba-id'), '2021000');
    await typeInto(view.byTestId('connect-manual-phone-number-id'), '22222');
    await typeInto(view.byTestId('connect-manual-access-token'), 'EAAG-secret');
    await click(view.byTestId('connect-manual-submit'));
    await waitFor(() => expect(view.byTestId('connect-manual-result')).not.toBeNull());
    expect(stub.calls.find((c) => c.operationName === 'ConnectWhatsApp')?.variables.input).toEqual({
      organizationId: 'org-1',
      wabaId: '2021000',
      phoneNumberId: '22222',
      accessToken: 'EAAG-secret',
    });
    expect((view.byTestId('connect-manual-access-token') as HTMLInputElement).value).toBe('');
    await view.unmount();
  });

  it('in sandbox mode simulates the popup and exchanges the code at once', async () => {
    const sandboxFetch = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve(
        new Response(JSON.stringify({ code: 'AQcode', waba_id: '555', phone_number_id: '33333', business_id: '9' }), { status: 200 }),
      ),
    );
    vi.stubGlobal('fetch', sandboxFetch);
    const { view, stub } = await renderPage('OWNER', { appId: null, configId: null, sandbox: true }, []);
    await click(view.byTestId('connect-embedded-signup'));
    await waitFor(() => expect(view.byTestId('connect-result')).not.toBeNull());
    expect(sandboxFetch.mock.calls[0]?.[0]).toBe('/sandbox/organizations/org-1/embedded-signup');
    expect(new Headers(sandboxFetch.mock.calls[0]?.[1]?.headers).get('authorization')).toBe('Bearer test-token');
    expect(stub.calls.find((c) => c.operationName === 'CompleteEmbeddedSignup')?.variables.input).toEqual({
      organizationId: 'org-1',
      code: 'AQcode',
      wabaId: '555',
      phoneNumberId: '33333',
    });
    await view.unmount();
  });
});
