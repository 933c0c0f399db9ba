import type { ConversationFilterInput, ConversationStatus } from '@/gql/graphql';

/** The "who" part of the inbox filters; one at a time. */
export type InboxView = 'all' | 'mine' | 'unassigned' | 'unread';
/** A status tab; `all` shows every status. */
export type StatusTab = ConversationStatus | 'ALL';

export interface InboxFilters {
  view: InboxView;
  status: StatusTab;
  /** Our id of a phone number, or null for all numbers. */
  phoneNumberId: string | null;
  search: string;
}

export const DEFAULT_FILTERS: InboxFilters = { view: 'all', status: 'OPEN', phoneNumberId: null, search: '' };

/** The server-side filter for the list. */
export function toFilterInput(filters: InboxFilters, viewerId: string | null): ConversationFilterInput {
  const input: ConversationFilterInput = {};
  if (filters.status !== 'ALL') input.status = filters.status;
  if (filters.view === 'mine' && viewerId) input.assigneeId = viewerId;
  if (filters.view === 'unassigned') input.unassigned = true;
  if (filters.view === 'unread') input.unreadOnly = true;
  if (filters.phoneNumberId) input.phoneNumberId = filters.phoneNumberId;
  const search = filters.search.trim();
  if (search) input.search = search;
  return input;
}

/** A customer: known by phone, by business-scoped user id (a WhatsApp username), or both. */
export interface ContactLike {
  waId: string;
  phone?: string | null;
  userId?: string | null;
  username?: string | null;
  profileName?: string | null;
}

export interface ConversationLike {
  id: string;
  status: ConversationStatus;
  unreadCount: number;
  lastMessageAt?: string | null;
  lastMessagePreview?: string | null;
  labels: readonly string[];
  contact: ContactLike;
  phoneNumber: { id: string };
  assignee?: { id: string } | null;
}

/**
 * Whether a conversation that changed live belongs in the list as filtered. Search is the
 * server's (it also reads message text), so here only name, number and preview are checked.
 */
export function matchesFilters(conversation: ConversationLike, filters: InboxFilters, viewerId: string | null): boolean {
  if (filters.status !== 'ALL' && conversation.status !== filters.status) return false;
  if (filters.view === 'mine' && conversation.assignee?.id !== viewerId) return false;
  if (filters.view === 'unassigned' && conversation.assignee) return false;
  if (filters.view === 'unread' && conversation.unreadCount === 0) return false;
  if (filters.phoneNumberId && conversation.phoneNumber.id !== filters.phoneNumberId) return false;
  const search = filters.search.trim().toLowerCase();
  if (search) {
    const { contact } = conversation;
    const haystack = [contact.profileName, contact.waId, contact.username, conversation.lastMessagePreview]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    if (!haystack.includes(search)) return false;
  }
  return true;
}

function time(iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? 0 : t;
}

/** Most recent activity first, as the server orders them. */
export function sortConversations<T extends ConversationLike>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => time(b.lastMessageAt) - time(a.lastMessageAt) || b.id.localeCompare(a.id));
}

/** Puts a changed conversation in its place: replaced if listed, added if it now matches, dropped if not. */
export function upsertConversation<T extends ConversationLike>(
  list: readonly T[],
  conversation: T,
  keep: (conversation: T) => boolean,
): T[] {
  const rest = list.filter((c) => c.id !== conversation.id);
  return keep(conversation) ? sortConversations([...rest, conversation]) : rest;
}

/** "+1 555 000 1111" style for a wa_id (digits only): just the digits with a plus. */
export function formatWaId(waId: string): string {
  const digits = waId.replace(/\D/g, '');
  return digits ? `+${digits}` : waId;
}

/**
 * How to reach the customer, as shown under their name: the phone number, else their
 * WhatsApp username (a customer who uses one may have no number), else their user id.
 */
export function contactHandle(contact: ContactLike): string {
  if (contact.phone) return formatWaId(contact.phone);
  if (contact.username) return contact.username;
  if (contact.userId) return contact.userId;
  // Before user ids, `waId` was always the phone number.
  return contact.phone === undefined ? formatWaId(contact.waId) : contact.waId;
}

/** The customer as the list and the thread name them: profile name, else number or username. */
export function contactName(contact: ContactLike): string {
  return contact.profileName?.trim() || contactHandle(contact);
}

/** A list timestamp: the time today, the weekday this week, the date before. */
export function listTime(iso: string | null | undefined, now: Date = new Date(), locale?: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (date.getTime() >= startOfToday) {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  }
  if (date.getTime() >= startOfToday - 6 * 86_400_000) {
    return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(date);
  }
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(date);
}

/** The clock time of a message in its bubble. */
export function bubbleTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** Labels as the editor keeps them: trimmed, no empties, no duplicates (case-insensitive), in order. */
export function normalizeLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of labels) {
    const label = raw.trim();
    if (!label || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    result.push(label);
  }
  return result;
}
