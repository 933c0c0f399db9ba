// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { DefaultCountryCard } from '@/features/organizations/components/default-country-card';
import type { Role } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext, stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { click, render, typeInto, waitFor } from '@/test/render';

type Responder = Parameters<typeof stubGraphqlFetch>[0][string];

const settings =
  (defaultCountry: string | null): Responder =>
  () => ({
    data: {
      organization: { __typename: 'Organization', id: 'org-1', defaultCountry, optOutKeywords: ['STOP'], optInKeywords: ['START'] },
    },
  });

const saved: Responder = (call) => ({
  data: {
    setOrganizationDefaultCountry: {
      __typename: 'Organization',
      id: 'org-1',
      defaultCountry: (call.variables.input as { defaultCountry: string | null }).defaultCountry,
    },
  },
});

async function renderAs(viewerRole: Role, country: string | null, setCountry: Responder = saved) {
  const server = stubGraphqlFetch({ OrganizationContactSettings: settings(country), SetOrganizationDefaultCountry: setCountry });
  const view = await render(
    withApp({
      client: testClient(server.fetch),
      url: '/orgs/org-1/settings',
      path: '/orgs/:orgId/settings',
      element: (
        <OrganizationContext.Provider value={organizationContext({ viewerRole })}>
          <DefaultCountryCard />
        </OrganizationContext.Provider>
      ),
    }),
  );
  await waitFor(() => expect(view.byTestId('loading')).toBeNull());
  return { view, server };
}

describe('DefaultCountryCard', () => {
  it('shows a Member the country read-only', async () => {
    const { view } = await renderAs('MEMBER', 'BR');
    expect(view.byTestId('default-country-value')?.textContent).toBe('Brazil (BR)');
    expect(view.byTestId('default-country-select')).toBeNull();
    await view.unmount();
  });

  it('lets an Admin choose a country and saves its code', async () => {
    const { view, server } = await renderAs('ADMIN', null);
    const select = view.byTestId('default-country-select') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect([...select.options].map((o) => o.value)).toContain('PT');
    expect(view.byTestId('default-country-card')?.querySelector('label[for="organization-default-country"]')?.textContent).toBe(
      'Country',
    );

    await typeInto(select, 'PT');
    await click(view.byTestId('default-country-submit'));

    await waitFor(() => expect(view.byTestId('default-country-saved')?.textContent).toBe('Saved.'));
    expect(server.calls[1]?.variables).toEqual({ input: { organizationId: 'org-1', defaultCountry: 'PT' } });
    await view.unmount();
  });

  it('clears the country with none', async () => {
    const { view, server } = await renderAs('OWNER', 'BR');
    await typeInto(view.byTestId('default-country-select'), '');
    await click(view.byTestId('default-country-submit'));

    await waitFor(() => expect(view.byTestId('default-country-saved')).not.toBeNull());
    expect(server.calls[1]?.variables).toEqual({ input: { organizationId: 'org-1', defaultCountry: null } });
    await view.unmount();
  });

  it("shows the server's message when the country is refused", async () => {
    const { view } = await renderAs('OWNER', null, () => ({
      errors: [{ message: '`PT` is not a country code (such as BR)', extensions: { code: 'VALIDATION' } }],
    }));
    await typeInto(view.byTestId('default-country-select'), 'PT');
    await click(view.byTestId('default-country-submit'));

    await waitFor(() => expect(view.byTestId('default-country-error')?.textContent).toBe('`PT` is not a country code (such as BR)'));
    await view.unmount();
  });
});
