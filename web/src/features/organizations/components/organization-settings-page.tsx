import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError, Notice } from '@/components/ui/feedback';
import { Card, Field, PageHeader } from '@/components/ui/layout';
import { RenameOrganizationDocument } from '@/features/organizations/api/organizations';
import { ConsentKeywordsCard } from '@/features/organizations/components/consent-keywords-card';
import { DefaultCountryCard } from '@/features/organizations/components/default-country-card';
import { TimeZoneCard } from '@/features/organizations/components/time-zone-card';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';
import { MAX_NAME_LENGTH, parseName } from '@/lib/validation';
import { useRefreshViewer } from '@/lib/viewer';

/** `/orgs/:orgId/settings` (Admin or Owner). */
export function OrganizationSettingsPage() {
  const { organization, refresh } = useCurrentOrganization();
  const refreshViewer = useRefreshViewer();
  const [name, setName] = useState(organization.name);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [{ fetching, error }, rename] = useMutation(RenameOrganizationDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const parsed = parseName(name, 'organization');
    if (!parsed.ok) {
      setInvalid(parsed.message);
      return;
    }
    setInvalid(null);
    const result = await rename({ input: { organizationId: organization.id, name: parsed.value } });
    if (!result.data) return;
    setName(result.data.renameOrganization.name);
    setSaved(true);
    refresh();
    await refreshViewer();
  }

  return (
    <div className="page page-narrow">
      <PageHeader title="Settings" description="Organization details." />
      <Card title="Organization name" description="Shown to everyone in the organization and on invitations.">
        <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="rename-organization-form" noValidate>
          <Field label="Name" htmlFor="rename-organization-name" error={invalid}>
            <input
              id="rename-organization-name"
              className="input"
              value={name}
              maxLength={MAX_NAME_LENGTH}
              onChange={(e) => {
                setName(e.target.value);
                setSaved(false);
              }}
              aria-invalid={invalid ? true : undefined}
              data-testid="rename-organization-input"
            />
          </Field>
          <FormError error={error} />
          {saved ? (
            <Notice tone="success" testId="rename-organization-saved">
              Saved.
            </Notice>
          ) : null}
          <div className="form-actions">
            <Button
              type="submit"
              variant="primary"
              busy={fetching}
              disabled={name.trim() === organization.name}
              data-testid="rename-organization-submit"
            >
              Save name
            </Button>
          </div>
        </form>
      </Card>
      <TimeZoneCard />
      <DefaultCountryCard />
      <ConsentKeywordsCard />
      <Card title="Details">
        <dl className="details">
          <dt>Organization ID</dt>
          <dd>
            <code data-testid="organization-id">{organization.id}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatDateTime(organization.createdAt)}</dd>
        </dl>
      </Card>
    </div>
  );
}
