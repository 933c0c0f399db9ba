import { useCallback, useEffect, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';

import {
  CancelContactImportDocument,
  ContactImportDocument,
  ContactImportProgressDocument,
  ImportContactsDocument,
} from '@/features/contacts/api/imports';
import { isInProgress } from '@/features/contacts/utils/imports';
import type { ContactImportStateFragment, ImportContactsInput } from '@/gql/graphql';

export type ContactImportState = ContactImportStateFragment;

export type StartOptions = Omit<ImportContactsInput, 'organizationId' | 'importId'>;

/**
 * One contact import: loaded once, then followed live on `contactImportProgress` while it is
 * queued or running. `start` and `cancel` apply the server's answer at once.
 */
export function useContactImport(organizationId: string, importId: string) {
  const client = useClient();
  const [result, reexecute] = useQuery({
    query: ContactImportDocument,
    variables: { id: organizationId, importId },
    requestPolicy: 'network-only',
  });
  // The newest state seen on the subscription or in a mutation's answer, for this import.
  const [live, setLive] = useState<ContactImportState | null>(null);
  const loaded = result.data?.organization.contactImport;
  const current = live?.id === importId ? live : loaded?.id === importId ? loaded : null;
  const following = current != null && isInProgress(current.status);

  useEffect(() => {
    if (!following) return;
    // The stream sends the state now, then every change, and ends with the final one.
    const subscription = client
      .subscription(ContactImportProgressDocument, { organizationId, importId })
      .subscribe((event) => {
        const state = event.data?.contactImportProgress;
        if (state) setLive(state);
      });
    return () => subscription.unsubscribe();
  }, [client, organizationId, importId, following]);

  const [started, importContacts] = useMutation(ImportContactsDocument);
  const [cancelled, cancelImport] = useMutation(CancelContactImportDocument);

  const start = useCallback(
    async (options: StartOptions) => {
      const answer = await importContacts({ input: { organizationId, importId, ...options } });
      if (answer.data) setLive(answer.data.importContacts);
      return !answer.error;
    },
    [importContacts, organizationId, importId],
  );

  const cancel = useCallback(async () => {
    const answer = await cancelImport({ organizationId, importId });
    if (answer.data) setLive(answer.data.cancelContactImport);
  }, [cancelImport, organizationId, importId]);

  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  return {
    contactImport: current,
    error: current ? null : (result.error ?? null),
    refresh,
    start,
    starting: started.fetching,
    startError: started.error ?? null,
    cancel,
    cancelling: cancelled.fetching,
    cancelError: cancelled.error ?? null,
  };
}
