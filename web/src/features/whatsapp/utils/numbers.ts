/** How a number's quality rating is shown: GREEN, YELLOW, RED, else unknown. */
export function qualityTone(rating: string | null | undefined): 'success' | 'warning' | 'danger' | 'neutral' {
  switch (rating?.toUpperCase()) {
    case 'GREEN':
      return 'success';
    case 'YELLOW':
      return 'warning';
    case 'RED':
      return 'danger';
    default:
      return 'neutral';
  }
}

export function qualityLabel(rating: string | null | undefined): string {
  switch (rating?.toUpperCase()) {
    case 'GREEN':
      return 'High';
    case 'YELLOW':
      return 'Medium';
    case 'RED':
      return 'Low';
    default:
      return 'Unknown';
  }
}

/** "TIER_1K" → "1K customers / 24 h"; unknown values are shown as they came. */
export function messagingLimitLabel(limit: string | null | undefined): string {
  if (!limit) return '—';
  if (limit === 'TIER_UNLIMITED') return 'Unlimited';
  const match = /^TIER_(\d+K?)$/.exec(limit);
  return match ? `${match[1]} customers / 24 h` : limit;
}

export function statusTone(status: string | null | undefined): 'success' | 'warning' | 'danger' | 'neutral' {
  switch (status?.toUpperCase()) {
    case 'CONNECTED':
      return 'success';
    case 'PENDING':
    case 'MIGRATED':
    case 'RATE_LIMITED':
    case 'FLAGGED':
      return 'warning';
    case 'DISCONNECTED':
    case 'BANNED':
    case 'RESTRICTED':
    case 'DELETED':
    case 'UNVERIFIED':
      return 'danger';
    default:
      return 'neutral';
  }
}

/** Meta's ids are digit strings; catching a pasted name or token here saves a round trip. */
export function parseMetaId(input: string, what: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = input.trim();
  if (value === '') return { ok: false, message: `Enter the ${what}.` };
  if (!/^\d{5,25}$/.test(value)) return { ok: false, message: `The ${what} is a number of 5 to 25 digits.` };
  return { ok: true, value };
}
