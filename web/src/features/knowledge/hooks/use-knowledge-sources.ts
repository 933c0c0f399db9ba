import { useCallback, useEffect } from 'react';
import { useQuery } from 'urql';

import { KnowledgeSourcesDocument } from '@/features/knowledge/api/knowledge';
import { isIngesting } from '@/features/knowledge/utils/sources';

/** While any source is queued or being read, the list is read again this often. */
export const POLL_MS = 1500;

/** The organization's knowledge sources, polled while ingestion runs. */
export function useKnowledgeSources(organizationId: string) {
  const [result, reexecute] = useQuery({
    query: KnowledgeSourcesDocument,
    variables: { id: organizationId },
    requestPolicy: 'cache-and-network',
  });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const sources = result.data?.organization.knowledgeSources;
  const busy = sources?.some((s) => isIngesting(s.status)) ?? false;

  useEffect(() => {
    if (!busy) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [busy, reload]);

  return { sources, error: result.error, fetching: result.fetching, reload, busy };
}
