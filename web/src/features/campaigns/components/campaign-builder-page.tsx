import { useEffect, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { XIcon } from '@/components/ui/icons';
import { Card, Field, PageHeader } from '@/components/ui/layout';
import {
  CampaignBuilderOptionsDocument,
  CampaignDocument,
  CampaignTemplatesDocument,
  CreateCampaignDocument,
  TemplatePlaceholdersDocument,
  UpdateCampaignDocument,
} from '@/features/campaigns/api/campaigns';
import { CampaignReview } from '@/features/campaigns/components/campaign-review';
import {
  CONTACT_ATTRIBUTES,
  EMPTY_FORM,
  FIXED_TEXT,
  formProblems,
  fromCampaign,
  parseTags,
  rowsForPlaceholders,
  toCampaignInput,
  type CampaignForm,
  type ParameterRow,
} from '@/features/campaigns/utils/form';
import {
  placeholderLabel,
  REPEAT_LABELS,
  SCHEDULE_KIND_LABELS,
  WEEKDAYS,
} from '@/features/campaigns/utils/labels';
import type { CampaignBuilderOptionsQuery, RepeatEvery, ScheduleKind } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';

type Options = CampaignBuilderOptionsQuery['organization'];

const STEPS = ['Number and template', 'Variables', 'Audience', 'Schedule', 'Review and launch'] as const;
type Step = 1 | 2 | 3 | 4 | 5;

function parseStep(value: string | null): Step {
  const n = Number(value);
  return n >= 1 && n <= 5 ? (n as Step) : 1;
}

function Steps({ current, canReview, onGo }: { current: Step; canReview: boolean; onGo: (step: Step) => void }) {
  return (
    <ol className="steps" aria-label="Campaign steps" data-testid="campaign-steps">
      {STEPS.map((label, index) => {
        const step = (index + 1) as Step;
        const state = step < current ? 'done' : step === current ? 'current' : 'next';
        const disabled = step === 5 && !canReview;
        return (
          <li
            key={label}
            className={`step step-${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
            data-testid="campaign-step"
            data-step={step}
            data-state={state}
          >
            <button
              type="button"
              className="step-button"
              onClick={() => onGo(step)}
              disabled={disabled}
              title={disabled ? 'Save the draft first' : undefined}
              data-testid={`campaign-step-${step}`}
            >
              <span className="step-number" aria-hidden="true">
                {step}
              </span>
              <span>{label}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function Section({ title, hint, children, testId }: { title: string; hint?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <fieldset className="form segment-section" data-testid={testId}>
      <legend className="contact-section-title">{title}</legend>
      {hint ? <p className="muted small">{hint}</p> : null}
      {children}
    </fieldset>
  );
}

function NumberAndTemplate({
  form,
  set,
  options,
  organizationId,
}: {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  options: Options;
  organizationId: string;
}) {
  const numbers = options.phoneNumbers.filter((n) => !n.disconnectedAt);
  const [templatesResult] = useQuery({
    query: CampaignTemplatesDocument,
    variables: { id: organizationId, phoneNumberId: form.phoneNumberId || null },
    pause: !form.phoneNumberId,
    requestPolicy: 'cache-and-network',
  });
  const all = templatesResult.data?.organization.templates;
  const approved = all?.filter((t) => t.status === 'APPROVED') ?? [];
  return (
    <>
      <Field label="Campaign name" htmlFor="campaign-name" hint="Only your team sees it.">
        <input
          id="campaign-name"
          className="input"
          maxLength={200}
          value={form.name}
          onChange={(e) => set({ name: e.target.value })}
          data-testid="campaign-name-input"
        />
      </Field>
      <Field label="Send from" htmlFor="campaign-number">
        <select
          id="campaign-number"
          className="select"
          value={form.phoneNumberId}
          onChange={(e) => set({ phoneNumberId: e.target.value, templateId: '', parameters: [] })}
          data-testid="campaign-number"
        >
          <option value="">Choose a number…</option>
          {numbers.map((n) => (
            <option key={n.id} value={n.id}>
              {[n.displayPhoneNumber, n.verifiedName].filter(Boolean).join(' · ') || n.id}
            </option>
          ))}
        </select>
      </Field>
      {numbers.length === 0 ? (
        <Notice tone="warning" testId="campaign-no-number">
          No WhatsApp number is connected yet. Connect one on the WhatsApp page first.
        </Notice>
      ) : null}
      {form.phoneNumberId ? (
        <Section title="Template" hint="Only templates Meta approved can be sent to people who did not write first." testId="campaign-templates">
          {!all && templatesResult.error ? <FormError error={templatesResult.error} testId="campaign-templates-error" /> : null}
          {!all && !templatesResult.error ? <LoadingState label="Loading templates…" /> : null}
          {all && approved.length === 0 ? (
            <p className="muted" data-testid="campaign-templates-empty">
              This number&apos;s account has no approved template yet.
            </p>
          ) : null}
          <div className="template-choices" role="radiogroup" aria-label="Approved templates">
            {approved.map((t) => (
              <label key={t.id} className="choice template-choice" data-testid="campaign-template" data-name={t.name} data-category={t.category}>
                <input
                  type="radio"
                  name="campaign-template"
                  value={t.id}
                  checked={form.templateId === t.id}
                  onChange={() => set({ templateId: t.id })}
                  data-testid="campaign-template-radio"
                />
                <span className="template-choice-text">
                  <span>
                    <strong>{t.name}</strong> <span className="muted small">{t.language}</span>{' '}
                    <span className="badge badge-neutral" data-testid="campaign-template-category">
                      {t.category.charAt(0) + t.category.slice(1).toLowerCase()}
                    </span>
                  </span>
                  {t.bodyText ? <span className="muted small template-choice-body">{t.bodyText}</span> : null}
                </span>
              </label>
            ))}
          </div>
        </Section>
      ) : null}
    </>
  );
}

/** The body with each placeholder replaced by where its value comes from. */
function BodyPreview({ body, rows, options }: { body: string; rows: readonly ParameterRow[]; options: Options }) {
  const labelOf = (row: ParameterRow | undefined) => {
    if (!row || row.source === '') return '(not chosen)';
    if (row.source === FIXED_TEXT) return row.text || '(empty text)';
    const key = row.source.slice(row.source.indexOf(':') + 1);
    const attribute = CONTACT_ATTRIBUTES.find(([k]) => k === key)?.[1];
    const field = options.contactFields.find((f) => f.key === key)?.label;
    const name = attribute ?? field ?? key;
    return row.fallback ? `‹${name}, else “${row.fallback}”›` : `‹${name}›`;
  };
  const text = body.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, name: string) =>
    labelOf(rows.find((r) => r.part === 'BODY' && r.placeholder === name)),
  );
  return (
    <div className="template-preview-card" data-testid="campaign-body-preview">
      <p className="muted small">The message body, with where each value comes from:</p>
      <p>{text}</p>
    </div>
  );
}

function Variables({
  form,
  set,
  options,
  organizationId,
}: {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  options: Options;
  organizationId: string;
}) {
  const [placeholders] = useQuery({
    query: TemplatePlaceholdersDocument,
    variables: { id: organizationId, templateId: form.templateId },
    pause: !form.templateId,
  });
  const [templatesResult] = useQuery({
    query: CampaignTemplatesDocument,
    variables: { id: organizationId, phoneNumberId: form.phoneNumberId || null },
    pause: !form.phoneNumberId,
    requestPolicy: 'cache-first',
  });
  const template = templatesResult.data?.organization.templates.find((t) => t.id === form.templateId);
  const list = placeholders.data?.organization.templatePlaceholders;
  const rowsKey = list ? JSON.stringify(list) : null;

  // One row per placeholder of the template, keeping what was chosen before.
  useEffect(() => {
    if (!list) return;
    const rows = rowsForPlaceholders(list, form.parameters);
    if (JSON.stringify(rows) !== JSON.stringify(form.parameters)) set({ parameters: rows });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the template's placeholders arrive
  }, [rowsKey]);

  if (!form.templateId) return <p className="muted">Choose a template first.</p>;
  if (!list && placeholders.error) return <FormError error={placeholders.error} testId="campaign-placeholders-error" />;
  if (!list) return <LoadingState label="Reading the template…" />;
  if (list.length === 0) {
    return (
      <p className="muted" data-testid="campaign-no-placeholders">
        This template has no placeholders: everyone gets the same message.
      </p>
    );
  }
  const update = (index: number, patch: Partial<ParameterRow>) =>
    set({ parameters: form.parameters.map((r, i) => (i === index ? { ...r, ...patch } : r)) });

  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact" data-testid="campaign-variables">
          <thead>
            <tr>
              <th scope="col">Placeholder</th>
              <th scope="col">Value from</th>
              <th scope="col">Text, or fallback when the contact has none</th>
            </tr>
          </thead>
          <tbody>
            {form.parameters.map((row, index) => {
              const label = placeholderLabel({ ...row, name: row.placeholder });
              const fixed = row.source === FIXED_TEXT;
              const id = `campaign-param-${index}`;
              return (
                <tr
                  key={`${row.part}:${row.buttonIndex ?? ''}:${row.placeholder}`}
                  data-testid="campaign-variable"
                  data-part={row.part}
                  data-placeholder={row.placeholder}
                >
                  <th scope="row" className="nowrap" id={`${id}-label`}>
                    {label}
                  </th>
                  <td>
                    <select
                      className="select select-sm"
                      aria-label={`Value of ${label} from`}
                      value={row.source}
                      onChange={(e) => update(index, { source: e.target.value })}
                      data-testid="campaign-variable-source"
                    >
                      <option value="">Choose…</option>
                      {row.media ? null : (
                        <optgroup label="Contact">
                          {CONTACT_ATTRIBUTES.map(([key, name]) => (
                            <option key={key} value={`attr:${key}`}>
                              {name}
                            </option>
                          ))}
                        </optgroup>
                      )}
                      {row.media || options.contactFields.length === 0 ? null : (
                        <optgroup label="Your contact fields">
                          {options.contactFields.map((f) => (
                            <option key={f.key} value={`field:${f.key}`}>
                              {f.label}
                            </option>
                          ))}
                        </optgroup>
                      )}
                      <option value={FIXED_TEXT}>{row.media ? 'A link' : 'Fixed text'}</option>
                    </select>
                  </td>
                  <td>
                    {fixed ? (
                      <input
                        className="input input-sm"
                        aria-label={`Text of ${label}`}
                        value={row.text}
                        onChange={(e) => update(index, { text: e.target.value })}
                        data-testid="campaign-variable-text"
                      />
                    ) : (
                      <input
                        className="input input-sm"
                        aria-label={`Fallback for ${label}`}
                        placeholder="No fallback: skip the contact"
                        value={row.fallback}
                        onChange={(e) => update(index, { fallback: e.target.value })}
                        data-testid="campaign-variable-fallback"
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {template?.bodyText ? <BodyPreview body={template.bodyText} rows={form.parameters} options={options} /> : null}
    </>
  );
}

function TagChips({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const [text, setText] = useState('');
  const add = () => {
    const added = parseTags(text).filter((t) => !tags.includes(t));
    if (added.length > 0) onChange([...tags, ...added]);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && text === '' && tags.length > 0) {
      onChange(tags.slice(0, -1));
    }
  };
  return (
    <div className="field">
      <label className="field-label" htmlFor="campaign-tag-input">
        Contacts with any of these tags
      </label>
      {tags.length > 0 ? (
        <ul className="label-chips" aria-label="Chosen tags" data-testid="campaign-tags">
          {tags.map((tag) => (
            <li key={tag} className="label-chip" data-testid="campaign-tag" data-tag={tag}>
              {tag}
              <button
                type="button"
                className="label-chip-remove"
                aria-label={`Remove the tag ${tag}`}
                onClick={() => onChange(tags.filter((t) => t !== tag))}
                data-testid="campaign-tag-remove"
              >
                <XIcon width={12} height={12} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="form-inline">
        <input
          id="campaign-tag-input"
          className="input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => (text.trim() ? add() : undefined)}
          aria-describedby="campaign-tag-input-hint"
          data-testid="campaign-tag-input"
        />
        <Button size="sm" onClick={add} disabled={text.trim() === ''} data-testid="campaign-tag-add">
          Add tag
        </Button>
      </div>
      <p className="field-hint" id="campaign-tag-input-hint">
        Press Enter or a comma after each tag.
      </p>
    </div>
  );
}

function Audience({ form, set, options }: { form: CampaignForm; set: (patch: Partial<CampaignForm>) => void; options: Options }) {
  const { organization } = useCurrentOrganization();
  // The server lists finished audience imports only (`audiencesOnly`), newest first.
  const files = options.contactImports.nodes;
  return (
    <>
      <p className="muted">
        Everyone in any of the segments, with any of the tags or in any of the files receives it once. Who is
        skipped, and why, shows on the review step.
      </p>
      <TagChips tags={form.tags} onChange={(tags) => set({ tags })} />
      <Section title="Segments" testId="campaign-segments">
        {options.segments.length === 0 ? (
          <p className="muted small" data-testid="campaign-segments-empty">
            No segments yet.
          </p>
        ) : (
          <div className="choice-group choice-group-column">
            {options.segments.map((s) => (
              <label key={s.id} className="choice" data-testid="campaign-segment" data-segment-id={s.id} data-name={s.name}>
                <input
                  type="checkbox"
                  checked={form.segmentIds.includes(s.id)}
                  onChange={(e) =>
                    set({
                      segmentIds: e.target.checked
                        ? [...form.segmentIds, s.id]
                        : form.segmentIds.filter((id) => id !== s.id),
                    })
                  }
                  data-testid="campaign-segment-checkbox"
                />{' '}
                {s.name}{' '}
                <span className="muted small" data-testid="campaign-segment-count" data-count={s.contactCount}>
                  ({s.contactCount.toLocaleString()} contact{s.contactCount === 1 ? '' : 's'})
                </span>
              </label>
            ))}
          </div>
        )}
      </Section>
      <Section title="Files" testId="campaign-files">
        {files.length === 0 ? (
          <p className="muted small" data-testid="campaign-files-empty">
            No file kept as an audience yet.
          </p>
        ) : (
          <div className="choice-group choice-group-column">
            {files.map((f) => (
              <label key={f.id} className="choice" data-testid="campaign-file" data-import-id={f.id} data-name={f.fileName}>
                <input
                  type="checkbox"
                  checked={form.importIds.includes(f.id)}
                  onChange={(e) =>
                    set({
                      importIds: e.target.checked
                        ? [...form.importIds, f.id]
                        : form.importIds.filter((id) => id !== f.id),
                    })
                  }
                  data-testid="campaign-file-checkbox"
                />{' '}
                {f.fileName}{' '}
                <span className="muted small">
                  ({f.records.toLocaleString()} row{f.records === 1 ? '' : 's'}, imported {formatDateTime(f.finishedAt)})
                </span>
              </label>
            ))}
          </div>
        )}
        <p className="field-hint">
          To send to exactly the people of a list, import it with “Keep this file’s people as a campaign audience”.{' '}
          <ButtonLink
            to={`/orgs/${encodeURIComponent(organization.id)}/contacts/import`}
            variant="ghost"
            size="sm"
            data-testid="campaign-import-file"
          >
            Import a file
          </ButtonLink>
        </p>
      </Section>
    </>
  );
}

const KINDS: readonly ScheduleKind[] = ['NOW', 'AT', 'LOCAL', 'RECURRING'];

function Schedule({ form, set }: { form: CampaignForm; set: (patch: Partial<CampaignForm>) => void }) {
  return (
    <>
      <fieldset className="form segment-section" data-testid="campaign-schedule">
        <legend className="contact-section-title">When</legend>
        <div className="choice-group choice-group-column">
          {KINDS.map((kind) => (
            <label key={kind} className="choice">
              <input
                type="radio"
                name="campaign-schedule-kind"
                value={kind}
                checked={form.scheduleKind === kind}
                onChange={() => set({ scheduleKind: kind })}
                data-testid={`campaign-schedule-${kind}`}
              />{' '}
              {SCHEDULE_KIND_LABELS[kind]}
            </label>
          ))}
        </div>
        {form.scheduleKind === 'AT' ? (
          <Field label="Date and time (the organization's time zone)" htmlFor="campaign-at">
            <input
              id="campaign-at"
              className="input input-narrow"
              type="datetime-local"
              value={form.at}
              onChange={(e) => set({ at: e.target.value })}
              data-testid="campaign-at"
            />
          </Field>
        ) : null}
        {form.scheduleKind === 'LOCAL' ? (
          <div className="form-grid">
            <Field label="Day" htmlFor="campaign-date">
              <input
                id="campaign-date"
                className="input"
                type="date"
                value={form.date}
                onChange={(e) => set({ date: e.target.value })}
                data-testid="campaign-date"
              />
            </Field>
            <Field label="Time in each recipient's zone" htmlFor="campaign-time">
              <input
                id="campaign-time"
                className="input"
                type="time"
                value={form.time}
                onChange={(e) => set({ time: e.target.value })}
                data-testid="campaign-time"
              />
            </Field>
          </div>
        ) : null}
        {form.scheduleKind === 'RECURRING' ? (
          <div className="form-grid">
            <Field label="Repeats" htmlFor="campaign-every">
              <select
                id="campaign-every"
                className="select"
                value={form.every}
                onChange={(e) => set({ every: e.target.value as RepeatEvery })}
                data-testid="campaign-every"
              >
                {(['DAY', 'WEEK'] as const).map((e) => (
                  <option key={e} value={e}>
                    {REPEAT_LABELS[e]}
                  </option>
                ))}
              </select>
            </Field>
            {form.every === 'WEEK' ? (
              <Field label="On" htmlFor="campaign-weekday">
                <select
                  id="campaign-weekday"
                  className="select"
                  value={form.weekday}
                  onChange={(e) => set({ weekday: Number(e.target.value) })}
                  data-testid="campaign-weekday"
                >
                  {WEEKDAYS.map((day, i) => (
                    <option key={day} value={i + 1}>
                      {day}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            <Field label="At (the organization's time zone)" htmlFor="campaign-time">
              <input
                id="campaign-time"
                className="input"
                type="time"
                value={form.time}
                onChange={(e) => set({ time: e.target.value })}
                data-testid="campaign-time"
              />
            </Field>
          </div>
        ) : null}
      </fieldset>
      <Section title="Delivery">
        <label className="choice">
          <input
            type="checkbox"
            checked={form.retryPerUserLimit}
            onChange={(e) => set({ retryPerUserLimit: e.target.checked })}
            data-testid="campaign-retry-per-user-limit"
          />{' '}
          Retry recipients refused by Meta&apos;s per-user marketing limit 24 h later
        </label>
        <Field
          label="Count a customer's message as a reply within (hours)"
          htmlFor="campaign-reply-window"
          hint="After the campaign message was delivered."
        >
          <input
            id="campaign-reply-window"
            className="input input-tiny"
            inputMode="numeric"
            value={form.replyWindowHours}
            onChange={(e) => set({ replyWindowHours: e.target.value })}
            data-testid="campaign-reply-window"
          />
        </Field>
      </Section>
    </>
  );
}

function Builder({
  initial,
  options,
  campaignId,
  step,
  goTo,
}: {
  initial: CampaignForm;
  options: Options;
  campaignId: string | null;
  step: Step;
  goTo: (step: Step, campaignId?: string) => void;
}) {
  const { organization } = useCurrentOrganization();
  const [form, setForm] = useState<CampaignForm>(initial);
  const [dirty, setDirty] = useState(false);
  const [created, create] = useMutation(CreateCampaignDocument);
  const [updated, update] = useMutation(UpdateCampaignDocument);
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<CampaignForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
    setSaved(false);
  };
  const saving = created.fetching || updated.fetching;
  const error = campaignId ? updated.error : created.error;

  async function save(next: Step | null) {
    const found = formProblems(form);
    setProblems(found);
    if (found.length > 0) return;
    const input = toCampaignInput(organization.id, form);
    const result = campaignId ? await update({ campaignId, input }) : await create({ input });
    const id = result.data && ('createCampaign' in result.data ? result.data.createCampaign.id : result.data.updateCampaign.id);
    if (!id) return;
    setDirty(false);
    setSaved(true);
    if (next != null || !campaignId) goTo(next ?? step, id);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void save(step === 4 ? 5 : null);
  }

  if (step === 5 && campaignId) {
    return (
      <>
        <Steps current={5} canReview onGo={(s) => goTo(s)} />
        {dirty ? (
          <Notice tone="warning" testId="campaign-unsaved">
            You changed the draft since it was saved: save it again to review what you changed.
          </Notice>
        ) : null}
        <CampaignReview organizationId={organization.id} campaignId={campaignId} onEdit={() => goTo(1)} />
      </>
    );
  }

  const next = (Math.min(step + 1, 5) as Step);
  return (
    <>
      <Steps current={step} canReview={campaignId != null} onGo={(s) => (s === 5 ? void save(5) : goTo(s))} />
      <Card testId="campaign-builder-card" title={STEPS[step - 1]}>
        <form className="form" onSubmit={onSubmit} aria-label="Campaign" data-testid="campaign-form" data-step={step}>
          {step === 1 ? <NumberAndTemplate form={form} set={set} options={options} organizationId={organization.id} /> : null}
          {step === 2 ? <Variables form={form} set={set} options={options} organizationId={organization.id} /> : null}
          {step === 3 ? <Audience form={form} set={set} options={options} /> : null}
          {step === 4 ? <Schedule form={form} set={set} /> : null}
          {problems.length > 0 ? (
            <ul className="form-problems" role="alert" data-testid="campaign-problems">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
          <FormError error={error} testId="campaign-save-error" />
          {saved && !dirty ? (
            <p className="muted small" role="status" data-testid="campaign-saved">
              Draft saved.
            </p>
          ) : null}
          <div className="form-actions form-actions-start">
            {step > 1 ? (
              <Button onClick={() => goTo((step - 1) as Step)} data-testid="campaign-prev">
                Back
              </Button>
            ) : null}
            {step < 4 ? (
              <Button variant="primary" onClick={() => goTo(next)} data-testid="campaign-next">
                Next: {STEPS[next - 1]}
              </Button>
            ) : null}
            <Button
              // A new element when it changes role, so it never fades from secondary to primary.
              key={step === 4 ? 'save-review' : 'save'}
              type={step === 4 ? 'submit' : 'button'}
              variant={step === 4 ? 'primary' : 'secondary'}
              busy={saving}
              onClick={step === 4 ? undefined : () => void save(null)}
              data-testid={step === 4 ? 'campaign-save-review' : 'campaign-save'}
            >
              {step === 4 ? 'Save and review' : 'Save draft'}
            </Button>
          </div>
        </form>
      </Card>
    </>
  );
}

/** `/orgs/:orgId/campaigns/new` and `/orgs/:orgId/campaigns/:campaignId/edit` (Admin or Owner). */
export function CampaignBuilderPage() {
  const { organization } = useCurrentOrganization();
  const { campaignId = null } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const step = parseStep(params.get('step'));
  const base = `/orgs/${encodeURIComponent(organization.id)}/campaigns`;
  const [optionsResult, refetchOptions] = useQuery({
    query: CampaignBuilderOptionsDocument,
    variables: { id: organization.id },
    requestPolicy: 'network-only',
  });
  const [campaignResult, refetchCampaign] = useQuery({
    query: CampaignDocument,
    variables: { id: organization.id, campaignId: campaignId ?? '' },
    pause: campaignId == null,
    requestPolicy: 'network-only',
  });
  const options = optionsResult.data?.organization;
  const campaign = campaignResult.data?.organization.campaign;
  const error = optionsResult.error ?? (campaignId ? campaignResult.error : undefined);

  const goTo = (next: Step, id?: string) => {
    const target = id ?? campaignId;
    const path = target ? `${base}/${encodeURIComponent(target)}/edit?step=${next}` : `${base}/new?step=${next}`;
    void navigate(path, { replace: id != null && id !== campaignId });
  };

  let body;
  if (error) {
    body = (
      <ErrorPanel
        error={error}
        onRetry={() => {
          refetchOptions({ requestPolicy: 'network-only' });
          if (campaignId) refetchCampaign({ requestPolicy: 'network-only' });
        }}
      />
    );
  } else if (!options || (campaignId && (!campaign || campaign.id !== campaignId))) {
    body = <LoadingState />;
  } else if (campaign && campaign.status !== 'DRAFT') {
    body = (
      <Notice tone="info" testId="campaign-not-draft">
        This campaign was launched; only drafts change. <ButtonLink to={`${base}/${encodeURIComponent(campaign.id)}`}>Open it</ButtonLink>
      </Notice>
    );
  } else {
    const initial = campaign ? fromCampaign(campaign) : EMPTY_FORM;
    body = <Builder key={campaignId ?? 'new'} initial={initial} options={options} campaignId={campaignId} step={step} goTo={goTo} />;
  }

  return (
    <div className="page" data-testid="campaign-builder">
      <PageHeader
        title={campaign ? `Campaign: ${campaign.name}` : 'New campaign'}
        description="A draft until you launch it: nothing is sent before."
        actions={
          <ButtonLink to={base} variant="ghost" data-testid="campaign-back">
            All campaigns
          </ButtonLink>
        }
      />
      {body}
    </div>
  );
}
