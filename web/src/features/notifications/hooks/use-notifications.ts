import { useCallback, useEffect } from 'react';
import { useMutation, useQuery } from 'urql';

import { MarkNotificationsReadDocument, NotificationBellDocument } from '@/features/notifications/api/notifications';
import type { NotificationBellQuery } from '@/gql/graphql';

export type NotificationRow = NotificationBellQuery['organization']['notifications'][number];

/** How often the bell asks again while the page is open: pauses are rare and not urgent. */
const POLL_MS = 60_000;

/** The caller's latest notifications in `organizationId` and their unread count. */
export function useNotifications(organizationId: string) {
  const [result, reexecute] = useQuery({ query: NotificationBellDocument, variables: { id: organizationId } });
  const [, mark] = useMutation(MarkNotificationsReadDocument);
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  useEffect(() => {
    const timer = window.setInterval(refresh, POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const markRead = useCallback(
    async (ids: string[] | null) => {
      await mark({ organizationId, ids });
      refresh();
    },
    [mark, organizationId, refresh],
  );

  return {
    notifications: result.data?.organization.notifications ?? [],
    unread: result.data?.organization.unreadNotifications ?? 0,
    error: result.error ?? null,
    refresh,
    markRead,
  };
}
