import { useEffect, useRef } from 'react';
import { useClient, useQuery } from 'urql';

import { graphql } from '@/gql';

const InboxUnreadCountDocument = graphql(`
  query InboxUnreadCount($id: ID!) {
    organization(id: $id) {
      id
      unreadCount
    }
  }
`);

const InboxUnreadEventsDocument = graphql(`
  subscription InboxUnreadEvents($organizationId: ID!) {
    inboxEvents(organizationId: $organizationId) {
      kind
    }
  }
`);

/** Inbox events come in bursts (a message, then its conversation): count once per burst. */
const REFETCH_DELAY_MS = 400;

/**
 * Unread messages across an organization's inbox, for the sidebar badge; live from the inbox
 * events. Null while unknown or when the organization cannot be read.
 */
export function useInboxUnreadCount(organizationId: string | null): number | null {
  const client = useClient();
  const [result, reexecute] = useQuery({
    query: InboxUnreadCountDocument,
    variables: { id: organizationId ?? '' },
    pause: !organizationId,
  });
  const refetch = useRef(reexecute);
  useEffect(() => {
    refetch.current = reexecute;
  });

  useEffect(() => {
    if (!organizationId) return;
    let timer: number | undefined;
    const subscription = client
      .subscription(InboxUnreadEventsDocument, { organizationId })
      .subscribe((event) => {
        const kind = event.data?.inboxEvents.kind;
        if (!kind || kind === 'MESSAGE_UPDATED') return;
        window.clearTimeout(timer);
        timer = window.setTimeout(() => refetch.current({ requestPolicy: 'network-only' }), REFETCH_DELAY_MS);
      });
    return () => {
      window.clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [client, organizationId]);

  const organization = result.data?.organization;
  return organization && organization.id === organizationId ? organization.unreadCount : null;
}
