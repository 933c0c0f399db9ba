import { Button } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { ListIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { useAuditLog, type AuditEventRow } from '@/features/audit-log/hooks/use-audit-log';
import { displayName, formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';

function actorLabel(event: AuditEventRow): string {
  if (event.actor) return displayName(event.actor);
  if (event.actorApiTokenId) return `API token ${event.actorApiTokenId}`;
  return 'System';
}

function targetLabel(event: AuditEventRow): string {
  if (!event.targetType && !event.targetId) return '—';
  return [event.targetType, event.targetId].filter(Boolean).join(' ');
}

function hasDetails(details: unknown): boolean {
  if (details == null) return false;
  if (typeof details === 'object') return Object.keys(details).length > 0;
  return true;
}

/** `/orgs/:orgId/audit-log` (Admin or Owner). */
export function AuditLogPage() {
  const { organization } = useCurrentOrganization();
  const log = useAuditLog(organization.id);

  if (!log.events && log.error) return <ErrorPanel error={log.error} onRetry={log.refresh} />;

  let body;
  if (!log.events) body = <LoadingState />;
  else if (log.events.length === 0) {
    body = (
      <EmptyState icon={<ListIcon width={28} height={28} />} title="Nothing recorded yet" testId="audit-log-empty">
        <p>Changes to members, invitations, tokens and settings show up here as they happen.</p>
      </EmptyState>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table table-compact" data-testid="audit-log-table">
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Actor</th>
              <th scope="col">Target</th>
              <th scope="col">IP</th>
              <th scope="col">User agent</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {log.events.map((event) => (
              <tr key={event.id} data-testid="audit-row" data-action={event.action}>
                <td>
                  <code className="action" data-testid="audit-action">
                    {event.action}
                  </code>
                  {hasDetails(event.details) ? (
                    <details className="audit-details">
                      <summary>Details</summary>
                      <pre>{JSON.stringify(event.details, null, 2)}</pre>
                    </details>
                  ) : null}
                </td>
                <td data-testid="audit-actor">{actorLabel(event)}</td>
                <td className="mono small">{targetLabel(event)}</td>
                <td className="mono small nowrap">{event.ip ?? '—'}</td>
                <td className="truncate small" title={event.userAgent ?? undefined}>
                  {event.userAgent ?? '—'}
                </td>
                <td className="nowrap">{formatDateTime(event.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="Audit log"
        description="Who changed what in this organization, newest first."
        actions={
          <Button onClick={log.refresh} busy={log.fetching && !!log.events} data-testid="audit-refresh">
            Refresh
          </Button>
        }
      />
      <Card testId="audit-log-card">
        {body}
        <FormError error={log.moreError} testId="audit-load-more-error" />
        {log.events && log.hasNextPage ? (
          <div className="card-footer">
            <Button onClick={() => void log.loadMore()} busy={log.loadingMore} data-testid="audit-load-more">
              Load more
            </Button>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
