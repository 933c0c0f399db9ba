import { useEffect, useMemo, useState } from 'react';
import { useClient, type CombinedError } from 'urql';

import { ContactImportPreviewDocument } from '@/features/contacts/api/imports';
import type { ColumnMappingInput, ContactImportPreviewQuery } from '@/gql/graphql';

export type ImportPreview = ContactImportPreviewQuery['organization']['contactImport']['preview'];
export type ImportPreviewRow = ImportPreview['rows'][number];

/** How the file is read and mapped, as `preview(...)` takes it; null leaves the choice to the server. */
export interface PreviewOptions {
  sheet: number | null;
  headerRow: number | null;
  delimiter: string | null;
  defaultCountry: string | null;
  /** Null: the organization's last mapping for these columns, else a guess from their names. */
  mapping: ColumnMappingInput[] | null;
}

interface PreviewState {
  key: string;
  preview: ImportPreview | null;
  error: CombinedError | null;
}

/** How long typing may pause before the preview is read again. */
export const PREVIEW_DELAY_MS = 350;

/**
 * The preview of an import for `options`, read again when they change (after typing pauses).
 * While a new preview loads the last one stays on screen, marked `stale`.
 */
export function useImportPreview(organizationId: string, importId: string, options: PreviewOptions) {
  const client = useClient();
  const wanted = JSON.stringify(options);
  const [asked, setAsked] = useState(wanted);
  useEffect(() => {
    if (asked === wanted) return;
    const timer = window.setTimeout(() => setAsked(wanted), PREVIEW_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [asked, wanted]);

  const variables = useMemo(() => JSON.parse(asked) as PreviewOptions, [asked]);
  const key = `${organizationId}:${importId}:${asked}`;
  const [state, setState] = useState<PreviewState>({ key: '', preview: null, error: null });

  useEffect(() => {
    let active = true;
    void client
      .query(
        ContactImportPreviewDocument,
        { id: organizationId, importId, ...variables },
        { requestPolicy: 'network-only' },
      )
      .toPromise()
      .then((result) => {
        if (!active) return;
        const preview = result.data?.organization.contactImport.preview ?? null;
        setState((previous) => ({
          key,
          // A refused preview (e.g. a header row past the end) keeps the last one for context.
          preview: preview ?? previous.preview,
          error: preview ? null : (result.error ?? null),
        }));
      });
    return () => {
      active = false;
    };
  }, [client, organizationId, importId, variables, key]);

  return {
    preview: state.preview,
    /** The preview answers options that are no longer the current ones. */
    stale: state.key !== key || asked !== wanted,
    /** The preview was asked for `options` exactly (not an older set of them). */
    answers: state.key === key && asked === wanted ? (JSON.parse(asked) as PreviewOptions) : null,
    error: state.key === key ? state.error : null,
  };
}
