import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { Card } from '@/components/ui/layout';
import { RecentContactImportsDocument } from '@/features/contacts/api/imports';
import { ImportStatusBadge } from '@/features/contacts/components/import-progress';
import { formatBytes } from '@/features/contacts/utils/imports';
import { displayName, formatDateTime } from '@/lib/format';

const RECENT = 10;

/** The organization's last imports with their outcome; each opens its own page. */
export function RecentImports({
  organizationId,
  importsPath,
  refreshKey,
  currentId,
}: {
  organizationId: string;
  importsPath: string;
  /** Reloads the list whenever it changes (e.g. the open import's status). */
  refreshKey: string;
  currentId: string | null;
}) {
  const [result, reexecute] = useQuery({
    query: RecentContactImportsDocument,
    variables: { id: organizationId, first: RECENT },
  });
  // The first load is the query's own; only a later change of the key reloads.
  const lastKey = useRef(refreshKey);
  useEffect(() => {
    if (lastKey.current === refreshKey) return;
    lastKey.current = refreshKey;
    reexecute({ requestPolicy: 'network-only' });
  }, [refreshKey, reexecute]);

  const imports = result.data?.organization.contactImports.nodes;
  let body;
  if (!imports && result.error) body = <ErrorPanel error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  else if (!imports) body = <LoadingState />;
  else if (imports.length === 0) {
    body = (
      <p className="muted" data-testid="import-history-empty">
        No contact list has been uploaded yet.
      </p>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table table-compact" data-testid="import-history-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Status</th>
              <th scope="col">Uploaded</th>
              <th scope="col" className="numeric">
                Rows
              </th>
              <th scope="col" className="numeric">
                New
              </th>
              <th scope="col" className="numeric">
                Updated
              </th>
              <th scope="col" className="numeric">
                Duplicates
              </th>
              <th scope="col" className="numeric">
                Rejected
              </th>
              <th scope="col" className="numeric">
                Blank
              </th>
            </tr>
          </thead>
          <tbody>
            {imports.map((item) => (
              <tr
                key={item.id}
                data-testid="import-history-row"
                data-import-id={item.id}
                data-status={item.status}
                aria-current={item.id === currentId ? 'true' : undefined}
              >
                <td>
                  <Link to={`${importsPath}/${encodeURIComponent(item.id)}`} data-testid="import-history-link">
                    {item.fileName}
                  </Link>
                  <span className="muted small block">
                    {item.format.toUpperCase()} · {formatBytes(item.size)}
                  </span>
                </td>
                <td>
                  <ImportStatusBadge status={item.status} testId="import-history-status" />
                </td>
                <td className="nowrap">
                  {formatDateTime(item.createdAt)}
                  {item.createdBy ? <span className="muted small block">by {displayName(item.createdBy)}</span> : null}
                </td>
                <td className="numeric">{item.records.toLocaleString()}</td>
                <td className="numeric">{item.imported.toLocaleString()}</td>
                <td className="numeric">{item.updated.toLocaleString()}</td>
                <td className="numeric">{item.duplicates.toLocaleString()}</td>
                <td className="numeric">{item.invalid.toLocaleString()}</td>
                <td className="numeric">{item.empty.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <Card title="Recent imports" testId="import-history">
      {body}
    </Card>
  );
}
