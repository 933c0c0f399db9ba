import type {
  CampaignRecipientStatus,
  CampaignStatus,
  RepeatEvery,
  ScheduleKind,
  SkipReason,
  TemplatePart,
} from '@/gql/graphql';

export const STATUS_LABELS: Record<CampaignStatus, string> = {
  DRAFT: 'Draft',
  SCHEDULED: 'Scheduled',
  RUNNING: 'Sending',
  PAUSED: 'Paused',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
  FAILED: 'Failed',
};

export const STATUS_TONES: Record<CampaignStatus, 'success' | 'danger' | 'warning' | 'neutral' | 'info'> = {
  DRAFT: 'neutral',
  SCHEDULED: 'info',
  RUNNING: 'info',
  PAUSED: 'warning',
  COMPLETED: 'success',
  CANCELLED: 'neutral',
  FAILED: 'danger',
};

export const SKIP_REASONS: readonly SkipReason[] = [
  'MISSING_VALUE',
  'INVALID_VALUE',
  'OPTED_OUT',
  'DUPLICATE',
  'NO_ADDRESS',
  'US_MARKETING',
  'OVER_BUDGET',
];

export const SKIP_REASON_LABELS: Record<SkipReason, string> = {
  MISSING_VALUE: 'A placeholder has no value and no fallback',
  INVALID_VALUE: 'A value Meta would refuse',
  OPTED_OUT: 'Opted out of marketing',
  DUPLICATE: 'Same number as another contact',
  NO_ADDRESS: 'No WhatsApp number',
  US_MARKETING: 'US number (Meta sends no marketing templates there)',
  OVER_BUDGET: "Beyond what is left of the number's daily limit",
};

/** A skip reason as the stats breakdown names it (`opted_out`), if it is one we know. */
export function skipReasonOfKey(key: string): SkipReason | null {
  const upper = key.toUpperCase();
  return (SKIP_REASONS as readonly string[]).includes(upper) ? (upper as SkipReason) : null;
}

export function skipReasonLabel(key: string): string {
  const reason = skipReasonOfKey(key);
  return reason ? SKIP_REASON_LABELS[reason] : key;
}

export const RECIPIENT_STATUSES: readonly CampaignRecipientStatus[] = [
  'QUEUED',
  'SENDING',
  'SENT',
  'HELD',
  'DELIVERED',
  'READ',
  'FAILED',
  'UNKNOWN',
  'SKIPPED',
  'CANCELLED',
];

export const RECIPIENT_STATUS_LABELS: Record<CampaignRecipientStatus, string> = {
  SKIPPED: 'Skipped',
  QUEUED: 'Queued',
  SENDING: 'Sending',
  SENT: 'Sent',
  HELD: 'Held by Meta',
  DELIVERED: 'Delivered',
  READ: 'Read',
  FAILED: 'Failed',
  UNKNOWN: 'Unknown',
  CANCELLED: 'Cancelled',
};

export const SCHEDULE_KIND_LABELS: Record<ScheduleKind, string> = {
  NOW: 'As soon as it is launched',
  AT: "At a date and time (the organization's time zone)",
  LOCAL: "At a time in each recipient's own time zone",
  RECURRING: 'Again and again (daily or weekly)',
};

export const REPEAT_LABELS: Record<RepeatEvery, string> = { DAY: 'Every day', WEEK: 'Every week' };

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const PART_LABELS: Record<TemplatePart, string> = { HEADER: 'Header', BODY: 'Body', BUTTON: 'Button' };

/** `Body {{1}}`, `Header (image link)`, `Button 1 {{1}}`: how a placeholder is named to people. */
export function placeholderLabel(p: { part: TemplatePart; buttonIndex?: number | null; name: string; media?: string | null }) {
  if (p.media) return `${PART_LABELS[p.part]} (${p.media.toLowerCase()} link)`;
  const where = p.part === 'BUTTON' ? `Button ${(p.buttonIndex ?? 0) + 1}` : PART_LABELS[p.part];
  return `${where} {{${p.name}}}`;
}

/** A rate from 0 to 1 as a percentage with at most one decimal. */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}

/** A breakdown key for people: a pricing category capitalised, `none` as "No code". */
export function breakdownKeyLabel(key: string): string {
  if (key === 'none') return 'No code';
  return key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');
}
