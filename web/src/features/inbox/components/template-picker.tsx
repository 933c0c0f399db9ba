import { FormError, LoadingState } from '@/components/ui/feedback';
import type { InboxTemplate } from '@/features/inbox/api/templates';
import { useSendableTemplates } from '@/features/inbox/hooks/use-templates';
import { countPlaceholders, fillPlaceholders } from '@/lib/templates';

/** How many body parameters a template needs: what the server says, or what its body shows. */
export function templateParameterCount(template: Pick<InboxTemplate, 'parameterCount' | 'bodyText'>): number {
  return Math.max(template.parameterCount, countPlaceholders(template.bodyText));
}

export interface TemplateSelection {
  template: InboxTemplate | null;
  values: string[];
}

/**
 * Pick an approved template of the conversation's number and fill its `{{n}}` parameters;
 * the preview shows the message as the customer will read it.
 */
export function TemplatePicker({
  organizationId,
  phoneNumberId,
  selection,
  onChange,
  disabled,
}: {
  organizationId: string;
  phoneNumberId: string;
  selection: TemplateSelection;
  onChange: (selection: TemplateSelection) => void;
  disabled?: boolean;
}) {
  const { templates, error, fetching } = useSendableTemplates(organizationId, phoneNumberId, true);
  if (!templates) {
    if (error) return <FormError error={error} testId="template-picker-error" />;
    return fetching ? <LoadingState label="Loading templates…" /> : null;
  }
  const approved = templates.filter((t) => t.status === 'APPROVED');
  const chosen = selection.template;
  const count = chosen ? templateParameterCount(chosen) : 0;

  return (
    <div className="template-picker">
      {approved.length === 0 ? (
        <p className="muted small" data-testid="template-picker-empty">
          This number has no approved templates yet. Create one under WhatsApp → Templates and wait for Meta&rsquo;s
          approval.
        </p>
      ) : null}
      <label className="field-label" htmlFor="template-picker">
        Template
      </label>
      <select
        id="template-picker"
        className="select"
        value={chosen?.id ?? ''}
        disabled={disabled || approved.length === 0}
        onChange={(e) => {
          const template = approved.find((t) => t.id === e.target.value) ?? null;
          onChange({ template, values: template ? Array.from({ length: templateParameterCount(template) }, () => '') : [] });
        }}
        data-testid="template-picker"
      >
        <option value="">Choose an approved template…</option>
        {approved.map((t) => (
          <option key={t.id} value={t.id} data-testid="template-option" data-name={t.name}>
            {t.name} · {t.language} · {t.category.toLowerCase()}
          </option>
        ))}
      </select>
      {chosen ? (
        <>
          {count > 0 ? (
            <div className="template-params">
              {Array.from({ length: count }, (_, i) => (
                <label key={i} className="template-param">
                  <span className="muted small">{`{{${i + 1}}}`}</span>
                  <input
                    className="input"
                    value={selection.values[i] ?? ''}
                    disabled={disabled}
                    placeholder={`Value for {{${i + 1}}}`}
                    onChange={(e) => {
                      const values = [...selection.values];
                      values[i] = e.target.value;
                      onChange({ template: chosen, values });
                    }}
                    data-testid={`template-param-${i + 1}`}
                  />
                </label>
              ))}
            </div>
          ) : null}
          {chosen.bodyText ? (
            <p className="template-preview" data-testid="template-preview">
              {fillPlaceholders(chosen.bodyText, selection.values)}
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
