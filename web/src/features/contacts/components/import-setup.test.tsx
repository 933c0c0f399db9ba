// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

import { ImportSetup } from '@/features/contacts/components/import-setup';
import type { ContactImportState, StartOptions } from '@/features/contacts/hooks/use-contact-import';
import { stubGraphqlFetch, testClient, withApp, type GraphqlCall } from '@/test/graphql';
import { click, render, typeInto, waitFor } from '@/test/render';

const HEADERS = ['Nome', 'Celular', 'E-mail', 'Grupos', 'Cidade'];
const GUESS = [
  { column: 'Nome', field: 'name' },
  { column: 'Celular', field: 'phone' },
  { column: 'E-mail', field: 'email' },
  { column: 'Grupos', field: 'tags' },
];

const contactImport: ContactImportState = {
  id: 'imp-1',
  fileName: 'clientes.csv',
  format: 'csv',
  size: 120,
  status: 'UPLOADED',
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
  createdBy: null,
  progress: 0,
  records: 0,
  imported: 0,
  updated: 0,
  duplicates: 0,
  invalid: 0,
  empty: 0,
  error: null,
  rejectedRowsUrl: '/api/organizations/org-1/contact-imports/imp-1/rejected.csv',
  options: {
    sheet: null,
    headerRow: null,
    delimiter: null,
    defaultCountry: null,
    mapping: [],
    duplicates: 'SKIP',
    asAudience: false,
  },
};

/** A preview the way the server answers: the guess without a mapping, else the mapping asked for. */
function previewFor(call: GraphqlCall) {
  const mapping = (call.variables.mapping as { column: string; field: string }[] | null) ?? GUESS;
  const phone = mapping.some((m) => m.field === 'phone');
  const city = mapping.find((m) => m.column === 'Cidade')?.field;
  const draft = (name: string, number: string) => ({
    __typename: 'ContactDraft',
    phone: number,
    name,
    email: null,
    language: null,
    country: 'BR',
    timeZone: 'America/Sao_Paulo',
    tags: ['vip'],
    fields: city ? { [city]: 'Campinas' } : {},
    marketing: null,
  });
  return {
    data: {
      organization: {
        __typename: 'Organization',
        id: 'org-1',
        contactImport: {
          __typename: 'ContactImport',
          id: 'imp-1',
          preview: {
            __typename: 'ContactImportPreview',
            format: 'csv',
            encoding: 'UTF-8',
            delimiter: ';',
            sheets: [],
            headers: HEADERS,
            mapping: mapping.map((m) => ({ __typename: 'ColumnMapping', ...m })),
            defaultCountry: call.variables.defaultCountry ?? null,
            mappingProblem: phone ? null : 'map one column to the phone number',
            rows: [
              {
                __typename: 'ContactImportPreviewRow',
                line: 2,
                cells: ['Ana', '11 98765-0001', '', 'VIP', 'Campinas'],
                contact: phone ? draft('Ana', '+5511987650001') : null,
                rejection: null,
              },
              {
                __typename: 'ContactImportPreviewRow',
                line: 3,
                cells: ['Carla', '11 98765-0003', 'carla@', '', ''],
                contact: null,
                rejection: phone ? '`carla@` is not an e-mail address' : null,
              },
              {
                __typename: 'ContactImportPreviewRow',
                line: 4,
                cells: ['', '', '', '', ''],
                contact: null,
                rejection: phone ? 'no phone number' : null,
              },
            ],
          },
        },
      },
    },
  };
}

async function renderSetup() {
  const stub = stubGraphqlFetch({ ContactImportPreview: previewFor });
  const onStart = vi.fn((_options: StartOptions) => undefined);
  const view = await render(
    withApp({
      client: testClient(stub.fetch),
      url: '/orgs/org-1/contacts/import/imp-1',
      path: '/orgs/:orgId/contacts/import/:importId',
      element: (
        <ImportSetup organizationId="org-1" contactImport={contactImport} onStart={onStart} starting={false} startError={null} />
      ),
    }),
  );
  await waitFor(() => expect(view.allByTestId('import-mapping-row')).toHaveLength(5));
  return { view, stub, onStart };
}

const mappingRow = (view: Awaited<ReturnType<typeof render>>, column: string) =>
  view.container.querySelector(`[data-testid="import-mapping-row"][data-column="${column}"]`);

describe('ImportSetup', () => {
  it("shows the server's guess, each row's fate, and starts with the chosen mapping", async () => {
    const { view, stub, onStart } = await renderSetup();
    expect(stub.calls[0]?.variables.mapping).toBeNull();
    expect(mappingRow(view, 'Celular')?.getAttribute('data-field')).toBe('phone');
    expect(mappingRow(view, 'Cidade')?.getAttribute('data-field')).toBe('');

    const outcomes = view.allByTestId('import-preview-row').map((row) => row.getAttribute('data-outcome'));
    expect(outcomes).toEqual(['contact', 'rejected', 'blank']);
    expect(view.byTestId('import-preview-rejection')?.textContent).toBe('Rejected: “carla@” is not an e-mail address.');

    // Cidade becomes a field of the organization's own; its key starts from the column's name.
    const cidade = mappingRow(view, 'Cidade');
    await typeInto(cidade?.querySelector('[data-testid="import-mapping-select"]') ?? null, 'custom');
    const key = cidade?.querySelector<HTMLInputElement>('[data-testid="import-mapping-key"]');
    expect(key?.value).toBe('cidade');
    await typeInto(key ?? null, 'city');
    await typeInto(view.byTestId('import-default-country'), 'br');
    await waitFor(() => {
      const last = stub.calls.at(-1)?.variables;
      expect(last?.defaultCountry).toBe('BR');
      expect(last?.mapping).toContainEqual({ column: 'Cidade', field: 'city' });
    });
    await waitFor(() => expect(view.byTestId('import-preview-more')?.textContent).toBe('city: Campinas'));

    await click(view.byTestId('import-duplicates-MERGE_TAGS'));
    await click(view.byTestId('import-as-audience'));
    const start = view.byTestId('import-start') as HTMLButtonElement;
    await waitFor(() => expect(start.disabled).toBe(false));
    await click(start);
    expect(onStart).toHaveBeenCalledWith({
      sheet: null,
      headerRow: null,
      delimiter: null,
      defaultCountry: 'BR',
      mapping: [...GUESS, { column: 'Cidade', field: 'city' }],
      duplicates: 'MERGE_TAGS',
      asAudience: true,
    });
    await view.unmount();
  });

  it('will not start while the mapping has a problem, and says which', async () => {
    const { view, onStart } = await renderSetup();
    await typeInto(mappingRow(view, 'Celular')?.querySelector('[data-testid="import-mapping-select"]') ?? null, '');
    await waitFor(() =>
      expect(view.byTestId('import-mapping-problem')?.textContent).toBe('Map one column to the phone number.'),
    );
    expect((view.byTestId('import-start') as HTMLButtonElement).disabled).toBe(true);

    // A key the server would refuse is caught on its row.
    const cidade = mappingRow(view, 'Cidade');
    await typeInto(cidade?.querySelector('[data-testid="import-mapping-select"]') ?? null, 'custom');
    await typeInto(cidade?.querySelector('[data-testid="import-mapping-key"]') ?? null, 'Cidade Natal');
    expect(cidade?.querySelector('[data-testid="import-mapping-key-error"]')?.textContent).toMatch(/lower-case letters/);
    expect(onStart).not.toHaveBeenCalled();
    await view.unmount();
  });
});
