import { useState } from 'react';
import { useClient, useQuery } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError, LoadingState } from '@/components/ui/feedback';
import { DownloadIcon, RefreshIcon } from '@/components/ui/icons';
import { Card } from '@/components/ui/layout';
import { CampaignRecipientsDocument } from '@/features/campaigns/api/campaigns';
import {
  RECIPIENT_STATUS_LABELS,
  RECIPIENT_STATUSES,
  SKIP_REASON_LABELS,
  SKIP_REASONS,
} from '@/features/campaigns/utils/labels';
import type {
  CampaignRecipientFilter,
  CampaignRecipientsQuery,
  CampaignRecipientStatus,
  SkipReason,
} from '@/gql/graphql';
import { useAuth } from '@/lib/auth-context';
import { fetchFile, saveFile } from '@/lib/downloads';
import type { GraphqlErrorLike } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';

type Recipient = CampaignRecipientsQuery['organization']['campaign']['recipients']['nodes'][number];

const PAGE_SIZE = 50;

/** Downloads every recipient as CSV with the Bearer token. */
function ExportButton({ url, name }: { url: string; name: string }) {
  const { getAccessToken } = useAuth();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const { blob, fileName } = await fetchFile({ url, token: getAccessToken(), fallbackName: `${name}-recipients.csv` });
      saveFile(blob, fileName);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'The download failed.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        size="sm"
        onClick={() => void download()}
        busy={busy}
        icon={<DownloadIcon width={14} height={14} />}
        data-testid="recipients-export"
      >
        Export CSV
      </Button>
      <FormError message={problem} testId="recipients-export-error" />
    </>
  );
}

interface Filters {
  status: CampaignRecipientStatus | '';
  skipReason: SkipReason | '';
  errorCode: string;
  replied: '' | 'yes' | 'no';
}

const NO_FILTERS: Filters = { status: '', skipReason: '', errorCode: '', replied: '' };

function toFilter(f: Filters): CampaignRecipientFilter {
  const code = Number.parseInt(f.errorCode, 10);
  return {
    status: f.status || null,
    skipReason: f.skipReason || null,
    errorCode: Number.isFinite(code) ? code : null,
    replied: f.replied === '' ? null : f.replied === 'yes',
  };
}

function lastEvent(r: Recipient): string {
  if (r.repliedAt) return `Replied ${formatDateTime(r.repliedAt)}`;
  if (r.failedAt) return `Failed ${formatDateTime(r.failedAt)}`;
  if (r.readAt) return `Read ${formatDateTime(r.readAt)}`;
  if (r.deliveredAt) return `Delivered ${formatDateTime(r.deliveredAt)}`;
  if (r.sentAt) return `Sent ${formatDateTime(r.sentAt)}`;
  return '—';
}

