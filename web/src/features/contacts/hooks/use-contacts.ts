import { useCallback, useEffect, useMemo, useState } from 'react';
import { useClient, type CombinedError } from 'urql';

import { ContactsDocument } from '@/features/contacts/api/contacts';
import { toContactFilterInput, type ContactFilters } from '@/features/contacts/utils/contacts';
import type { ContactFilterInput, ContactListItemFragment } from '@/gql/graphql';

export type ContactListItem = ContactListItemFragment;

export const CONTACT_PAGE_SIZE = 50;

interface ListState {
  /** The organization and filter these contacts were loaded for. */
  key: string;
  contacts: ContactListItem[] | null;
  endCursor: string | null;
  hasNextPage: boolean;
  error: CombinedError | null;
}

const EMPTY: ListState = { key: '', contacts: null, endCursor: null, hasNextPage: false, error: null };

/** The filtered contacts, newest first: the first page, then "Load more" by cursor. */
export function useContacts(organizationId: string, filters: ContactFilters) {
  const client = useClient();
  // Keyed by value, so a re-render with equal filters does not reload.
  const filterJson = JSON.stringify(toContactFilterInput(filters));
  const filter = useMemo(() => JSON.parse(filterJson) as ContactFilterInput, [filterJson]);
  const key = `${organizationId}:${filterJson}`;
  const [state, setState] = useState<ListState>(EMPTY);
  const [generation, setGeneration] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<CombinedError | null>(null);

  useEffect(() => {
    let active = true;
    void client
      .query(
        ContactsDocument,
        { id: organizationId, filter, first: CONTACT_PAGE_SIZE, after: null },
        { requestPolicy: 'network-only' },
      )
      .toPromise()
      .then((result) => {
        if (!active) return;
        const page = result.data?.organization.contacts;
        setState(
          page
            ? {
                key,
                contacts: page.nodes,
                endCursor: page.pageInfo.endCursor ?? null,
                hasNextPage: page.pageInfo.hasNextPage,
                error: null,
              }
            : { ...EMPTY, key, error: result.error ?? null },
        );
      });
    return () => {
      active = false;
    };
  }, [client, organizationId, filter, key, generation]);

  const current = state.key === key ? state : null;
  const endCursor = current?.endCursor ?? null;

  const loadMore = useCallback(async () => {
    if (!endCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    const result = await client
      .query(
        ContactsDocument,
        { id: organizationId, filter, first: CONTACT_PAGE_SIZE, after: endCursor },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setLoadingMore(false);
    const page = result.data?.organization.contacts;
    if (!page) {
      setMoreError(result.error ?? null);
      return;
    }
    setState((previous) => {
      if (previous.key !== key) return previous;
      const known = new Set((previous.contacts ?? []).map((c) => c.id));
      return {
        ...previous,
        contacts: [...(previous.contacts ?? []), ...page.nodes.filter((c) => !known.has(c.id))],
        endCursor: page.pageInfo.endCursor ?? null,
        hasNextPage: page.pageInfo.hasNextPage,
      };
    });
  }, [client, organizationId, filter, key, endCursor]);

  const reload = useCallback(() => {
    setMoreError(null);
    setGeneration((g) => g + 1);
  }, []);

  return {
    contacts: current?.contacts ?? null,
    /** What was shown for the previous filters, while the new ones load. */
    previous: current ? null : state.contacts,
    loading: current == null,
    error: current?.error ?? null,
    hasNextPage: current?.hasNextPage ?? false,
    loadMore,
    loadingMore,
    moreError,
    reload,
  };
}
