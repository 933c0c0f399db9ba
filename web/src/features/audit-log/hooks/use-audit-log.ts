import { useCallback, useState } from 'react';
import { useClient, useQuery, type CombinedError } from 'urql';

import { AuditLogDocument } from '@/features/audit-log/api/audit-log';
import type { AuditLogQuery } from '@/gql/graphql';

export type AuditEventRow = AuditLogQuery['organization']['auditLog']['nodes'][number];

export const AUDIT_PAGE_SIZE = 50;

interface LaterPages {
  events: AuditEventRow[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Newest events first; `loadMore` follows the connection cursor. */
export function useAuditLog(organizationId: string) {
  const client = useClient();
  const [first, reexecute] = useQuery({
    query: AuditLogDocument,
    variables: { id: organizationId, first: AUDIT_PAGE_SIZE, after: null },
  });
  const [later, setLater] = useState<LaterPages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<CombinedError | null>(null);

  const firstPage = first.data?.organization.auditLog;
  const endCursor = later ? later.endCursor : (firstPage?.pageInfo.endCursor ?? null);
  const hasNextPage = later ? later.hasNextPage : (firstPage?.pageInfo.hasNextPage ?? false);

  const loadMore = useCallback(async () => {
    if (!endCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    const result = await client
      .query(AuditLogDocument, { id: organizationId, first: AUDIT_PAGE_SIZE, after: endCursor }, { requestPolicy: 'network-only' })
      .toPromise();
    setLoadingMore(false);
    if (result.error || !result.data) {
      setMoreError(result.error ?? null);
      return;
    }
    const page = result.data.organization.auditLog;
    setLater((previous) => ({
      events: [...(previous?.events ?? []), ...page.nodes],
      endCursor: page.pageInfo.endCursor ?? null,
      hasNextPage: page.pageInfo.hasNextPage,
    }));
  }, [client, organizationId, endCursor]);

  const refresh = useCallback(() => {
    setLater(null);
    setMoreError(null);
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);

  // New events shift the first page; never show one twice.
  const seen = new Set<string>();
  const events = [...(firstPage?.nodes ?? []), ...(later?.events ?? [])].filter((e) => {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });

  return {
    events: firstPage ? events : null,
    fetching: first.fetching,
    error: first.error ?? null,
    hasNextPage,
    loadMore,
    loadingMore,
    moreError,
    refresh,
  };
}
