import type { CampaignStatus } from '@/gql/graphql';

export interface FunnelCounts {
  audience: number;
  skipped: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  held: number;
  unknown: number;
  optedOut: number;
  queued: number;
  cancelled: number;
}

export interface FunnelStep {
  key: 'audience' | 'sent' | 'delivered' | 'read' | 'replied';
  label: string;
  count: number;
}

/** The funnel's steps, widest first: audience → sent → delivered → read → replied. */
export function funnelSteps(stats: FunnelCounts): FunnelStep[] {
  return [
    { key: 'audience', label: 'Audience', count: stats.audience },
    { key: 'sent', label: 'Sent', count: stats.sent },
    { key: 'delivered', label: 'Delivered', count: stats.delivered },
    { key: 'read', label: 'Read', count: stats.read },
    { key: 'replied', label: 'Replied', count: stats.replied },
  ];
}

/** The counts beside the funnel: what did not go the usual way. */
export function sideCounts(stats: FunnelCounts): { key: keyof FunnelCounts; label: string; count: number }[] {
  return [
    { key: 'queued', label: 'Waiting', count: stats.queued },
    { key: 'skipped', label: 'Skipped', count: stats.skipped },
    { key: 'failed', label: 'Failed', count: stats.failed },
    { key: 'held', label: 'Held by Meta', count: stats.held },
    { key: 'unknown', label: 'Unknown', count: stats.unknown },
    { key: 'cancelled', label: 'Cancelled', count: stats.cancelled },
    { key: 'optedOut', label: 'Opted out after it', count: stats.optedOut },
  ];
}

/** One sentence that says what the funnel chart shows, for people who cannot see it. */
export function funnelSummary(stats: FunnelCounts): string {
  const steps = funnelSteps(stats)
    .map((s) => `${s.count.toLocaleString()} ${s.label.toLowerCase()}`)
    .join(', ');
  return `Campaign funnel: ${steps}; ${stats.failed.toLocaleString()} failed, ${stats.skipped.toLocaleString()} skipped.`;
}

export interface TimelinePoint {
  minute: string;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
}

/** Totals over the timeline, for its text summary. */
export function timelineTotals(points: readonly TimelinePoint[]) {
  return points.reduce(
    (t, p) => ({
      sent: t.sent + p.sent,
      delivered: t.delivered + p.delivered,
      read: t.read + p.read,
      replied: t.replied + p.replied,
      failed: t.failed + p.failed,
    }),
    { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 },
  );
}

/** States in which the campaign can still change, so its page follows it live. */
export function isLive(status: CampaignStatus): boolean {
  return status === 'SCHEDULED' || status === 'RUNNING' || status === 'PAUSED' || status === 'COMPLETED';
}

/** What an Admin can do to a campaign in this state (the server checks again). */
export function actionsFor(status: CampaignStatus, failed = 0) {
  return {
    edit: status === 'DRAFT',
    pause: status === 'RUNNING' || status === 'SCHEDULED',
    resume: status === 'PAUSED',
    cancel: status === 'RUNNING' || status === 'SCHEDULED' || status === 'PAUSED',
    duplicate: true,
    retryFailed: failed > 0 && (status === 'RUNNING' || status === 'PAUSED' || status === 'COMPLETED' || status === 'FAILED'),
    delete: status === 'DRAFT',
  };
}