/** Who the campaign went to, filtered, a page at a time, and the CSV of everyone. */
export function RecipientsTable({
  organizationId,
  campaignId,
  campaignName,
  csvUrl,
}: {
  organizationId: string;
  campaignId: string;
  campaignName: string;
  csvUrl: string;
}) {
  const client = useClient();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const filter = toFilter(filters);
  const [result, reexecute] = useQuery({
    query: CampaignRecipientsDocument,
    variables: { id: organizationId, campaignId, first: PAGE_SIZE, filter },
    requestPolicy: 'network-only',
  });
  const [more, setMore] = useState<{ key: string; items: Recipient[]; cursor: string | null; hasNext: boolean } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<GraphqlErrorLike | null>(null);
  const key = JSON.stringify(filter);
  const extra = more?.key === key ? more : null;

  const page = result.data?.organization.campaign.recipients;
  const rows = page ? [...page.nodes, ...(extra?.items ?? [])] : null;
  const hasNext = extra ? extra.hasNext : (page?.pageInfo.hasNextPage ?? false);
  const cursor = extra ? extra.cursor : (page?.pageInfo.endCursor ?? null);

  const set = (patch: Partial<Filters>) => {
    setMore(null);
    setFilters((f) => ({ ...f, ...patch }));
  };

  async function loadMore() {
    setLoadingMore(true);
    setMoreError(null);
    const next = await client
      .query(
        CampaignRecipientsDocument,
        { id: organizationId, campaignId, first: PAGE_SIZE, after: cursor, filter },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setLoadingMore(false);
    const got = next.data?.organization.campaign.recipients;
    if (!got) {
      setMoreError(next.error ?? null);
      return;
    }
    setMore({
      key,
      items: [...(extra?.items ?? []), ...got.nodes],
      cursor: got.pageInfo.endCursor ?? null,
      hasNext: got.pageInfo.hasNextPage,
    });
  }

  return (
    <Card
      title="Recipients"
      testId="campaign-recipients"
      actions={
        <>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setMore(null);
              reexecute({ requestPolicy: 'network-only' });
            }}
            icon={<RefreshIcon width={14} height={14} />}
            data-testid="recipients-refresh"
          >
            Refresh
          </Button>
          <ExportButton url={csvUrl} name={campaignName} />
        </>
      }
    >
      <div className="contact-filters" role="group" aria-label="Filter recipients">
        <div className="field field-compact">
          <label className="field-label" htmlFor="recipients-status">
            Status
          </label>
          <select
            id="recipients-status"
            className="select select-sm"
            value={filters.status}
            onChange={(e) => set({ status: e.target.value as Filters['status'] })}
            data-testid="recipients-filter-status"
          >
            <option value="">Any</option>
            {RECIPIENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {RECIPIENT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-compact">
          <label className="field-label" htmlFor="recipients-skip-reason">
            Skip reason
          </label>
          <select
            id="recipients-skip-reason"
            className="select select-sm"
            value={filters.skipReason}
            onChange={(e) => set({ skipReason: e.target.value as Filters['skipReason'] })}
            data-testid="recipients-filter-skip-reason"
          >
            <option value="">Any</option>
            {SKIP_REASONS.map((r) => (
              <option key={r} value={r}>
                {SKIP_REASON_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-compact">
          <label className="field-label" htmlFor="recipients-error-code">
            Meta error code
          </label>
          <input
            id="recipients-error-code"
            className="input input-sm input-tiny"
            inputMode="numeric"
            value={filters.errorCode}
            onChange={(e) => set({ errorCode: e.target.value.replace(/\D/g, '') })}
            data-testid="recipients-filter-error-code"
          />
        </div>
        <div className="field field-compact">
          <label className="field-label" htmlFor="recipients-replied">
            Replied
          </label>
          <select
            id="recipients-replied"
            className="select select-sm"
            value={filters.replied}
            onChange={(e) => set({ replied: e.target.value as Filters['replied'] })}
            data-testid="recipients-filter-replied"
          >
            <option value="">Any</option>
            <option value="yes">Replied</option>
            <option value="no">Did not reply</option>
          </select>
        </div>
      </div>
      <div aria-busy={result.fetching}>
        {!rows && result.error ? <FormError error={result.error} testId="recipients-error" /> : null}
        {!rows && !result.error ? <LoadingState /> : null}
        {rows && rows.length === 0 ? (
          <p className="muted" data-testid="recipients-empty">
            {result.data && filters === NO_FILTERS ? 'No recipients yet: the audience is frozen at launch.' : 'No recipient matches.'}
          </p>
        ) : null}
        {rows && rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table table-compact" data-testid="recipients-table">
              <thead>
                <tr>
                  <th scope="col">Contact</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason or error</th>
                  <th scope="col">Latest</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={r.id}
                    data-testid="recipient-row"
                    data-recipient-id={r.id}
                    data-contact-id={r.contactId}
                    data-address={r.address ?? ''}
                    data-status={r.status}
                    data-skip-reason={r.skipReason ?? ''}
                    data-replied={r.repliedAt ? 'true' : 'false'}
                  >
                    <td>
                      <span className="strong">{r.name?.trim() || '—'}</span>{' '}
                      <span className="muted small">{r.address ?? ''}</span>
                    </td>
                    <td data-testid="recipient-status">{RECIPIENT_STATUS_LABELS[r.status]}</td>
                    <td data-testid="recipient-reason">
                      {r.skipReason ? SKIP_REASON_LABELS[r.skipReason] : null}
                      {r.errorCode != null ? `Error ${r.errorCode}${r.errorText ? `: ${r.errorText}` : ''}` : null}
                    </td>
                    <td className="nowrap">{lastEvent(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {hasNext ? (
          <div className="card-footer">
            <Button onClick={() => void loadMore()} busy={loadingMore} data-testid="recipients-load-more">
              Load more
            </Button>
          </div>
        ) : null}
        <FormError error={moreError} testId="recipients-load-more-error" />
      </div>
    </Card>
  );
}
