import { useEffect, useState } from 'react';
import { useClient, type CombinedError } from 'urql';

import { SegmentPreviewDocument } from '@/features/segments/api/segments';
import type { SegmentFilterInput, SegmentPreviewQuery } from '@/gql/graphql';

/** How long editing may pause before the count is asked again. */
const PREVIEW_DELAY_MS = 300;

export type PreviewContact = SegmentPreviewQuery['segmentPreview']['contacts'][number];

interface PreviewState {
  /** The filter these results are for. */
  key: string;
  count: number | null;
  contacts: PreviewContact[];
  error: CombinedError | null;
}

/** The live count and first contacts of a filter being built, asked when editing pauses. */
export function useSegmentPreview(organizationId: string, filter: SegmentFilterInput) {
  const client = useClient();
  const key = `${organizationId}:${JSON.stringify(filter)}`;
  const [state, setState] = useState<PreviewState>({ key: '', count: null, contacts: [], error: null });

  useEffect(() => {
    let active = true;
    const timer = window.setTimeout(() => {
      const [org, json] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      void client
        .query(
          SegmentPreviewDocument,
          { organizationId: org, filter: JSON.parse(json) as SegmentFilterInput },
          { requestPolicy: 'network-only' },
        )
        .toPromise()
        .then((result) => {
          if (!active) return;
          const preview = result.data?.segmentPreview;
          setState({
            key,
            count: preview?.contactCount ?? null,
            contacts: preview?.contacts ?? [],
            error: preview ? null : (result.error ?? null),
          });
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      active = false;
      window.clearTimeout(timer);
    };
  }, [client, key]);

  return { ...state, loading: state.key !== key };
}
