import type { MessageStatus } from '@/gql/graphql';

/** How far an outbound message got, as WhatsApp shows it: 🕓, ✓, ✓✓, blue ✓✓ or a red "!". */
export type TickKind = 'none' | 'clock' | 'single' | 'double' | 'read' | 'failed';

export interface DeliveryTick {
  kind: TickKind;
  /** For screen readers and the tooltip. */
  label: string;
}

/** The server's message statuses, lowest first; a status never moves back. */
const RANK: Record<MessageStatus, number> = {
  RECEIVED: 0,
  PENDING: 1,
  ACCEPTED: 2,
  SENT: 3,
  DELIVERED: 4,
  READ: 5,
  PLAYED: 6,
  FAILED: 7,
};

/** A status newer than this build (a server ahead of the SPA) ranks lowest. */
export function statusRank(status: MessageStatus): number {
  return RANK[status] ?? 0;
}

/** True when `next` may replace `current`: ticks only move forward (a late DELIVERED after READ is dropped). */
export function isStatusAdvance(current: MessageStatus, next: MessageStatus): boolean {
  return statusRank(next) >= statusRank(current);
}

export function deliveryTick(status: MessageStatus): DeliveryTick {
  switch (status) {
    case 'PENDING':
      return { kind: 'clock', label: 'Sending' };
    case 'ACCEPTED':
      return { kind: 'single', label: 'Accepted by WhatsApp' };
    case 'SENT':
      return { kind: 'single', label: 'Sent' };
    case 'DELIVERED':
      return { kind: 'double', label: 'Delivered' };
    case 'READ':
      return { kind: 'read', label: 'Read' };
    case 'PLAYED':
      return { kind: 'read', label: 'Played' };
    case 'FAILED':
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
