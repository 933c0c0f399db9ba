import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Provider } from 'urql';

import { useAuth } from '@/lib/auth-context';
import { createGraphqlConnection } from '@/lib/graphql-client';

/** One urql client for the page's life; it reads the token at request time. */
export function GraphqlProvider({ children }: { children: ReactNode }) {
  // Both callbacks are stable for the life of the AuthProvider.
  const { accessToken, getAccessToken, reauthenticate } = useAuth();
  const [connection] = useState(() =>
    createGraphqlConnection({ getAccessToken, onUnauthenticated: reauthenticate }),
  );
  const connectedWith = useRef(accessToken);

  // A new token means a new identity or lifetime: re-authenticate the live socket.
  useEffect(() => {
    if (connectedWith.current === accessToken) return;
    connectedWith.current = accessToken;
    connection.reconnectSubscriptions();
  }, [accessToken, connection]);

  return <Provider value={connection.client}>{children}</Provider>;
}
