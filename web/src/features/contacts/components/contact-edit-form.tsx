import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { Field } from '@/components/ui/layout';
import { UpdateContactDocument } from '@/features/contacts/api/contacts';
import { contactChanges, contactForm, type ContactForm } from '@/features/contacts/utils/contacts';
import type { ContactDetailsFragment, ContactFieldItemFragment } from '@/gql/graphql';

/** One input per kind: what the server reads back is what the input shows. */
function FieldInput({
  field,
  value,
  onChange,
}: {
  field: ContactFieldItemFragment;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = `contact-edit-field-${field.key}`;
  const common = { id, 'data-testid': 'contact-edit-field', 'data-key': field.key };
  switch (field.kind) {
    case 'BOOLEAN':
      return (
        <select {...common} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      );
    case 'CHOICE':
      return (
        <select {...common} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          {field.choices.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
          {value && !field.choices.includes(value) ? <option value={value}>{value} (no longer a choice)</option> : null}
        </select>
      );
    case 'DATE':
      return <input {...common} type="date" className="input" value={value} onChange={(e) => onChange(e.target.value)} />;
    case 'NUMBER':
      return (
        <input
          {...common}
          className="input"
          inputMode="decimal"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'TEXT':
      return (
        <input {...common} className="input" maxLength={1000} value={value} onChange={(e) => onChange(e.target.value)} />
      );
  }
}

/** Edits what the business keeps about a contact; the phone number is the customer's. */
export function ContactEditForm({
  organizationId,
  contact,
  fields,
  onDone,
}: {
  organizationId: string;
  contact: ContactDetailsFragment;
  fields: readonly ContactFieldItemFragment[];
  onDone: () => void;
}) {
  const [before] = useState<ContactForm>(() => contactForm(contact));
  const [form, setForm] = useState<ContactForm>(before);
  const [{ fetching, error }, update] = useMutation(UpdateContactDocument);
  const set = (patch: Partial<ContactForm>) => setForm((f) => ({ ...f, ...patch }));
  const changes = contactChanges(
    before,
    form,
    fields.map((f) => f.key),
  );
  const changed = Object.keys(changes).length > 0;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!changed) return onDone();
    const result = await update({ input: { organizationId, contactId: contact.id, ...changes } });
    if (result.data) onDone();
  }

  const text = (label: string, key: 'name' | 'email' | 'language' | 'country' | 'timeZone', hint?: string) => (
    <Field label={label} htmlFor={`contact-edit-${key}`} hint={hint}>
      <input
        id={`contact-edit-${key}`}
        className="input"
        value={form[key]}
        onChange={(e) => set({ [key]: e.target.value })}
        data-testid={`contact-edit-${key}`}
      />
    </Field>
  );

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} aria-label="Edit contact" data-testid="contact-edit-form">
      <div className="form-grid">
        {text('Name', 'name')}
        {text('E-mail', 'email')}
        {text('Language', 'language', 'A code such as pt_BR or es.')}
        {text('Country', 'country', 'Two letters, such as BR.')}
        {text('Time zone', 'timeZone', 'Such as America/Sao_Paulo.')}
      </div>
      <Field label="Tags" htmlFor="contact-edit-tags" hint="Separated by commas. A group of contacts is a tag.">
        <input
          id="contact-edit-tags"
          className="input"
          value={form.tags}
          onChange={(e) => set({ tags: e.target.value })}
          data-testid="contact-edit-tags"
        />
      </Field>
      {fields.length > 0 ? (
        <div className="form-grid" data-testid="contact-edit-fields">
          {fields.map((field) => (
            <Field key={field.key} label={field.label} htmlFor={`contact-edit-field-${field.key}`}>
              <FieldInput
                field={field}
                value={form.fields[field.key] ?? ''}
                onChange={(value) => set({ fields: { ...form.fields, [field.key]: value } })}
              />
            </Field>
          ))}
        </div>
      ) : null}
      <FormError error={error} testId="contact-edit-error" />
      <div className="form-actions form-actions-start">
        <Button type="submit" variant="primary" busy={fetching} data-testid="contact-edit-save">
          Save
        </Button>
        <Button variant="ghost" onClick={onDone} disabled={fetching} data-testid="contact-edit-cancel">
          Cancel
        </Button>
      </div>
    </form>
  );
}
