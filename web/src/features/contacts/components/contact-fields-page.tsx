import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { Card, EmptyState, Field, PageHeader } from '@/components/ui/layout';
import {
  ContactFieldsDocument,
  DefineContactFieldDocument,
  DeleteContactFieldDocument,
  UpdateContactFieldDocument,
} from '@/features/contacts/api/contacts';
import { FIELD_KIND_LABELS, suggestFieldKey } from '@/features/contacts/utils/contacts';
import type { ContactFieldItemFragment, ContactFieldKind } from '@/gql/graphql';
import { useCurrentOrganization } from '@/lib/organization-context';

const KINDS: readonly ContactFieldKind[] = ['TEXT', 'NUMBER', 'DATE', 'BOOLEAN', 'CHOICE'];

/** Choices as typed, one a line. */
function parseChoices(text: string): string[] {
  return text
    .split('\n')
    .map((c) => c.trim())
    .filter(Boolean);
}

function DefineFieldForm({ organizationId, onDefined }: { organizationId: string; onDefined: () => void }) {
  const [label, setLabel] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [kind, setKind] = useState<ContactFieldKind>('TEXT');
  const [choices, setChoices] = useState('');
  const [defined, setDefined] = useState<string | null>(null);
  const [{ fetching, error }, define] = useMutation(DefineContactFieldDocument);
  const shownKey = keyTouched ? key : suggestFieldKey(label);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDefined(null);
    const result = await define({
      input: {
        organizationId,
        key: shownKey,
        label: label.trim(),
        kind,
        choices: kind === 'CHOICE' ? parseChoices(choices) : null,
      },
    });
    if (!result.data) return;
    setDefined(result.data.defineContactField.label);
    setLabel('');
    setKey('');
    setKeyTouched(false);
    setChoices('');
    onDefined();
  }

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} aria-label="Define a field" data-testid="field-define-form">
      <div className="form-grid">
        <Field label="Label" htmlFor="field-define-label" hint="What people see, e.g. Plan.">
          <input
            id="field-define-label"
            className="input"
            maxLength={100}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            data-testid="field-define-label"
          />
        </Field>
        <Field
          label="Key"
          htmlFor="field-define-key"
          hint="How imports, segments and the API name it: lowercase letters, digits and _."
        >
          <input
            id="field-define-key"
            className="input mono"
            maxLength={40}
            value={shownKey}
            onChange={(e) => {
              setKeyTouched(true);
              setKey(e.target.value);
            }}
            data-testid="field-define-key"
          />
        </Field>
        <Field label="Kind" htmlFor="field-define-kind">
          <select
            id="field-define-kind"
            className="select"
            value={kind}
            onChange={(e) => setKind(e.target.value as ContactFieldKind)}
            data-testid="field-define-kind"
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {FIELD_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {kind === 'CHOICE' ? (
        <Field label="Choices" htmlFor="field-define-choices" hint="One a line.">
          <textarea
            id="field-define-choices"
            className="textarea"
            rows={4}
            value={choices}
            onChange={(e) => setChoices(e.target.value)}
            data-testid="field-define-choices"
          />
        </Field>
      ) : null}
      <FormError error={error} testId="field-define-error" />
      {defined ? (
        <Notice tone="success" testId="field-define-saved">
          Field “{defined}” defined.
        </Notice>
      ) : null}
      <div className="form-actions form-actions-start">
        <Button
          type="submit"
          variant="primary"
          busy={fetching}
          disabled={label.trim() === '' || shownKey === ''}
          data-testid="field-define-submit"
        >
          Define field
        </Button>
      </div>
    </form>
  );
}

