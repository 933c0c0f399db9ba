// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { AcceptInvitationPage } from '@/features/invitations/components/accept-invitation-page';
import { stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { click, render, waitFor } from '@/test/render';

const viewer = {
  data: {
    viewer: {
      __typename: 'Viewer',
      kind: 'USER',
      user: { __typename: 'User', id: 'u1', name: 'Ana Lima', email: 'ana@example.com' },
      memberships: [],
    },
  },
};

const preview = {
  data: {
    invitation: {
      __typename: 'InvitationPreview',
      organizationName: 'Acme Foods',
      email: 'ana@example.com',
      role: 'ADMIN',
      status: 'PENDING',
      expiresAt: '2030-01-01T00:00:00Z',
    },
  },
};

function page(client: ReturnType<typeof testClient>, url: string) {
  return withApp({ client, url, path: '/invitations/accept', element: <AcceptInvitationPage /> });
}

describe('AcceptInvitationPage', () => {
  it('shows the organization and role, then accepts and goes to the organization', async () => {
    const server = stubGraphqlFetch({
      Viewer: () => viewer,
      InvitationPreview: () => preview,
      AcceptInvitation: () => ({
        data: {
          acceptInvitation: {
            __typename: 'Membership',
            role: 'ADMIN',
            organization: { __typename: 'Organization', id: 'org-9', name: 'Acme Foods' },
          },
        },
      }),
    });
    const view = await render(page(testClient(server.fetch), '/invitations/accept#token=tok%2B1'));
    await waitFor(() => expect(view.byTestId('invitation-organization')?.textContent).toBe('Acme Foods'));
    expect(view.byTestId('invitation-role')?.textContent).toBe('Admin');
    expect(server.calls.find((c) => c.operationName === 'InvitationPreview')?.variables).toEqual({ token: 'tok+1' });

    await click(view.byTestId('accept-invitation'));
    await waitFor(() => expect(view.byTestId('navigated-elsewhere')).not.toBeNull());
    expect(server.calls.find((c) => c.operationName === 'AcceptInvitation')?.variables).toEqual({
      input: { token: 'tok+1' },
    });
    await view.unmount();
  });

  it("shows the server's message when the invitation is for another email", async () => {
    const server = stubGraphqlFetch({
      Viewer: () => viewer,
      InvitationPreview: () => preview,
      AcceptInvitation: () => ({
        data: null,
        errors: [{ message: 'This invitation is for another email address', extensions: { code: 'FORBIDDEN' } }],
      }),
    });
    const view = await render(page(testClient(server.fetch), '/invitations/accept#token=abc'));
    await waitFor(() => expect(view.byTestId('accept-invitation')).not.toBeNull());
    await click(view.byTestId('accept-invitation'));
    await waitFor(() =>
      expect(view.byTestId('invitation-error')?.textContent).toBe('This invitation is for another email address'),
    );
    expect(view.byTestId('forbidden')).toBeNull();
    await view.unmount();
  });

  it('warns before accepting when the signed-in email differs from the invited one', async () => {
    const server = stubGraphqlFetch({
      Viewer: () => viewer,
      InvitationPreview: () => ({
        data: { invitation: { ...preview.data.invitation, email: 'bob@example.com' } },
      }),
    });
    const view = await render(page(testClient(server.fetch), '/invitations/accept#token=abc'));
    await waitFor(() => expect(view.byTestId('invitation-email-mismatch')).not.toBeNull());
    expect(view.byTestId('invitation-email-mismatch')?.textContent).toContain('bob@example.com');
    await view.unmount();
  });

  it('explains a link without a token', async () => {
    const server = stubGraphqlFetch({ Viewer: () => viewer });
    const view = await render(page(testClient(server.fetch), '/invitations/accept'));
    expect(view.byTestId('invitation-problem')?.textContent).toContain('incomplete');
    expect(server.calls.some((c) => c.operationName === 'InvitationPreview')).toBe(false);
    await view.unmount();
  });
});
