import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';

import { ButtonLink } from '@/components/ui/button';
import { BuildingIcon, ChevronDownIcon, LogOutIcon, PlusIcon, UserIcon } from '@/components/ui/icons';
import type { Role } from '@/gql/graphql';
import { useAuth } from '@/lib/auth-context';
import { displayName, initials } from '@/lib/format';
import { ROLE_LABELS } from '@/lib/roles';

interface MembershipOption {
  role: Role;
  organization: { id: string; name: string };
}

interface TopBarUser {
  name?: string | null;
  email?: string | null;
}

const NEW_ORGANIZATION = '__new__';

function OrganizationSwitcher({
  memberships,
  activeOrgId,
}: {
  memberships: readonly MembershipOption[];
  activeOrgId: string | null;
}) {
  const navigate = useNavigate();
  if (memberships.length === 0) {
    return (
      <ButtonLink to="/orgs/new" size="sm" icon={<PlusIcon width={16} height={16} />} data-testid="org-switcher-create">
        Create organization
      </ButtonLink>
    );
  }
  return (
    <div className="org-switcher">
      <BuildingIcon className="org-switcher-icon" />
      <select
        className="org-switcher-select"
        aria-label="Switch organization"
        data-testid="org-switcher"
        value={activeOrgId ?? ''}
        onChange={(event) => {
          const value = event.target.value;
          void navigate(value === NEW_ORGANIZATION ? '/orgs/new' : `/orgs/${encodeURIComponent(value)}`);
        }}
      >
        {activeOrgId && !memberships.some((m) => m.organization.id === activeOrgId) ? (
          <option value={activeOrgId} disabled>
            Select an organization
          </option>
        ) : null}
        {memberships.map((m) => (
          <option key={m.organization.id} value={m.organization.id} data-testid="org-switcher-option">
            {m.organization.name} · {ROLE_LABELS[m.role]}
          </option>
        ))}
        <option value={NEW_ORGANIZATION}>+ New organization…</option>
      </select>
      <ChevronDownIcon className="org-switcher-chevron" width={16} height={16} />
    </div>
  );
}

function UserMenu({ user }: { user: TopBarUser | null }) {
  const { profile, signOut } = useAuth();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const person = { name: user?.name ?? profile?.name ?? null, email: user?.email ?? profile?.email ?? null };

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

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        type="button"
        className="user-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((v) => !v)}
        data-testid="user-menu"
      >
        <span className="avatar" aria-hidden="true">
          {initials(person)}
        </span>
        <span className="user-menu-name">{displayName(person)}</span>
        <ChevronDownIcon width={16} height={16} />
      </button>
      {open ? (
        <div className="menu" id={menuId} role="menu">
          <div className="menu-header">
            <strong>{displayName(person)}</strong>
            {person.email ? <span className="muted">{person.email}</span> : null}
          </div>
          <Link
            to="/profile"
            role="menuitem"
            className="menu-item"
            onClick={() => setOpen(false)}
            data-testid="user-menu-profile"
          >
            <UserIcon width={16} height={16} /> Profile
          </Link>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => void signOut()}
            data-testid="sign-out-button"
          >
            <LogOutIcon width={16} height={16} /> Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function TopBar({
  memberships,
  activeOrgId,
  user,
  extra,
}: {
  memberships: readonly MembershipOption[];
  activeOrgId: string | null;
  user: TopBarUser | null;
  /** Page-independent tools before the user menu. */
  extra?: ReactNode;
}) {
  return (
    <header className="topbar" data-testid="topbar">
      <OrganizationSwitcher memberships={memberships} activeOrgId={activeOrgId} />
      <div className="topbar-spacer" />
      {extra}
      <UserMenu user={user} />
    </header>
  );
}
