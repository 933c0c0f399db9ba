import { useMemo, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError, Notice } from '@/components/ui/feedback';
import { SearchIcon } from '@/components/ui/icons';
import { Card, Field } from '@/components/ui/layout';
import { SetOrganizationTimeZoneDocument } from '@/features/organizations/api/organizations';
import { useCurrentOrganization } from '@/lib/organization-context';
import { permissionsFor } from '@/lib/roles';
import { timeZoneLabel, timeZoneMatches, timeZoneOptions } from '@/lib/time-zones';

const PURPOSE = 'Campaigns scheduled for a time of day use this zone.';

/** The organization's time zone: a searchable list for Admins and Owners, read-only for Members. */
export function TimeZoneCard() {
  const { organization, refresh } = useCurrentOrganization();
  const can = permissionsFor(organization.viewerRole);
  const [zone, setZone] = useState(organization.timeZone);
  const [search, setSearch] = useState('');
  const [saved, setSaved] = useState(false);
  const [{ fetching, error }, setTimeZone] = useMutation(SetOrganizationTimeZoneDocument);
  const options = useMemo(() => timeZoneOptions(organization.timeZone), [organization.timeZone]);
  // The chosen zone stays listed whatever the search, so the select never loses its value.
  const shown = options.filter((option) => option.zone === zone || timeZoneMatches(option.label, search));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const result = await setTimeZone({ input: { organizationId: organization.id, timeZone: zone } });
    if (!result.data) return;
    setZone(result.data.setOrganizationTimeZone.timeZone);
    setSaved(true);
    refresh();
  }

  if (!can.changeTimeZone) {
    return (
      <Card title="Time zone" testId="time-zone-card">
        <p className="strong" data-testid="time-zone-value" data-time-zone={organization.timeZone}>
          {timeZoneLabel(organization.timeZone)}
        </p>
        <p className="field-hint">{PURPOSE} Only an Owner or Admin can change it.</p>
      </Card>
    );
  }

  return (
    <Card title="Time zone" testId="time-zone-card">
      <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="time-zone-form" noValidate>
        <Field label="Zone" htmlFor="organization-time-zone" hint={PURPOSE}>
          <label className="search-box">
            <SearchIcon width={16} height={16} />
            <input
              type="search"
              className="search-input"
              placeholder="Search, e.g. Lisbon or UTC-03"
              aria-label="Search time zones"
              aria-controls="organization-time-zone"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              data-testid="time-zone-search"
            />
          </label>
          <select
            id="organization-time-zone"
            className="select"
            value={zone}
            onChange={(e) => {
              setZone(e.target.value);
              setSaved(false);
            }}
            aria-describedby="organization-time-zone-hint"
            data-testid="time-zone-select"
          >
            {shown.map((option) => (
              <option key={option.zone} value={option.zone}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <FormError error={error} testId="time-zone-error" />
        {saved ? (
          <Notice tone="success" testId="time-zone-saved">
            Saved.
          </Notice>
        ) : null}
        <div className="form-actions">
          <Button
            type="submit"
            variant="primary"
            busy={fetching}
            disabled={zone === organization.timeZone}
            data-testid="time-zone-submit"
          >
            Save time zone
          </Button>
        </div>
      </form>
    </Card>
  );
}
