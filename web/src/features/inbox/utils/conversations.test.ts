import { describe, expect, it } from 'vitest';

import {
  DEFAULT_FILTERS,
  contactHandle,
  contactName,
  listTime,
  matchesFilters,
  normalizeLabels,
  toFilterInput,
  upsertConversation,
  type ConversationLike,
} from '@/features/inbox/utils/conversations';
import { fillAiTurns, mergeMessages } from '@/features/inbox/utils/messages';
import type { MessageStatus } from '@/gql/graphql';

const conversation = (id: string, at: string, extra: Partial<ConversationLike> = {}): ConversationLike => ({
  id,
  status: 'OPEN',
  unreadCount: 0,
  lastMessageAt: at,
  lastMessagePreview: 'Hello',
  labels: [],
  contact: { waId: '15550001111', profileName: 'Sam' },
  phoneNumber: { id: 'pn-1' },
  assignee: null,
  ...extra,
});

describe('inbox filters', () => {
  it('turn into the server filter', () => {
    expect(toFilterInput(DEFAULT_FILTERS, 'me')).toEqual({ status: 'OPEN' });
    expect(toFilterInput({ view: 'mine', status: 'ALL', phoneNumberId: 'pn-2', search: ' ana ' }, 'me')).toEqual({
      assigneeId: 'me',
      phoneNumberId: 'pn-2',
      search: 'ana',
    });
    expect(toFilterInput({ ...DEFAULT_FILTERS, view: 'unassigned' }, 'me')).toMatchObject({ unassigned: true });
    expect(toFilterInput({ ...DEFAULT_FILTERS, view: 'unread' }, 'me')).toMatchObject({ unreadOnly: true });
  });

  it('judge a conversation that changed live', () => {
    const c = conversation('c1', '2026-03-10T10:00:00Z', { unreadCount: 2, assignee: { id: 'me' } });
    expect(matchesFilters(c, DEFAULT_FILTERS, 'me')).toBe(true);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, status: 'RESOLVED' }, 'me')).toBe(false);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, view: 'mine' }, 'me')).toBe(true);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, view: 'unassigned' }, 'me')).toBe(false);
    expect(matchesFilters({ ...c, unreadCount: 0 }, { ...DEFAULT_FILTERS, view: 'unread' }, 'me')).toBe(false);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, search: 'sam' }, 'me')).toBe(true);
    expect(matchesFilters(c, { ...DEFAULT_FILTERS, search: 'zed' }, 'me')).toBe(false);
  });
});

describe('upsertConversation', () => {
  it('moves a conversation with new activity to the top, adds new ones, drops ones that stop matching', () => {
    const list = [conversation('a', '2026-03-10T10:00:00Z'), conversation('b', '2026-03-10T09:00:00Z')];
    const moved = upsertConversation(list, conversation('b', '2026-03-10T11:00:00Z'), () => true);
    expect(moved.map((c) => c.id)).toEqual(['b', 'a']);
    const added = upsertConversation(list, conversation('c', '2026-03-10T09:30:00Z'), () => true);
    expect(added.map((c) => c.id)).toEqual(['a', 'c', 'b']);
    const dropped = upsertConversation(list, conversation('a', '2026-03-10T12:00:00Z', { status: 'RESOLVED' }), (c) => c.status === 'OPEN');
    expect(dropped.map((c) => c.id)).toEqual(['b']);
  });
});

describe('mergeMessages', () => {
  const message = (id: string, sentAt: string, status: MessageStatus) => ({ id, sentAt, status });

  it('keeps a message once, oldest first, and never moves its ticks back', () => {
    let list = mergeMessages([], [message('2', '2026-03-10T10:01:00Z', 'PENDING'), message('1', '2026-03-10T10:00:00Z', 'RECEIVED')]);
    expect(list.map((m) => m.id)).toEqual(['1', '2']);
    list = mergeMessages(list, [message('2', '2026-03-10T10:01:00Z', 'READ')]);
    list = mergeMessages(list, [message('2', '2026-03-10T10:01:00Z', 'DELIVERED')]);
    expect(list).toHaveLength(2);
    expect(list[1]?.status).toBe('READ');
  });

  it('takes a retried message back to PENDING, but not a stale PENDING', () => {
    const failed = { id: '3', sentAt: '2026-03-10T10:02:00Z', status: 'FAILED' as MessageStatus, statusAt: '2026-03-10T10:03:00Z' };
    let list = mergeMessages([], [failed]);
    list = mergeMessages(list, [{ ...failed, status: 'PENDING', statusAt: '2026-03-10T10:02:00Z' }]);
    expect(list[0]?.status).toBe('FAILED');
    list = mergeMessages(list, [{ ...failed, status: 'PENDING', statusAt: '2026-03-10T10:05:00Z' }]);
    expect(list[0]?.status).toBe('PENDING');
  });
});

describe('fillAiTurns', () => {
  it('fills a bot message’s AI turn from a later copy without touching the others', () => {
    const bot = { id: 'b', aiTurn: null as { id: string } | null };
    const other = { id: 'o', aiTurn: null as { id: string } | null };
    const list = fillAiTurns([bot, other], [{ id: 'b', aiTurn: { id: 't1' } }]);
    expect(list[0]?.aiTurn).toEqual({ id: 't1' });
    expect(list[1]).toBe(other);
    const kept = fillAiTurns(list, [{ id: 'b', aiTurn: { id: 't2' } }]);
    expect(kept[0]?.aiTurn).toEqual({ id: 't1' });
  });
});

describe('names and times', () => {
  it('names the customer by profile name, else number', () => {
    expect(contactName({ waId: '15550001111', profileName: ' Sam ' })).toBe('Sam');
    expect(contactName({ waId: '15550001111', profileName: null })).toBe('+15550001111');
  });

  it('shows a customer without a phone number by their WhatsApp username', () => {
    const lu = { waId: 'BR.1520436779021845', phone: null, userId: 'BR.1520436779021845', username: '@lu.doces', profileName: null };
    expect(contactHandle(lu)).toBe('@lu.doces');
    expect(contactName(lu)).toBe('@lu.doces');
    expect(contactHandle({ ...lu, username: null })).toBe('BR.1520436779021845');
    expect(contactHandle({ ...lu, phone: '5511987650001' })).toBe('+5511987650001');
    expect(contactName({ ...lu, profileName: 'Lu' })).toBe('Lu');
  });

  it('shows the time today, the weekday this week, the date before', () => {
    const now = new Date(2026, 2, 10, 15, 0);
    expect(listTime(new Date(2026, 2, 10, 9, 5).toISOString(), now, 'en-GB')).toBe('09:05');
    expect(listTime(new Date(2026, 2, 8, 9, 5).toISOString(), now, 'en-GB')).toBe('Sun');
    expect(listTime(new Date(2026, 1, 1, 9, 5).toISOString(), now, 'en-GB')).toBe('1 Feb');
    expect(listTime(null, now)).toBe('');
  });

  it('cleans labels: trimmed, no empties or case-insensitive repeats', () => {
    expect(normalizeLabels([' vip ', 'VIP', '', 'billing'])).toEqual(['vip', 'billing']);
  });
});
