import type { ReactNode } from 'react';
import { NavLink } from 'react-router';

import {
  BookIcon,
  BotIcon,
  BuildingIcon,
  ChatIcon,
  ContactsIcon,
  HomeIcon,
  InboxIcon,
  KeyIcon,
  ListIcon,
  LogoMark,
  MegaphoneIcon,
  PanelLeftIcon,
  PlusIcon,
  SettingsIcon,
  TagIcon,
  UserIcon,
  UsersIcon,
} from '@/components/ui/icons';
import type { Role } from '@/gql/graphql';
import { permissionsFor } from '@/lib/roles';

/** A count on a link, e.g. unread messages; "99+" beyond 99. */
function NavBadge({ count, testId }: { count: number; testId: string }) {
  return (
    <span className="nav-badge" data-testid={testId} data-count={count}>
      {count > 99 ? '99+' : count}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}

function NavItem({
  to,
  end,
  icon,
  label,
  testId,
  collapsed,
  badge,
}: {
  to: string;
  end?: boolean;
  icon: ReactNode;
  label: string;
  testId: string;
  collapsed: boolean;
  /** Shown when above zero. */
  badge?: number | null;
}) {
  const counted = badge != null && badge > 0 ? `${label} (${badge} unread)` : label;
  return (
    <li>
      <NavLink
        to={to}
        end={end}
        className={({ isActive }) => (isActive ? 'nav-link nav-link-active' : 'nav-link')}
        data-testid={testId}
        title={collapsed ? counted : undefined}
        // Expanded, the name is the visible text (the badge says "unread" to screen readers), so
        // it contains what is seen; collapsed, only the icon and badge show.
        aria-label={collapsed ? counted : undefined}
      >
        {icon}
        <span className="nav-label">{label}</span>{' '}
        {badge != null && badge > 0 ? <NavBadge count={badge} testId={`${testId}-unread`} /> : null}
      </NavLink>
    </li>
  );
}

export function Sidebar({
  collapsed,
  onToggle,
  orgId,
  orgName,
  role,
  version,
  inboxUnread = null,
}: {
  collapsed: boolean;
  onToggle: () => void;
  orgId: string | null;
  orgName: string | null;
  role: Role | null;
  version: string;
  /** Unread inbox messages of the organization, when known. */
  inboxUnread?: number | null;
}) {
  const can = permissionsFor(role);
  const base = orgId ? `/orgs/${encodeURIComponent(orgId)}` : null;
  return (
    <aside className="sidebar" id="sidebar" aria-label="Main navigation" data-testid="sidebar">
      <div className="sidebar-brand">
        <LogoMark />
        <span className="sidebar-brand-name">WAgent</span>
      </div>
      <button
        type="button"
        className="sidebar-toggle"
        onClick={onToggle}
        aria-controls="sidebar"
        aria-expanded={!collapsed}
        aria-label={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
        title={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
        data-testid="sidebar-toggle"
      >
        <PanelLeftIcon />
      </button>
      <nav className="sidebar-nav">
        {base ? (
          <>
            <p className="nav-section" title={orgName ?? undefined}>
              <BuildingIcon width={14} height={14} />
              <span className="nav-label">{orgName ?? 'Organization'}</span>
            </p>
            <ul className="nav-list">
              <NavItem to={base} end icon={<HomeIcon />} label="Overview" testId="nav-overview" collapsed={collapsed} />
              <NavItem
                to={`${base}/inbox`}
                icon={<InboxIcon />}
                label="Inbox"
                testId="nav-inbox"
                collapsed={collapsed}
                badge={inboxUnread}
              />
              <NavItem
                to={`${base}/contacts`}
                icon={<ContactsIcon />}
                label="Contacts"
                testId="nav-contacts"
                collapsed={collapsed}
              />
              <NavItem
                to={`${base}/segments`}
                icon={<TagIcon />}
                label="Segments"
                testId="nav-segments"
                collapsed={collapsed}
              />
              <NavItem
                to={`${base}/campaigns`}
                icon={<MegaphoneIcon />}
                label="Campaigns"
                testId="nav-campaigns"
                collapsed={collapsed}
              />
              <NavItem
                to={`${base}/knowledge`}
                icon={<BookIcon />}
                label="Knowledge"
                testId="nav-knowledge"
                collapsed={collapsed}
              />
              <NavItem
                to={`${base}/agents`}
                icon={<BotIcon />}
                label="AI agents"
                testId="nav-agents"
                collapsed={collapsed}
              />
              <NavItem
                to={`${base}/whatsapp`}
                icon={<ChatIcon />}
                label="WhatsApp"
                testId="nav-whatsapp"
                collapsed={collapsed}
              />
              <NavItem
                to={`${base}/members`}
                icon={<UsersIcon />}
                label="Members"
                testId="nav-members"
                collapsed={collapsed}
              />
              {can.manageApiTokens ? (
                <NavItem
                  to={`${base}/api-tokens`}
                  icon={<KeyIcon />}
                  label="API tokens"
                  testId="nav-api-tokens"
                  collapsed={collapsed}
                />
              ) : null}
              {can.viewAuditLog ? (
                <NavItem
                  to={`${base}/audit-log`}
                  icon={<ListIcon />}
                  label="Audit log"
                  testId="nav-audit-log"
                  collapsed={collapsed}
                />
              ) : null}
              {can.renameOrganization ? (
                <NavItem
                  to={`${base}/settings`}
                  icon={<SettingsIcon />}
                  label="Settings"
                  testId="nav-settings"
                  collapsed={collapsed}
                />
              ) : null}
            </ul>
          </>
        ) : null}
        <p className="nav-section">
          <UserIcon width={14} height={14} />
          <span className="nav-label">Account</span>
        </p>
        <ul className="nav-list">
          <NavItem to="/profile" icon={<UserIcon />} label="Profile" testId="nav-profile" collapsed={collapsed} />
          <NavItem
            to="/orgs/new"
            icon={<PlusIcon />}
            label="New organization"
            testId="nav-new-organization"
            collapsed={collapsed}
          />
        </ul>
      </nav>
      <p className="sidebar-footer">
        <span className="nav-label">WAgent {version}</span>
      </p>
    </aside>
  );
}
