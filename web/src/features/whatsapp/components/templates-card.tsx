import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { FileIcon, PlusIcon, RefreshIcon } from '@/components/ui/icons';
import { Card, EmptyState, Field } from '@/components/ui/layout';
import { StatusBadge } from '@/components/ui/role-badge';
import {
  CreateTemplateDocument,
  DeleteTemplateDocument,
  SyncTemplatesDocument,
  WhatsAppTemplatesDocument,
  type MessageTemplate,
} from '@/features/whatsapp/api/templates';
import type { WhatsAppNumber } from '@/features/whatsapp/components/phone-numbers-card';
import {
  TEMPLATE_CATEGORIES,
  TEMPLATE_LIMITS,
  templateStatusTone,
  validateTemplateDraft,
  type TemplateDraft,
  type TemplateDraftErrors,
} from '@/features/whatsapp/utils/template-form';
import type { TemplateCategory } from '@/gql/graphql';
import { countPlaceholders, fillPlaceholders } from '@/lib/templates';

const EMPTY_DRAFT: TemplateDraft = {
  name: '',
  language: 'en_US',
  category: 'UTILITY',
  headerText: '',
  bodyText: '',
  footerText: '',
  bodyExamples: [],
};

const NO_ERRORS: TemplateDraftErrors = { fields: {}, examples: [] };

function numberLabel(n: WhatsAppNumber): string {
  return [n.verifiedName, n.displayPhoneNumber].filter(Boolean).join(' · ') || n.phoneNumberId;
}

