import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { Card, Field, PageHeader } from '@/components/ui/layout';
import { CreateOrganizationDocument } from '@/features/organizations/api/organizations';
import { MAX_NAME_LENGTH, parseName } from '@/lib/validation';
import { useRefreshViewer } from '@/lib/viewer';

/** `/orgs/new`. */
export function CreateOrganizationPage() {
  const navigate = useNavigate();
  const refreshViewer = useRefreshViewer();
  const [name, setName] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [{ fetching, error }, createOrganization] = useMutation(CreateOrganizationDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseName(name, 'organization');
    if (!parsed.ok) {
      setInvalid(parsed.message);
      return;
    }
    setInvalid(null);
    const result = await createOrganization({ input: { name: parsed.value } });
    const created = result.data?.createOrganization;
    if (!created) return;
    await refreshViewer();
    void navigate(`/orgs/${encodeURIComponent(created.id)}`);
  }

  return (
    <div className="page page-narrow">
      <PageHeader
        title="Create an organization"
        description="Organizations keep each company's members, tokens and data apart. You will be the Owner."
      />
      <Card>
        <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="create-organization-form" noValidate>
          <Field label="Organization name" htmlFor="create-organization-name" hint="Usually your company or brand name." error={invalid}>
            <input
              id="create-organization-name"
              className="input"
              value={name}
              maxLength={MAX_NAME_LENGTH}
              autoFocus
              autoComplete="organization"
              onChange={(e) => setName(e.target.value)}
              aria-invalid={invalid ? true : undefined}
              data-testid="organization-name-input"
            />
          </Field>
          <FormError error={error} />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={fetching} data-testid="create-organization-submit">
              Create organization
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
