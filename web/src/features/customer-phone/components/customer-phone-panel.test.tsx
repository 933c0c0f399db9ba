// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';

import { NO_WHATSAPP, type WhatsAppConfig } from '@/config/runtime-config';
import { RuntimeConfigContext } from '@/config/runtime-config-context';
import { CustomerPhonePanel } from '@/features/customer-phone/components/customer-phone-panel';
import { CustomerPhoneToggle } from '@/features/customer-phone/components/customer-phone-toggle';
import { CustomerPhoneProvider } from '@/features/customer-phone/hooks/customer-phone-context';
import { stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { click, render, typeInto, waitFor } from '@/test/render';

const graphqlServer = () =>
  stubGraphqlFetch({
    CustomerPhoneNumbers: () => ({
      data: {
        organization: {
          __typename: 'Organization',
          id: 'org-1',
          phoneNumbers: [
            { __typename: 'PhoneNumber', id: 'pn-1', phoneNumberId: 'PN1', displayPhoneNumber: '+1 555-0100', verifiedName: 'Acme', disconnectedAt: null },
          ],
        },
      },
    }),
  });

/** The sandbox behind /sandbox/organizations/org-1/: one business message, and whatever the customer posts. */
function sandbox() {
  const posted: Record<string, unknown>[] = [];
  const fetchStub = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://localhost');
    const json = (body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    if (url.pathname === '/sandbox/organizations/org-1/messages') {
      return json({
        data: [
          {
            id: 'wamid.B1',
            phone_number_id: 'PN1',
            to: url.searchParams.get('to'),
            type: 'text',
            status: 'read',
            request: { type: 'text', text: { body: 'Welcome to Acme!' } },
            timestamp: '100',
          },
        ],
      });
    }
    if (url.pathname === '/sandbox/organizations/org-1/customers/messages' && init?.method === 'POST') {
      posted.push(JSON.parse(init.body as string) as Record<string, unknown>);
      return json({ id: `wamid.C${posted.length}` });
    }
    if (url.pathname === '/sandbox/organizations/org-1/customers/messages') {
      return json({
        data: posted.map((p, i) => ({
          id: `wamid.C${i + 1}`,
          phone_number_id: 'PN1',
          from: p.from,
          message: { type: p.type, timestamp: String(200 + i), [String(p.type)]: p[String(p.type)] },
        })),
      });
    }
    return Promise.resolve(new Response('{}', { status: 404 }));
  });
  return { fetchStub, posted };
}

async function renderPhone(whatsapp: WhatsAppConfig) {
  const view = await render(
    <RuntimeConfigContext.Provider value={{ oidc: null, version: 'test', whatsapp }}>
      {withApp({
        client: testClient(graphqlServer().fetch),
        url: '/orgs/org-1/inbox',
        path: '/orgs/:orgId/*',
        element: (
          <CustomerPhoneProvider>
            <CustomerPhoneToggle />
            <CustomerPhonePanel />
          </CustomerPhoneProvider>
        ),
      })}
    </RuntimeConfigContext.Provider>,
  );
  return view;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('CustomerPhonePanel', () => {
  it('is absent unless the server runs the sandbox', async () => {
    const view = await renderPhone(NO_WHATSAPP);
    expect(view.byTestId('customer-phone-toggle')).toBeNull();
    expect(view.byTestId('customer-phone')).toBeNull();
    await view.unmount();
  });

  it('shows what the business sent and writes in as the customer', async () => {
    const { fetchStub, posted } = sandbox();
    vi.stubGlobal('fetch', fetchStub);
    const view = await renderPhone({ appId: null, configId: null, sandbox: true });
    await click(view.byTestId('customer-phone-toggle'));
    expect(view.byTestId('customer-phone')).not.toBeNull();
    expect((view.byTestId('customer-phone-number') as HTMLInputElement).value).toBe('15550001111');
    await waitFor(() => expect(view.allByTestId('customer-phone-message')).toHaveLength(1));
    expect(view.byTestId('customer-phone-message')?.getAttribute('data-from')).toBe('business');

    await typeInto(view.byTestId('customer-phone-input'), 'Do you deliver?');
    await click(view.byTestId('customer-phone-send'));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      phone_number_id: 'PN1',
      from: '15550001111',
      name: 'Sam Customer',
      type: 'text',
      text: { body: 'Do you deliver?' },
    });
    await waitFor(() => expect(view.allByTestId('customer-phone-message')).toHaveLength(2));
    const authorized = fetchStub.mock.calls.every(([, init]) => new Headers(init?.headers).get('authorization') === 'Bearer test-token');
    expect(authorized).toBe(true);

    await click(view.byTestId('customer-phone-more'));
    await click(view.byTestId('customer-phone-react'));
    await waitFor(() => expect(posted).toHaveLength(2));
    expect(posted[1]).toMatchObject({ type: 'reaction', reaction: { message_id: 'wamid.B1', emoji: '👍' } });
    await view.unmount();
  });
});
