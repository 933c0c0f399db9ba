import { useEffect, useId, useRef, useState } from 'react';
import { Link, useMatch } from 'react-router';

import { BellIcon } from '@/components/ui/icons';
import { useNotifications } from '@/features/notifications/hooks/use-notifications';

/** The unread count as the badge shows it: at most "99+" (the server counts up to 100). */
export function unreadLabel(unread: number): string {
  return unread > 99 ? '99+' : String(unread);
}

/** The top bar's bell for the organization in the address; nothing outside one. */
export function NotificationBell() {
  const match = useMatch('/orgs/:orgId/*');
  const orgId = match?.params.orgId;
  if (!orgId || orgId === 'new') return null;
  return <Bell key={orgId} orgId={orgId} />;
}

function Bell({ orgId }: { orgId: string }) {
  const { notifications, unread, refresh, markRead } = useNotifications(orgId);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const headingId = useId();
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const label = unread > 0 ? `Notifications, ${unreadLabel(unread)} unread` : 'Notifications';
  return (
    <div className="notification-bell" ref={rootRef}>
      <button
        type="button"
        className={open ? 'topbar-tool topbar-tool-active' : 'topbar-tool'}
        aria-label={label}
        aria-expanded={open}
        // The panel is only in the page while open; pointing at a missing id is invalid ARIA.
        aria-controls={open ? panelId : undefined}
        title="Notifications"
        onClick={() => {
          if (!open) refresh();
          setOpen((v) => !v);
        }}
        data-testid="notification-bell"
      >
        <BellIcon width={18} height={18} />
        {unread > 0 ? (
          <span className="badge notification-count" aria-hidden="true" data-testid="notification-count">
            {unreadLabel(unread)}
          </span>
        ) : null}
      </button>
      {open ? (
        <section className="menu notification-panel" id={panelId} aria-labelledby={headingId} data-testid="notification-panel">
          <div className="menu-header notification-panel-header">
            <h2 id={headingId} className="notification-panel-title">
              Notifications
            </h2>
            {unread > 0 ? (
              <button type="button" className="link-button" onClick={() => void markRead(null)} data-testid="notifications-mark-all">
                Mark all read
              </button>
            ) : null}
          </div>
          {notifications.length === 0 ? (
            <p className="muted notification-empty">Nothing new.</p>
          ) : (
            <ul className="notification-list">
              {notifications.map((n) => (
                <li key={n.id} className={n.readAt ? 'notification' : 'notification notification-unread'} data-testid="notification">
                  {n.campaignId ? (
                    <Link
                      to={`/orgs/${encodeURIComponent(orgId)}/campaigns/${encodeURIComponent(n.campaignId)}`}
                      className="notification-link"
                      onClick={() => {
                        setOpen(false);
                        if (!n.readAt) void markRead([n.id]);
                      }}
                    >
                      <strong>{n.title}</strong>
                      <span className="notification-body">{n.body}</span>
                    </Link>
                  ) : (
                    <div className="notification-link">
                      <strong>{n.title}</strong>
                      <span className="notification-body">{n.body}</span>
                    </div>
                  )}
                  <time className="muted notification-time" dateTime={n.createdAt}>
                    {new Date(n.createdAt).toLocaleString()}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
