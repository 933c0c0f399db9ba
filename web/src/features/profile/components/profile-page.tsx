import { Link } from 'react-router';

import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { BuildingIcon, LogOutIcon, PlusIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { RoleBadge } from '@/components/ui/role-badge';
import { useAuth } from '@/lib/auth-context';
import { initials } from '@/lib/format';
import { useViewer } from '@/lib/viewer';

/** `/profile`. */
export function ProfilePage() {
  const { profile, signOut } = useAuth();
  const { viewer, error, refresh } = useViewer();

  if (!viewer) return error ? <ErrorPanel error={error} onRetry={refresh} /> : <LoadingState />;

  const name = viewer.user?.name ?? profile?.name ?? null;
  const email = viewer.user?.email ?? profile?.email ?? null;

  return (
    <div className="page page-narrow">
      <PageHeader
        title="Profile"
        actions={
          <Button icon={<LogOutIcon width={16} height={16} />} onClick={() => void signOut()} data-testid="profile-sign-out">
            Sign out
          </Button>
        }
      />
      <Card
        title="Your account"
        description="Your name and email come from your identity provider; change them there."
        testId="profile-account"
      >
        <div className="profile">
          <span className="avatar avatar-lg" aria-hidden="true">
            {initials({ name, email })}
          </span>
          <dl className="details">
            <dt>Name</dt>
            <dd data-testid="profile-name">{name ?? 'Not provided'}</dd>
            <dt>Email</dt>
            <dd data-testid="profile-email">{email ?? 'Not provided'}</dd>
          </dl>
        </div>
      </Card>
      <Card
        title="Organizations"
        actions={
          <ButtonLink to="/orgs/new" size="sm" icon={<PlusIcon width={16} height={16} />}>
            New organization
          </ButtonLink>
        }
        testId="profile-memberships"
      >
        {viewer.memberships.length === 0 ? (
          <EmptyState icon={<BuildingIcon width={28} height={28} />} title="No organizations yet">
            <p>Create one, or open an invitation link a colleague sent you.</p>
          </EmptyState>
        ) : (
          <ul className="membership-list">
            {viewer.memberships.map((m) => (
              <li key={m.organization.id} data-testid="profile-membership" data-organization-id={m.organization.id}>
                <span className="avatar avatar-sm avatar-square" aria-hidden="true">
                  {initials({ name: m.organization.name })}
                </span>
                <Link to={`/orgs/${encodeURIComponent(m.organization.id)}`} className="membership-name">
                  {m.organization.name}
                </Link>
                <RoleBadge role={m.role} testId="profile-membership-role" />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
