import { type ReactNode, Suspense } from 'react';
import { Outlet, useMatch } from 'react-router';

import { Sidebar } from '@/components/layout/sidebar';
import { TopBar } from '@/components/layout/top-bar';
import { LoadingState } from '@/components/ui/feedback';
import { useInboxUnreadCount } from '@/lib/inbox-unread';
import { useSidebarState } from '@/lib/use-sidebar-state';
import { useViewer } from '@/lib/viewer';

/**
 * The signed-in dashboard: sidebar, top bar, and the page. `topBarExtra` sits in the top bar
 * and `aside` beside the page (the sandbox's customer phone uses both).
 */
export function AppShell({ version, topBarExtra, aside }: { version: string; topBarExtra?: ReactNode; aside?: ReactNode }) {
  const { viewer } = useViewer();
  const sidebar = useSidebarState();
  const orgMatch = useMatch('/orgs/:orgId/*');
  const routeOrgId = orgMatch?.params.orgId;
  const memberships = viewer?.memberships ?? [];
  // Pages outside an organization (profile, new organization) keep showing the first one.
  const activeOrgId = routeOrgId && routeOrgId !== 'new' ? routeOrgId : (memberships[0]?.organization.id ?? null);
  const activeMembership = memberships.find((m) => m.organization.id === activeOrgId) ?? null;
  const inboxUnread = useInboxUnreadCount(activeMembership ? activeOrgId : null);

  return (
    <div className={`shell ${sidebar.state === 'collapsed' ? 'shell-collapsed' : ''}`} data-sidebar={sidebar.state}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar
        collapsed={sidebar.state === 'collapsed'}
        onToggle={sidebar.toggle}
        orgId={activeOrgId}
        orgName={activeMembership?.organization.name ?? null}
        role={activeMembership?.role ?? null}
        version={version}
        inboxUnread={inboxUnread}
      />
      <div className="shell-body">
        <TopBar memberships={memberships} activeOrgId={activeOrgId} user={viewer?.user ?? null} extra={topBarExtra} />
        <div className="shell-content">
          <main id="main" className="main" tabIndex={-1}>
            <Suspense fallback={<LoadingState />}>
              <Outlet />
            </Suspense>
          </main>
          {aside}
        </div>
      </div>
    </div>
  );
}
