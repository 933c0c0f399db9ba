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
});
