import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { Card, Field, PageHeader } from '@/components/ui/layout';
import {
  CreateSegmentDocument,
  SegmentDocument,
  SegmentFieldsDocument,
  UpdateSegmentDocument,
} from '@/features/segments/api/segments';
import { ExportButton } from '@/features/segments/components/segments-page';
import { useSegmentPreview } from '@/features/segments/hooks/use-segment-preview';
import {
  ACTIVITY_OPERATOR_LABELS,
  DIRECTION_LABELS,
  EMPTY_FORM,
  FIELD_OPERATOR_LABELS,
  fromFilter,
  needsValue,
  nextRuleId,
  OPERATORS_BY_KIND,
  toFilterInput,
  type ActivityRule,
  type FieldRule,
  type SegmentForm,
} from '@/features/segments/utils/filter';
import type {
  ActivityDirection,
  MarketingConsent,
  SegmentActivityOperator,
  SegmentFieldOperator,
  SegmentFieldsQuery,
} from '@/gql/graphql';
import { useCurrentOrganization } from '@/lib/organization-context';

type FieldDefinition = SegmentFieldsQuery['organization']['contactFields'][number];

const CONSENTS: readonly [MarketingConsent, string][] = [
  ['OPTED_IN', 'Opted in'],
  ['UNKNOWN', 'Unknown'],
  ['OPTED_OUT', 'Opted out'],
];
const DIRECTIONS: readonly ActivityDirection[] = ['INBOUND', 'OUTBOUND'];
const ACTIVITY_OPERATORS: readonly SegmentActivityOperator[] = [
  'WITHIN_DAYS',
  'NOT_WITHIN_DAYS',
  'BEFORE',
  'AFTER',
  'NEVER',
];

function Section({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <fieldset className="form segment-section">
      <legend className="contact-section-title">{title}</legend>
      {hint ? <p className="muted small">{hint}</p> : null}
      {children}
    </fieldset>
  );
}

/** The value input that suits the field's kind. */
function ValueInput({
  rule,
  field,
  onChange,
}: {
  rule: FieldRule;
  field: FieldDefinition | undefined;
  onChange: (value: string) => void;
}) {
  const common = {
    id: `segment-field-value-${rule.id}`,
    'aria-label': 'Value',
    'data-testid': 'segment-field-value',
    value: rule.value,
  };
  if (field?.kind === 'CHOICE' || field?.kind === 'BOOLEAN') {
    const options = field.kind === 'CHOICE' ? field.choices : ['yes', 'no'];
    return (
      <select {...common} className="select select-sm" onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      {...common}
      className="input input-sm"
      type={field?.kind === 'DATE' ? 'date' : 'text'}
      inputMode={field?.kind === 'NUMBER' ? 'decimal' : undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

function FieldRules({
  form,
  fields,
  fieldsUrl,
  onChange,
}: {
  form: SegmentForm;
  fields: readonly FieldDefinition[];
  fieldsUrl: string;
  onChange: (rules: FieldRule[]) => void;
}) {
  const update = (id: number, patch: Partial<FieldRule>) =>
    onChange(form.fields.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <Section
      title="Contact fields"
      hint={
        fields.length === 0 ? (
          <>
            No fields defined yet: <Link to={fieldsUrl}>define contact fields</Link>.
          </>
        ) : null
      }
    >
      {form.fields.map((rule) => {
        const field = fields.find((f) => f.key === rule.key);
        const operators = field ? OPERATORS_BY_KIND[field.kind] : (['EQUALS'] as const);
        return (
          <div className="form-inline segment-rule" key={rule.id} data-testid="segment-field-rule">
            <select
              className="select select-sm"
              aria-label="Field"
              value={rule.key}
              onChange={(e) => update(rule.id, { key: e.target.value, operator: 'EQUALS', value: '' })}
              data-testid="segment-field-key"
            >
              {fields.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.label}
                </option>
              ))}
            </select>
            <select
              className="select select-sm"
              aria-label="Comparison"
              value={rule.operator}
              onChange={(e) => update(rule.id, { operator: e.target.value as SegmentFieldOperator })}
              data-testid="segment-field-operator"
            >
              {operators.map((op) => (
                <option key={op} value={op}>
                  {FIELD_OPERATOR_LABELS[op]}
                </option>
              ))}
            </select>
            {needsValue(rule.operator) ? (
              <ValueInput rule={rule} field={field} onChange={(value) => update(rule.id, { value })} />
            ) : null}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => onChange(form.fields.filter((r) => r.id !== rule.id))}
              data-testid="segment-field-remove"
            >
              Remove
            </Button>
          </div>
        );
      })}
      <div>
        <Button
          size="sm"
          disabled={fields.length === 0}
          onClick={() =>
            onChange([...form.fields, { id: nextRuleId(form), key: fields[0]?.key ?? '', operator: 'EQUALS', value: '' }])
          }
          data-testid="segment-add-field"
        >
          Add a field condition
        </Button>
      </div>
    </Section>
  );
}

