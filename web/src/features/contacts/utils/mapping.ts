import type { ColumnMappingInput } from '@/gql/graphql';

/** What a column can become besides a contact field of the organization's own. */
export const BUILT_IN_FIELDS = ['phone', 'name', 'email', 'language', 'country', 'time_zone', 'tags', 'marketing'] as const;
export type BuiltInField = (typeof BUILT_IN_FIELDS)[number];

export const FIELD_LABELS: Record<BuiltInField, string> = {
  phone: 'Phone number',
  name: 'Name',
  email: 'E-mail',
  language: 'Language',
  country: 'Country',
  time_zone: 'Time zone',
  tags: 'Tags',
  marketing: 'Marketing consent',
};

/** `''` leaves the column out; `'custom'` makes it a contact field named by `key`. */
export type MappingChoice = '' | BuiltInField | 'custom';

/** One header of the file and what the user chose for it. */
export interface MappingRow {
  column: string;
  choice: MappingChoice;
  /** The contact field's key when `choice` is `'custom'`. */
  key: string;
}

function isBuiltIn(field: string): field is BuiltInField {
  return (BUILT_IN_FIELDS as readonly string[]).includes(field);
}

/** A contact field's key as the server takes it: `a`–`z` first, then `a`–`z`, digits or `_`, up to 40. */
export function isFieldKey(key: string): boolean {
  return /^[a-z][a-z0-9_]{0,39}$/.test(key);
}

/** A key people can start from: "Data de nascimento" → "data_de_nascimento". */
export function suggestFieldKey(column: string): string {
  const key = column
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return isBuiltIn(key) ? `${key}_field` : key;
}

/** One row per header, chosen as the server's mapping says (columns it leaves out are ignored). */
export function mappingRows(
  headers: readonly string[],
  mapping: readonly { column: string; field: string }[],
): MappingRow[] {
  return headers.map((column) => {
    const field = mapping.find((m) => m.column === column)?.field ?? '';
    if (field === '') return { column, choice: '', key: '' };
    if (isBuiltIn(field)) return { column, choice: field, key: '' };
    return { column, choice: 'custom', key: field };
  });
}

/** What the user chose, as `preview(mapping:)` and `importContacts` take it. */
export interface BuiltMapping {
  /** The columns that can be sent; rows with a problem are left out. */
  mapping: ColumnMappingInput[];
  /** Why a row cannot be used yet, by its index in the rows. */
  problems: Map<number, string>;
}

/**
 * Builds the mapping input from the rows. Keys the server would refuse outright are caught
 * here, next to their row; the server judges the rest (a missing phone, a field chosen twice)
 * and says so as the preview's `mappingProblem`.
 */
export function buildMapping(rows: readonly MappingRow[]): BuiltMapping {
  const mapping: ColumnMappingInput[] = [];
  const problems = new Map<number, string>();
  rows.forEach((row, index) => {
    if (row.choice === '') return;
    if (row.choice !== 'custom') {
      mapping.push({ column: row.column, field: row.choice });
      return;
    }
    const key = row.key.trim();
    if (key === '') {
      problems.set(index, 'Enter a key for the field, such as city.');
    } else if (isBuiltIn(key)) {
      problems.set(index, `"${key}" is built in: choose ${FIELD_LABELS[key]} from the list instead.`);
    } else if (!isFieldKey(key)) {
      problems.set(index, 'Use lower-case letters, digits and _, starting with a letter (at most 40).');
    } else {
      mapping.push({ column: row.column, field: key });
    }
  });
  return { mapping, problems };
}

/** A two-letter country code, upper-cased; null when blank; undefined when it is not one. */
export function parseCountryCode(input: string): string | null | undefined {
  const text = input.trim();
  if (text === '') return null;
  return /^[a-z]{2}$/i.test(text) ? text.toUpperCase() : undefined;
}
