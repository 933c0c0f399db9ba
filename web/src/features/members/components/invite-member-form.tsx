import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { CopyBox } from '@/components/ui/copy-box';
import { FormError, Notice } from '@/components/ui/feedback';
import { MailIcon } from '@/components/ui/icons';
import { Card, Field } from '@/components/ui/layout';
import { InviteMemberDocument } from '@/features/members/api/members';
import type { Role } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { INVITABLE_ROLES, ROLE_LABELS } from '@/lib/roles';
import { parseEmail } from '@/lib/validation';

interface SentInvitation {
  email: string;
  role: Role;
  acceptUrl: string;
  expiresAt: string;
}

/** Invite by email; the accept link is shown once, to be sent by hand. */
export function InviteMemberForm({ organizationId, onInvited }: { organizationId: string; onInvited: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [sent, setSent] = useState<SentInvitation | null>(null);
  const [{ fetching, error }, invite] = useMutation(InviteMemberDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseEmail(email);
    if (!parsed.ok) {
      setInvalid(parsed.message);
      return;
    }
    setInvalid(null);
    const result = await invite({ input: { organizationId, email: parsed.value, role } });
    const payload = result.data?.inviteMember;
    if (!payload) return;
    setSent({
      email: payload.invitation.email,
      role: payload.invitation.role,
      acceptUrl: payload.acceptUrl,
      expiresAt: payload.invitation.expiresAt,
    });
    setEmail('');
    setRole('MEMBER');
    onInvited();
  }

  return (
    <Card
      title="Invite a member"
      description="They join with the role you choose after signing in with this email address."
      testId="invite-member-card"
    >
      <form className="form form-inline" onSubmit={(e) => void onSubmit(e)} data-testid="invite-member-form" noValidate>
        <Field label="Email address" htmlFor="invite-email" error={invalid}>
          <input
            id="invite-email"
            className="input"
            type="email"
            value={email}
            placeholder="colleague@company.com"
            autoComplete="off"
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={invalid ? true : undefined}
            data-testid="invite-email-input"
          />
        </Field>
        <Field label="Role" htmlFor="invite-role">
          <select
            id="invite-role"
            className="select"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            data-testid="invite-role-select"
          >
            {INVITABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-inline-submit">
          <Button
            type="submit"
            variant="primary"
            busy={fetching}
            icon={<MailIcon width={16} height={16} />}
            data-testid="invite-submit"
          >
            Create invitation
          </Button>
        </div>
      </form>
      <FormError error={error} />
      {sent ? (
        <Notice tone="success" title={`Invitation created for ${sent.email}`} testId="invite-result">
          <p>
            Send this link to the invitee. E-mail delivery is not available yet, so WAgent does not send it for you.
            They must sign in with <strong>{sent.email}</strong> to accept; they will join as{' '}
            {ROLE_LABELS[sent.role]}. The link expires {formatDateTime(sent.expiresAt)}.
          </p>
          <CopyBox value={sent.acceptUrl} testId="invite-link" label="Invitation link" />
          <p className="muted small">This link is shown only once. If you lose it, revoke the invitation and invite again.</p>
          <Button size="sm" variant="ghost" onClick={() => setSent(null)} data-testid="invite-result-dismiss">
            Done
          </Button>
        </Notice>
      ) : null}
    </Card>
  );
}
