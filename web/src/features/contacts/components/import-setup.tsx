import { useId, useState } from 'react';

import { Button } from '@/components/ui/button';
import { FormError, LoadingState } from '@/components/ui/feedback';
import { Card, Field } from '@/components/ui/layout';
import { TagList } from '@/features/contacts/components/contact-bits';
import type { ContactImportState, StartOptions } from '@/features/contacts/hooks/use-contact-import';
import {
  useImportPreview,
  type ImportPreview,
  type ImportPreviewRow,
  type PreviewOptions,
} from '@/features/contacts/hooks/use-import-preview';
import { CONSENT_LABELS, fieldEntries, fieldValueText } from '@/features/contacts/utils/contacts';
import { asSentence, DUPLICATE_POLICIES } from '@/features/contacts/utils/imports';
import {
  BUILT_IN_FIELDS,
  buildMapping,
  FIELD_LABELS,
  mappingRows,
  parseCountryCode,
  suggestFieldKey,
  type MappingChoice,
  type MappingRow,
} from '@/features/contacts/utils/mapping';
import type { ColumnMappingInput, DuplicatePolicy } from '@/gql/graphql';
import type { GraphqlErrorLike } from '@/lib/errors';

const DELIMITERS: readonly { value: string; name: string }[] = [
  { value: ',', name: 'comma' },
  { value: ';', name: 'semicolon' },
  { value: '\t', name: 'tab' },
  { value: '|', name: 'vertical bar' },
];

/** A delimiter in words: "semicolon", or the character itself in quotes. */
function delimiterName(delimiter: string | null | undefined): string {
  return DELIMITERS.find((d) => d.value === delimiter)?.name ?? (delimiter ? `“${delimiter}”` : 'unknown');
}

/** A delimiter as an option of the select: "Semicolon ( ; )". */
function delimiterLabel({ value, name }: { value: string; name: string }): string {
  const capitalized = name[0]!.toUpperCase() + name.slice(1);
  return value === '\t' ? capitalized : `${capitalized} ( ${value} )`;
}

/** The first non-blank value of a column in the previewed rows, as an example. */
function example(rows: readonly ImportPreviewRow[], index: number): string {
  for (const row of rows) {
    const cell = row.cells[index]?.trim();
    if (cell) return cell;
  }
  return '';
}

function isBlank(row: ImportPreviewRow): boolean {
  return row.cells.every((cell) => cell.trim() === '');
}

