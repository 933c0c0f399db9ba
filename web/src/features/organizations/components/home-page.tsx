import { Navigate } from 'react-router';

import { ButtonLink } from '@/components/ui/button';
import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { BuildingIcon, PlusIcon } from '@/components/ui/icons';
import { EmptyState } from '@/components/ui/layout';
import { useViewer } from '@/lib/viewer';

/** `/`: straight into the first organization, or onboarding when there is none. */
export function HomePage() {
  const { viewer, fetching, error, refresh } = useViewer();
  if (!viewer && fetching) return <LoadingState />;
  if (!viewer) return error ? <ErrorPanel error={error} onRetry={refresh} /> : <LoadingState />;

  const first = viewer.memberships[0];
  if (first) return <Navigate to={`/orgs/${encodeURIComponent(first.organization.id)}`} replace />;

  return (
    <div className="page page-narrow">
      <EmptyState
        icon={<BuildingIcon width={32} height={32} />}
        title="Create your first organization"
        testId="onboarding"
        action={
          <ButtonLink
            to="/orgs/new"
            variant="primary"
            icon={<PlusIcon width={16} height={16} />}
            data-testid="onboarding-create-organization"
          >
            Create organization
          </ButtonLink>
        }
      >
        <p>
          An organization holds your team, your API tokens and, soon, your WhatsApp campaigns. Create one for your
          company to get started; you will be its Owner.
        </p>
        <p className="muted">
          Joining a colleague&rsquo;s organization instead? Open the invitation link they sent you while signed in with
          the invited email address.
        </p>
      </EmptyState>
    </div>
  );
}
