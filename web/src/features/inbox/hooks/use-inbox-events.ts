import { useEffect, useRef } from 'react';
import { useClient } from 'urql';

import { InboxEventsDocument } from '@/features/inbox/api/inbox';
import type { InboxEventsSubscription } from '@/gql/graphql';

export type InboxEvent = InboxEventsSubscription['inboxEvents'];

/** Calls `onEvent` for every live inbox event of the organization while mounted. */
export function useInboxEvents(organizationId: string, onEvent: (event: InboxEvent) => void): void {
  const client = useClient();
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    const subscription = client
      .subscription(InboxEventsDocument, { organizationId })
      .subscribe((result) => {
        if (result.data) handler.current(result.data.inboxEvents);
      });
    return () => subscription.unsubscribe();
  }, [client, organizationId]);
}