function MappingTable({
  rows,
  examples,
  problems,
  disabled,
  onChange,
}: {
  rows: readonly MappingRow[];
  examples: readonly string[];
  problems: Map<number, string>;
  disabled: boolean;
  onChange: (rows: MappingRow[]) => void;
}) {
  const idPrefix = useId();
  const update = (index: number, change: Partial<MappingRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="import-mapping">
        <caption className="visually-hidden">What each column of the file becomes</caption>
        <thead>
          <tr>
            <th scope="col">Column in the file</th>
            <th scope="col">Example</th>
            <th scope="col">Becomes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const selectId = `${idPrefix}-field-${index}`;
            const keyId = `${idPrefix}-key-${index}`;
            const problem = problems.get(index) ?? null;
            return (
              <tr key={`${index}:${row.column}`} data-testid="import-mapping-row" data-column={row.column} data-field={row.choice === 'custom' ? row.key : row.choice}>
                <th scope="row" className="mapping-column">
                  {row.column || <span className="muted">(no name)</span>}
                </th>
                <td className="truncate small muted" title={examples[index]}>
                  {examples[index] || '—'}
                </td>
                <td>
                  <div className="mapping-choice">
                    <label className="visually-hidden" htmlFor={selectId}>
                      What the column “{row.column}” becomes
                    </label>
                    <select
                      id={selectId}
                      className="select select-sm"
                      value={row.choice}
                      disabled={disabled}
                      onChange={(e) => {
                        const choice = e.target.value as MappingChoice;
                        update(index, { choice, key: choice === 'custom' && !row.key ? suggestFieldKey(row.column) : row.key });
                      }}
                      data-testid="import-mapping-select"
                    >
                      <option value="">Ignore</option>
                      {BUILT_IN_FIELDS.map((field) => (
                        <option key={field} value={field}>
                          {FIELD_LABELS[field]}
                        </option>
                      ))}
                      <option value="custom">Custom field…</option>
                    </select>
                    {row.choice === 'custom' ? (
                      <>
                        <label className="visually-hidden" htmlFor={keyId}>
                          Field key for the column “{row.column}”
                        </label>
                        <input
                          id={keyId}
                          className="input input-sm input-narrow mono"
                          value={row.key}
                          placeholder="e.g. city"
                          disabled={disabled}
                          aria-invalid={problem ? true : undefined}
                          aria-describedby={problem ? `${keyId}-error` : undefined}
                          onChange={(e) => update(index, { key: e.target.value })}
                          data-testid="import-mapping-key"
                        />
                      </>
                    ) : null}
                  </div>
                  {problem ? (
                    <p className="field-error" id={`${keyId}-error`} data-testid="import-mapping-key-error">
                      {problem}
                    </p>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PreviewRows({ preview }: { preview: ImportPreview }) {
  if (preview.rows.length === 0) {
    return (
      <p className="muted" data-testid="import-preview-empty">
        The file has no rows under its header row.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table table-compact preview-table" data-testid="import-preview">
        <caption className="visually-hidden">The first rows of the file and what each becomes</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Phone</th>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Tags</th>
            <th scope="col">Country</th>
            <th scope="col">Marketing</th>
            <th scope="col">More</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, index) => {
            const blank = isBlank(row);
            const outcome = row.contact ? 'contact' : blank ? 'blank' : row.rejection ? 'rejected' : 'unread';
            return (
              <tr
                key={`${row.line}-${index}`}
                data-testid="import-preview-row"
                data-line={row.line}
                data-outcome={outcome}
                className={outcome === 'rejected' ? 'preview-row-rejected' : undefined}
              >
                <td className="mono">{row.line}</td>
                {row.contact ? (
                  <>
                    <td className="mono nowrap" data-testid="import-preview-phone">
                      {row.contact.phone}
                    </td>
                    <td data-testid="import-preview-name">{row.contact.name ?? '—'}</td>
                    <td data-testid="import-preview-email">{row.contact.email ?? '—'}</td>
                    <td data-testid="import-preview-tags">
                      <TagList tags={row.contact.tags} testId="import-preview-tag" />
                    </td>
                    <td title={row.contact.timeZone ?? undefined}>{row.contact.country ?? '—'}</td>
                    <td>{row.contact.marketing ? CONSENT_LABELS[row.contact.marketing] : '—'}</td>
                    <td className="small" data-testid="import-preview-more">
                      {[
                        row.contact.language ? `language: ${row.contact.language}` : null,
                        ...fieldEntries(row.contact.fields).map(([key, value]) => `${key}: ${fieldValueText(value)}`),
                      ]
                        .filter(Boolean)
                        .join(' · ') || '—'}
                    </td>
                  </>
                ) : blank ? (
                  <td colSpan={7} className="muted" data-testid="import-preview-blank">
                    Blank row: skipped
                  </td>
                ) : row.rejection ? (
                  <td colSpan={7} className="preview-rejection" data-testid="import-preview-rejection">
                    <strong>Rejected:</strong> {asSentence(row.rejection)}
                  </td>
                ) : (
                  <td colSpan={7} className="muted">
                    {row.cells.join(' · ')}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Step 2: how the file reads (sheet, header row, delimiter, default country), what each column
 * becomes, the first rows as they would be imported, and what happens to contacts already there.
 */
export function ImportSetup({
  organizationId,
  contactImport,
  onStart,
  starting,
  startError,
}: {
  organizationId: string;
  contactImport: ContactImportState;
  onStart: (options: StartOptions) => void;
  starting: boolean;
  startError: GraphqlErrorLike | null;
}) {
  const stored = contactImport.options;
  const [sheet, setSheet] = useState<number | null>(stored.sheet ?? null);
  const [headerRowText, setHeaderRowText] = useState(stored.headerRow ? String(stored.headerRow) : '');
  const [headerRow, setHeaderRow] = useState<number | null>(stored.headerRow ?? null);
  const [delimiter, setDelimiter] = useState<string | null>(stored.delimiter ?? null);
  const [countryText, setCountryText] = useState(stored.defaultCountry ?? '');
  const [country, setCountry] = useState<string | null>(stored.defaultCountry ?? null);
  // Until the user edits a row, the server's mapping (the last one saved for these columns, or
  // its guess) is shown; a retried import starts from the mapping it was started with.
  const [askedMapping, setAskedMapping] = useState<ColumnMappingInput[] | null>(() =>
    stored.mapping.length > 0 ? stored.mapping.map(({ column, field }) => ({ column, field })) : null,
  );
  const [edited, setEdited] = useState<MappingRow[] | null>(null);
  const [duplicates, setDuplicates] = useState<DuplicatePolicy>(stored.duplicates);
  const [asAudience, setAsAudience] = useState(stored.asAudience);

  const options: PreviewOptions = {
    sheet,
    headerRow,
    delimiter,
    defaultCountry: country,
    mapping: edited ? buildMapping(edited).mapping : askedMapping,
  };
  const { preview, stale, error } = useImportPreview(organizationId, contactImport.id, options);
  const rows = edited ?? (preview ? mappingRows(preview.headers, preview.mapping) : []);
  const built = buildMapping(rows);

  const headerRowError = headerRowText.trim() !== '' && headerRow !== Number(headerRowText.trim())
    ? 'Enter a row number: 1 for the first row.'
    : null;
  const countryError = parseCountryCode(countryText) === undefined ? 'Use a two-letter country code, such as BR.' : null;

  /** The file is to be read another way: its columns may change, so the server maps them afresh. */
  function reread(change: () => void) {
    change();
    setEdited(null);
    setAskedMapping(null);
  }

  const ready =
    preview != null &&
    !stale &&
    !error &&
    !preview.mappingProblem &&
    built.problems.size === 0 &&
    built.mapping.length > 0 &&
    !headerRowError &&
    !countryError;

  function start() {
    if (!ready) return;
    onStart({
      sheet,
      headerRow,
      delimiter,
      defaultCountry: country,
      mapping: built.mapping,
      duplicates,
      asAudience,
    });
  }

  const fileLine = preview
    ? [
        preview.format === 'xlsx' ? 'Excel workbook' : 'CSV file',
        preview.format === 'csv' ? preview.encoding : null,
        preview.format === 'csv' && preview.delimiter ? `columns separated by ${delimiterName(preview.delimiter)}` : null,
      ]
        .filter(Boolean)
        .join(' · ')
    : null;

  return (
    <>
      <Card
        title="How the file reads"
        description={fileLine ? `${contactImport.fileName}: ${fileLine}.` : contactImport.fileName}
        testId="import-reading"
      >
        <div className="form-grid">
          {preview && preview.sheets.length > 0 ? (
            <Field label="Sheet" htmlFor="import-sheet">
              <select
                id="import-sheet"
                className="select"
                value={sheet ?? 1}
                onChange={(e) => reread(() => setSheet(Number(e.target.value)))}
                data-testid="import-sheet"
              >
                {preview.sheets.map((name, index) => (
                  <option key={`${index}:${name}`} value={index + 1}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <Field label="Header row" htmlFor="import-header-row" hint="The row with the column names." error={headerRowError}>
            <input
              id="import-header-row"
              className="input"
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              placeholder="1"
              value={headerRowText}
              aria-invalid={headerRowError ? true : undefined}
              onChange={(e) => {
                const text = e.target.value;
                setHeaderRowText(text);
                const number = Number(text.trim());
                if (text.trim() === '') reread(() => setHeaderRow(null));
                else if (Number.isInteger(number) && number >= 1) reread(() => setHeaderRow(number));
              }}
              data-testid="import-header-row"
            />
          </Field>
          {!preview || preview.format === 'csv' ? (
            <Field label="Columns separated by" htmlFor="import-delimiter">
              <select
                id="import-delimiter"
                className="select"
                value={delimiter ?? ''}
                onChange={(e) => reread(() => setDelimiter(e.target.value === '' ? null : e.target.value))}
                data-testid="import-delimiter"
              >
                <option value="">
                  {preview?.delimiter && delimiter == null ? `As found (${delimiterName(preview.delimiter)})` : 'As found in the file'}
                </option>
                {DELIMITERS.map((d) => (
                  <option key={d.name} value={d.value}>
                    {delimiterLabel(d)}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <Field
            label="Default country"
            htmlFor="import-default-country"
            hint={
              country == null && preview?.defaultCountry
                ? `Numbers without + or 00 are read in ${preview.defaultCountry}, the organization’s country.`
                : 'Numbers without + or 00 are read in this country.'
            }
            error={countryError}
          >
            <input
              id="import-default-country"
              className="input"
              value={countryText}
              placeholder={preview?.defaultCountry ?? 'e.g. BR'}
              maxLength={2}
              autoCapitalize="characters"
              autoComplete="off"
              aria-invalid={countryError ? true : undefined}
              onChange={(e) => {
                setCountryText(e.target.value.toUpperCase());
                const parsed = parseCountryCode(e.target.value);
                if (parsed !== undefined) setCountry(parsed);
              }}
              data-testid="import-default-country"
            />
          </Field>
        </div>
        <FormError error={error} testId="import-preview-error" />
      </Card>

      <Card
        title="What each column becomes"
        description="Columns left on Ignore are not imported. One column must be the phone number; a custom field keeps the column under a key of your own, such as city."
        testId="import-mapping-card"
      >
        {preview ? (
          <div aria-busy={stale} className={stale ? 'is-stale' : undefined}>
            <MappingTable
              rows={rows}
              examples={rows.map((_, index) => example(preview.rows, index))}
              problems={built.problems}
              disabled={stale && edited == null}
              onChange={setEdited}
            />
          </div>
        ) : error ? null : (
          <LoadingState label="Reading the file…" />
        )}
        {preview?.mappingProblem && !stale ? (
          <p className="form-error" role="alert" data-testid="import-mapping-problem">
            {asSentence(preview.mappingProblem)}
          </p>
        ) : null}
      </Card>

      {preview ? (
        <Card
          title="The first rows"
          description="What each row becomes, or why it would be left out. Rejected rows are listed after the import, to fix and import again."
          testId="import-preview-card"
        >
          <div aria-busy={stale} aria-live="polite" className={stale ? 'is-stale' : undefined}>
            <PreviewRows preview={preview} />
          </div>
        </Card>
      ) : null}

      <Card title="Contacts you already have" testId="import-duplicates-card">
        <fieldset className="choice-group" data-testid="import-duplicates">
          <legend className="visually-hidden">When a number is already a contact</legend>
          {DUPLICATE_POLICIES.map(({ policy, label, explanation }) => (
            <label key={policy} className="choice">
              <input
                type="radio"
                name="import-duplicates"
                value={policy}
                checked={duplicates === policy}
                onChange={() => setDuplicates(policy)}
                data-testid={`import-duplicates-${policy}`}
              />
              <span>
                <strong>{label}</strong>
                <span className="muted block small">{explanation}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <p className="muted small">
          An import never overrides a customer’s opt-out, and records an opt-in only where consent was unknown.
        </p>
        <label className="choice">
          <input
            type="checkbox"
            checked={asAudience}
            onChange={(e) => setAsAudience(e.target.checked)}
            aria-describedby="import-as-audience-hint"
            data-testid="import-as-audience"
          />
          <span>
            <strong>Keep this file’s people as a campaign audience</strong>
            <span className="muted block small" id="import-as-audience-hint">
              A campaign can then go to exactly the people of this file, new or already contacts, whatever their
              tags.
            </span>
          </span>
        </label>
        <div className="form-actions form-actions-start">
          <Button variant="primary" onClick={start} disabled={!ready} busy={starting} data-testid="import-start">
            Start the import
          </Button>
          {!ready && preview && !stale && (preview.mappingProblem || built.problems.size > 0) ? (
            <span className="muted small">Fix the mapping above to start.</span>
          ) : null}
        </div>
        <FormError error={startError} testId="import-start-error" />
      </Card>
    </>
  );
}
