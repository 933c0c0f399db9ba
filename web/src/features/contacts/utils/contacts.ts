import type { ContactFilterInput, MarketingConsent } from '@/gql/graphql';

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
