import { useCallback, useEffect, useState } from 'react';
import { useClient, type CombinedError } from 'urql';

import { ConversationOlderMessagesDocument, ConversationThreadDocument } from '@/features/inbox/api/inbox';
import type { ConversationSummary } from '@/features/inbox/hooks/use-conversation-list';
import type { InboxEvent } from '@/features/inbox/hooks/use-inbox-events';
import { fillAiTurns, mergeMessages } from '@/features/inbox/utils/messages';
import type { ConversationHandlingFragment, ConversationNoteFragment, InboxMessageFragment } from '@/gql/graphql';

export type ThreadMessage = InboxMessageFragment;
export type ThreadNote = ConversationNoteFragment;
export type ConversationHandling = Omit<ConversationHandlingFragment, '__typename'>;

/** The handling fields of a conversation that carries them. */
export function handlingOf(c: ConversationHandling): ConversationHandling {
  return { id: c.id, handler: c.handler, agentId: c.agentId, handoffReason: c.handoffReason, handoffAt: c.handoffAt };
}

export const MESSAGE_PAGE_SIZE = 50;

interface ThreadState {
  conversationId: string;
  conversation: ConversationSummary | null;
  /** Who answers it (bot or team), when known. */
  handling: ConversationHandling | null;
  notes: ThreadNote[];
  /** Oldest first. */
  messages: ThreadMessage[];
  olderCursor: string | null;
  hasOlder: boolean;
  error: CombinedError | null;
}

/** One conversation with its messages (newest page first, older on demand), notes and live updates. */
export function useConversationThread(organizationId: string, conversationId: string | null) {
  const client = useClient();
  const [state, setState] = useState<ThreadState | null>(null);
  const [generation, setGeneration] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<CombinedError | null>(null);

  useEffect(() => {
    if (!conversationId) return;
    let active = true;
    void client
      .query(
        ConversationThreadDocument,
        { id: organizationId, conversationId, first: MESSAGE_PAGE_SIZE },
        { requestPolicy: 'network-only' },
      )
      .toPromise()
      .then((result) => {
        if (!active) return;
        const conversation = result.data?.organization.conversation;
        if (!conversation) {
          setState({
            conversationId,
            conversation: null,
            handling: null,
            notes: [],
            messages: [],
            olderCursor: null,
            hasOlder: false,
            error: result.error ?? null,
          });
          return;
        }
        const { notes, messages, handler, agentId, handoffReason, handoffAt, ...summary } = conversation;
        setState((previous) => ({
          conversationId,
          conversation: { ...summary, handler },
          handling: { id: summary.id, handler, agentId, handoffReason, handoffAt },
          notes,
          // Keep what arrived live while this page was on its way.
          messages: mergeMessages(
            previous?.conversationId === conversationId ? previous.messages : [],
            messages.edges.map((e) => e.node),
          ),
          olderCursor: messages.pageInfo.endCursor ?? null,
          hasOlder: messages.pageInfo.hasNextPage,
          error: null,
        }));
      });
    return () => {
      active = false;
    };
  }, [client, organizationId, conversationId, generation]);

  const current = state && state.conversationId === conversationId ? state : null;
  const olderCursor = current?.olderCursor ?? null;

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const loadOlder = useCallback(async () => {
    if (!conversationId || !olderCursor) return;
    setLoadingOlder(true);
    setOlderError(null);
    const result = await client
      .query(
        ConversationOlderMessagesDocument,
        { id: organizationId, conversationId, first: MESSAGE_PAGE_SIZE, after: olderCursor },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setLoadingOlder(false);
    const page = result.data?.organization.conversation.messages;
    if (!page) {
      setOlderError(result.error ?? null);
      return;
    }
    setState((previous) =>
      previous && previous.conversationId === conversationId
        ? {
            ...previous,
            messages: mergeMessages(previous.messages, page.edges.map((e) => e.node)),
            olderCursor: page.pageInfo.endCursor ?? null,
            hasOlder: page.pageInfo.hasNextPage,
          }
        : previous,
    );
  }, [client, organizationId, conversationId, olderCursor]);

  const update = useCallback(
    (change: (state: ThreadState) => ThreadState) =>
      setState((previous) => (previous && previous.conversationId === conversationId ? change(previous) : previous)),
    [conversationId],
  );

  /** A message this page sent or reacted with (the live event may come before or after). */
  const addMessage = useCallback(
    (message: ThreadMessage) => update((s) => ({ ...s, messages: mergeMessages(s.messages, [message]) })),
    [update],
  );

  /** The conversation as a mutation returned it (status, assignee, labels, unread). */
  const setConversation = useCallback(
    (conversation: ConversationSummary) =>
      update((s) => (s.conversation?.id === conversation.id ? { ...s, conversation } : s)),
    [update],
  );

  /** Who answers, as a handover mutation returned it. */
  const setHandling = useCallback(
    (handling: ConversationHandling) => update((s) => (s.conversationId === handling.id ? { ...s, handling: handlingOf(handling) } : s)),
    [update],
  );

  const addNote = useCallback((note: ThreadNote) => update((s) => ({ ...s, notes: [...s.notes, note] })), [update]);

  /** Applies a live event if it concerns this conversation. */
  const applyEvent = useCallback(
    (event: InboxEvent) =>
      update((s) => {
        let next = s;
        if (event.conversation && event.conversation.id === s.conversationId) {
          next = { ...next, conversation: event.conversation, handling: handlingOf(event.conversation) };
        }
        if (event.message && event.message.conversationId === s.conversationId) {
          next = { ...next, messages: fillAiTurns(mergeMessages(next.messages, [event.message]), [event.message]) };
        }
        return next;
      }),
    [update],
  );

  return {
    conversation: current?.conversation ?? null,
    handling: current?.handling ?? null,
    notes: current?.notes ?? [],
    messages: current?.messages ?? [],
    loading: conversationId != null && current == null,
    error: current?.error ?? null,
    hasOlder: current?.hasOlder ?? false,
    loadOlder,
    loadingOlder,
    olderError,
    reload,
    addMessage,
    setConversation,
    setHandling,
    addNote,
    applyEvent,
  };
}
