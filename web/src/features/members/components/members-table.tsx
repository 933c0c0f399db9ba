import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormError } from '@/components/ui/feedback';
import { RoleBadge } from '@/components/ui/role-badge';
import {
  ChangeMemberRoleDocument,
  RemoveMemberDocument,
  TransferOwnershipDocument,
} from '@/features/members/api/members';
import type { Role } from '@/gql/graphql';
import { displayName, formatDate, initials } from '@/lib/format';
import { INVITABLE_ROLES, memberActionsFor, ROLE_LABELS } from '@/lib/roles';

export interface MemberRow {
  role: Role;
  joinedAt: string;
  user: { id: string; name?: string | null; email?: string | null };
}

type Pending = { kind: 'remove' | 'transfer'; member: MemberRow } | null;

export function MembersTable({
  organizationId,
  organizationName,
  members,
  viewerRole,
  viewerUserId,
  onChanged,
  onOwnershipTransferred,
}: {
  organizationId: string;
  organizationName: string;
  members: readonly MemberRow[];
  viewerRole: Role;
  viewerUserId: string | null;
  onChanged: () => void;
  onOwnershipTransferred: () => void;
}) {
  const [pending, setPending] = useState<Pending>(null);
  const [roleChange, changeRole] = useMutation(ChangeMemberRoleDocument);
  const [removal, removeMember] = useMutation(RemoveMemberDocument);
  const [transfer, transferOwnership] = useMutation(TransferOwnershipDocument);
  const [changingUserId, setChangingUserId] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<CombinedError | null>(null);

  async function onRoleChange(member: MemberRow, role: Role) {
    setChangingUserId(member.user.id);
    const result = await changeRole({ input: { organizationId, userId: member.user.id, role } });
    setChangingUserId(null);
    if (!result.error) onChanged();
  }

  async function onConfirm() {
    if (!pending) return;
    const input = { organizationId, userId: pending.member.user.id };
    setDialogError(null);
    if (pending.kind === 'remove') {
      const result = await removeMember({ input });
      if (result.error) return setDialogError(result.error);
      onChanged();
    } else {
      const result = await transferOwnership({ input });
      if (result.error) return setDialogError(result.error);
      onOwnershipTransferred();
    }
    setPending(null);
  }

  function ask(next: Pending) {
    setDialogError(null);
    setPending(next);
  }

  return (
    <>
      <FormError error={roleChange.error} testId="member-role-error" />
      <div className="table-wrap">
        <table className="table" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const isViewer = member.user.id === viewerUserId;
              const can = memberActionsFor(viewerRole, { role: member.role, isViewer });
              const who = displayName(member.user);
              return (
                <tr
                  key={member.user.id}
                  data-testid="member-row"
                  data-user-id={member.user.id}
                  data-email={member.user.email ?? undefined}
                  data-role={member.role}
                >
                  <td>
                    <div className="person">
                      <span className="avatar avatar-sm" aria-hidden="true">
                        {initials(member.user)}
                      </span>
                      <span className="person-text">
                        <span className="person-name" data-testid="member-name">
                          {who}
                          {isViewer ? <span className="tag">You</span> : null}
                        </span>
                        {member.user.email && member.user.email !== who ? (
                          <span className="muted small" data-testid="member-email">
                            {member.user.email}
                          </span>
                        ) : null}
                      </span>
                    </div>
                  </td>
                  <td>
                    {can.changeRole ? (
                      <select
                        className="select select-sm"
                        value={member.role}
                        aria-label={`Role of ${who}`}
                        disabled={changingUserId === member.user.id}
                        onChange={(e) => void onRoleChange(member, e.target.value as Role)}
                        data-testid="member-role-select"
                      >
                        {INVITABLE_ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <RoleBadge role={member.role} testId="member-role" />
                    )}
                  </td>
                  <td className="nowrap">{formatDate(member.joinedAt)}</td>
                  <td className="table-actions">
                    {can.transferOwnership ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => ask({ kind: 'transfer', member })}
                        data-testid="member-transfer-ownership"
                      >
                        Make owner
                      </Button>
                    ) : null}
                    {can.remove ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="btn-danger-text"
                        onClick={() => ask({ kind: 'remove', member })}
                        data-testid="member-remove"
                      >
                        Remove
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={pending != null}
        title={
          pending?.kind === 'transfer'
            ? `Make ${displayName(pending.member.user)} the owner?`
            : `Remove ${displayName(pending?.member.user)}?`
        }
        confirmLabel={pending?.kind === 'transfer' ? 'Transfer ownership' : 'Remove member'}
        busy={removal.fetching || transfer.fetching}
        error={dialogError}
        onConfirm={() => void onConfirm()}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === 'transfer' ? (
          <p>
            {displayName(pending.member.user)} becomes the Owner of {organizationName} and you become an Admin. Only
            the new owner can give ownership back.
          </p>
        ) : (
          <p>
            They lose access to {organizationName} immediately. You can invite them again later.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
