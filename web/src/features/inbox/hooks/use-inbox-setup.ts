import { useCallback } from 'react';
import { useQuery } from 'urql';

import { InboxSetupDocument } from '@/features/inbox/api/inbox';
import type { InboxSetupQuery } from '@/gql/graphql';

export type InboxPhoneNumber = InboxSetupQuery['organization']['phoneNumbers'][number];
export type InboxAgent = InboxSetupQuery['organization']['agents'][number];
export type InboxMember = InboxSetupQuery['organization']['members']['nodes'][number];

/** Numbers, canned responses and the people conversations can be assigned to. */
export function useInboxSetup(organizationId: string) {
  const [result, reexecute] = useQuery({ query: InboxSetupDocument, variables: { id: organizationId } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const organization = result.data?.organization ?? null;
  return {
    phoneNumbers: organization?.phoneNumbers ?? null,
    cannedResponses: organization?.cannedResponses ?? [],
    agents: organization?.agents ?? [],
    members: organization?.members.nodes ?? [],
    error: result.error ?? null,
    refresh,
  };
}
