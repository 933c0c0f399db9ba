import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

import { errorCode, errorMessage } from '@/lib/errors';

export interface GraphqlClientOptions {
  /** The current OIDC access token, read on every request and every socket (re)connect. */
  getAccessToken: () => string | null;
  /** Called with the server's message when it answers UNAUTHENTICATED. */
  onUnauthenticated: (message: string) => void;
  origin?: string;
  /** For tests: the fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
}

export interface GraphqlConnection {
  client: Client;
  /** Reconnects the subscription socket so it authenticates with the current token. */
  reconnectSubscriptions: () => void;
}

/** `ws(s)://<host>/graphql/ws` for an `http(s)://<host>` origin. */
export function subscriptionUrl(origin: string): string {
  const url = new URL('/graphql/ws', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function bearer(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Close code graphql-ws retries on; used to reconnect with a fresh token. */
const RESTART_CLOSE_CODE = 4205;

export function createGraphqlConnection(options: GraphqlClientOptions): GraphqlConnection {
  const origin = options.origin ?? window.location.origin;
  let socket: WebSocket | null = null;

  const ws: WsClient = createWsClient({
    url: subscriptionUrl(origin),
    lazy: true,
    connectionParams: () => bearer(options.getAccessToken()),
    retryAttempts: 10,
    shouldRetry: () => true,
    on: {
      connected: (s) => {
        socket = s as WebSocket;
      },
      closed: () => {
        socket = null;
      },
    },
  });

  const client = new Client({
    url: new URL('/graphql', origin).toString(),
    fetch: options.fetch,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: bearer(options.getAccessToken()) }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (errorCode(error) === 'UNAUTHENTICATED') options.onUnauthenticated(errorMessage(error));
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    reconnectSubscriptions: () => {
      if (socket && socket.readyState === WebSocket.OPEN) socket.close(RESTART_CLOSE_CODE, 'Token changed');
    },
  };
}
