import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient, type CombinedError } from 'urql';

import { InboxConversationsDocument } from '@/features/inbox/api/inbox';
import {
  matchesFilters,
  sortConversations,
  toFilterInput,
  upsertConversation,
  type InboxFilters,
} from '@/features/inbox/utils/conversations';
import type { ConversationFilterInput, ConversationSummaryFragment } from '@/gql/graphql';

export type ConversationSummary = ConversationSummaryFragment;

export const CONVERSATION_PAGE_SIZE = 30;

interface ListState {
  /** The filter these items were loaded for. */
  key: string;
  items: ConversationSummary[] | null;
  endCursor: string | null;
  hasNextPage: boolean;
  error: CombinedError | null;
}

/**
 * The filtered conversation list: the first page, "Load more" pages by cursor, and live
 * changes (`apply`) placed where they belong without a reload.
 */
export function useConversationList(
  organizationId: string,
  filters: InboxFilters,
  viewerId: string | null,
  openConversationId: string | null,
) {
  const client = useClient();
  // Keyed by value, so a re-render with equal filters (e.g. the viewer loading) does not reload.
  const filterJson = JSON.stringify(toFilterInput(filters, viewerId));
  const input = useMemo(() => JSON.parse(filterJson) as ConversationFilterInput, [filterJson]);
  const key = `${organizationId}:${filterJson}`;
  const [state, setState] = useState<ListState>({ key: '', items: null, endCursor: null, hasNextPage: false, error: null });
  const [generation, setGeneration] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<CombinedError | null>(null);

  useEffect(() => {
    let active = true;
    void client
      .query(
        InboxConversationsDocument,
        { id: organizationId, filter: input, first: CONVERSATION_PAGE_SIZE, after: null },
        { requestPolicy: 'network-only' },
      )
      .toPromise()
      .then((result) => {
        if (!active) return;
        const page = result.data?.organization.conversations;
        setState((previous) =>
          page
            ? {
                key,
                items: sortConversations(page.edges.map((e) => e.node)),
                endCursor: page.pageInfo.endCursor ?? null,
                hasNextPage: page.pageInfo.hasNextPage,
                error: null,
              }
            : // A failed reload keeps what is shown; a failed first load shows the error.
              { ...(previous.key === key ? previous : { items: null, endCursor: null, hasNextPage: false }), key, error: result.error ?? null },
        );
      });
    return () => {
      active = false;
    };
  }, [client, organizationId, input, key, generation]);

  const reload = useCallback(() => {
    setMoreError(null);
    setGeneration((g) => g + 1);
  }, []);

  const current = state.key === key ? state : null;
  const endCursor = current?.endCursor ?? null;

  const loadMore = useCallback(async () => {
    if (!endCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    const result = await client
      .query(
        InboxConversationsDocument,
        { id: organizationId, filter: input, first: CONVERSATION_PAGE_SIZE, after: endCursor },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setLoadingMore(false);
    const page = result.data?.organization.conversations;
    if (!page) {
      setMoreError(result.error ?? null);
      return;
    }
    setState((previous) => {
      if (previous.key !== key) return previous;
      const known = new Set((previous.items ?? []).map((c) => c.id));
      const added = page.edges.map((e) => e.node).filter((c) => !known.has(c.id));
      return {
        ...previous,
        items: sortConversations([...(previous.items ?? []), ...added]),
        endCursor: page.pageInfo.endCursor ?? null,
        hasNextPage: page.pageInfo.hasNextPage,
      };
    });
  }, [client, organizationId, input, key, endCursor]);

  // Live changes are judged by the filters in force when they arrive.
  const judge = useRef({ filters, viewerId, openConversationId });
  useEffect(() => {
    judge.current = { filters, viewerId, openConversationId };
  });

  /** A conversation changed: move it to its place, add it, or drop it if it no longer matches. */
  const apply = useCallback((conversation: ConversationSummary) => {
    setState((previous) => {
      if (!previous.items) return previous;
      const { filters: f, viewerId: v, openConversationId: open } = judge.current;
      // The open conversation stays listed while it is being worked on, even if it stops matching.
      const keep = (c: ConversationSummary) =>
        matchesFilters(c, f, v) || (c.id === open && previous.items?.some((p) => p.id === c.id) === true);
      return { ...previous, items: upsertConversation(previous.items, conversation, keep) };
    });
  }, []);

  return {
    conversations: current?.items ?? null,
    loading: current == null,
    error: current?.error ?? null,
    hasNextPage: current?.hasNextPage ?? false,
    loadMore,
    loadingMore,
    moreError,
    reload,
    apply,
  };
}