function FieldRow({
  organizationId,
  field,
  onChanged,
}: {
  organizationId: string;
  field: ContactFieldItemFragment;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(field.label);
  const [choices, setChoices] = useState(field.choices.join('\n'));
  const [confirming, setConfirming] = useState(false);
  const [{ fetching, error }, update] = useMutation(UpdateContactFieldDocument);
  const [deleting, remove] = useMutation(DeleteContactFieldDocument);

  async function save(event: FormEvent) {
    event.preventDefault();
    const result = await update({
      input: {
        organizationId,
        key: field.key,
        label: label.trim(),
        choices: field.kind === 'CHOICE' ? parseChoices(choices) : null,
      },
    });
    if (!result.data) return;
    setEditing(false);
    onChanged();
  }

  async function confirmDelete() {
    const result = await remove({ input: { organizationId, key: field.key } });
    if (!result.data) return;
    setConfirming(false);
    onChanged();
  }

  return (
    <tr data-testid="field-row" data-key={field.key} data-kind={field.kind}>
      <td>
        {editing ? (
          <form className="form" onSubmit={(e) => void save(e)} aria-label={`Edit ${field.label}`}>
            <Field label="Label" htmlFor={`field-edit-label-${field.key}`}>
              <input
                id={`field-edit-label-${field.key}`}
                className="input"
                maxLength={100}
                value={label}
                onChange={(e) => setLabel(e.target.value)}
                data-testid="field-edit-label"
              />
            </Field>
            {field.kind === 'CHOICE' ? (
              <Field label="Choices" htmlFor={`field-edit-choices-${field.key}`} hint="One a line.">
                <textarea
                  id={`field-edit-choices-${field.key}`}
                  className="textarea"
                  rows={4}
                  value={choices}
                  onChange={(e) => setChoices(e.target.value)}
                  data-testid="field-edit-choices"
                />
              </Field>
            ) : null}
            <FormError error={error} testId="field-edit-error" />
            <div className="form-actions form-actions-start">
              <Button type="submit" size="sm" variant="primary" busy={fetching} data-testid="field-edit-save">
                Save
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <span data-testid="field-label">{field.label}</span>
        )}
      </td>
      <td className="mono">{field.key}</td>
      <td>{FIELD_KIND_LABELS[field.kind]}</td>
      <td data-testid="field-choices">{field.choices.length > 0 ? field.choices.join(', ') : '—'}</td>
      <td className="table-actions">
        {editing ? null : (
          <>
            <Button size="sm" variant="ghost" onClick={() => setEditing(true)} data-testid="field-edit">
              Edit
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(true)} data-testid="field-delete">
              Delete
            </Button>
          </>
        )}
        <ConfirmDialog
          open={confirming}
          title={`Delete the field “${field.label}”?`}
          confirmLabel="Delete field"
          busy={deleting.fetching}
          error={deleting.error}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setConfirming(false)}
        >
          <p>Every contact’s value for it is removed too. Segments that use it must be changed first.</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

/** `/orgs/:orgId/contacts/fields` (Admin or Owner): the organization's own contact fields. */
export function ContactFieldsPage() {
  const { organization } = useCurrentOrganization();
  const [result, reexecute] = useQuery({ query: ContactFieldsDocument, variables: { id: organization.id } });
  const reload = () => reexecute({ requestPolicy: 'network-only' });
  const fields = result.data?.organization.contactFields;

  let list;
  if (!fields && result.error) list = <ErrorPanel error={result.error} onRetry={reload} />;
  else if (!fields) list = <LoadingState />;
  else if (fields.length === 0) {
    list = (
      <EmptyState title="No fields yet" testId="fields-empty">
        <p>Define what your business keeps about each customer: a plan, a birthday, a city.</p>
      </EmptyState>
    );
  } else {
    list = (
      <div className="table-wrap">
        <table className="table table-compact" data-testid="fields-table">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Key</th>
              <th scope="col">Kind</th>
              <th scope="col">Choices</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <FieldRow key={field.key} organizationId={organization.id} field={field} onChanged={reload} />
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="Contact fields"
        description="Your own fields on every contact. Contacts, imports and segments check values against their kind."
        actions={
          <ButtonLink to={`/orgs/${encodeURIComponent(organization.id)}/contacts`} variant="ghost">
            All contacts
          </ButtonLink>
        }
      />
      <Card title="Fields" testId="fields-card">
        {list}
      </Card>
      <Card title="Define a field" testId="field-define-card">
        <DefineFieldForm organizationId={organization.id} onDefined={reload} />
      </Card>
    </div>
  );
}
