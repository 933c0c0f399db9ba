// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { ContactsPage } from '@/features/contacts/components/contacts-page';
import type { Role } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext, stubGraphqlFetch, testClient, withApp, type GraphqlCall } from '@/test/graphql';
import { render, typeInto, waitFor } from '@/test/render';

const ANA = {
  __typename: 'Contact',
  id: 'c-1',
  waId: '5511987650001',
  phone: '5511987650001',
  name: 'Ana Souza',
  profileName: null,
  displayName: 'Ana Souza',
  country: 'BR',
  tags: ['vip', 'loja centro'],
  marketing: 'OPTED_IN',
  lastInboundAt: null,
};

function contacts(nodes: unknown[], hasNextPage = false) {
  return (_call: GraphqlCall) => ({
    data: {
      organization: {
        __typename: 'Organization',
        id: 'org-1',
        contacts: {
          __typename: 'ContactConnection',
          nodes,
          pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: hasNextPage ? 'cursor-1' : null },
        },
      },
    },
  });
}

async function renderAs(viewerRole: Role, responder: (call: GraphqlCall) => unknown) {
  const stub = stubGraphqlFetch({ Contacts: responder });
  const view = await render(
    withApp({
      client: testClient(stub.fetch),
      url: '/orgs/org-1/contacts',
      path: '/orgs/:orgId/contacts',
      element: (
        <OrganizationContext.Provider value={organizationContext({ viewerRole })}>
          <ContactsPage />
        </OrganizationContext.Provider>
      ),
    }),
  );
  return { view, stub };
}

describe('ContactsPage', () => {
  it('points an Admin to the import when there are no contacts, and not a Member', async () => {
    const admin = await renderAs('ADMIN', contacts([]));
    await waitFor(() => expect(admin.view.byTestId('contacts-empty')).not.toBeNull());
    expect(admin.view.allByTestId('contacts-import')).toHaveLength(2);
    await admin.view.unmount();

    const member = await renderAs('MEMBER', contacts([]));
    await waitFor(() => expect(member.view.byTestId('contacts-empty')).not.toBeNull());
    expect(member.view.byTestId('contacts-import')).toBeNull();
    expect(member.view.byTestId('contacts-empty')?.textContent).toContain('An Admin or Owner');
    await member.view.unmount();
  });

  it('lists contacts with their tags and consent, filters them, and offers the next page', async () => {
    const { view, stub } = await renderAs('MEMBER', contacts([ANA], true));
    await waitFor(() => expect(view.allByTestId('contact-row')).toHaveLength(1));
    const row = view.byTestId('contact-row');
    expect(row?.getAttribute('data-phone')).toBe('5511987650001');
    expect(view.byTestId('contact-row-phone')?.textContent).toBe('+5511987650001');
    expect(view.allByTestId('contact-tag').map((t) => t.getAttribute('data-tag'))).toEqual(['vip', 'loja centro']);
    expect(view.byTestId('contact-row-marketing')?.getAttribute('data-marketing')).toBe('OPTED_IN');
    expect(view.byTestId('contacts-load-more')).not.toBeNull();

    await typeInto(view.byTestId('contacts-filter-tag'), 'VIP');
    await typeInto(view.byTestId('contacts-filter-marketing'), 'OPTED_IN');
    await waitFor(() =>
      expect(stub.calls.at(-1)?.variables.filter).toEqual({ marketing: 'OPTED_IN', tags: ['vip'] }),
    );
    await view.unmount();
  });
});
