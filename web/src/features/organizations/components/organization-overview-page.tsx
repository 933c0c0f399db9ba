import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { ErrorPanel } from '@/components/ui/feedback';
import { ArrowRightIcon, CheckIcon, KeyIcon, UsersIcon } from '@/components/ui/icons';
import { Card, PageHeader } from '@/components/ui/layout';
import { RoleBadge } from '@/components/ui/role-badge';
import {
  OrganizationOverviewDocument,
  OrganizationSetupDocument,
} from '@/features/organizations/api/organizations';
import { formatDate } from '@/lib/format';
import { useCurrentOrganization, useOrganizationEvents } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

function Stat({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
    </div>
  );
}

function NextStep({
  to,
  done,
  icon,
  title,
  body,
  testId,
}: {
  to: string;
  done: boolean;
  icon: ReactNode;
  title: string;
  body: string;
  testId: string;
}) {
  return (
    <li>
      <Link to={to} className={done ? 'next-step next-step-done' : 'next-step'} data-testid={testId}>
        <span className="next-step-icon">{done ? <CheckIcon /> : icon}</span>
        <span className="next-step-text">
          <strong>{title}</strong>
          <span className="muted">{body}</span>
        </span>
        <ArrowRightIcon className="next-step-arrow" />
      </Link>
    </li>
  );
}

/** `/orgs/:orgId`. */
export function OrganizationOverviewPage() {
  const { organization } = useCurrentOrganization();
  const admin = isAdminOrOwner(organization.viewerRole);
  const base = `/orgs/${encodeURIComponent(organization.id)}`;

  const [overview, refetchOverview] = useQuery({ query: OrganizationOverviewDocument, variables: { id: organization.id } });
  const [setup, refetchSetup] = useQuery({
    query: OrganizationSetupDocument,
    variables: { id: organization.id },
    pause: !admin,
  });
  useOrganizationEvents(['MEMBERS_CHANGED', 'INVITATIONS_CHANGED', 'API_TOKENS_CHANGED'], () => {
    refetchOverview({ requestPolicy: 'network-only' });
    if (admin) refetchSetup({ requestPolicy: 'network-only' });
  });

  const members = overview.data?.organization.members;
  const memberCount = members ? `${members.nodes.length}${members.pageInfo.hasNextPage ? '+' : ''}` : '…';
  const teamStarted = (members?.nodes.length ?? 0) > 1 || (setup.data?.organization.invitations.nodes.length ?? 0) > 0;
  const hasToken = (setup.data?.organization.apiTokens.nodes.length ?? 0) > 0;

  return (
    <div className="page">
      <PageHeader
        title={<span data-testid="organization-name">{organization.name}</span>}
        description="Overview of your organization."
      />
      {overview.error && !overview.data ? <ErrorPanel error={overview.error} onRetry={() => refetchOverview({ requestPolicy: 'network-only' })} /> : null}
      <div className="stats">
        <Stat label="Your role" value={<RoleBadge role={organization.viewerRole} testId="overview-role" />} testId="overview-role-stat" />
        <Stat label="Members" value={<Link to={`${base}/members`}>{memberCount}</Link>} testId="overview-member-count" />
        <Stat label="Created" value={formatDate(organization.createdAt)} testId="overview-created" />
      </div>
      {admin ? (
        <Card
          title="Next steps"
          description="Get your team set up. WhatsApp numbers, campaigns and AI agents arrive in upcoming releases."
          testId="next-steps"
        >
          <ul className="next-steps">
            <NextStep
              to={`${base}/members`}
              done={teamStarted}
              icon={<UsersIcon />}
              title="Invite your team"
              body="Add colleagues as Admins or Members. They sign in with the email you invite."
              testId="next-step-invite"
            />
            <NextStep
              to={`${base}/api-tokens`}
              done={hasToken}
              icon={<KeyIcon />}
              title="Create an API token"
              body="Let your own systems call the WAgent GraphQL API on behalf of this organization."
              testId="next-step-api-token"
            />
          </ul>
        </Card>
      ) : (
        <Card title="You are a Member" testId="member-note">
          <p className="card-text">
            You can see who is on the team on the <Link to={`${base}/members`}>Members</Link> page. Owners and Admins
            manage invitations, roles and API tokens; ask one of them if you need more access.
          </p>
        </Card>
      )}
    </div>
  );
}
