// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

import { createGraphqlConnection, subscriptionUrl } from '@/lib/graphql-client';
import { stubGraphqlFetch } from '@/test/graphql';

const ProbeDocument = 'query ClientProbe { viewer { kind } }';

describe('subscriptionUrl', () => {
  it('points at /graphql/ws over ws or wss like the page', () => {
    expect(subscriptionUrl('http://localhost:5173')).toBe('ws://localhost:5173/graphql/ws');
    expect(subscriptionUrl('https://app.wagent.example')).toBe('wss://app.wagent.example/graphql/ws');
  });
});

describe('createGraphqlConnection', () => {
  it('sends the current access token as a bearer token', async () => {
    let token = 'first';
    const server = stubGraphqlFetch({ ClientProbe: () => ({ data: { viewer: { __typename: 'Viewer', kind: 'USER' } } }) });
    const { client } = createGraphqlConnection({
      getAccessToken: () => token,
      onUnauthenticated: () => undefined,
      fetch: server.fetch,
      origin: 'http://localhost',
    });
    await client.query(ProbeDocument, {}).toPromise();
    token = 'second';
    await client.query(ProbeDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(server.calls.map((c) => c.authorization)).toEqual(['Bearer first', 'Bearer second']);
  });

  it('sends the user back to sign-in when the server answers UNAUTHENTICATED', async () => {
    const onUnauthenticated = vi.fn();
    const server = stubGraphqlFetch({
      ClientProbe: () => ({ data: null, errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }] }),
    });
    const { client } = createGraphqlConnection({
      getAccessToken: () => 'expired',
      onUnauthenticated,
      fetch: server.fetch,
      origin: 'http://localhost',
    });
    const result = await client.query(ProbeDocument, {}).toPromise();
    expect(result.error?.graphQLErrors[0]?.message).toBe('token expired');
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(onUnauthenticated).toHaveBeenCalledWith('token expired');
  });

  it('sends the user back to sign-in when the server closes the socket because the token expired', async () => {
    const onUnauthenticated = vi.fn();
    const { client } = createGraphqlConnection({
      getAccessToken: () => 'about-to-expire',
      onUnauthenticated,
      origin: 'http://localhost',
      webSocketImpl: ExpiringSocket,
    });
    const subscription = client.subscription('subscription Probe { __typename }', {}).subscribe(() => undefined);
    await vi.waitFor(() => expect(onUnauthenticated).toHaveBeenCalledWith('Your session expired.'));
    subscription.unsubscribe();
  });
});

describe('token renewal', () => {
  it('reconnects the live socket with the renewed token and keeps the subscription delivering', async () => {
    let token = 'first';
    const onUnauthenticated = vi.fn();
    LiveSocket.opened = [];
    const connection = createGraphqlConnection({
      getAccessToken: () => token,
      onUnauthenticated,
      origin: 'http://localhost',
      webSocketImpl: LiveSocket,
    });
    const received: unknown[] = [];
    const subscription = connection.client
      .subscription('subscription Probe { __typename }', {})
      .subscribe((result) => received.push(result.data ?? result.error));
    await vi.waitFor(() => expect(received).toHaveLength(1));

    token = 'second';
    connection.reconnectSubscriptions();
    // A second socket, authenticated with the new token, carries the same subscription on.
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(LiveSocket.opened.map((s) => s.authorization)).toEqual(['Bearer first', 'Bearer second']);
    expect(LiveSocket.opened[0]?.readyState).toBe(LiveSocket.CLOSED);
    expect(received).toEqual([{ __typename: 'Subscription' }, { __typename: 'Subscription' }]);
    expect(onUnauthenticated).not.toHaveBeenCalled();
    subscription.unsubscribe();
  });
});

/** A server socket that answers each subscription with one event, and remembers its token. */
class LiveSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static opened: LiveSocket[] = [];
  readyState = LiveSocket.CONNECTING;
  protocol = 'graphql-transport-ws';
  authorization: string | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor() {
    LiveSocket.opened.push(this);
    setTimeout(() => {
      this.readyState = LiveSocket.OPEN;
      this.onopen?.({});
    }, 0);
  }

  send(data: string) {
    const message = JSON.parse(data) as { type: string; id?: string; payload?: { authorization?: string } };
    const answer = (reply: object) =>
      setTimeout(() => {
        if (this.readyState === LiveSocket.OPEN) this.onmessage?.({ data: JSON.stringify(reply) });
      }, 0);
    if (message.type === 'connection_init') {
      this.authorization = message.payload?.authorization;
      answer({ type: 'connection_ack' });
    } else if (message.type === 'subscribe') {
      answer({ type: 'next', id: message.id, payload: { data: { __typename: 'Subscription' } } });
    }
  }

  close(code = 1000, reason = '') {
    if (this.readyState === LiveSocket.CLOSED) return;
    this.readyState = LiveSocket.CLOSED;
    setTimeout(() => this.onclose?.({ code, reason, wasClean: true }), 0);
  }
}

/** A server socket that acknowledges the connection, then closes it as the server does at expiry. */
class ExpiringSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readyState = ExpiringSocket.CONNECTING;
  protocol = 'graphql-transport-ws';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor() {
    setTimeout(() => {
      this.readyState = ExpiringSocket.OPEN;
      this.onopen?.({});
    }, 0);
  }

  send(data: string) {
    const message = JSON.parse(data) as { type: string };
    if (message.type !== 'connection_init') return;
    setTimeout(() => {
      this.onmessage?.({ data: JSON.stringify({ type: 'connection_ack' }) });
      setTimeout(() => this.close(4401, 'your credential has expired'), 0);
    }, 0);
  }

  close(code = 1000, reason = '') {
    if (this.readyState === ExpiringSocket.CLOSED) return;
    this.readyState = ExpiringSocket.CLOSED;
    this.onclose?.({ code, reason, wasClean: true });
  }
}
