import { Outlet, useMatch } from 'react-router';

import { Sidebar } from '@/components/layout/sidebar';
import { TopBar } from '@/components/layout/top-bar';
import { useSidebarState } from '@/lib/use-sidebar-state';
import { useViewer } from '@/lib/viewer';

/** The signed-in dashboard: sidebar, top bar, and the page. */
export function AppShell({ version }: { version: string }) {
  const { viewer } = useViewer();
  const sidebar = useSidebarState();
  const orgMatch = useMatch('/orgs/:orgId/*');
  const routeOrgId = orgMatch?.params.orgId;
  const memberships = viewer?.memberships ?? [];
  // Pages outside an organization (profile, new organization) keep showing the first one.
  const activeOrgId = routeOrgId && routeOrgId !== 'new' ? routeOrgId : (memberships[0]?.organization.id ?? null);
  const activeMembership = memberships.find((m) => m.organization.id === activeOrgId) ?? null;

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
      />
      <div className="shell-body">
        <TopBar memberships={memberships} activeOrgId={activeOrgId} user={viewer?.user ?? null} />
        <main id="main" className="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
