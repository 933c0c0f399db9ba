import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { UsersIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { useInvitations, useMembers } from '@/features/members/hooks/use-members';
import { InviteMemberForm } from '@/features/members/components/invite-member-form';
import { LeaveOrganizationButton } from '@/features/members/components/leave-organization-button';
import { MembersTable } from '@/features/members/components/members-table';
import { PendingInvitations } from '@/features/members/components/pending-invitations';
import { useCurrentOrganization } from '@/lib/organization-context';
import { permissionsFor } from '@/lib/roles';
import { useRefreshViewer, useViewer } from '@/lib/viewer';

/** `/orgs/:orgId/members`. */
export function MembersPage() {
  const { organization, refresh: refreshOrganization } = useCurrentOrganization();
  const { viewer } = useViewer();
  const refreshViewer = useRefreshViewer();
  const can = permissionsFor(organization.viewerRole);
  const members = useMembers(organization.id);
  const invitations = useInvitations(organization.id, can.manageInvitations);

  let list;
  if (members.members == null) {
    list = members.error ? <ErrorPanel error={members.error} onRetry={members.refresh} /> : <LoadingState />;
  } else if (members.members.length === 0) {
    list = <EmptyState icon={<UsersIcon width={28} height={28} />} title="No members yet" testId="members-empty" />;
  } else {
    list = (
      <MembersTable
        organizationId={organization.id}
        organizationName={organization.name}
        members={members.members}
        viewerRole={organization.viewerRole}
        viewerUserId={viewer?.user?.id ?? null}
        onChanged={members.refresh}
        onOwnershipTransferred={() => {
          members.refresh();
          refreshOrganization();
          void refreshViewer();
        }}
      />
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="Members"
        description={
          can.inviteMembers
            ? 'Everyone who can work in this organization, and the invitations waiting for an answer.'
            : 'Everyone who can work in this organization.'
        }
        actions={
          can.leave ? (
            <LeaveOrganizationButton
              organizationId={organization.id}
              organizationName={organization.name}
              viewerRole={organization.viewerRole}
            />
          ) : null
        }
      />
      {can.inviteMembers ? <InviteMemberForm organizationId={organization.id} onInvited={invitations.refresh} /> : null}
      <Card
        title={members.members ? `Team (${members.members.length}${members.truncated ? '+' : ''})` : 'Team'}
        testId="members-card"
      >
        {list}
        {members.members && members.members.length === 1 && can.inviteMembers ? (
          <p className="card-text muted" data-testid="members-alone-hint">
            It is just you for now. Invite a colleague above to work together.
          </p>
        ) : null}
      </Card>
      {can.manageInvitations ? (
        <PendingInvitations
          organizationId={organization.id}
          invitations={invitations.invitations}
          fetching={invitations.fetching}
          error={invitations.error}
          onChanged={invitations.refresh}
        />
      ) : null}
    </div>
  );
}
