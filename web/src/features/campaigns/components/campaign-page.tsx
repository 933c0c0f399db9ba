import { lazy, Suspense, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMutation } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { Card, PageHeader } from '@/components/ui/layout';
import {
  CancelCampaignDocument,
  DuplicateCampaignDocument,
  PauseCampaignDocument,
  ResumeCampaignDocument,
  RetryFailedRecipientsDocument,
} from '@/features/campaigns/api/campaigns';
import { CampaignStatusBadge } from '@/features/campaigns/components/campaign-bits';
import { RecipientsTable } from '@/features/campaigns/components/recipients-table';
import { useCampaignLive } from '@/features/campaigns/hooks/use-campaign-live';
import { breakdownKeyLabel, formatRate, skipReasonLabel } from '@/features/campaigns/utils/labels';
import { actionsFor, funnelSteps, sideCounts } from '@/features/campaigns/utils/stats';
import type { CampaignPartsFragment, CampaignStatsPartsFragment } from '@/gql/graphql';
import type { GraphqlErrorLike } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

// Chart.js loads with the first campaign page opened, not with the rest of the app.
const FunnelChart = lazy(() =>
  import('@/features/campaigns/components/campaign-charts').then((m) => ({ default: m.FunnelChart })),
);
const TimelineChart = lazy(() =>
  import('@/features/campaigns/components/campaign-charts').then((m) => ({ default: m.TimelineChart })),
);

