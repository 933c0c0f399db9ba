// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { NotificationBell, unreadLabel } from '@/features/notifications/components/notification-bell';
import { stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { click, render, waitFor } from '@/test/render';

function notification(id: string, campaignId: string, readAt: string | null) {
  return {
    __typename: 'Notification',
    id,
    kind: 'CAMPAIGN_PAUSED',
    title: `Campaign “Sale ${id}” paused`,
    body: 'Meta answered 131031: Business Account locked',
    campaignId,
    createdAt: '2026-12-04T10:00:00Z',
    readAt,
  };
}

function bell(unread: number, notifications: ReturnType<typeof notification>[]) {
  return { data: { organization: { __typename: 'Organization', id: 'org-1', unreadNotifications: unread, notifications } } };
}

async function renderBell(responders: Parameters<typeof stubGraphqlFetch>[0]) {
  const stub = stubGraphqlFetch(responders);
  const view = await render(
    withApp({ client: testClient(stub.fetch), url: '/orgs/org-1/inbox', path: '/orgs/:orgId/*', element: <NotificationBell /> }),
  );
  return { view, calls: stub.calls };
}

describe('NotificationBell', () => {
  it('shows the unread count, lists notifications linking to their campaign and marks one read when followed', async () => {
    let unread = 2;
    const { view, calls } = await renderBell({
      NotificationBell: () => bell(unread, [notification('n-1', 'c-1', null), notification('n-2', 'c-2', null)]),
      MarkNotificationsRead: () => {
        unread = 1;
        return { data: { markNotificationsRead: 1 } };
      },
    });
    await waitFor(() => expect(view.byTestId('notification-count')?.textContent).toBe('2'));
    const button = view.byTestId('notification-bell')!;
    expect(button.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(button.getAttribute('aria-expanded')).toBe('false');

    await click(button);
    await waitFor(() => expect(view.allByTestId('notification')).toHaveLength(2));
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.getAttribute('aria-controls')).toBe(view.byTestId('notification-panel')!.id);
    const link = view.allByTestId('notification')[0]!.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('/orgs/org-1/campaigns/c-1');
    expect(link.textContent).toContain('Business Account locked');

    await click(link);
    await waitFor(() => expect(calls.some((c) => c.operationName === 'MarkNotificationsRead')).toBe(true));
    const mark = calls.find((c) => c.operationName === 'MarkNotificationsRead')!;
    expect(mark.variables).toEqual({ organizationId: 'org-1', ids: ['n-1'] });
    await waitFor(() => expect(view.byTestId('notification-count')?.textContent).toBe('1'));
  });

  it('has no badge when all is read and marks all read at once', async () => {
    const { view } = await renderBell({ NotificationBell: () => bell(0, [notification('n-1', 'c-1', '2026-12-04T11:00:00Z')]) });
    await waitFor(() => expect(view.byTestId('notification-bell')?.getAttribute('aria-label')).toBe('Notifications'));
    expect(view.byTestId('notification-count')).toBeNull();
    await click(view.byTestId('notification-bell'));
    await waitFor(() => expect(view.allByTestId('notification')).toHaveLength(1));
    expect(view.byTestId('notifications-mark-all')).toBeNull();
  });

  it('caps the count at 99+', () => {
    expect(unreadLabel(5)).toBe('5');
    expect(unreadLabel(100)).toBe('99+');
  });
});
