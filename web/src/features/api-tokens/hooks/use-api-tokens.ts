import { useCallback } from 'react';
import { useQuery } from 'urql';

import { OrganizationApiTokensDocument } from '@/features/api-tokens/api/api-tokens';
import { useOrganizationEvents } from '@/lib/organization-context';

/** The organization's API tokens, refreshed when the server reports a token change. */
export function useApiTokens(organizationId: string) {
  const [result, reexecute] = useQuery({ query: OrganizationApiTokensDocument, variables: { id: organizationId } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOrganizationEvents(['API_TOKENS_CHANGED'], refresh);
  return {
    tokens: result.data?.organization.apiTokens.nodes ?? null,
    truncated: result.data?.organization.apiTokens.pageInfo.hasNextPage ?? false,
    fetching: result.fetching,
    error: result.error ?? null,
    refresh,
  };
}
