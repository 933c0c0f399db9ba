import { useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { LoadingState, Notice } from '@/components/ui/feedback';
import { AlertIcon, MailIcon } from '@/components/ui/icons';
import { Card, EmptyState } from '@/components/ui/layout';
import { RoleBadge } from '@/components/ui/role-badge';
import {
  AcceptInvitationDocument,
  InvitationPreviewDocument,
} from '@/features/invitations/api/invitations';
import type { InvitationStatus } from '@/gql/graphql';
import { useAuth } from '@/lib/auth-context';
import { errorCode, errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { parseInvitationToken } from '@/lib/invitation-token';
import { useRefreshViewer, useViewer } from '@/lib/viewer';

const CLOSED_STATUS: Record<Exclude<InvitationStatus, 'PENDING'>, string> = {
  ACCEPTED: 'This invitation has already been accepted.',
  REVOKED: 'This invitation was revoked by an administrator of the organization.',
  EXPIRED: 'This invitation has expired. Ask the person who invited you for a new link.',
};

/** The invitation problem in the server's words; NOT_FOUND gets a friendlier sentence. */
function invitationErrorText(error: CombinedError): string {
  if (errorCode(error) === 'NOT_FOUND') {
    return 'This invitation link is not valid. It may have been revoked, or the link was copied incompletely.';
  }
  return errorMessage(error);
}

function InvitationProblem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="page page-narrow">
      <EmptyState icon={<AlertIcon width={28} height={28} />} title={title} testId="invitation-problem">
        <p data-testid="invitation-error">{children}</p>
        <p>
          <ButtonLink to="/" variant="secondary">
            Go to dashboard
          </ButtonLink>
        </p>
      </EmptyState>
    </div>
  );
}

/** `/invitations/accept#token=...` (the sign-in gate in front of it brings the user back here). */
export function AcceptInvitationPage() {
  const location = useLocation();
  const token = parseInvitationToken(location.hash);
  if (!token) {
    return (
      <InvitationProblem title="This invitation link is incomplete">
        The link should end with <code>#token=</code> followed by a code. Copy the whole link from the message you
        received and open it again.
      </InvitationProblem>
    );
  }
  return <InvitationPreview token={token} />;
}

function InvitationPreview({ token }: { token: string }) {
  const navigate = useNavigate();
  const { signOut, profile } = useAuth();
  const { viewer } = useViewer();
  const refreshViewer = useRefreshViewer();
  const [preview] = useQuery({ query: InvitationPreviewDocument, variables: { token }, requestPolicy: 'network-only' });
  const [accepting, acceptInvitation] = useMutation(AcceptInvitationDocument);
  const [acceptError, setAcceptError] = useState<CombinedError | null>(null);

  if (preview.fetching && !preview.data) return <LoadingState label="Opening invitation" />;
  if (preview.error && !preview.data) {
    return <InvitationProblem title="We could not open this invitation">{invitationErrorText(preview.error)}</InvitationProblem>;
  }
  const invitation = preview.data?.invitation;
  if (!invitation) return <LoadingState label="Opening invitation" />;

  const signedInEmail = viewer?.user?.email ?? profile?.email ?? null;
  const emailMismatch =
    signedInEmail != null && signedInEmail.trim().toLowerCase() !== invitation.email.trim().toLowerCase();

  async function onAccept() {
    setAcceptError(null);
    const result = await acceptInvitation({ input: { token } });
    if (result.error || !result.data) {
      if (result.error) setAcceptError(result.error);
      return;
    }
    await refreshViewer();
    void navigate(`/orgs/${encodeURIComponent(result.data.acceptInvitation.organization.id)}`, { replace: true });
  }

  return (
    <div className="page page-narrow">
      <Card testId="invitation-card" className="invitation-card">
        <div className="invitation-hero">
          <span className="invitation-icon">
            <MailIcon width={28} height={28} />
          </span>
          <p className="muted">You have been invited to join</p>
          <h1 className="invitation-org" data-testid="invitation-organization">
            {invitation.organizationName}
          </h1>
          <p>
            as <RoleBadge role={invitation.role} testId="invitation-role" />
          </p>
        </div>
        <dl className="details">
          <dt>Invited email</dt>
          <dd data-testid="invitation-email">{invitation.email}</dd>
          <dt>Signed in as</dt>
          <dd>{signedInEmail ?? 'Unknown email'}</dd>
          <dt>Expires</dt>
          <dd>{formatDateTime(invitation.expiresAt)}</dd>
        </dl>

        {invitation.status !== 'PENDING' ? (
          <Notice tone="warning" testId="invitation-closed">
            {CLOSED_STATUS[invitation.status]}
          </Notice>
        ) : (
          <>
            {emailMismatch ? (
              <Notice tone="warning" title="Different email address" testId="invitation-email-mismatch">
                This invitation was sent to <strong>{invitation.email}</strong>, but you are signed in as{' '}
                <strong>{signedInEmail}</strong>. To accept it, sign out, open the invitation link again and sign in with
                the invited address.
              </Notice>
            ) : null}
            {acceptError ? (
              <p className="form-error" role="alert" data-testid="invitation-error">
                <AlertIcon width={16} height={16} />
                <span>{invitationErrorText(acceptError)}</span>
              </p>
            ) : null}
            <div className="form-actions">
              {emailMismatch ? (
                <Button onClick={() => void signOut()} data-testid="invitation-switch-account">
                  Sign out
                </Button>
              ) : null}
              <Button
                variant="primary"
                busy={accepting.fetching}
                onClick={() => void onAccept()}
                data-testid="accept-invitation"
              >
                Accept invitation
              </Button>
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