function ActivityRules({ form, onChange }: { form: SegmentForm; onChange: (rules: ActivityRule[]) => void }) {
  const update = (id: number, patch: Partial<ActivityRule>) =>
    onChange(form.activity.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <Section title="Activity">
      {form.activity.map((rule) => (
        <div className="form-inline segment-rule" key={rule.id} data-testid="segment-activity-rule">
          <select
            className="select select-sm"
            aria-label="Which message"
            value={rule.direction}
            onChange={(e) => update(rule.id, { direction: e.target.value as ActivityDirection })}
            data-testid="segment-activity-direction"
          >
            {DIRECTIONS.map((d) => (
              <option key={d} value={d}>
                {DIRECTION_LABELS[d]}
              </option>
            ))}
          </select>
          <select
            className="select select-sm"
            aria-label="When"
            value={rule.operator}
            onChange={(e) => update(rule.id, { operator: e.target.value as SegmentActivityOperator })}
            data-testid="segment-activity-operator"
          >
            {ACTIVITY_OPERATORS.map((op) => (
              <option key={op} value={op}>
                {ACTIVITY_OPERATOR_LABELS[op]}
              </option>
            ))}
          </select>
          {rule.operator === 'WITHIN_DAYS' || rule.operator === 'NOT_WITHIN_DAYS' ? (
            <input
              className="input input-sm input-tiny"
              aria-label="Days"
              inputMode="numeric"
              value={rule.days}
              onChange={(e) => update(rule.id, { days: e.target.value })}
              data-testid="segment-activity-days"
            />
          ) : null}
          {rule.operator === 'BEFORE' || rule.operator === 'AFTER' ? (
            <input
              className="input input-sm"
              type="date"
              aria-label="Day"
              value={rule.date}
              onChange={(e) => update(rule.id, { date: e.target.value })}
              data-testid="segment-activity-date"
            />
          ) : null}
          <Button
            size="sm"
            variant="ghost"
            onClick={() => onChange(form.activity.filter((r) => r.id !== rule.id))}
            data-testid="segment-activity-remove"
          >
            Remove
          </Button>
        </div>
      ))}
      <div>
        <Button
          size="sm"
          onClick={() =>
            onChange([
              ...form.activity,
              { id: nextRuleId(form), direction: 'INBOUND', operator: 'WITHIN_DAYS', days: '30', date: '' },
            ])
          }
          data-testid="segment-add-activity"
        >
          Add an activity condition
        </Button>
      </div>
    </Section>
  );
}

