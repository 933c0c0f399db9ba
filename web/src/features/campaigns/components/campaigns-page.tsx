import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { useClient, useQuery } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { PlusIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { CampaignsDocument } from '@/features/campaigns/api/campaigns';
import { CampaignStatusBadge } from '@/features/campaigns/components/campaign-bits';
import { useRefetchOnFocus } from '@/features/campaigns/hooks/use-refetch-on-focus';
import { formatRate } from '@/features/campaigns/utils/labels';
import type { CampaignsQuery } from '@/gql/graphql';
import type { GraphqlErrorLike } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

type CampaignItem = CampaignsQuery['organization']['campaigns']['nodes'][number];

const PAGE_SIZE = 25;

function CampaignRow({ campaign, base, admin }: { campaign: CampaignItem; base: string; admin: boolean }) {
  const s = campaign.stats;
  const launched = campaign.status !== 'DRAFT';
  const href =
    campaign.status === 'DRAFT' && admin
      ? `${base}/${encodeURIComponent(campaign.id)}/edit`
      : `${base}/${encodeURIComponent(campaign.id)}`;
  return (
    <tr data-testid="campaign-row" data-campaign-id={campaign.id} data-name={campaign.name} data-status={campaign.status}>
      <td>
        <Link className="contact-link" to={href} data-testid="campaign-name">
          {campaign.name}
        </Link>
      </td>
      <td>
        <CampaignStatusBadge status={campaign.status} reason={campaign.statusReason} testId="campaign-row-status" />
      </td>
      <td className="numeric" data-testid="campaign-row-audience" data-count={s.audience}>
        {launched ? s.audience.toLocaleString() : '—'}
      </td>
      <td className="numeric" data-testid="campaign-row-sent" data-count={s.sent}>
        {launched ? s.sent.toLocaleString() : '—'}
      </td>
      <td className="numeric" data-testid="campaign-row-delivery-rate">
        {s.sent > 0 ? formatRate(s.deliveryRate) : '—'}
      </td>
      <td className="numeric" data-testid="campaign-row-read-rate">
        {s.sent > 0 ? formatRate(s.readRate) : '—'}
      </td>
      <td className="numeric" data-testid="campaign-row-reply-rate">
        {s.sent > 0 ? formatRate(s.replyRate) : '—'}
      </td>
      <td className="nowrap">{formatDateTime(campaign.createdAt)}</td>
    </tr>
  );
}

/** `/orgs/:orgId/campaigns`: everyone sees the list; Admins and Owners make campaigns. */
export function CampaignsPage() {
  const { organization } = useCurrentOrganization();
  const client = useClient();
  const admin = isAdminOrOwner(organization.viewerRole);
  const base = `/orgs/${encodeURIComponent(organization.id)}/campaigns`;
  const [result, reexecute] = useQuery({
    query: CampaignsDocument,
    variables: { id: organization.id, first: PAGE_SIZE },
    requestPolicy: 'cache-and-network',
  });
  // Pages after the first, by cursor; cleared when the first page is read again.
  const [more, setMore] = useState<{ items: CampaignItem[]; cursor: string | null; hasNext: boolean } | null>(null);
  const reload = useCallback(() => {
    setMore(null);
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);
  useRefetchOnFocus(reload);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<GraphqlErrorLike | null>(null);

  const first = result.data?.organization.campaigns;
  const campaigns = first ? [...first.nodes, ...(more?.items ?? [])] : null;
  const hasNext = more ? more.hasNext : (first?.pageInfo.hasNextPage ?? false);
  const cursor = more ? more.cursor : (first?.pageInfo.endCursor ?? null);

  async function loadMore() {
    setLoadingMore(true);
    setMoreError(null);
    const next = await client
      .query(CampaignsDocument, { id: organization.id, first: PAGE_SIZE, after: cursor }, { requestPolicy: 'network-only' })
      .toPromise();
    setLoadingMore(false);
    const page = next.data?.organization.campaigns;
    if (!page) {
      setMoreError(next.error ?? null);
      return;
    }
    setMore((m) => ({
      items: [...(m?.items ?? []), ...page.nodes],
      cursor: page.pageInfo.endCursor ?? null,
      hasNext: page.pageInfo.hasNextPage,
    }));
  }

  const newButton = admin ? (
    <ButtonLink to={`${base}/new`} variant="primary" icon={<PlusIcon width={16} height={16} />} data-testid="campaigns-new">
      New campaign
    </ButtonLink>
  ) : null;

  let body;
  if (!campaigns && result.error) body = <ErrorPanel error={result.error} onRetry={reload} />;
  else if (!campaigns) body = <LoadingState />;
  else if (campaigns.length === 0) {
    body = (
      <EmptyState title="No campaigns yet" testId="campaigns-empty" action={newButton}>
        <p>A campaign sends an approved template to your contacts, each with their own values.</p>
        {admin ? null : <p>An Admin or Owner of this organization can start one.</p>}
      </EmptyState>
    );
  } else {
    body = (
      <>
        <div className="table-wrap">
          <table className="table table-compact" data-testid="campaigns-table">
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Status</th>
                <th scope="col" className="numeric">
                  Audience
                </th>
                <th scope="col" className="numeric">
                  Sent
                </th>
                <th scope="col" className="numeric">
                  Delivered
                </th>
                <th scope="col" className="numeric">
                  Read
                </th>
                <th scope="col" className="numeric">
                  Replied
                </th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((campaign) => (
                <CampaignRow key={campaign.id} campaign={campaign} base={base} admin={admin} />
              ))}
            </tbody>
          </table>
        </div>
        {hasNext ? (
          <div className="card-footer">
            <Button onClick={() => void loadMore()} busy={loadingMore} data-testid="campaigns-load-more">
              Load more
            </Button>
          </div>
        ) : null}
        <FormError error={moreError} testId="campaigns-load-more-error" />
      </>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="Campaigns"
        description={
          admin
            ? 'Approved templates sent to your contacts, with their funnel as it fills.'
            : 'Approved templates sent to your contacts, with their funnel as it fills. Only Admins and Owners start them.'
        }
        actions={newButton}
      />
      <Card testId="campaigns-card">
        <div aria-busy={result.fetching}>{body}</div>
      </Card>
    </div>
  );
}
