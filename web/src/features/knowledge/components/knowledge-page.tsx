import { useState } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { BookIcon, RefreshIcon, TrashIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { StatusBadge } from '@/components/ui/role-badge';
import { DeleteKnowledgeSourceDocument, RecrawlKnowledgeSourceDocument } from '@/features/knowledge/api/knowledge';
import { KnowledgeUploadForm, KnowledgeUrlForm } from '@/features/knowledge/components/knowledge-forms';
import { useKnowledgeChunks } from '@/features/knowledge/hooks/use-knowledge-chunks';
import { useKnowledgeSources } from '@/features/knowledge/hooks/use-knowledge-sources';
import {
  isIngesting,
  kindLabel,
  languageLabel,
  progressPercent,
  recrawlLabel,
  STATUS_LABELS,
  STATUS_TONES,
} from '@/features/knowledge/utils/sources';
import type { KnowledgeSourcePartsFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

type Source = KnowledgeSourcePartsFragment;

function SourceStatus({ source }: { source: Source }) {
  const percent = progressPercent(source.progressDone, source.progressTotal);
  return (
    <div className="knowledge-status" data-testid="knowledge-source-status" data-status={source.status}>
      <StatusBadge tone={STATUS_TONES[source.status]}>{STATUS_LABELS[source.status]}</StatusBadge>
      {isIngesting(source.status) ? (
        <>
          <progress
            className="progress"
            max={100}
            value={percent ?? undefined}
            aria-label={`Reading ${source.title}`}
            data-testid="knowledge-source-progress"
          />
          <span className="small muted">
            {source.progressTotal > 0 ? `${source.progressDone} of ${source.progressTotal}` : 'Waiting to start'}
          </span>
        </>
      ) : null}
      {source.status === 'FAILED' && source.statusReason ? (
        <span className="small knowledge-error" data-testid="knowledge-source-reason">
          {source.statusReason}
        </span>
      ) : null}
      {source.embeddingError ? (
        <span className="small knowledge-error" data-testid="knowledge-source-embedding-error">
          Found by words only: {source.embeddingError}
        </span>
      ) : null}
      {source.pageErrors.length > 0 ? (
        <details className="small" data-testid="knowledge-source-page-errors">
          <summary>
            {source.pageErrors.length} page{source.pageErrors.length === 1 ? '' : 's'} could not be read
          </summary>
          <ul className="knowledge-page-errors">
            {source.pageErrors.map((e) => (
              <li key={e.url}>
                <span className="mono">{e.url}</span>: {e.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function SourceRow({
  source,
  admin,
  organizationId,
  selected,
  onSelect,
  onChanged,
}: {
  source: Source;
  admin: boolean;
  organizationId: string;
  selected: boolean;
  onSelect: () => void;
  onChanged: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [removing, remove] = useMutation(DeleteKnowledgeSourceDocument);
  const [recrawling, recrawl] = useMutation(RecrawlKnowledgeSourceDocument);

  async function confirmDelete() {
    const result = await remove({ organizationId, sourceId: source.id });
    if (!result.data) return;
    setConfirming(false);
    onChanged();
  }

  async function onRecrawl() {
    const result = await recrawl({ organizationId, sourceId: source.id });
    if (result.data) onChanged();
  }

  return (
    <tr
      data-testid="knowledge-source-row"
      data-source-id={source.id}
      data-title={source.title}
      data-status={source.status}
      data-chunks={source.chunkCount}
      className={selected ? 'row-selected' : undefined}
    >
      <td>
        <button
          type="button"
          className="link-button knowledge-title"
          onClick={onSelect}
          aria-pressed={selected}
          data-testid="knowledge-source-title"
        >
          {source.title}
        </button>
        <div className="small muted truncate">{source.url ?? source.fileName ?? ''}</div>
        {recrawlLabel(source.recrawlHours) ? (
          <div className="small muted" data-testid="knowledge-source-recrawl">
            Read again {recrawlLabel(source.recrawlHours)}
          </div>
        ) : null}
      </td>
      <td className="nowrap" data-testid="knowledge-source-kind">
        {kindLabel(source)}
      </td>
      <td className="nowrap">{languageLabel(source.language)}</td>
      <td>
        <SourceStatus source={source} />
      </td>
      <td className="numeric" data-testid="knowledge-source-chunks">
        {source.chunkCount.toLocaleString()}
      </td>
      <td className="nowrap small">{formatDateTime(source.ingestedAt)}</td>
      {admin ? (
        <td className="table-actions">
          {source.kind === 'URL' ? (
            <Button
              size="sm"
              variant="ghost"
              busy={recrawling.fetching}
              disabled={isIngesting(source.status)}
              onClick={() => void onRecrawl()}
              icon={<RefreshIcon width={14} height={14} />}
              aria-label={`Re-crawl ${source.title}`}
              data-testid="knowledge-source-recrawl"
            >
              Re-crawl
            </Button>
          ) : null}
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setConfirming(true)}
            icon={<TrashIcon width={14} height={14} />}
            aria-label={`Delete ${source.title}`}
            data-testid="knowledge-source-delete"
          >
            Delete
          </Button>
          <FormError error={recrawling.error} testId="knowledge-source-recrawl-error" />
          <ConfirmDialog
            open={confirming}
            title={`Delete “${source.title}”?`}
            confirmLabel="Delete source"
            busy={removing.fetching}
            error={removing.error}
            onConfirm={() => void confirmDelete()}
            onCancel={() => setConfirming(false)}
          >
            <p>The agents stop answering from it; its passages go with it.</p>
          </ConfirmDialog>
        </td>
      ) : null}
    </tr>
  );
}

function ChunkPreview({ organizationId, source }: { organizationId: string; source: Source }) {
  // Read again when the source finishes a (re)read.
  const version = source.ingestedAt ? new Date(source.ingestedAt).getTime() : 0;
  const { chunks, hasNext, error, loading, loadingMore, loadMore } = useKnowledgeChunks(organizationId, source.id, version);
  return (
    <Card title={`Passages of “${source.title}”`} description="How the document was cut for search, in order." testId="knowledge-chunks">
      {loading ? (
        <LoadingState label="Loading passages…" />
      ) : error ? (
        <ErrorPanel error={error} />
      ) : chunks.length === 0 ? (
        <p className="muted" data-testid="knowledge-chunks-empty">
          {isIngesting(source.status) ? 'Still reading; passages appear when it is done.' : 'No passages.'}
        </p>
      ) : (
        <ol className="knowledge-chunks">
          {chunks.map((chunk) => (
            <li key={chunk.id} className="knowledge-chunk" data-testid="knowledge-chunk" data-ordinal={chunk.ordinal}>
              <p className="small muted knowledge-chunk-meta">
                <span data-testid="knowledge-chunk-heading">{chunk.headingPath.length > 0 ? chunk.headingPath.join(' › ') : 'No heading'}</span>
                {chunk.page != null ? <span> · page {chunk.page}</span> : null}
                {chunk.url ? <span className="mono"> · {chunk.pageTitle ?? chunk.url}</span> : null}
              </p>
              <p className="knowledge-chunk-text" data-testid="knowledge-chunk-text">
                {chunk.text}
              </p>
            </li>
          ))}
        </ol>
      )}
      {hasNext ? (
        <div className="form-actions form-actions-start">
          <Button size="sm" busy={loadingMore} onClick={() => void loadMore()} data-testid="knowledge-chunks-more">
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

/** `/orgs/:orgId/knowledge`: what the AI agents answer from. Admins add, re-crawl and delete. */
export function KnowledgePage() {
  const { organization } = useCurrentOrganization();
  const admin = isAdminOrOwner(organization.viewerRole);
  const { sources, error, fetching, reload } = useKnowledgeSources(organization.id);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = sources?.find((s) => s.id === selectedId) ?? null;

  const onAdded = (id: string) => {
    setSelectedId(id);
    reload();
  };

  let body;
  if (!sources && error) body = <ErrorPanel error={error} onRetry={reload} />;
  else if (!sources) body = <LoadingState />;
  else if (sources.length === 0) {
    body = (
      <EmptyState icon={<BookIcon width={28} height={28} />} title="No knowledge yet" testId="knowledge-empty">
        <p>Upload your policies, FAQs and manuals, or add your help pages: the agents answer from them and cite them.</p>
        {admin ? null : <p>An Admin or Owner of this organization can add them.</p>}
      </EmptyState>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table table-compact" data-testid="knowledge-table">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Kind</th>
              <th scope="col">Language</th>
              <th scope="col">Status</th>
              <th scope="col" className="numeric">
                Passages
              </th>
              <th scope="col">Read</th>
              {admin ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <SourceRow
                key={source.id}
                source={source}
                admin={admin}
                organizationId={organization.id}
                selected={source.id === selectedId}
                onSelect={() => setSelectedId(source.id === selectedId ? null : source.id)}
                onChanged={reload}
              />
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <div className="page" data-testid="knowledge-page">
      <PageHeader
        title="Knowledge"
        description="Documents and web pages the AI agents answer from. Pick a source to see its passages."
      />
      {admin ? (
        <div className="knowledge-forms">
          <KnowledgeUploadForm organizationId={organization.id} onAdded={onAdded} />
          <KnowledgeUrlForm organizationId={organization.id} onAdded={onAdded} />
        </div>
      ) : null}
      <Card title="Sources" testId="knowledge-sources">
        <div aria-busy={fetching}>{body}</div>
      </Card>
      {selected ? <ChunkPreview organizationId={organization.id} source={selected} /> : null}
    </div>
  );
}
