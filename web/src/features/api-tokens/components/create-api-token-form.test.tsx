// @vitest-environment happy-dom
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { CreateApiTokenForm } from '@/features/api-tokens/components/create-api-token-form';
import { stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { click, render, waitFor } from '@/test/render';

/** Sets a React-controlled input's value the way typing does. */
async function type(input: HTMLElement | null, value: string) {
  if (!(input instanceof HTMLInputElement)) throw new Error('not an input');
  await act(async () => {
    // React tracks the value it last set; the prototype setter bypasses that, as typing does.
    Reflect.set(HTMLInputElement.prototype, 'value', value, input);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await Promise.resolve();
  });
}

function form(fetchStub: typeof fetch, onCreated = vi.fn()) {
  return withApp({
    client: testClient(fetchStub),
    url: '/orgs/org-1/api-tokens',
    path: '/orgs/:orgId/api-tokens',
    element: <CreateApiTokenForm organizationId="org-1" viewerRole="ADMIN" onCreated={onCreated} />,
  });
}

describe('CreateApiTokenForm', () => {
  it('defaults to 90 days and refuses an expiry outside 1–365 without calling the server', async () => {
    const server = stubGraphqlFetch({});
    const view = await render(form(server.fetch));
    const days = view.byTestId('api-token-expiry-input') as HTMLInputElement;
    expect(days.value).toBe('90');

    await type(view.byTestId('api-token-name-input'), 'CRM sync');
    await type(days, '366');
    await click(view.byTestId('api-token-submit'));
    expect(view.byTestId('api-token-expiry-error')?.textContent).toBe('Choose between 1 and 365 days.');
    expect(server.calls).toHaveLength(0);
    await view.unmount();
  });

  it('shows the new secret once, with a warning, and sends the chosen expiry', async () => {
    const onCreated = vi.fn();
    const server = stubGraphqlFetch({
      CreateApiToken: () => ({
        data: {
          createApiToken: {
            __typename: 'CreateApiTokenPayload',
            token: 'wag_secret_123',
            apiToken: {
              __typename: 'ApiToken',
              id: 't1',
              name: 'CRM sync',
              role: 'MEMBER',
              expiresAt: '2030-01-01T00:00:00Z',
            },
          },
        },
      }),
    });
    const view = await render(form(server.fetch, onCreated));
    await type(view.byTestId('api-token-name-input'), 'CRM sync');
    await type(view.byTestId('api-token-expiry-input'), '30');
    await click(view.byTestId('api-token-submit'));

    await waitFor(() => expect(view.byTestId('new-api-token')?.textContent).toBe('wag_secret_123'));
    expect(view.byTestId('new-api-token-notice')?.textContent).toContain('It will not be shown again');
    expect(server.calls[0]?.variables).toEqual({
      input: { organizationId: 'org-1', name: 'CRM sync', role: 'MEMBER', expiresInDays: 30 },
    });
    expect(onCreated).toHaveBeenCalled();

    await click(view.byTestId('new-api-token-dismiss'));
    expect(view.byTestId('new-api-token')).toBeNull();
    await view.unmount();
  });
});
