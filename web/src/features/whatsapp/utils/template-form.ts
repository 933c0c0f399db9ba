import type { TemplateCategory, TemplateStatus } from '@/gql/graphql';
import { countPlaceholders, placeholderProblem } from '@/lib/templates';

/** The categories a new template may ask for (OTHER only names one Meta added later). */
export const TEMPLATE_CATEGORIES: readonly TemplateCategory[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

export const TEMPLATE_LIMITS = { name: 512, body: 1024, header: 60, footer: 60, example: 1024 } as const;

export interface TemplateDraft {
  name: string;
  language: string;
  category: TemplateCategory;
  headerText: string;
  bodyText: string;
  footerText: string;
  /** One example per body placeholder, in order. */
  bodyExamples: string[];
}

export type TemplateDraftField = 'name' | 'language' | 'category' | 'header' | 'body' | 'footer';

export interface TemplateDraftErrors {
  fields: Partial<Record<TemplateDraftField, string>>;
  /** Per example, 0-based; null where fine. */
  examples: (string | null)[];
}

export interface TemplateSubmission {
  name: string;
  language: string;
  category: TemplateCategory;
  bodyText: string;
  bodyExamples: string[];
  headerText: string | null;
  footerText: string | null;
}

/** Meta's rules for a new text template, checked before it goes for review. */
export function validateTemplateDraft(
  draft: TemplateDraft,
): { ok: true; value: TemplateSubmission } | { ok: false; errors: TemplateDraftErrors } {
  const fields: TemplateDraftErrors['fields'] = {};
  const name = draft.name.trim();
  if (name === '') fields.name = 'Enter a name.';
  else if (name.length > TEMPLATE_LIMITS.name) fields.name = `Keep the name under ${TEMPLATE_LIMITS.name} characters.`;
  else if (!/^[a-z0-9_]+$/.test(name)) fields.name = 'Use lowercase letters, digits and underscores only, e.g. order_update.';

  const language = draft.language.trim();
  if (!/^[a-z]{2,3}(_[A-Z]{2,4})?$/.test(language)) fields.language = 'Use a language code such as en_US, pt_BR or es.';

  if (!TEMPLATE_CATEGORIES.includes(draft.category)) fields.category = 'Choose a category.';

  const header = draft.headerText.trim();
  if (header.length > TEMPLATE_LIMITS.header) fields.header = `Keep the header under ${TEMPLATE_LIMITS.header} characters.`;
  else if (/\{\{/.test(header)) fields.header = 'Placeholders are only supported in the body here.';

  const body = draft.bodyText.trim();
  if (body === '') fields.body = 'Write the message body.';
  else if (body.length > TEMPLATE_LIMITS.body) fields.body = `Keep the body under ${TEMPLATE_LIMITS.body} characters.`;
  else {
    const problem = placeholderProblem(body);
    if (problem) fields.body = problem;
  }

  const footer = draft.footerText.trim();
  if (footer.length > TEMPLATE_LIMITS.footer) fields.footer = `Keep the footer under ${TEMPLATE_LIMITS.footer} characters.`;
  else if (/\{\{/.test(footer)) fields.footer = 'The footer cannot have placeholders.';

  const count = fields.body ? 0 : countPlaceholders(body);
  const examples = Array.from({ length: count }, (_, i) => {
    const value = (draft.bodyExamples[i] ?? '').trim();
    if (value === '') return `Give an example for {{${i + 1}}}; Meta reviews the template with it.`;
    if (value.length > TEMPLATE_LIMITS.example) return 'Keep the example shorter.';
    return null;
  });

  if (Object.keys(fields).length > 0 || examples.some((e) => e != null)) return { ok: false, errors: { fields, examples } };
  return {
    ok: true,
    value: {
      name,
      language,
      category: draft.category,
      bodyText: body,
      bodyExamples: Array.from({ length: count }, (_, i) => (draft.bodyExamples[i] ?? '').trim()),
      headerText: header || null,
      footerText: footer || null,
    },
  };
}

/** How a template's review status is shown. */
export function templateStatusTone(status: TemplateStatus): 'success' | 'warning' | 'danger' | 'neutral' {
  switch (status) {
    case 'APPROVED':
      return 'success';
    case 'PENDING':
    case 'IN_APPEAL':
    case 'PENDING_DELETION':
    case 'LIMIT_EXCEEDED':
      return 'warning';
    case 'REJECTED':
    case 'DISABLED':
    case 'PAUSED':
    case 'FLAGGED':
    case 'LOCKED':
      return 'danger';
    default:
      return 'neutral';
  }
}
