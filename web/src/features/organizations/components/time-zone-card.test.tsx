// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

import { TimeZoneCard } from '@/features/organizations/components/time-zone-card';
import type { Role } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext, stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { click, render, typeInto, waitFor } from '@/test/render';

type Responder = Parameters<typeof stubGraphqlFetch>[0][string];

const saved: Responder = (call) => ({
  data: {
    setOrganizationTimeZone: {
      __typename: 'Organization',
      id: 'org-1',
      timeZone: (call.variables.input as { timeZone: string }).timeZone,
    },
  },
});

async function renderAs(viewerRole: Role, setTimeZone: Responder = saved) {
  const server = stubGraphqlFetch({ SetOrganizationTimeZone: setTimeZone });
  const context = { ...organizationContext({ viewerRole, timeZone: 'America/Sao_Paulo' }), refresh: vi.fn() };
  const view = await render(
    withApp({
      client: testClient(server.fetch),
      url: '/orgs/org-1/settings',
      path: '/orgs/:orgId/settings',
      element: (
        <OrganizationContext.Provider value={context}>
          <TimeZoneCard />
        </OrganizationContext.Provider>
      ),
    }),
  );
  return { view, server, context };
}

const optionValues = (select: HTMLElement | null) => [...(select as HTMLSelectElement).options].map((o) => o.value);

describe('TimeZoneCard', () => {
  it('shows a Member the zone read-only', async () => {
    const { view } = await renderAs('MEMBER');
    expect(view.byTestId('time-zone-value')?.dataset.timeZone).toBe('America/Sao_Paulo');
    expect(view.byTestId('time-zone-value')?.textContent).toBe('America/Sao_Paulo (UTC−03:00)');
    expect(view.byTestId('time-zone-card')?.textContent).toContain('Campaigns scheduled for a time of day use this zone.');
    expect(view.byTestId('time-zone-form')).toBeNull();
    expect(view.byTestId('time-zone-select')).toBeNull();
    await view.unmount();
  });

  it('lets an Admin pick another zone and saves it', async () => {
    const { view, server, context } = await renderAs('ADMIN');
    const select = view.byTestId('time-zone-select') as HTMLSelectElement;
    expect(select.value).toBe('America/Sao_Paulo');
    expect((view.byTestId('time-zone-submit') as HTMLButtonElement).disabled).toBe(true);

    await typeInto(select, 'Europe/Lisbon');
    await click(view.byTestId('time-zone-submit'));

    await waitFor(() => expect(view.byTestId('time-zone-saved')?.textContent).toBe('Saved.'));
    expect(server.calls.map((c) => c.operationName)).toEqual(['SetOrganizationTimeZone']);
    expect(server.calls[0]?.variables).toEqual({ input: { organizationId: 'org-1', timeZone: 'Europe/Lisbon' } });
    expect(context.refresh).toHaveBeenCalled();
    await view.unmount();
  });

  it('narrows the list to what is searched, keeping the chosen zone', async () => {
    const { view } = await renderAs('OWNER');
    await typeInto(view.byTestId('time-zone-search'), 'lisbon');
    expect(optionValues(view.byTestId('time-zone-select'))).toEqual(['America/Sao_Paulo', 'Europe/Lisbon']);
    await view.unmount();
  });

  it("shows the server's message when the zone is refused", async () => {
    const { view } = await renderAs('OWNER', () => ({
      errors: [{ message: 'Unknown time zone: Europe/Lisbon', extensions: { code: 'VALIDATION' } }],
    }));
    await typeInto(view.byTestId('time-zone-select'), 'Europe/Lisbon');
    await click(view.byTestId('time-zone-submit'));

    await waitFor(() => expect(view.byTestId('time-zone-error')?.textContent).toBe('Unknown time zone: Europe/Lisbon'));
    expect(view.byTestId('time-zone-saved')).toBeNull();
    await view.unmount();
  });
});
