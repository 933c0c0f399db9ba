import { useCallback, useEffect, useState } from 'react';
import { useClient, type CombinedError } from 'urql';

import { KnowledgeChunksDocument } from '@/features/knowledge/api/knowledge';
import type { KnowledgeChunksQuery } from '@/gql/graphql';

export type KnowledgeChunk = KnowledgeChunksQuery['organization']['knowledgeSource']['chunks']['items'][number];

export const CHUNK_PAGE_SIZE = 10;

interface ChunkState {
  sourceId: string;
  items: KnowledgeChunk[];
  hasNext: boolean;
  error: CombinedError | null;
}

/** A source's chunks in order, a page at a time ("Load more" continues after the last ordinal). */
export function useKnowledgeChunks(organizationId: string, sourceId: string | null, version: number) {
  const client = useClient();
  const [state, setState] = useState<ChunkState | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    if (!sourceId) return;
    let active = true;
    void client
      .query(KnowledgeChunksDocument, { id: organizationId, sourceId, first: CHUNK_PAGE_SIZE }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (!active) return;
        const page = result.data?.organization.knowledgeSource.chunks;
        setState({ sourceId, items: page?.items ?? [], hasNext: page?.hasNext ?? false, error: page ? null : (result.error ?? null) });
      });
    return () => {
      active = false;
    };
  }, [client, organizationId, sourceId, version]);

  const current = state && state.sourceId === sourceId ? state : null;
  const last = current?.items[current.items.length - 1]?.ordinal ?? null;

  const loadMore = useCallback(async () => {
    if (!sourceId || last == null) return;
    setLoadingMore(true);
    const result = await client
      .query(KnowledgeChunksDocument, { id: organizationId, sourceId, first: CHUNK_PAGE_SIZE, after: last }, { requestPolicy: 'network-only' })
      .toPromise();
    setLoadingMore(false);
    const page = result.data?.organization.knowledgeSource.chunks;
    setState((previous) =>
      previous && previous.sourceId === sourceId
        ? page
          ? { ...previous, items: [...previous.items, ...page.items.filter((c) => c.ordinal > last)], hasNext: page.hasNext, error: null }
          : { ...previous, error: result.error ?? null }
        : previous,
    );
  }, [client, organizationId, sourceId, last]);

  return {
    chunks: current?.items ?? [],
    hasNext: current?.hasNext ?? false,
    error: current?.error ?? null,
    loading: sourceId != null && current == null,
    loadingMore,
    loadMore,
  };
}
