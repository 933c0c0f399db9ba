import { useCallback } from 'react';
import { useClient, useQuery } from 'urql';

import { graphql } from '@/gql';

export const ViewerDocument = graphql(`
  query Viewer {
    viewer {
      kind
      user {
        id
        name
        email
      }
      memberships {
        role
        organization {
          id
          name
        }
      }
    }
  }
`);

/** The signed-in user and their organizations, shared by the shell and every page. */
export function useViewer() {
  // Cache-first: the many components that read the viewer share one request; changes refresh it explicitly.
  const [result, reexecute] = useQuery({ query: ViewerDocument, requestPolicy: 'cache-first' });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  return {
    viewer: result.data?.viewer ?? null,
    fetching: result.fetching,
    error: result.error ?? null,
    refresh,
  };
}

/**
 * Re-reads the viewer from the server and waits for it, e.g. after creating or joining an
 * organization, so the switcher and redirects see the new membership.
 */
export function useRefreshViewer(): () => Promise<void> {
  const client = useClient();
  return useCallback(async () => {
    await client.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
  }, [client]);
}
