import { isStatusAdvance } from '@/features/inbox/utils/ticks';
import type { MessageStatus } from '@/gql/graphql';

interface Ordered {
  id: string;
  sentAt: string;
  status: MessageStatus;
  statusAt?: string | null;
}

/** A failed message sent again: back to PENDING, later than its failure. */
function isRetry(current: Ordered, next: Ordered): boolean {
  return current.status === 'FAILED' && next.status === 'PENDING' && time(next.statusAt ?? '') > time(current.statusAt ?? '');
}

function time(iso: string): number {
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Adds or updates messages of a thread, oldest first. A message seen again (the send's answer,
 * then the live event) is kept once, and its status never moves back.
 */
export function mergeMessages<T extends Ordered>(list: readonly T[], incoming: readonly T[]): T[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const message of incoming) {
    const current = byId.get(message.id);
    if (!current || isStatusAdvance(current.status, message.status) || isRetry(current, message)) byId.set(message.id, message);
  }
  return [...byId.values()].sort((a, b) => time(a.sentAt) - time(b.sentAt) || a.id.localeCompare(b.id));
}

/**
 * A bot's message can arrive live before its AI turn is readable; a later copy that carries
 * the turn fills it in even when its status is not newer.
 */
export function fillAiTurns<T extends { id: string; aiTurn?: unknown }>(list: readonly T[], incoming: readonly T[]): T[] {
  const turns = new Map(incoming.filter((m) => m.aiTurn != null).map((m) => [m.id, m.aiTurn]));
  if (turns.size === 0) return [...list];
  return list.map((m) => (m.aiTurn == null && turns.has(m.id) ? { ...m, aiTurn: turns.get(m.id) } : m));
}