function Funnel({ stats }: { stats: CampaignStatsPartsFragment }) {
  return (
    <Card title="Funnel" description="Live as Meta reports each message." testId="campaign-funnel">
      <div className="campaign-funnel">
        <Suspense fallback={<LoadingState label="Loading the chart…" />}>
          <FunnelChart stats={stats} />
        </Suspense>
        <div>
          <h3 className="visually-hidden">Funnel counts</h3>
          <dl className="funnel-counts">
            {funnelSteps(stats).map((s) => (
              <div key={s.key} data-testid="funnel-step" data-step={s.key} data-count={s.count}>
                <dt>{s.label}</dt>
                <dd>{s.count.toLocaleString()}</dd>
              </div>
            ))}
          </dl>
          <p className="muted small" data-testid="campaign-rates">
            Delivered {formatRate(stats.deliveryRate)} of sent · read {formatRate(stats.readRate)} · replied{' '}
            {formatRate(stats.replyRate)} of delivered
          </p>
          <h3 className="visually-hidden">Other outcomes</h3>
          <dl className="funnel-counts funnel-counts-side">
            {sideCounts(stats).map((s) => (
              <div key={s.key} data-testid="campaign-count" data-key={s.key} data-count={s.count}>
                <dt>{s.label}</dt>
                <dd>{s.count.toLocaleString()}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
    </Card>
  );
}

function Breakdown({
  title,
  rows,
  testId,
  keyLabel,
  keyHeader,
  withText,
  empty,
}: {
  title: string;
  rows: readonly { key: string; label?: string | null; count: number }[];
  testId: string;
  keyLabel: (key: string) => string;
  keyHeader: string;
  withText?: boolean;
  empty: string;
}) {
  return (
    <Card title={title} testId={testId}>
      {rows.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">{keyHeader}</th>
              {withText ? <th scope="col">Meta&apos;s words</th> : null}
              <th scope="col" className="numeric">
                Recipients
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid={`${testId}-row`} data-key={r.key} data-count={r.count}>
                <td>{keyLabel(r.key)}</td>
                {withText ? <td>{r.label ?? '—'}</td> : null}
                <td className="numeric">{r.count.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

type Action = 'pause' | 'resume' | 'cancel' | 'retry' | 'duplicate';

function Actions({
  campaign,
  organizationId,
  onChanged,
}: {
  campaign: CampaignPartsFragment;
  organizationId: string;
  onChanged: (campaign: CampaignPartsFragment) => void;
}) {
  const navigate = useNavigate();
  const [paused, pause] = useMutation(PauseCampaignDocument);
  const [resumed, resume] = useMutation(ResumeCampaignDocument);
  const [cancelled, cancel] = useMutation(CancelCampaignDocument);
  const [retried, retry] = useMutation(RetryFailedRecipientsDocument);
  const [duplicated, duplicate] = useMutation(DuplicateCampaignDocument);
  const [confirming, setConfirming] = useState<'cancel' | 'retry' | null>(null);
  const [last, setLast] = useState<Action | null>(null);
  const can = actionsFor(campaign.status, campaign.stats.failed);
  const vars = { organizationId, campaignId: campaign.id };

  async function run(action: Action) {
    setLast(action);
    if (action === 'duplicate') {
      const r = await duplicate(vars);
      if (r.data) {
        void navigate(`/orgs/${encodeURIComponent(organizationId)}/campaigns/${encodeURIComponent(r.data.duplicateCampaign.id)}/edit`);
      }
      return;
    }
    const r =
      action === 'pause'
        ? await pause(vars).then((x) => x.data?.pauseCampaign)
        : action === 'resume'
          ? await resume(vars).then((x) => x.data?.resumeCampaign)
          : action === 'cancel'
            ? await cancel(vars).then((x) => x.data?.cancelCampaign)
            : await retry(vars).then((x) => x.data?.retryFailedRecipients);
    if (r) {
      setConfirming(null);
      onChanged(r);
    }
  }

  const errors: Record<Action, GraphqlErrorLike | undefined> = {
    pause: paused.error,
    resume: resumed.error,
    cancel: cancelled.error,
    retry: retried.error,
    duplicate: duplicated.error,
  };
  const shownError = last && last !== 'cancel' && last !== 'retry' ? errors[last] : undefined;

  return (
    <div className="campaign-actions">
      <div className="page-actions">
        {can.pause ? (
          <Button onClick={() => void run('pause')} busy={paused.fetching} data-testid="campaign-pause">
            Pause
          </Button>
        ) : null}
        {can.resume ? (
          <Button variant="primary" onClick={() => void run('resume')} busy={resumed.fetching} data-testid="campaign-resume">
            Resume
          </Button>
        ) : null}
        {can.retryFailed ? (
          <Button onClick={() => setConfirming('retry')} data-testid="campaign-retry-failed">
            Retry failed
          </Button>
        ) : null}
        <Button onClick={() => void run('duplicate')} busy={duplicated.fetching} data-testid="campaign-duplicate">
          Duplicate
        </Button>
        {can.cancel ? (
          <Button variant="danger" onClick={() => setConfirming('cancel')} data-testid="campaign-cancel">
            Cancel campaign
          </Button>
        ) : null}
      </div>
      <FormError error={shownError} testId="campaign-action-error" />
      <ConfirmDialog
        open={confirming === 'cancel'}
        title={`Cancel “${campaign.name}”?`}
        confirmLabel="Cancel campaign"
        cancelLabel="Keep it"
        busy={cancelled.fetching}
        error={cancelled.error}
        onConfirm={() => void run('cancel')}
        onCancel={() => setConfirming(null)}
      >
        <p>Recipients not sent yet will not be. This cannot be undone; messages already sent stay sent.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === 'retry'}
        title="Send again to the failed recipients?"
        confirmLabel="Retry failed"
        tone="primary"
        busy={retried.fetching}
        error={retried.error}
        onConfirm={() => void run('retry')}
        onCancel={() => setConfirming(null)}
      >
        <p>
          Only recipients that failed for a reason that passes (limits, outages, a paused template) are sent again;
          recipients whose outcome is unknown never are.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function Details({ campaign }: { campaign: CampaignPartsFragment }) {
  return (
    <Card title="About" testId="campaign-details">
      <dl className="details">
        <dt>Created</dt>
        <dd>{formatDateTime(campaign.createdAt)}</dd>
        {campaign.startsAt ? (
          <>
            <dt>{campaign.schedule.kind === 'RECURRING' ? 'Next run' : 'Starts'}</dt>
            <dd data-testid="campaign-starts-at">{formatDateTime(campaign.startsAt)}</dd>
          </>
        ) : null}
        <dt>Launched</dt>
        <dd>{formatDateTime(campaign.launchedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatDateTime(campaign.finishedAt)}</dd>
        <dt>Audience</dt>
        <dd>
          {[
            campaign.audience.tags.length > 0 ? `tags ${campaign.audience.tags.join(', ')}` : null,
            campaign.audience.segmentIds.length > 0
              ? `${campaign.audience.segmentIds.length} segment${campaign.audience.segmentIds.length === 1 ? '' : 's'}`
              : null,
            campaign.audience.importIds.length > 0
              ? `${campaign.audience.importIds.length} imported file${campaign.audience.importIds.length === 1 ? '' : 's'}`
              : null,
          ]
            .filter(Boolean)
            .join('; ') || '—'}
        </dd>
      </dl>
    </Card>
  );
}

/** `/orgs/:orgId/campaigns/:campaignId`: everyone; live from `campaignEvents`. */
export function CampaignPage() {
  const { organization } = useCurrentOrganization();
  const { campaignId = '' } = useParams();
  const admin = isAdminOrOwner(organization.viewerRole);
  const base = `/orgs/${encodeURIComponent(organization.id)}/campaigns`;
  const live = useCampaignLive(organization.id, campaignId);
  const campaign = live.campaign;

  if (!campaign && live.error) {
    return (
      <div className="page">
        <ErrorPanel error={live.error} onRetry={live.reload} />
      </div>
    );
  }
  if (!campaign) return <LoadingState />;

  const draft = campaign.status === 'DRAFT';
  return (
    <div className="page" data-testid="campaign-page" data-campaign-id={campaign.id} data-status={campaign.status}>
      <PageHeader
        title={campaign.name}
        description={<CampaignStatusBadge status={campaign.status} reason={campaign.statusReason} />}
        actions={
          <ButtonLink to={base} variant="ghost" data-testid="campaign-back">
            All campaigns
          </ButtonLink>
        }
      />
      {admin ? <Actions campaign={campaign} organizationId={organization.id} onChanged={live.replace} /> : null}
      {campaign.status === 'PAUSED' && campaign.statusReason ? (
        <Notice tone="warning" title="Paused" testId="campaign-paused-reason">
          {campaign.statusReason}
        </Notice>
      ) : null}
      {draft ? (
        <Notice tone="info" testId="campaign-draft">
          This is a draft: nothing is sent until it is launched.{' '}
          {admin ? <ButtonLink to={`${base}/${encodeURIComponent(campaign.id)}/edit`} size="sm" data-testid="campaign-edit">Edit the draft</ButtonLink> : null}
        </Notice>
      ) : null}
      <div className="campaign-grid">
        <Funnel stats={campaign.stats} />
        <Card title="Timeline" description="Messages per minute." testId="campaign-timeline">
          {live.timeline ? (
            <Suspense fallback={<LoadingState label="Loading the chart…" />}>
              <TimelineChart points={live.timeline} />
            </Suspense>
          ) : live.timelineError ? <FormError error={live.timelineError} testId="campaign-timeline-error" /> : <LoadingState />}
        </Card>
      </div>
      <div className="campaign-breakdowns">
        <Breakdown
          title="Skipped"
          rows={campaign.stats.skippedByReason}
          testId="campaign-skipped"
          keyHeader="Reason"
          keyLabel={skipReasonLabel}
          empty="Nobody was skipped."
        />
        <Breakdown
          title="Failed"
          rows={campaign.stats.failedByCode}
          testId="campaign-failed"
          keyHeader="Meta's code"
          keyLabel={breakdownKeyLabel}
          withText
          empty="Nothing failed."
        />
        <Breakdown
          title="Billable"
          rows={campaign.stats.billableByCategory}
          testId="campaign-billable"
          keyHeader="Pricing category"
          keyLabel={breakdownKeyLabel}
          empty="Meta has not reported any charge yet."
        />
        <Details campaign={campaign} />
      </div>
      {draft ? null : (
        <RecipientsTable
          organizationId={organization.id}
          campaignId={campaign.id}
          campaignName={campaign.name}
          csvUrl={campaign.recipientsCsvUrl}
        />
      )}
    </div>
  );
}
