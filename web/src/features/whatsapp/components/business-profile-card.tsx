import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';

import { Button } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { Card, Field } from '@/components/ui/layout';
import {
  BusinessProfileDocument,
  UpdateBusinessProfileDocument,
  type BusinessProfile,
} from '@/features/whatsapp/api/templates';
import type { WhatsAppNumber } from '@/features/whatsapp/components/phone-numbers-card';
import {
  PROFILE_LIMITS,
  profileWebsites,
  validateBusinessProfile,
  VERTICALS,
  type BusinessProfileDraft,
  type BusinessProfileField,
} from '@/features/whatsapp/utils/business-profile';

function draftOf(profile: BusinessProfile): BusinessProfileDraft {
  return {
    about: profile.about ?? '',
    address: profile.address ?? '',
    description: profile.description ?? '',
    email: profile.email ?? '',
    vertical: profile.vertical ?? '',
    websites: [profile.websites[0] ?? '', profile.websites[1] ?? ''],
  };
}

function verticalLabel(value: string | null): string {
  if (!value || value === 'UNDEFINED') return '—';
  return VERTICALS.find((v) => v.value === value)?.label ?? value;
}

function Counter({ value, limit }: { value: string; limit: number }) {
  const length = value.trim().length;
  return <span className={length > limit ? 'counter counter-over' : 'counter'}>{`${length}/${limit}`}</span>;
}

