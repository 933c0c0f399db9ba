import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { Card, Field } from '@/components/ui/layout';
import {
  OrganizationContactSettingsDocument,
  SetOrganizationDefaultCountryDocument,
} from '@/features/organizations/api/organizations';
import { countryLabel, countryOptions } from '@/lib/countries';
import { useCurrentOrganization } from '@/lib/organization-context';
import { permissionsFor } from '@/lib/roles';

const PURPOSE =
  'Numbers in a contact list without a country code (no + or 00) are read in this country, unless the import names another.';

/** The organization's default country for phone numbers: a select for Admins and Owners, read-only for Members. */
export function DefaultCountryCard() {
  const { organization } = useCurrentOrganization();
  const [{ data, error: loadError }] = useQuery({
    query: OrganizationContactSettingsDocument,
    variables: { id: organization.id },
  });
  const current = data?.organization?.defaultCountry;
  return (
    <Card title="Default country" testId="default-country-card">
      {loadError ? (
        <FormError error={loadError} testId="default-country-load-error" />
      ) : current === undefined ? (
        <LoadingState />
      ) : (
        <DefaultCountryForm current={current} />
      )}
    </Card>
  );
}

function DefaultCountryForm({ current }: { current: string | null }) {
  const { organization } = useCurrentOrganization();
  const can = permissionsFor(organization.viewerRole);
  const [country, setCountry] = useState(current ?? '');
  const [saved, setSaved] = useState(false);
  const [{ fetching, error }, save] = useMutation(SetOrganizationDefaultCountryDocument);
  const options = useMemo(() => countryOptions(current), [current]);

  if (!can.changeContactSettings) {
    return (
      <>
        <p className="strong" data-testid="default-country-value">
          {current ? countryLabel(current) : 'None'}
        </p>
        <p className="field-hint">{PURPOSE} Only an Owner or Admin can change it.</p>
      </>
    );
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const result = await save({ input: { organizationId: organization.id, defaultCountry: country || null } });
    if (!result.data) return;
    setCountry(result.data.setOrganizationDefaultCountry.defaultCountry ?? '');
    setSaved(true);
  }

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="default-country-form" noValidate>
      <Field label="Country" htmlFor="organization-default-country" hint={PURPOSE}>
        <select
          id="organization-default-country"
          className="select"
          value={country}
          onChange={(e) => {
            setCountry(e.target.value);
            setSaved(false);
          }}
          aria-describedby="organization-default-country-hint"
          data-testid="default-country-select"
        >
          <option value="">None: read them as international numbers</option>
          {options.map((option) => (
            <option key={option.code} value={option.code}>
              {option.label}
            </option>
          ))}
        </select>
      </Field>
      <FormError error={error} testId="default-country-error" />
      {saved ? (
        <Notice tone="success" testId="default-country-saved">
          Saved.
        </Notice>
      ) : null}
      <div className="form-actions">
        <Button
          type="submit"
          variant="primary"
          busy={fetching}
          disabled={country === (current ?? '')}
          data-testid="default-country-submit"
        >
          Save country
        </Button>
      </div>
    </form>
  );
}
