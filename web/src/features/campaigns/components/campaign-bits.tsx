import { STATUS_LABELS, STATUS_TONES } from '@/features/campaigns/utils/labels';
import type { CampaignStatus } from '@/gql/graphql';

/**
 * A campaign's status, with Meta's or the person's reason when it is paused or failed, so a
 * campaign stopped by Meta's answer is seen at a glance.
 */
export function CampaignStatusBadge({
  status,
  reason,
  testId = 'campaign-status',
}: {
  status: CampaignStatus;
  reason?: string | null;
  testId?: string;
}) {
  const showReason = (status === 'PAUSED' || status === 'FAILED') && reason;
  return (
    <span className="campaign-status" data-testid={testId} data-status={status}>
      <span className={`badge badge-${STATUS_TONES[status]}`}>{STATUS_LABELS[status]}</span>
      {showReason ? (
        <span className="campaign-status-reason" data-testid={`${testId}-reason`}>
          {reason}
        </span>
      ) : null}
    </span>
  );
}
