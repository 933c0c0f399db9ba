// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { CampaignReview } from '@/features/campaigns/components/campaign-review';
import { stubGraphqlFetch, testClient, withApp, type GraphqlCall } from '@/test/graphql';
import { click, render, typeInto, waitFor } from '@/test/render';

function preview(covers: boolean) {
  return () => ({
    data: {
      organization: {
        __typename: 'Organization',
        id: 'org-1',
        campaign: {
          __typename: 'Campaign',
          id: 'cmp-1',
          preview: {
            __typename: 'CampaignAudiencePreview',
            audience: 5,
            queued: 3,
            skipped: [
              { __typename: 'SkipCount', reason: 'MISSING_VALUE', count: 1 },
              { __typename: 'SkipCount', reason: 'OPTED_OUT', count: 1 },
            ],
            budget: { __typename: 'MessagingBudget', limit: 250, used: 248, left: 2, needed: 3, covers },
            samples: [
              {
                __typename: 'CampaignRecipientPreview',
                contactId: 'k-1',
                name: 'Ana Souza',
                address: '+5511988880001',
                skipReason: null,
                detail: null,
                text: 'Hi Ana, your gold discount is waiting.',
              },
              {
                __typename: 'CampaignRecipientPreview',
                contactId: 'k-2',
                name: 'Bruno',
                address: '+5511988880002',
                skipReason: 'MISSING_VALUE',
                detail: 'body {{2}}',
                text: null,
              },
            ],
          },
        },
      },
    },
  });
}

const FOUND = () => ({
  data: {
    organization: {
      __typename: 'Organization',
      id: 'org-1',
      contacts: {
        __typename: 'ContactConnection',
        nodes: [{ __typename: 'Contact', id: 'k-9', phone: '5511988880009', waId: '5511988880009', displayName: 'Eva' }],
      },
    },
  },
});

const EVA = (call: GraphqlCall) => ({
  data: {
    organization: {
      __typename: 'Organization',
      id: 'org-1',
      campaign: {
        __typename: 'Campaign',
        id: 'cmp-1',
        previewFor: {
          __typename: 'CampaignRecipientPreview',
          contactId: call.variables.contactId,
          name: 'Eva',
          address: '+5511988880009',
          skipReason: 'OPTED_OUT',
          detail: null,
          text: null,
        },
      },
    },
  },
});

async function renderReview(covers: boolean) {
  const stub = stubGraphqlFetch({ CampaignPreview: preview(covers), CampaignContactSearch: FOUND, CampaignPreviewFor: EVA });
  const view = await render(
    withApp({
      client: testClient(stub.fetch),
      url: '/orgs/org-1/campaigns/cmp-1/edit?step=5',
      path: '/orgs/:orgId/campaigns/:campaignId/edit',
      element: <CampaignReview organizationId="org-1" campaignId="cmp-1" onEdit={() => undefined} />,
    }),
  );
  return { view, stub };
}

describe('CampaignReview', () => {
  it('shows every skip reason in words, the exact messages, and that the budget covers it', async () => {
    const { view } = await renderReview(true);
    await waitFor(() => expect(view.byTestId('campaign-review')).not.toBeNull());
    expect(view.byTestId('review-audience')?.dataset.count).toBe('5');
    expect(view.byTestId('review-skipped')?.dataset.count).toBe('2');
    const skips = view.allByTestId('review-skip').map((r) => [r.dataset.reason, r.textContent]);
    expect(skips).toEqual([
      ['MISSING_VALUE', 'A placeholder has no value and no fallback1'],
      ['OPTED_OUT', 'Opted out of marketing1'],
    ]);
    expect(view.byTestId('review-sample-text')?.textContent).toBe('Hi Ana, your gold discount is waiting.');
    expect(view.byTestId('review-sample-skip')?.textContent).toBe('Skipped: A placeholder has no value and no fallback (body {{2}})');
    expect(view.byTestId('review-budget-ok')).not.toBeNull();
    expect(view.byTestId('review-budget-warning')).toBeNull();
    await view.unmount();
  });

  it('warns when the daily limit does not cover the audience', async () => {
    const { view } = await renderReview(false);
    await waitFor(() => expect(view.byTestId('review-budget-warning')).not.toBeNull());
    expect(view.byTestId('review-budget-warning')?.textContent).toMatch(/can reach 2 more customers today but this campaign needs 3/);
    expect(view.byTestId('review-budget-left')?.textContent).toBe('2');
    await view.unmount();
  });

  it('previews any contact found by name', async () => {
    const { view, stub } = await renderReview(true);
    await waitFor(() => expect(view.byTestId('review-contact-search')).not.toBeNull());
    await typeInto(view.byTestId('review-contact-search'), 'Eva');
    await click(view.byTestId('review-contact-find'));
    await waitFor(() => expect(view.byTestId('review-contact')).not.toBeNull());
    await click(view.byTestId('review-contact'));
    await waitFor(() => expect(view.byTestId('review-preview-for-result')?.dataset.skipReason).toBe('OPTED_OUT'));
    expect(stub.calls.find((c) => c.operationName === 'CampaignPreviewFor')?.variables).toEqual({
      id: 'org-1',
      campaignId: 'cmp-1',
      contactId: 'k-9',
    });
    await view.unmount();
  });
});
