import { useCallback } from 'react';
import { useQuery } from 'urql';

import { InboxTemplatesDocument, type InboxTemplate } from '@/features/inbox/api/templates';

/** The templates of a conversation's number; only APPROVED ones can be sent. */
export function useSendableTemplates(organizationId: string, phoneNumberId: string, enabled: boolean) {
  const [result, reexecute] = useQuery({
    query: InboxTemplatesDocument,
    variables: { id: organizationId, phoneNumberId },
    pause: !enabled,
  });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const templates: InboxTemplate[] | null = result.data?.organization.templates ?? null;
  return { templates, fetching: result.fetching, error: result.error ?? null, refresh };
}
