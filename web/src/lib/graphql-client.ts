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
  /** For tests: the WebSocket implementation (defaults to the global one). */
  webSocketImpl?: unknown;
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
/** The server closes the socket with this when the token it was opened with has expired. */
export const EXPIRED_CLOSE_CODE = 4401;

function closeCode(event: unknown): number | null {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number'
    ? event.code
    : null;
}

export function createGraphqlConnection(options: GraphqlClientOptions): GraphqlConnection {
  const origin = options.origin ?? window.location.origin;
  let socket: WebSocket | null = null;

  const ws: WsClient = createWsClient({
    url: subscriptionUrl(origin),
    lazy: true,
    webSocketImpl: options.webSocketImpl,
    connectionParams: () => bearer(options.getAccessToken()),
    retryAttempts: 10,
    shouldRetry: () => true,
    // The first retry (after a token change restarts the socket) goes at once, so live updates
    // pause for no longer than the reconnect; later ones back off.
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(resolve, retries === 0 ? 0 : Math.min(1000 * 2 ** retries, 30_000) + Math.random() * 1000),
      ),
    on: {
      connected: (s) => {
        socket = s as WebSocket;
      },
      closed: (event) => {
        socket = null;
        // Renewal normally reconnects the socket before expiry; if it did not, sign in again.
        if (closeCode(event) === EXPIRED_CLOSE_CODE) options.onUnauthenticated('Your session expired.');
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
