import type { ContactFieldKind, ContactFilterInput, MarketingConsent, UpdateContactInput } from '@/gql/graphql';

export const CONSENT_LABELS: Record<MarketingConsent, string> = {
  UNKNOWN: 'Unknown',
  OPTED_IN: 'Opted in',
  OPTED_OUT: 'Opted out',
};

export const CONSENT_TONES: Record<MarketingConsent, 'success' | 'danger' | 'neutral'> = {
  UNKNOWN: 'neutral',
  OPTED_IN: 'success',
  OPTED_OUT: 'danger',
};

/** Where a consent came from, in words. */
export function consentSourceLabel(source: string | null | undefined): string {
  switch (source) {
    case 'keyword':
      return 'a keyword the customer sent';
    case 'meta':
      return 'WhatsApp (the customer’s marketing preferences)';
    case 'manual':
      return 'recorded by a team member';
    case 'import':
      return 'a contact import';
    case 'api':
      return 'an integration (API)';
    case null:
    case undefined:
    case '':
      return '—';
    default:
      return source;
  }
}

/** The filters above the contact list, as the user typed them. */
export interface ContactFilters {
  search: string;
  marketing: MarketingConsent | '';
  tag: string;
  country: string;
}

export const NO_FILTERS: ContactFilters = { search: '', marketing: '', tag: '', country: '' };

/** The filter input for `contacts(filter:)`; blank fields filter nothing. */
export function toContactFilterInput(filters: ContactFilters): ContactFilterInput {
  const input: ContactFilterInput = {};
  const search = filters.search.trim();
  if (search) input.search = search;
  if (filters.marketing) input.marketing = filters.marketing;
  const tag = filters.tag.trim().toLowerCase();
  if (tag) input.tags = [tag];
  const country = filters.country.trim().toUpperCase();
  if (country) input.country = country;
  return input;
}

export function hasFilters(filters: ContactFilters): boolean {
  return Object.keys(toContactFilterInput(filters)).length > 0;
}

/** A stored number (digits, as Meta keeps it) written the international way. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '—';
  return phone.startsWith('+') ? phone : `+${phone}`;
}

/** A contact field's value as text. */
export function fieldValueText(value: unknown): string {
  if (value == null) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The entries of a contact's `fields` JSON, sorted by key. */
export function fieldEntries(fields: unknown): [string, unknown][] {
  if (fields == null || typeof fields !== 'object' || Array.isArray(fields)) return [];
  return Object.entries(fields as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
}

export const FIELD_KIND_LABELS: Record<ContactFieldKind, string> = {
  TEXT: 'Text',
  NUMBER: 'Number',
  DATE: 'Date',
  BOOLEAN: 'Yes or no',
  CHOICE: 'Choice',
};

/** A stored field value as the edit form shows it (and the server reads it back). */
export function fieldInputText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  return JSON.stringify(value);
}

/** Tags as typed: separated by commas, trimmed, lower-case, each once. */
export function parseTags(text: string): string[] {
  const tags: string[] = [];
  for (const part of text.split(',')) {
    const tag = part.trim().toLowerCase();
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** A field key from its label: `Customer since` → `customer_since` (the server checks it). */
export function suggestFieldKey(label: string): string {
  const key = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '');
  return key.slice(0, 40);
}

/** What the contact edit form holds, as typed. */
export interface ContactForm {
  name: string;
  email: string;
  language: string;
  country: string;
  timeZone: string;
  tags: string;
  fields: Record<string, string>;
}

export function contactForm(contact: {
  name?: string | null;
  email?: string | null;
  language?: string | null;
  country?: string | null;
  timeZone?: string | null;
  tags: readonly string[];
  fields: unknown;
}): ContactForm {
  const fields: Record<string, string> = {};
  for (const [key, value] of fieldEntries(contact.fields)) fields[key] = fieldInputText(value);
  return {
    name: contact.name ?? '',
    email: contact.email ?? '',
    language: contact.language ?? '',
    country: contact.country ?? '',
    timeZone: contact.timeZone ?? '',
    tags: contact.tags.join(', '),
    fields,
  };
}

/**
 * The `updateContact` input for what the form changed: blank clears a value, untouched
 * values are left out (so a value the server would refuse today is not sent again).
 */
export function contactChanges(
  before: ContactForm,
  after: ContactForm,
  fieldKeys: readonly string[],
): Omit<UpdateContactInput, 'organizationId' | 'contactId'> {
  const changes: Omit<UpdateContactInput, 'organizationId' | 'contactId'> = {};
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  if (after.name.trim() !== before.name.trim()) changes.name = text(after.name);
  if (after.email.trim() !== before.email.trim()) changes.email = text(after.email);
  if (after.language.trim() !== before.language.trim()) changes.language = text(after.language);
  if (after.country.trim() !== before.country.trim()) changes.country = text(after.country);
  if (after.timeZone.trim() !== before.timeZone.trim()) changes.timeZone = text(after.timeZone);
  const tags = parseTags(after.tags);
  if (tags.join(',') !== parseTags(before.tags).join(',')) changes.tags = tags;
  const fields = fieldKeys
    .filter((key) => (after.fields[key] ?? '').trim() !== (before.fields[key] ?? '').trim())
    .map((key) => ({ key, value: text(after.fields[key] ?? '') }));
  if (fields.length > 0) changes.fields = fields;
  return changes;
}
