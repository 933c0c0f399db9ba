/** How far an outbound message got, as WhatsApp shows it: 🕓, ✓, ✓✓, blue ✓✓ or a red "!". */
export type TickKind = 'none' | 'clock' | 'single' | 'double' | 'read' | 'failed';

export interface DeliveryTick {
  kind: TickKind;
  /** For screen readers and the tooltip. */
  label: string;
}

/** The server's message statuses, lowest first; a status never moves back. */
const RANK: Record<string, number> = {
  received: 0,
  pending: 1,
  accepted: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  played: 6,
  failed: 7,
};

export function statusRank(status: string): number {
  return RANK[status] ?? 0;
}

/** True when `next` may replace `current`: ticks only move forward (a late "delivered" after "read" is dropped). */
export function isStatusAdvance(current: string, next: string): boolean {
  return statusRank(next) >= statusRank(current);
}

export function deliveryTick(status: string): DeliveryTick {
  switch (status) {
    case 'pending':
      return { kind: 'clock', label: 'Sending' };
    case 'accepted':
      return { kind: 'single', label: 'Accepted by WhatsApp' };
    case 'sent':
      return { kind: 'single', label: 'Sent' };
    case 'delivered':
      return { kind: 'double', label: 'Delivered' };
    case 'read':
      return { kind: 'read', label: 'Read' };
    case 'played':
      return { kind: 'read', label: 'Played' };
    case 'failed':
      return { kind: 'failed', label: 'Not delivered' };
    default:
      return { kind: 'none', label: '' };
  }
}

/** Why a message failed, in Meta's code and words: "Error 131047: Re-engagement message". */
export function failureText(error: { code?: number | null; text?: string | null } | null | undefined): string {
  const text = error?.text?.trim();
  const code = error?.code;
  if (code != null && text) return `Error ${code}: ${text}`;
  if (code != null) return `Error ${code}`;
  return text || 'WhatsApp did not deliver this message.';
}
