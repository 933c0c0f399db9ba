// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { CampaignsPage } from '@/features/campaigns/components/campaigns-page';
import type { Role } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext, stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { render, waitFor } from '@/test/render';

function campaign(id: string, status: string, statusReason: string | null, sent: number) {
  return {
    __typename: 'Campaign',
    id,
    name: `Campaign ${id}`,
    status,
    statusReason,
    createdAt: '2026-01-01T10:00:00Z',
    startsAt: null,
    stats: { __typename: 'CampaignStats', audience: 10, sent, deliveryRate: 0.5, readRate: 0.25, replyRate: 0.125 },
  };
}

const LIST = {
  data: {
    organization: {
      __typename: 'Organization',
      id: 'org-1',
      campaigns: {
        __typename: 'CampaignConnection',
        nodes: [
          campaign('c-1', 'PAUSED', '(#131031) Business account locked', 4),
          campaign('c-2', 'DRAFT', null, 0),
        ],
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
      },
    },
  },
};

async function renderAs(viewerRole: Role) {
  const stub = stubGraphqlFetch({ Campaigns: () => LIST });
  return render(
    withApp({
      client: testClient(stub.fetch),
      url: '/orgs/org-1/campaigns',
      path: '/orgs/:orgId/campaigns',
      element: (
        <OrganizationContext.Provider value={organizationContext({ viewerRole })}>
          <CampaignsPage />
        </OrganizationContext.Provider>
      ),
    }),
  );
}

describe('CampaignsPage', () => {
  it('shows why a campaign is paused, its rates, and offers a new one to an Admin', async () => {
    const view = await renderAs('ADMIN');
    await waitFor(() => expect(view.allByTestId('campaign-row')).toHaveLength(2));
    const paused = view.container.querySelector('[data-campaign-id="c-1"]');
    expect(paused?.querySelector('[data-testid="campaign-row-status-reason"]')?.textContent).toBe(
      '(#131031) Business account locked',
    );
    expect(paused?.querySelector('[data-testid="campaign-row-delivery-rate"]')?.textContent).toBe('50%');
    expect(paused?.querySelector('[data-testid="campaign-row-reply-rate"]')?.textContent).toBe('12.5%');
    const draftLink = view.container.querySelector<HTMLAnchorElement>('[data-campaign-id="c-2"] [data-testid="campaign-name"]');
    expect(draftLink?.getAttribute('href')).toBe('/orgs/org-1/campaigns/c-2/edit');
    expect(view.byTestId('campaigns-new')).not.toBeNull();
    await view.unmount();
  });

  it('is read-only for a Member', async () => {
    const view = await renderAs('MEMBER');
    await waitFor(() => expect(view.allByTestId('campaign-row')).toHaveLength(2));
    expect(view.byTestId('campaigns-new')).toBeNull();
    const draftLink = view.container.querySelector<HTMLAnchorElement>('[data-campaign-id="c-2"] [data-testid="campaign-name"]');
    expect(draftLink?.getAttribute('href')).toBe('/orgs/org-1/campaigns/c-2');
    await view.unmount();
  });
});