function LivePreview({ organizationId, form }: { organizationId: string; form: SegmentForm }) {
  const filter = useMemo(() => toFilterInput(form), [form]);
  const preview = useSegmentPreview(organizationId, filter);
  return (
    <Card title="Matching now" description="Counted live while you edit." testId="segment-preview">
      <p
        className="stat-value"
        aria-live="polite"
        data-testid="segment-preview-count"
        data-count={preview.count ?? ''}
        data-loading={preview.loading}
      >
        {preview.count == null ? '…' : `${preview.count.toLocaleString()} contact${preview.count === 1 ? '' : 's'}`}
      </p>
      <FormError error={preview.error} testId="segment-preview-error" />
      {preview.contacts.length > 0 ? (
        <ul className="membership-list" aria-label="Newest matching contacts" data-testid="segment-preview-contacts">
          {preview.contacts.map((c) => (
            <li key={c.id} data-testid="segment-preview-contact" data-phone={c.phone ?? ''}>
              <Link to={`/orgs/${encodeURIComponent(organizationId)}/contacts/${encodeURIComponent(c.id)}`}>
                {c.displayName?.trim() || `+${c.phone ?? c.waId}`}
              </Link>
              <span className="muted small">
                {' '}
                {c.country ?? ''} {c.tags.join(', ')}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

function SegmentBuilder({
  initial,
  fields,
  segmentId,
  csvUrl,
}: {
  initial: SegmentForm;
  fields: readonly FieldDefinition[];
  segmentId: string | null;
  csvUrl: string | null;
}) {
  const { organization } = useCurrentOrganization();
  const navigate = useNavigate();
  const base = `/orgs/${encodeURIComponent(organization.id)}`;
  const [form, setForm] = useState<SegmentForm>(initial);
  const [created, create] = useMutation(CreateSegmentDocument);
  const [updated, update] = useMutation(UpdateSegmentDocument);
  const set = (patch: Partial<SegmentForm>) => setForm((f) => ({ ...f, ...patch }));
  const saving = created.fetching || updated.fetching;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const filter = toFilterInput(form);
    const result = segmentId
      ? await update({ input: { organizationId: organization.id, segmentId, name: form.name.trim(), filter } })
      : await create({ input: { organizationId: organization.id, name: form.name.trim(), filter } });
    if (result.data) void navigate(`${base}/segments`);
  }

  const text = (label: string, key: 'allOf' | 'anyOf' | 'noneOf' | 'countries', hint: string) => (
    <Field label={label} htmlFor={`segment-${key}`} hint={hint}>
      <input
        id={`segment-${key}`}
        className="input"
        value={form[key]}
        onChange={(e) => set({ [key]: e.target.value })}
        data-testid={`segment-${key}`}
      />
    </Field>
  );

  return (
    <div className="page" data-testid="segment-builder">
      <PageHeader
        title={segmentId ? `Segment: ${initial.name}` : 'New segment'}
        description="Contacts belong to the segment when every condition holds. No condition: everyone."
        actions={
          <>
            {segmentId && csvUrl ? <ExportButton segment={{ name: initial.name, contactsCsvUrl: csvUrl }} size="md" /> : null}
            <ButtonLink to={`${base}/segments`} variant="ghost" data-testid="segment-back">
              All segments
            </ButtonLink>
          </>
        }
      />
      <div className="contact-layout">
        <Card testId="segment-form-card">
          <form className="form" onSubmit={(e) => void onSubmit(e)} aria-label="Segment" data-testid="segment-form">
            <Field label="Name" htmlFor="segment-name">
              <input
                id="segment-name"
                className="input"
                maxLength={100}
                value={form.name}
                onChange={(e) => set({ name: e.target.value })}
                data-testid="segment-name-input"
              />
            </Field>
            <Section title="Tags" hint="Separated by commas.">
              {text('Has every tag', 'allOf', 'e.g. vip, loja centro')}
              {text('Has at least one of', 'anyOf', 'e.g. online, store')}
              {text('Has none of', 'noneOf', 'e.g. churned')}
            </Section>
            <Section title="Country and consent">
              {text('Country is one of', 'countries', 'Two-letter codes, e.g. BR, PT')}
              <div className="choice-group" role="group" aria-label="Marketing consent is one of">
                {CONSENTS.map(([value, label]) => (
                  <label key={value} className="choice">
                    <input
                      type="checkbox"
                      checked={form.marketing.includes(value)}
                      onChange={(e) =>
                        set({
                          marketing: e.target.checked
                            ? [...form.marketing, value]
                            : form.marketing.filter((m) => m !== value),
                        })
                      }
                      data-testid={`segment-marketing-${value}`}
                    />{' '}
                    {label}
                  </label>
                ))}
              </div>
            </Section>
            <FieldRules
              form={form}
              fields={fields}
              fieldsUrl={`${base}/contacts/fields`}
              onChange={(rules) => set({ fields: rules })}
            />
            <ActivityRules form={form} onChange={(rules) => set({ activity: rules })} />
            <FormError error={created.error ?? updated.error} testId="segment-save-error" />
            <div className="form-actions form-actions-start">
              <Button
                type="submit"
                variant="primary"
                busy={saving}
                disabled={form.name.trim() === ''}
                data-testid="segment-save"
              >
                {segmentId ? 'Save segment' : 'Create segment'}
              </Button>
            </div>
          </form>
        </Card>
        <div className="contact-side">
          <LivePreview organizationId={organization.id} form={form} />
        </div>
      </div>
    </div>
  );
}

/** `/orgs/:orgId/segments/new` and `/orgs/:orgId/segments/:segmentId` (Admin or Owner). */
export function SegmentBuilderPage() {
  const { organization } = useCurrentOrganization();
  const { segmentId = null } = useParams();
  const [fieldsResult, refetchFields] = useQuery({
    query: SegmentFieldsDocument,
    variables: { id: organization.id },
    requestPolicy: 'network-only',
  });
  const [segmentResult, refetchSegment] = useQuery({
    query: SegmentDocument,
    variables: { id: organization.id, segmentId: segmentId ?? '' },
    pause: segmentId == null,
    requestPolicy: 'network-only',
  });
  const fields = fieldsResult.data?.organization.contactFields;
  const segment = segmentResult.data?.organization.segment;
  const error = fieldsResult.error ?? (segmentId ? segmentResult.error : undefined);
  if (error) {
    return (
      <div className="page">
        <ErrorPanel
          error={error}
          onRetry={() => {
            refetchFields({ requestPolicy: 'network-only' });
            if (segmentId) refetchSegment({ requestPolicy: 'network-only' });
          }}
        />
      </div>
    );
  }
  if (!fields || (segmentId && (!segment || segment.id !== segmentId))) return <LoadingState />;
  const initial = segment ? fromFilter(segment.name, segment.filter) : EMPTY_FORM;
  return (
    <SegmentBuilder
      key={segmentId ?? 'new'}
      initial={initial}
      fields={fields}
      segmentId={segmentId}
      csvUrl={segmentId ? `/api/organizations/${organization.id}/segments/${segmentId}/contacts.csv` : null}
    />
  );
}
