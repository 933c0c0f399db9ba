import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { Card, Field } from '@/components/ui/layout';
import {
  OrganizationContactSettingsDocument,
  ResetOrganizationConsentKeywordsDocument,
  SetOrganizationConsentKeywordsDocument,
} from '@/features/organizations/api/organizations';
import { useCurrentOrganization } from '@/lib/organization-context';
import { permissionsFor } from '@/lib/roles';

const PURPOSE =
  'A customer who sends one of these words alone stops or resumes marketing messages and is told so. Case, accents and punctuation around the word do not matter.';

/** The words of a comma-separated list, trimmed, blanks left out. */
export function parseKeywords(text: string): string[] {
  return text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '');
}

const joined = (words: readonly string[]) => words.join(', ');

interface Keywords {
  optOut: readonly string[];
  optIn: readonly string[];
}

/** The organization's opt-out and opt-in words: editable by Admins and Owners, read-only for Members. */
export function ConsentKeywordsCard() {
  const { organization } = useCurrentOrganization();
  const [{ data, error: loadError }] = useQuery({
    query: OrganizationContactSettingsDocument,
    variables: { id: organization.id },
  });
  const loaded = data?.organization;
  return (
    <Card title="Consent keywords" testId="consent-keywords-card">
      {loadError ? (
        <FormError error={loadError} testId="consent-keywords-load-error" />
      ) : !loaded ? (
        <LoadingState />
      ) : (
        <ConsentKeywordsForm current={{ optOut: loaded.optOutKeywords, optIn: loaded.optInKeywords }} />
      )}
    </Card>
  );
}

function ConsentKeywordsForm({ current }: { current: Keywords }) {
  const { organization } = useCurrentOrganization();
  const can = permissionsFor(organization.viewerRole);
  const [optOut, setOptOut] = useState(joined(current.optOut));
  const [optIn, setOptIn] = useState(joined(current.optIn));
  const [invalid, setInvalid] = useState<{ optOut?: string; optIn?: string }>({});
  const [saved, setSaved] = useState(false);
  const [{ fetching: saving, error: saveError }, save] = useMutation(SetOrganizationConsentKeywordsDocument);
  const [{ fetching: resetting, error: resetError }, reset] = useMutation(ResetOrganizationConsentKeywordsDocument);

  if (!can.changeContactSettings) {
    return (
      <>
        <dl className="details">
          <dt>Opt-out</dt>
          <dd data-testid="opt-out-keywords-value">{joined(current.optOut)}</dd>
          <dt>Opt-in</dt>
          <dd data-testid="opt-in-keywords-value">{joined(current.optIn)}</dd>
        </dl>
        <p className="field-hint">{PURPOSE} Only an Owner or Admin can change them.</p>
      </>
    );
  }

  function show(words: Keywords) {
    setOptOut(joined(words.optOut));
    setOptIn(joined(words.optIn));
    setSaved(true);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const words = { optOut: parseKeywords(optOut), optIn: parseKeywords(optIn) };
    const problems = {
      optOut: words.optOut.length === 0 ? 'Add at least one opt-out keyword.' : undefined,
      optIn: words.optIn.length === 0 ? 'Add at least one opt-in keyword.' : undefined,
    };
    setInvalid(problems);
    if (problems.optOut || problems.optIn) return;
    const result = await save({ input: { organizationId: organization.id, ...words } });
    const set = result.data?.setOrganizationConsentKeywords;
    if (set) show({ optOut: set.optOutKeywords, optIn: set.optInKeywords });
  }

  async function onReset() {
    setSaved(false);
    setInvalid({});
    const result = await reset({ input: { organizationId: organization.id } });
    const set = result.data?.resetOrganizationConsentKeywords;
    if (set) show({ optOut: set.optOutKeywords, optIn: set.optInKeywords });
  }

  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    setSaved(false);
  };

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="consent-keywords-form" noValidate>
      <p className="field-hint">{PURPOSE}</p>
      <KeywordsField
        id="organization-opt-out-keywords"
        label="Opt-out keywords"
        hint="Separated by commas, such as STOP, PARAR, BAJA."
        value={optOut}
        error={invalid.optOut}
        onChange={edit(setOptOut)}
      />
      <KeywordsField
        id="organization-opt-in-keywords"
        label="Opt-in keywords"
        hint="Separated by commas, such as START, VOLTAR, ALTA. None may also be an opt-out keyword."
        value={optIn}
        error={invalid.optIn}
        onChange={edit(setOptIn)}
      />
      <FormError error={saveError ?? resetError} testId="consent-keywords-error" />
      {saved ? (
        <Notice tone="success" testId="consent-keywords-saved">
          Saved.
        </Notice>
      ) : null}
      <div className="form-actions">
        <Button
          type="button"
          busy={resetting}
          disabled={saving}
          onClick={() => void onReset()}
          data-testid="consent-keywords-reset"
        >
          Reset to defaults
        </Button>
        <Button
          type="submit"
          variant="primary"
          busy={saving}
          disabled={resetting || (optOut === joined(current.optOut) && optIn === joined(current.optIn))}
          data-testid="consent-keywords-submit"
        >
          Save keywords
        </Button>
      </div>
    </form>
  );
}

function KeywordsField({
  id,
  label,
  hint,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} htmlFor={id} hint={hint} error={error}>
      <input
        id={id}
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        data-testid={`${id}-input`}
      />
    </Field>
  );
}
