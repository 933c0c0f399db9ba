import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, type CombinedError } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { LogOutIcon } from '@/components/ui/icons';
import { LeaveOrganizationDocument } from '@/features/members/api/members';
import type { Role } from '@/gql/graphql';
import { useRefreshViewer } from '@/lib/viewer';

export function LeaveOrganizationButton({
  organizationId,
  organizationName,
  viewerRole,
}: {
  organizationId: string;
  organizationName: string;
  viewerRole: Role;
}) {
  const navigate = useNavigate();
  const refreshViewer = useRefreshViewer();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [{ fetching }, leave] = useMutation(LeaveOrganizationDocument);

  async function onConfirm() {
    setError(null);
    const result = await leave({ input: { organizationId } });
    if (result.error) return setError(result.error);
    setOpen(false);
    await refreshViewer();
    void navigate('/', { replace: true });
  }

  return (
    <>
      <Button
        variant="secondary"
        icon={<LogOutIcon width={16} height={16} />}
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
        data-testid="leave-organization"
      >
        Leave organization
      </Button>
      <ConfirmDialog
        open={open}
        title={`Leave ${organizationName}?`}
        confirmLabel="Leave organization"
        busy={fetching}
        error={error}
        onConfirm={() => void onConfirm()}
        onCancel={() => setOpen(false)}
      >
        <p>You lose access right away. To come back, someone has to invite you again.</p>
        {viewerRole === 'OWNER' ? (
          <p>
            <strong>You are the Owner.</strong> Make another member the owner first; an organization cannot be left
            without one.
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
