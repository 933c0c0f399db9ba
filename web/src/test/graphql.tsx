import { Client, fetchExchange } from '@urql/core';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { Provider } from 'urql';

import { AuthContext, type AuthContextValue } from '@/lib/auth-context';
import {
  OrganizationEventHub,
  type CurrentOrganization,
  type OrganizationContextValue,
} from '@/lib/organization-context';

export interface GraphqlCall {
  operationName: string;
  variables: Record<string, unknown>;
  authorization: string | null;
}

type Responder = (call: GraphqlCall) => unknown;

/** A fetch that answers GraphQL requests by operation name and records every call. */
export function stubGraphqlFetch(responders: Record<string, Responder>) {
  const calls: GraphqlCall[] = [];
  const fetchStub = ((_input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { operationName: string; variables?: Record<string, unknown> };
    const headers = new Headers(init?.headers);
    const call = {
      operationName: body.operationName,
      variables: body.variables ?? {},
      authorization: headers.get('authorization'),
    };
    calls.push(call);
    const responder = responders[body.operationName];
    const payload = responder ? responder(call) : { errors: [{ message: `no stub for ${body.operationName}` }] };
    return Promise.resolve(
      new Response(JSON.stringify(payload), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
  }) as typeof fetch;
  return { fetch: fetchStub, calls };
}

export function testClient(fetchStub: typeof fetch): Client {
  return new Client({ url: 'http://localhost/graphql', exchanges: [fetchExchange], fetch: fetchStub, preferGetMethod: false });
}

export const signedInAuth: AuthContextValue = {
  status: 'signedIn',
  accessToken: 'test-token',
  getAccessToken: () => 'test-token',
  profile: { name: 'Ana Lima', email: 'ana@example.com' },
  failureReason: null,
  signIn: () => Promise.resolve(),
  signOut: () => Promise.resolve(),
  reauthenticate: () => undefined,
  completeSignIn: () => Promise.resolve('/'),
};

/** Renders `element` at `url` (matched by `path`) with a signed-in user and a stubbed server. */
export function withApp({
  client,
  url,
  path,
  element,
  auth = signedInAuth,
}: {
  client: Client;
  url: string;
  path: string;
  element: ReactNode;
  auth?: AuthContextValue;
}) {
  return (
    <AuthContext.Provider value={auth}>
      <Provider value={client}>
        <MemoryRouter initialEntries={[url]}>
          <Routes>
            <Route path={path} element={element} />
            <Route path="*" element={<p data-testid="navigated-elsewhere" />} />
          </Routes>
        </MemoryRouter>
      </Provider>
    </AuthContext.Provider>
  );
}

export function organizationContext(
  organization: Partial<CurrentOrganization> & Pick<CurrentOrganization, 'viewerRole'>,
): OrganizationContextValue {
  return {
    organization: { id: 'org-1', name: 'Acme', createdAt: '2025-01-01T00:00:00Z', timeZone: 'UTC', ...organization },
    refresh: () => undefined,
    events: new OrganizationEventHub(),
  };
}
