import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { MailIcon } from '@/components/ui/icons';
import { Card, EmptyState } from '@/components/ui/layout';
import { RoleBadge } from '@/components/ui/role-badge';
import { RevokeInvitationDocument } from '@/features/members/api/members';
import type { InvitationStatus, Role } from '@/gql/graphql';
import { displayName, formatDate, formatDateTime } from '@/lib/format';

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  createdAt: string;
  expiresAt: string;
  invitedBy?: { name?: string | null; email?: string | null } | null;
}

export function PendingInvitations({
  organizationId,
  invitations,
  fetching,
  error,
  onChanged,
}: {
  organizationId: string;
  invitations: readonly InvitationRow[] | null;
  fetching: boolean;
  error: CombinedError | null;
  onChanged: () => void;
}) {
  const [revoking, setRevoking] = useState<InvitationRow | null>(null);
  const [revokeError, setRevokeError] = useState<CombinedError | null>(null);
  const [{ fetching: busy }, revoke] = useMutation(RevokeInvitationDocument);
  const pending = invitations?.filter((i) => i.status === 'PENDING') ?? null;

  async function onConfirm() {
    if (!revoking) return;
    setRevokeError(null);
    const result = await revoke({ input: { organizationId, invitationId: revoking.id } });
    if (result.error) return setRevokeError(result.error);
    setRevoking(null);
    onChanged();
  }

  let body;
  if (pending == null) {
    body = error ? <ErrorPanel error={error} onRetry={onChanged} /> : fetching ? <LoadingState /> : null;
  } else if (pending.length === 0) {
    body = (
      <EmptyState icon={<MailIcon width={28} height={28} />} title="No pending invitations" testId="invitations-empty">
        <p>Invite a colleague with the form above. Their invitation waits here until they accept it.</p>
      </EmptyState>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table" data-testid="invitations-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Invited by</th>
              <th scope="col">Sent</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.map((invitation) => (
              <tr key={invitation.id} data-testid="invitation-row" data-invitation-id={invitation.id} data-email={invitation.email}>
                <td data-testid="invitation-row-email">{invitation.email}</td>
                <td>
                  <RoleBadge role={invitation.role} />
                </td>
                <td>{invitation.invitedBy ? displayName(invitation.invitedBy) : '—'}</td>
                <td className="nowrap">{formatDate(invitation.createdAt)}</td>
                <td className="nowrap">{formatDateTime(invitation.expiresAt)}</td>
                <td className="table-actions">
                  <Button
                    size="sm"
                    variant="ghost"
                    className="btn-danger-text"
                    onClick={() => {
                      setRevokeError(null);
                      setRevoking(invitation);
                    }}
                    data-testid="invitation-revoke"
                  >
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <Card title="Pending invitations" testId="pending-invitations">
      {body}
      <ConfirmDialog
        open={revoking != null}
        title={`Revoke the invitation for ${revoking?.email ?? ''}?`}
        confirmLabel="Revoke invitation"
        busy={busy}
        error={revokeError}
        onConfirm={() => void onConfirm()}
        onCancel={() => setRevoking(null)}
      >
        <p>The link stops working at once. You can invite the same address again later.</p>
      </ConfirmDialog>
    </Card>
  );
}
