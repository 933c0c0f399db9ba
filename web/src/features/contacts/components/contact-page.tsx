import { useState, type FormEvent, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { Card, Field, PageHeader } from '@/components/ui/layout';
import { ContactDocument, SetContactOptInDocument } from '@/features/contacts/api/contacts';
import { ConsentBadge, TagList } from '@/features/contacts/components/contact-bits';
import { ContactEditForm } from '@/features/contacts/components/contact-edit-form';
import {
  CONSENT_LABELS,
  consentSourceLabel,
  fieldEntries,
  fieldValueText,
  formatPhone,
} from '@/features/contacts/utils/contacts';
import type { ContactDetailsFragment, ContactFieldItemFragment } from '@/gql/graphql';
import { displayName, formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';

/** The server keeps at most this much of a consent note. */
const MAX_NOTE = 500;

function Detail({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function Profile({
  organizationId,
  contact,
  definitions,
}: {
  organizationId: string;
  contact: ContactDetailsFragment;
  definitions: readonly ContactFieldItemFragment[];
}) {
  const [editing, setEditing] = useState(false);
  const fields = fieldEntries(contact.fields);
  const labelOf = (key: string) => definitions.find((d) => d.key === key)?.label ?? key;
  if (editing) {
    return (
      <Card title="Edit profile" testId="contact-profile">
        <p className="muted small">
          Phone <span className="mono">{formatPhone(contact.phone ?? contact.waId)}</span> is the customer’s own and
          cannot be changed.
        </p>
        <ContactEditForm
          organizationId={organizationId}
          contact={contact}
          fields={definitions}
          onDone={() => setEditing(false)}
        />
      </Card>
    );
  }
  return (
    <Card
      title="Profile"
      testId="contact-profile"
      actions={
        <Button size="sm" onClick={() => setEditing(true)} data-testid="contact-edit">
          Edit
        </Button>
      }
    >
      <dl className="details">
        <Detail label="Phone" testId="contact-phone">
          <span className="mono">{formatPhone(contact.phone)}</span>
        </Detail>
        <Detail label="Name" testId="contact-name-value">
          {contact.name ?? '—'}
        </Detail>
        <Detail label="Name on WhatsApp" testId="contact-profile-name">
          {contact.profileName ?? '—'}
        </Detail>
        {contact.username ? <Detail label="WhatsApp username">{contact.username}</Detail> : null}
        <Detail label="E-mail" testId="contact-email">
          {contact.email ?? '—'}
        </Detail>
        <Detail label="Language" testId="contact-language">
          {contact.language ?? '—'}
        </Detail>
        <Detail label="Country" testId="contact-country">
          {contact.country ?? '—'}
        </Detail>
        <Detail label="Time zone" testId="contact-time-zone">
          {contact.timeZone ?? '—'}
        </Detail>
        <Detail label="Added">{formatDateTime(contact.createdAt)}</Detail>
        <Detail label="Last message from them">{formatDateTime(contact.lastInboundAt, 'Never')}</Detail>
        <Detail label="Last message to them">{formatDateTime(contact.lastOutboundAt, 'Never')}</Detail>
      </dl>
      <h3 className="contact-section-title contact-subtitle">Tags</h3>
      <div data-testid="contact-tags">
        <TagList tags={contact.tags} />
      </div>
      <h3 className="contact-section-title contact-subtitle">Fields</h3>
      {fields.length === 0 ? (
        <p className="muted small" data-testid="contact-fields-empty">
          No values yet. Edit the contact to fill the organization’s fields, or import a file with them.
        </p>
      ) : (
        <dl className="details" data-testid="contact-fields">
          {fields.map(([key, value]) => (
            <Detail key={key} label={labelOf(key)}>
              <span data-testid="contact-field" data-key={key}>
                {fieldValueText(value)}
              </span>
            </Detail>
          ))}
        </dl>
      )}
    </Card>
  );
}

function Consent({ organizationId, contact }: { organizationId: string; contact: ContactDetailsFragment }) {
  const [note, setNote] = useState('');
  const [recorded, setRecorded] = useState<boolean | null>(null);
  const [choice, setChoice] = useState<boolean | null>(null);
  const [{ fetching, error }, setOptIn] = useMutation(SetContactOptInDocument);

  async function record(optedIn: boolean) {
    setChoice(optedIn);
    setRecorded(null);
    const text = note.trim();
    const result = await setOptIn({
      input: { organizationId, contactId: contact.id, optedIn, note: text === '' ? null : text },
    });
    if (result.data) {
      setNote('');
      setRecorded(optedIn);
    }
  }

  return (
    <Card title="Marketing consent" testId="contact-consent">
      <dl className="details">
        <Detail label="Now">
          <ConsentBadge consent={contact.marketing} testId="contact-marketing" />
        </Detail>
        <Detail label="From" testId="contact-marketing-source">
          {consentSourceLabel(contact.marketingSource)}
        </Detail>
        <Detail label="Since" testId="contact-marketing-changed">
          {formatDateTime(contact.marketingChangedAt)}
        </Detail>
      </dl>
      <form
        className="form consent-form"
        onSubmit={(e: FormEvent) => e.preventDefault()}
        aria-label="Record marketing consent"
        data-testid="contact-consent-form"
      >
        <Field
          label="Note"
          htmlFor="contact-consent-note"
          hint="Why, for the history: e.g. “Asked by phone to stop offers”. Optional."
        >
          <textarea
            id="contact-consent-note"
            className="textarea"
            rows={2}
            maxLength={MAX_NOTE}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="contact-consent-note"
          />
        </Field>
        <div className="form-actions form-actions-start">
          <Button
            onClick={() => void record(true)}
            busy={fetching && choice === true}
            disabled={fetching}
            data-testid="contact-opt-in"
          >
            Record opt-in
          </Button>
          <Button
            variant="danger"
            onClick={() => void record(false)}
            busy={fetching && choice === false}
            disabled={fetching}
            data-testid="contact-opt-out"
          >
            Record opt-out
          </Button>
        </div>
        <FormError error={error} testId="contact-consent-error" />
        {recorded != null && !fetching && !error ? (
          <Notice tone="success" testId="contact-consent-saved">
            Recorded: {recorded ? 'opted in' : 'opted out'}.
          </Notice>
        ) : null}
      </form>
      <p className="muted small">
        Campaigns never reach a contact who opted out. Record an opt-in only when the customer agreed to marketing
        messages.
      </p>
    </Card>
  );
}

function ConsentHistory({ contact }: { contact: ContactDetailsFragment }) {
  return (
    <Card title="Consent history" description="Every change, newest first." testId="consent-history">
      {contact.consentHistory.length === 0 ? (
        <p className="muted" data-testid="consent-history-empty">
          No change recorded yet: the customer has not said, and neither has your team.
        </p>
      ) : (
        <ol className="consent-history" data-testid="consent-history-list">
          {contact.consentHistory.map((event, index) => (
            <li
              key={`${event.at}-${index}`}
              className="consent-event"
              data-testid="consent-event"
              data-marketing={event.marketing}
              data-source={event.source}
            >
              <div className="consent-event-head">
                <ConsentBadge consent={event.marketing} />
                <span className="muted small">
                  {formatDateTime(event.at)} · {consentSourceLabel(event.source)}
                  {event.actor ? ` · ${displayName(event.actor)}` : ''}
                </span>
              </div>
              {event.detail ? (
                <p className="consent-event-note" data-testid="consent-event-note">
                  {event.detail}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

/** `/orgs/:orgId/contacts/:contactId`: everyone. */
export function ContactPage() {
  const { organization } = useCurrentOrganization();
  const { contactId = '' } = useParams();
  const [result, reexecute] = useQuery({
    query: ContactDocument,
    variables: { id: organization.id, contactId },
  });
  const contact = result.data?.organization.contact;
  const back = (
    <ButtonLink
      to={`/orgs/${encodeURIComponent(organization.id)}/contacts`}
      variant="ghost"
      data-testid="contact-back"
    >
      All contacts
    </ButtonLink>
  );

  if (!contact || contact.id !== contactId) {
    if (result.error) {
      return (
        <div className="page">
          <ErrorPanel error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
          <p className="center">{back}</p>
        </div>
      );
    }
    return <LoadingState />;
  }

  const title = contact.displayName?.trim() || formatPhone(contact.phone ?? contact.waId);
  return (
    <div className="page" data-testid="contact-page" data-contact-id={contact.id}>
      <PageHeader
        title={title}
        description={
          <>
            <span className="mono">{formatPhone(contact.phone ?? contact.waId)}</span> ·{' '}
            {CONSENT_LABELS[contact.marketing].toLowerCase()} for marketing
          </>
        }
        actions={back}
      />
      <div className="contact-layout">
        <Profile
          organizationId={organization.id}
          contact={contact}
          definitions={result.data?.organization.contactFields ?? []}
        />
        <div className="contact-side">
          <Consent organizationId={organization.id} contact={contact} />
          <ConsentHistory contact={contact} />
        </div>
      </div>
    </div>
  );
}
