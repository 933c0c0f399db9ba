import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { Button, ButtonLink } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { DownloadIcon, PlusIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { DeleteSegmentDocument, SegmentsDocument } from '@/features/segments/api/segments';
import { useRefetchOnFocus } from '@/features/segments/hooks/use-refetch-on-focus';
import type { SegmentsQuery } from '@/gql/graphql';
import { useAuth } from '@/lib/auth-context';
import { fetchFile, saveFile } from '@/lib/downloads';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

type SegmentItem = SegmentsQuery['organization']['segments'][number];

/** Downloads a segment's contacts as CSV with the Bearer token. */
export function ExportButton({ segment, size = 'sm' }: { segment: Pick<SegmentItem, 'name' | 'contactsCsvUrl'>; size?: 'sm' | 'md' }) {
  const { getAccessToken } = useAuth();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const { blob, fileName } = await fetchFile({
        url: segment.contactsCsvUrl,
        token: getAccessToken(),
        fallbackName: 'segment.csv',
      });
      saveFile(blob, fileName);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'The download failed.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        size={size}
        onClick={() => void download()}
        busy={busy}
        icon={<DownloadIcon width={14} height={14} />}
        aria-label={`Export CSV: ${segment.name}`}
        data-testid="segment-export"
      >
        Export CSV
      </Button>
      <FormError message={problem} testId="segment-export-error" />
    </>
  );
}

function SegmentRow({
  segment,
  base,
  admin,
  organizationId,
  onDeleted,
}: {
  segment: SegmentItem;
  base: string;
  admin: boolean;
  organizationId: string;
  onDeleted: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [{ fetching, error }, remove] = useMutation(DeleteSegmentDocument);

  async function confirmDelete() {
    const result = await remove({ input: { organizationId, segmentId: segment.id } });
    if (!result.data) return;
    setConfirming(false);
    onDeleted();
  }

  return (
    <tr data-testid="segment-row" data-segment-id={segment.id} data-name={segment.name}>
      <td>
        {admin ? (
          <Link className="contact-link" to={`${base}/${encodeURIComponent(segment.id)}`} data-testid="segment-name">
            {segment.name}
          </Link>
        ) : (
          <span data-testid="segment-name">{segment.name}</span>
        )}
      </td>
      <td className="numeric" data-testid="segment-count" data-count={segment.contactCount}>
        {segment.contactCount.toLocaleString()}
      </td>
      <td className="nowrap">{formatDateTime(segment.updatedAt)}</td>
      {admin ? (
        <td className="table-actions">
          <ExportButton segment={segment} />
          <Button size="sm" variant="ghost" onClick={() => setConfirming(true)} data-testid="segment-delete">
            Delete
          </Button>
          <ConfirmDialog
            open={confirming}
            title={`Delete the segment “${segment.name}”?`}
            confirmLabel="Delete segment"
            busy={fetching}
            error={error}
            onConfirm={() => void confirmDelete()}
            onCancel={() => setConfirming(false)}
          >
            <p>Its contacts stay; only the saved filter goes.</p>
          </ConfirmDialog>
        </td>
      ) : null}
    </tr>
  );
}

/** `/orgs/:orgId/segments`: everyone; Admins build, export and delete. Counts refresh on focus. */
export function SegmentsPage() {
  const { organization } = useCurrentOrganization();
  const admin = isAdminOrOwner(organization.viewerRole);
  const base = `/orgs/${encodeURIComponent(organization.id)}/segments`;
  const [result, reexecute] = useQuery({
    query: SegmentsDocument,
    variables: { id: organization.id },
    requestPolicy: 'cache-and-network',
  });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useRefetchOnFocus(reload);
  const segments = result.data?.organization.segments;

  const newButton = admin ? (
    <ButtonLink to={`${base}/new`} variant="primary" icon={<PlusIcon width={16} height={16} />} data-testid="segments-new">
      New segment
    </ButtonLink>
  ) : null;

  let body;
  if (!segments && result.error) body = <ErrorPanel error={result.error} onRetry={reload} />;
  else if (!segments) body = <LoadingState />;
  else if (segments.length === 0) {
    body = (
      <EmptyState title="No segments yet" testId="segments-empty" action={newButton}>
        <p>A segment is a saved filter over your contacts: tags, fields, country, consent, activity.</p>
        {admin ? null : <p>An Admin or Owner of this organization can build one.</p>}
      </EmptyState>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table table-compact" data-testid="segments-table">
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col" className="numeric">
                Contacts now
              </th>
              <th scope="col">Changed</th>
              {admin ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {segments.map((segment) => (
              <SegmentRow
                key={segment.id}
                segment={segment}
                base={base}
                admin={admin}
                organizationId={organization.id}
                onDeleted={reload}
              />
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="Segments"
        description="Saved filters over your contacts, counted as they are now. Campaigns send to them."
        actions={newButton}
      />
      <Card testId="segments-card">
        <div aria-busy={result.fetching}>{body}</div>
      </Card>
    </div>
  );
}
