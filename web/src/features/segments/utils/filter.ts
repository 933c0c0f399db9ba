import type {
  ActivityDirection,
  ContactFieldKind,
  MarketingConsent,
  SegmentActivityOperator,
  SegmentFieldOperator,
  SegmentFilterInput,
  SegmentFilterPartsFragment,
} from '@/gql/graphql';

/** A condition on one of the organization's fields, as the builder holds it. */
export interface FieldRule {
  id: number;
  key: string;
  operator: SegmentFieldOperator;
  value: string;
}

/** A condition on the last message one way, as the builder holds it. */
export interface ActivityRule {
  id: number;
  direction: ActivityDirection;
  operator: SegmentActivityOperator;
  /** WITHIN_DAYS and NOT_WITHIN_DAYS. */
  days: string;
  /** BEFORE and AFTER: YYYY-MM-DD (midnight UTC). */
  date: string;
}

/** The segment builder's form, as typed. Lists of tags and countries are comma-separated. */
export interface SegmentForm {
  name: string;
  allOf: string;
  anyOf: string;
  noneOf: string;
  countries: string;
  marketing: MarketingConsent[];
  fields: FieldRule[];
  activity: ActivityRule[];
}

export const EMPTY_FORM: SegmentForm = {
  name: '',
  allOf: '',
  anyOf: '',
  noneOf: '',
  countries: '',
  marketing: [],
  fields: [],
  activity: [],
};

export const FIELD_OPERATOR_LABELS: Record<SegmentFieldOperator, string> = {
  EQUALS: 'is',
  CONTAINS: 'contains',
  BEFORE: 'is before',
  AFTER: 'is after',
  GREATER: 'is greater than',
  LESS: 'is less than',
  IS_SET: 'has a value',
  IS_NOT_SET: 'has no value',
};

/** The operators that suit a field of each kind (as the server checks them). */
export const OPERATORS_BY_KIND: Record<ContactFieldKind, readonly SegmentFieldOperator[]> = {
  TEXT: ['EQUALS', 'CONTAINS', 'IS_SET', 'IS_NOT_SET'],
  NUMBER: ['EQUALS', 'GREATER', 'LESS', 'IS_SET', 'IS_NOT_SET'],
  DATE: ['EQUALS', 'BEFORE', 'AFTER', 'IS_SET', 'IS_NOT_SET'],
  BOOLEAN: ['EQUALS', 'IS_SET', 'IS_NOT_SET'],
  CHOICE: ['EQUALS', 'IS_SET', 'IS_NOT_SET'],
};

export const ACTIVITY_OPERATOR_LABELS: Record<SegmentActivityOperator, string> = {
  WITHIN_DAYS: 'in the last … days',
  NOT_WITHIN_DAYS: 'not in the last … days',
  BEFORE: 'before',
  AFTER: 'after',
  NEVER: 'never',
};

export const DIRECTION_LABELS: Record<ActivityDirection, string> = {
  INBOUND: 'Last message from them',
  OUTBOUND: 'Last message to them',
};

export function needsValue(operator: SegmentFieldOperator): boolean {
  return operator !== 'IS_SET' && operator !== 'IS_NOT_SET';
}

function list(text: string, upper = false): string[] {
  const items: string[] = [];
  for (const part of text.split(',')) {
    const item = upper ? part.trim().toUpperCase() : part.trim().toLowerCase();
    if (item && !items.includes(item)) items.push(item);
  }
  return items;
}

/** The filter the form describes; blank parts filter nothing. */
export function toFilterInput(form: SegmentForm): SegmentFilterInput {
  const input: SegmentFilterInput = {};
  const tags = { allOf: list(form.allOf), anyOf: list(form.anyOf), noneOf: list(form.noneOf) };
  if (tags.allOf.length + tags.anyOf.length + tags.noneOf.length > 0) input.tags = tags;
  const countries = list(form.countries, true);
  if (countries.length > 0) input.countries = countries;
  if (form.marketing.length > 0) input.marketing = [...form.marketing];
  const fields = form.fields
    .filter((rule) => rule.key !== '')
    .map((rule) => ({
      key: rule.key,
      operator: rule.operator,
      value: needsValue(rule.operator) ? rule.value : null,
    }));
  if (fields.length > 0) input.fields = fields;
  const activity = form.activity.map((rule) => ({
    direction: rule.direction,
    operator: rule.operator,
    days: rule.operator === 'WITHIN_DAYS' || rule.operator === 'NOT_WITHIN_DAYS' ? Number(rule.days) || null : null,
    at: (rule.operator === 'BEFORE' || rule.operator === 'AFTER') && rule.date ? `${rule.date}T00:00:00Z` : null,
  }));
  if (activity.length > 0) input.activity = activity;
  return input;
}

/** The form for a saved segment. */
export function fromFilter(name: string, filter: SegmentFilterPartsFragment): SegmentForm {
  let id = 0;
  return {
    name,
    allOf: filter.tags.allOf.join(', '),
    anyOf: filter.tags.anyOf.join(', '),
    noneOf: filter.tags.noneOf.join(', '),
    countries: filter.countries.join(', '),
    marketing: [...filter.marketing],
    fields: filter.fields.map((f) => ({ id: ++id, key: f.key, operator: f.operator, value: f.value ?? '' })),
    activity: filter.activity.map((a) => ({
      id: ++id,
      direction: a.direction,
      operator: a.operator,
      days: a.days != null ? String(a.days) : '',
      date: typeof a.at === 'string' ? a.at.slice(0, 10) : '',
    })),
  };
}

/** A new id for a rule, above every one in the form. */
export function nextRuleId(form: SegmentForm): number {
  return Math.max(0, ...form.fields.map((r) => r.id), ...form.activity.map((r) => r.id)) + 1;
}