function CreateTemplateForm({
  organizationId,
  phoneNumberId,
  onCreated,
  onCancel,
}: {
  organizationId: string;
  phoneNumberId: string;
  onCreated: (template: MessageTemplate) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<TemplateDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<TemplateDraftErrors>(NO_ERRORS);
  const [{ fetching, error }, create] = useMutation(CreateTemplateDocument);
  const count = countPlaceholders(draft.bodyText);
  const set = (change: Partial<TemplateDraft>) => setDraft((d) => ({ ...d, ...change }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const checked = validateTemplateDraft(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors(NO_ERRORS);
    const result = await create({ input: { organizationId, phoneNumberId, ...checked.value } });
    if (!result.data) return;
    setDraft(EMPTY_DRAFT);
    onCreated(result.data.createTemplate);
  }

  return (
    <form className="form template-form" onSubmit={(e) => void onSubmit(e)} data-testid="template-create-form" noValidate>
      <div className="form-grid">
        <Field label="Name" htmlFor="template-name" hint="Lowercase letters, digits and underscores." error={errors.fields.name}>
          <input
            id="template-name"
            className="input"
            value={draft.name}
            placeholder="order_update"
            onChange={(e) => set({ name: e.target.value })}
            data-testid="template-name-input"
          />
        </Field>
        <Field label="Language" htmlFor="template-language" error={errors.fields.language}>
          <input
            id="template-language"
            className="input"
            value={draft.language}
            placeholder="en_US"
            onChange={(e) => set({ language: e.target.value })}
            data-testid="template-language-input"
          />
        </Field>
        <Field label="Category" htmlFor="template-category" error={errors.fields.category}>
          <select
            id="template-category"
            className="select"
            value={draft.category}
            onChange={(e) => set({ category: e.target.value as TemplateCategory })}
            data-testid="template-category-select"
          >
            {TEMPLATE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c.charAt(0) + c.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="Header (optional)" htmlFor="template-header" error={errors.fields.header}>
        <input
          id="template-header"
          className="input"
          value={draft.headerText}
          maxLength={TEMPLATE_LIMITS.header + 20}
          onChange={(e) => set({ headerText: e.target.value })}
          data-testid="template-header-input"
        />
      </Field>
      <Field
        label="Body"
        htmlFor="template-body"
        hint="Use {{1}}, {{2}}, … for the parts that change with each message."
        error={errors.fields.body}
      >
        <textarea
          id="template-body"
          className="textarea"
          rows={4}
          value={draft.bodyText}
          placeholder="Hi {{1}}, your order {{2}} is on its way."
          onChange={(e) => set({ bodyText: e.target.value })}
          data-testid="template-body-input"
        />
      </Field>
      {count > 0 ? (
        <div className="template-examples">
          <p className="field-label">Examples for Meta&rsquo;s review</p>
          {Array.from({ length: count }, (_, i) => (
            <Field key={i} label={`{{${i + 1}}}`} htmlFor={`template-example-${i + 1}`} error={errors.examples[i] ?? null}>
              <input
                id={`template-example-${i + 1}`}
                className="input"
                value={draft.bodyExamples[i] ?? ''}
                onChange={(e) => {
                  const bodyExamples = [...draft.bodyExamples];
                  bodyExamples[i] = e.target.value;
                  set({ bodyExamples });
                }}
                data-testid={`template-example-${i + 1}`}
              />
            </Field>
          ))}
        </div>
      ) : null}
      <Field label="Footer (optional)" htmlFor="template-footer" error={errors.fields.footer}>
        <input
          id="template-footer"
          className="input"
          value={draft.footerText}
          onChange={(e) => set({ footerText: e.target.value })}
          data-testid="template-footer-input"
        />
      </Field>
      {draft.bodyText.trim() ? (
        <div className="template-preview-card" data-testid="template-create-preview">
          {draft.headerText.trim() ? <strong>{draft.headerText.trim()}</strong> : null}
          <p>{fillPlaceholders(draft.bodyText.trim(), draft.bodyExamples)}</p>
          {draft.footerText.trim() ? <span className="muted small">{draft.footerText.trim()}</span> : null}
        </div>
      ) : null}
      <FormError error={error} />
      <div className="form-actions">
        <Button onClick={onCancel} data-testid="template-create-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={fetching} data-testid="template-create-submit">
          Submit for review
        </Button>
      </div>
    </form>
  );
}

/** A number's templates with their review status; Sync reads them from Meta again. */
export function TemplatesCard({
  organizationId,
  numbers,
  canManage,
}: {
  organizationId: string;
  numbers: readonly WhatsAppNumber[];
  canManage: boolean;
}) {
  const [chosenId, setChosenId] = useState<string | null>(null);
  const number = numbers.find((n) => n.id === chosenId) ?? numbers[0] ?? null;
  const [result, reexecute] = useQuery({
    query: WhatsAppTemplatesDocument,
    variables: { id: organizationId, phoneNumberId: number?.id ?? '' },
    pause: !number,
  });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const [sync, syncTemplates] = useMutation(SyncTemplatesDocument);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<MessageTemplate | null>(null);
  const [deletion, deleteTemplate] = useMutation(DeleteTemplateDocument);
  const [dialogError, setDialogError] = useState<CombinedError | null>(null);

  if (!number) return null;
  const templates = result.data?.organization.templates ?? null;

  async function onSync() {
    if (!number) return;
    const r = await syncTemplates({ input: { organizationId, phoneNumberId: number.id } });
    if (!r.error) refresh();
  }

  async function onDelete() {
    if (!deleting) return;
    setDialogError(null);
    const r = await deleteTemplate({ input: { organizationId, templateId: deleting.id } });
    if (r.error) {
      setDialogError(r.error);
      return;
    }
    setDeleting(null);
    refresh();
  }

  let body;
  if (!templates) {
    body = result.error ? <ErrorPanel error={result.error} onRetry={refresh} /> : <LoadingState />;
  } else if (templates.length === 0) {
    body = (
      <EmptyState icon={<FileIcon width={28} height={28} />} title="No templates yet" testId="templates-empty">
        <p>Templates are the only messages you can send outside the 24-hour window. Sync them from Meta or create one.</p>
      </EmptyState>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table table-compact" data-testid="templates-table">
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Category</th>
              <th scope="col">Status</th>
              <th scope="col">Body</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.id} data-testid="template-row" data-template-id={t.id} data-name={t.name} data-status={t.status}>
                <td>
                  <div className="person-text">
                    <span className="person-name mono">{t.name}</span>
                    <span className="muted small">{t.language}</span>
                  </div>
                </td>
                <td className="small">{t.category}</td>
                <td>
                  <span data-testid="template-status" data-status={t.status}>
                    <StatusBadge tone={templateStatusTone(t.status)}>{t.status}</StatusBadge>
                  </span>
                  {t.rejectedReason && t.rejectedReason !== 'NONE' ? (
                    <p className="small muted" data-testid="template-rejected-reason">
                      {t.rejectedReason}
                    </p>
                  ) : null}
                  {t.qualityScore && t.qualityScore !== 'UNKNOWN' ? <p className="small muted">Quality {t.qualityScore.toLowerCase()}</p> : null}
                </td>
                <td className="small template-body-cell">{t.bodyText ?? '—'}</td>
                <td className="table-actions">
                  {canManage ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="btn-danger-text"
                      onClick={() => {
                        setDialogError(null);
                        setDeleting(t);
                      }}
                      data-testid="template-delete"
                    >
                      Delete
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <Card
      title="Templates"
      description="Pre-approved messages for notifications, and to restart a conversation after 24 hours."
      testId="templates-card"
      actions={
        <>
          {numbers.length > 1 ? (
            <select
              className="select select-sm"
              aria-label="Number"
              value={number.id}
              onChange={(e) => setChosenId(e.target.value)}
              data-testid="templates-number-select"
            >
              {numbers.map((n) => (
                <option key={n.id} value={n.id}>
                  {numberLabel(n)}
                </option>
              ))}
            </select>
          ) : null}
          <Button size="sm" busy={sync.fetching} icon={<RefreshIcon width={14} height={14} />} onClick={() => void onSync()} data-testid="templates-sync">
            Sync
          </Button>
          {canManage && !creating ? (
            <Button
              size="sm"
              variant="primary"
              icon={<PlusIcon width={14} height={14} />}
              onClick={() => {
                setCreated(null);
                setCreating(true);
              }}
              data-testid="template-create-open"
            >
              New template
            </Button>
          ) : null}
        </>
      }
    >
      <FormError error={sync.error} testId="templates-sync-error" />
      {created ? (
        <Notice tone="success" testId="template-created">
          {created} was submitted; Meta usually reviews templates within minutes.
        </Notice>
      ) : null}
      {creating ? (
        <CreateTemplateForm
          organizationId={organizationId}
          phoneNumberId={number.id}
          onCancel={() => setCreating(false)}
          onCreated={(t) => {
            setCreating(false);
            setCreated(t.name);
            refresh();
          }}
        />
      ) : null}
      {body}
      <ConfirmDialog
        open={deleting != null}
        title={`Delete the template ${deleting?.name ?? ''}?`}
        confirmLabel="Delete template"
        busy={deletion.fetching}
        error={dialogError}
        onConfirm={() => void onDelete()}
        onCancel={() => setDeleting(null)}
      >
        <p>Meta deletes every language of it. A deleted name cannot be used again for 30 days.</p>
      </ConfirmDialog>
    </Card>
  );
}
