import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { CopyBox } from '@/components/ui/copy-box';
import { FormError, Notice } from '@/components/ui/feedback';
import { KeyIcon } from '@/components/ui/icons';
import { Card, Field } from '@/components/ui/layout';
import { CreateApiTokenDocument } from '@/features/api-tokens/api/api-tokens';
import type { Role } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { apiTokenRolesFor, ROLE_LABELS } from '@/lib/roles';
import {
  DEFAULT_EXPIRY_DAYS,
  MAX_EXPIRY_DAYS,
  MAX_NAME_LENGTH,
  MIN_EXPIRY_DAYS,
  parseExpiryDays,
  parseName,
} from '@/lib/validation';

interface CreatedToken {
  name: string;
  secret: string;
  expiresAt: string;
}

export function CreateApiTokenForm({
  organizationId,
  viewerRole,
  onCreated,
}: {
  organizationId: string;
  viewerRole: Role;
  onCreated: () => void;
}) {
  const roles = apiTokenRolesFor(viewerRole);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(roles[0] ?? 'MEMBER');
  const [days, setDays] = useState(String(DEFAULT_EXPIRY_DAYS));
  const [nameError, setNameError] = useState<string | null>(null);
  const [daysError, setDaysError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [{ fetching, error }, createApiToken] = useMutation(CreateApiTokenDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsedName = parseName(name, 'token');
    const parsedDays = parseExpiryDays(days);
    setNameError(parsedName.ok ? null : parsedName.message);
    setDaysError(parsedDays.ok ? null : parsedDays.message);
    if (!parsedName.ok || !parsedDays.ok) return;
    const result = await createApiToken({
      input: { organizationId, name: parsedName.value, role, expiresInDays: parsedDays.value },
    });
    const payload = result.data?.createApiToken;
    if (!payload) return;
    setCreated({ name: payload.apiToken.name, secret: payload.token, expiresAt: payload.apiToken.expiresAt });
    setName('');
    setDays(String(DEFAULT_EXPIRY_DAYS));
    onCreated();
  }

  return (
    <Card
      title="Create a token"
      description="Tokens let your own systems call the WAgent GraphQL API as this organization, with the role you pick."
      testId="create-api-token-card"
    >
      <form className="form form-inline" onSubmit={(e) => void onSubmit(e)} data-testid="create-api-token-form" noValidate>
        <Field label="Name" htmlFor="api-token-name" hint="What uses it, e.g. “CRM sync”." error={nameError}>
          <input
            id="api-token-name"
            className="input"
            value={name}
            maxLength={MAX_NAME_LENGTH}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameError ? true : undefined}
            data-testid="api-token-name-input"
          />
        </Field>
        <Field label="Role" htmlFor="api-token-role">
          <select
            id="api-token-role"
            className="select"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            data-testid="api-token-role-select"
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Expires after (days)"
          htmlFor="api-token-expiry"
          hint={`${MIN_EXPIRY_DAYS}–${MAX_EXPIRY_DAYS} days.`}
          error={daysError}
        >
          <input
            id="api-token-expiry"
            className="input input-narrow"
            type="number"
            inputMode="numeric"
            min={MIN_EXPIRY_DAYS}
            max={MAX_EXPIRY_DAYS}
            step={1}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            aria-invalid={daysError ? true : undefined}
            data-testid="api-token-expiry-input"
          />
        </Field>
        <div className="form-inline-submit">
          <Button
            type="submit"
            variant="primary"
            busy={fetching}
            icon={<KeyIcon width={16} height={16} />}
            data-testid="api-token-submit"
          >
            Create token
          </Button>
        </div>
      </form>
      <FormError error={error} />
      {created ? (
        <Notice tone="warning" title={`Token “${created.name}” created`} testId="new-api-token-notice">
          <p>
            Copy this token now. <strong>It will not be shown again</strong>; if you lose it, revoke it and create a new
            one. It expires {formatDateTime(created.expiresAt)}.
          </p>
          <CopyBox value={created.secret} testId="new-api-token" label="New API token" />
          <p className="muted small">
            Send it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/graphql</code>.
          </p>
          <Button size="sm" variant="ghost" onClick={() => setCreated(null)} data-testid="new-api-token-dismiss">
            I have copied it
          </Button>
        </Notice>
      ) : null}
    </Card>
  );
}
