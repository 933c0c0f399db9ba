// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { MembersPage } from '@/features/members/components/members-page';
import type { Role } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext, stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { render, waitFor } from '@/test/render';

const user = (id: string, name: string) => ({ __typename: 'User', id, name, email: `${id}@example.com` });

function server(viewerRole: Role) {
  return stubGraphqlFetch({
    Viewer: () => ({
      data: {
        viewer: {
          __typename: 'Viewer',
          kind: 'USER',
          user: user('me', 'Me'),
          memberships: [],
        },
      },
    }),
    OrganizationMembers: () => ({
      data: {
        organization: {
          __typename: 'Organization',
          id: 'org-1',
          members: {
            __typename: 'MemberConnection',
            nodes: [
              {
                __typename: 'Member',
                role: viewerRole === 'OWNER' ? 'ADMIN' : 'OWNER',
                joinedAt: '2025-01-01T00:00:00Z',
                user: user('owner', 'Olga'),
              },
              { __typename: 'Member', role: viewerRole, joinedAt: '2025-01-02T00:00:00Z', user: user('me', 'Me') },
              { __typename: 'Member', role: 'MEMBER', joinedAt: '2025-01-03T00:00:00Z', user: user('m2', 'Max') },
            ],
            pageInfo: { __typename: 'PageInfo', hasNextPage: false },
          },
        },
      },
    }),
    OrganizationInvitations: () => ({
      data: {
        organization: {
          __typename: 'Organization',
          id: 'org-1',
          invitations: {
            __typename: 'InvitationConnection',
            nodes: [
              {
                __typename: 'Invitation',
                id: 'inv-1',
                email: 'new@example.com',
                role: 'MEMBER',
                status: 'PENDING',
                createdAt: '2025-01-04T00:00:00Z',
                expiresAt: '2030-01-04T00:00:00Z',
                invitedBy: user('me', 'Me'),
              },
              {
                __typename: 'Invitation',
                id: 'inv-2',
                email: 'old@example.com',
                role: 'MEMBER',
                status: 'REVOKED',
                createdAt: '2025-01-04T00:00:00Z',
                expiresAt: '2030-01-04T00:00:00Z',
                invitedBy: null,
              },
            ],
            pageInfo: { __typename: 'PageInfo', hasNextPage: false },
          },
        },
      },
    }),
  });
}

async function renderAs(viewerRole: Role) {
  const stub = server(viewerRole);
  const view = await render(
    withApp({
      client: testClient(stub.fetch),
      url: '/orgs/org-1/members',
      path: '/orgs/:orgId/members',
      element: (
        <OrganizationContext.Provider value={organizationContext({ viewerRole })}>
          <MembersPage />
        </OrganizationContext.Provider>
      ),
    }),
  );
  await waitFor(() => expect(view.allByTestId('member-row')).toHaveLength(3));
  return { view, stub };
}

describe('MembersPage', () => {
  it('gives a Member the list and the leave button, but no management controls', async () => {
    const { view, stub } = await renderAs('MEMBER');
    expect(view.byTestId('leave-organization')).not.toBeNull();
    expect(view.byTestId('invite-member-form')).toBeNull();
    expect(view.allByTestId('member-role-select')).toHaveLength(0);
    expect(view.allByTestId('member-remove')).toHaveLength(0);
    expect(view.byTestId('pending-invitations')).toBeNull();
    expect(stub.calls.some((c) => c.operationName === 'OrganizationInvitations')).toBe(false);
    await view.unmount();
  });

  it('lets an Admin manage other non-owners and see pending invitations only', async () => {
    const { view } = await renderAs('ADMIN');
    expect(view.byTestId('invite-member-form')).not.toBeNull();
    const rowFor = (id: string) => view.container.querySelector(`[data-testid="member-row"][data-user-id="${id}"]`);
    expect(rowFor('m2')?.querySelector('[data-testid="member-role-select"]')).not.toBeNull();
    expect(rowFor('m2')?.querySelector('[data-testid="member-remove"]')).not.toBeNull();
    expect(rowFor('owner')?.querySelector('[data-testid="member-role-select"]')).toBeNull();
    expect(rowFor('me')?.querySelector('[data-testid="member-remove"]')).toBeNull();
    expect(view.allByTestId('member-transfer-ownership')).toHaveLength(0);
    await waitFor(() => expect(view.allByTestId('invitation-row')).toHaveLength(1));
    expect(view.byTestId('invitation-revoke')).not.toBeNull();
    await view.unmount();
  });

  it('lets the Owner transfer ownership to anyone but themselves', async () => {
    const { view } = await renderAs('OWNER');
    const withTransfer = view
      .allByTestId('member-transfer-ownership')
      .map((button) => button.closest('tr')?.getAttribute('data-user-id'));
    expect(withTransfer).toEqual(['owner', 'm2']);
    await view.unmount();
  });
});
