import { useCallback } from 'react';
import { useQuery } from 'urql';

import {
  OrganizationInvitationsDocument,
  OrganizationMembersDocument,
} from '@/features/members/api/members';
import { useOrganizationEvents } from '@/lib/organization-context';

/** The member list, refreshed whenever the server says the membership changed. */
export function useMembers(organizationId: string) {
  const [result, reexecute] = useQuery({ query: OrganizationMembersDocument, variables: { id: organizationId } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOrganizationEvents(['MEMBERS_CHANGED'], refresh);
  return {
    members: result.data?.organization.members.nodes ?? null,
    truncated: result.data?.organization.members.pageInfo.hasNextPage ?? false,
    fetching: result.fetching,
    error: result.error ?? null,
    refresh,
  };
}

/** Pending and past invitations (Admin or Owner only; paused otherwise). */
export function useInvitations(organizationId: string, enabled: boolean) {
  const [result, reexecute] = useQuery({
    query: OrganizationInvitationsDocument,
    variables: { id: organizationId },
    pause: !enabled,
  });
  const refresh = useCallback(() => {
    if (enabled) reexecute({ requestPolicy: 'network-only' });
  }, [enabled, reexecute]);
  useOrganizationEvents(['INVITATIONS_CHANGED', 'MEMBERS_CHANGED'], refresh);
  return {
    invitations: result.data?.organization.invitations.nodes ?? null,
    fetching: result.fetching,
    error: result.error ?? null,
    refresh,
  };
}