function ProfileForm({
  organizationId,
  phoneNumberId,
  profile,
  onSaved,
  onCancel,
}: {
  organizationId: string;
  phoneNumberId: string;
  profile: BusinessProfile;
  onSaved: (profile: BusinessProfile) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<BusinessProfileDraft>(() => draftOf(profile));
  const [errors, setErrors] = useState<Partial<Record<BusinessProfileField, string>>>({});
  const [{ fetching, error }, update] = useMutation(UpdateBusinessProfileDocument);
  const set = (change: Partial<BusinessProfileDraft>) => setDraft((d) => ({ ...d, ...change }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problems = validateBusinessProfile(draft);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const result = await update({
      input: {
        organizationId,
        phoneNumberId,
        about: draft.about.trim(),
        address: draft.address.trim(),
        description: draft.description.trim(),
        email: draft.email.trim(),
        vertical: draft.vertical || null,
        websites: profileWebsites(draft.websites),
      },
    });
    if (result.data) onSaved(result.data.updateBusinessProfile);
  }

  const text = (field: 'about' | 'address' | 'description' | 'email', label: string, multiline = false) => (
    <Field
      label={
        <>
          {label} <Counter value={draft[field]} limit={PROFILE_LIMITS[field]} />
        </>
      }
      htmlFor={`business-profile-${field}`}
      error={errors[field]}
    >
      {multiline ? (
        <textarea
          id={`business-profile-${field}`}
          className="textarea"
          rows={3}
          value={draft[field]}
          onChange={(e) => set({ [field]: e.target.value })}
          data-testid={`business-profile-${field}-input`}
        />
      ) : (
        <input
          id={`business-profile-${field}`}
          className="input"
          value={draft[field]}
          onChange={(e) => set({ [field]: e.target.value })}
          data-testid={`business-profile-${field}-input`}
        />
      )}
    </Field>
  );

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="business-profile-form" noValidate>
      {text('about', 'About')}
      {text('description', 'Description', true)}
      {text('address', 'Address')}
      <div className="form-grid">
        {text('email', 'Email')}
        <Field label="Category" htmlFor="business-profile-vertical">
          <select
            id="business-profile-vertical"
            className="select"
            value={draft.vertical}
            onChange={(e) => set({ vertical: e.target.value })}
            data-testid="business-profile-vertical-select"
          >
            <option value="">Not set</option>
            {VERTICALS.map((v) => (
              <option key={v.value} value={v.value}>
                {v.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="form-grid">
        {[0, 1].map((i) => (
          <Field
            key={i}
            label={`Website ${i + 1}`}
            htmlFor={`business-profile-website${i + 1}`}
            error={errors[i === 0 ? 'website1' : 'website2']}
          >
            <input
              id={`business-profile-website${i + 1}`}
              className="input"
              type="url"
              placeholder="https://"
              value={draft.websites[i] ?? ''}
              onChange={(e) => {
                const websites = [...draft.websites];
                websites[i] = e.target.value;
                set({ websites });
              }}
              data-testid={`business-profile-website${i + 1}-input`}
            />
          </Field>
        ))}
      </div>
      <FormError error={error} />
      <div className="form-actions">
        <Button onClick={onCancel} data-testid="business-profile-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={fetching} data-testid="business-profile-save">
          Save profile
        </Button>
      </div>
    </form>
  );
}

/** What customers see about the business in WhatsApp, per number; Admins edit it. */
export function BusinessProfileCard({
  organizationId,
  numbers,
  canManage,
}: {
  organizationId: string;
  numbers: readonly WhatsAppNumber[];
  canManage: boolean;
}) {
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  // What the last save returned, shown at once (Meta's read-back may lag behind).
  const [saved, setSaved] = useState<{ numberId: string; profile: BusinessProfile } | null>(null);
  const number = numbers.find((n) => n.id === chosenId) ?? numbers[0] ?? null;
  const [result, reexecute] = useQuery({
    query: BusinessProfileDocument,
    variables: { id: organizationId, phoneNumberId: number?.id ?? '' },
    pause: !number,
  });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  if (!number) return null;
  const profile =
    (saved?.numberId === number.id ? saved.profile : null) ??
    result.data?.businessProfile ??
    null;

  let body;
  if (!profile) {
    body = result.error ? <ErrorPanel error={result.error} onRetry={refresh} /> : <LoadingState />;
  } else if (editing) {
    body = (
      <ProfileForm
        key={number.id}
        organizationId={organizationId}
        phoneNumberId={number.id}
        profile={profile}
        onCancel={() => setEditing(false)}
        onSaved={(updated) => {
          setEditing(false);
          setSaved({ numberId: number.id, profile: updated });
        }}
      />
    );
  } else {
    body = (
      <dl className="details" data-testid="business-profile-view">
        <dt>About</dt>
        <dd data-testid="business-profile-about">{profile.about || '—'}</dd>
        <dt>Description</dt>
        <dd data-testid="business-profile-description">{profile.description || '—'}</dd>
        <dt>Address</dt>
        <dd data-testid="business-profile-address">{profile.address || '—'}</dd>
        <dt>Email</dt>
        <dd data-testid="business-profile-email">{profile.email || '—'}</dd>
        <dt>Category</dt>
        <dd data-testid="business-profile-vertical">{verticalLabel(profile.vertical)}</dd>
        <dt>Websites</dt>
        <dd data-testid="business-profile-websites">
          {profile.websites.length === 0
            ? '—'
            : profile.websites.map((w) => (
                <a key={w} href={w} target="_blank" rel="noreferrer" className="block-link">
                  {w}
                </a>
              ))}
        </dd>
      </dl>
    );
  }

  return (
    <Card
      title="Business profile"
      description="What customers see when they open your business's info in WhatsApp."
      testId="business-profile-card"
      actions={
        <>
          {numbers.length > 1 ? (
            <select
              className="select select-sm"
              aria-label="Number"
              value={number.id}
              onChange={(e) => {
                setChosenId(e.target.value);
                setEditing(false);
                setSaved(null);
              }}
              data-testid="business-profile-number-select"
            >
              {numbers.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.displayPhoneNumber ?? n.phoneNumberId}
                </option>
              ))}
            </select>
          ) : null}
          {canManage && profile && !editing ? (
            <Button
              size="sm"
              onClick={() => {
                setEditing(true);
              }}
              data-testid="business-profile-edit"
            >
              Edit
            </Button>
          ) : null}
        </>
      }
    >
      {saved?.numberId === number.id && !editing ? (
        <Notice tone="success" testId="business-profile-saved">
          Saved. WhatsApp may take a few minutes to show the change.
        </Notice>
      ) : null}
      {body}
    </Card>
  );
}
