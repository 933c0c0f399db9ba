import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { KeyIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { RoleBadge, StatusBadge } from '@/components/ui/role-badge';
import { RevokeApiTokenDocument } from '@/features/api-tokens/api/api-tokens';
import { CreateApiTokenForm } from '@/features/api-tokens/components/create-api-token-form';
import { useApiTokens } from '@/features/api-tokens/hooks/use-api-tokens';
import { displayName, formatDate, formatDateTime, isPast } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';

interface TokenRow {
  id: string;
  name: string;
  revokedAt?: string | null;
  expiresAt: string;
}

function TokenStatus({ token }: { token: TokenRow }) {
  if (token.revokedAt) return <StatusBadge tone="danger">{`Revoked ${formatDate(token.revokedAt)}`}</StatusBadge>;
  if (isPast(token.expiresAt)) return <StatusBadge tone="neutral">Expired</StatusBadge>;
  return <StatusBadge tone="success">Active</StatusBadge>;
}

/** `/orgs/:orgId/api-tokens` (Admin or Owner). */
export function ApiTokensPage() {
  const { organization } = useCurrentOrganization();
  const { tokens, truncated, error, refresh } = useApiTokens(organization.id);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const [revokeError, setRevokeError] = useState<CombinedError | null>(null);
  const [{ fetching: revokeBusy }, revokeApiToken] = useMutation(RevokeApiTokenDocument);

  // The server's answer wins over what the client knows about the role.
  if (!tokens && error) return <ErrorPanel error={error} onRetry={refresh} />;

  async function onRevoke() {
    if (!revoking) return;
    setRevokeError(null);
    const result = await revokeApiToken({ input: { organizationId: organization.id, apiTokenId: revoking.id } });
    if (result.error) return setRevokeError(result.error);
    setRevoking(null);
    refresh();
  }

  let list;
  if (!tokens) list = <LoadingState />;
  else if (tokens.length === 0) {
    list = (
      <EmptyState icon={<KeyIcon width={28} height={28} />} title="No API tokens yet" testId="api-tokens-empty">
        <p>Create a token above to connect your CRM, shop or scripts to WAgent.</p>
      </EmptyState>
    );
  } else {
    list = (
      <div className="table-wrap">
        <table className="table" data-testid="api-tokens-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created by</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => {
              const active = !token.revokedAt && !isPast(token.expiresAt);
              return (
                <tr
                  key={token.id}
                  data-testid="api-token-row"
                  data-token-id={token.id}
                  data-name={token.name}
                  data-revoked={token.revokedAt ? 'true' : 'false'}
                >
                  <td className="strong" data-testid="api-token-name">
                    {token.name}
                  </td>
                  <td>
                    <RoleBadge role={token.role} />
                  </td>
                  <td>{token.createdBy ? displayName(token.createdBy) : '—'}</td>
                  <td className="nowrap">{formatDate(token.createdAt)}</td>
                  <td className="nowrap">{formatDate(token.expiresAt)}</td>
                  <td className="nowrap">{formatDateTime(token.lastUsedAt, 'Never')}</td>
                  <td data-testid="api-token-status">
                    <TokenStatus token={token} />
                  </td>
                  <td className="table-actions">
                    {active ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="btn-danger-text"
                        onClick={() => {
                          setRevokeError(null);
                          setRevoking(token);
                        }}
                        data-testid="api-token-revoke"
                      >
                        Revoke
                      </Button>
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

  return (
    <div className="page">
      <PageHeader title="API tokens" description="Credentials for machines. Each token acts with the role it was given." />
      <CreateApiTokenForm organizationId={organization.id} viewerRole={organization.viewerRole} onCreated={refresh} />
      <Card title="Tokens" testId="api-tokens-card">
        {list}
        {truncated ? <p className="card-text muted">Showing the first 100 tokens.</p> : null}
      </Card>
      <ConfirmDialog
        open={revoking != null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        busy={revokeBusy}
        error={revokeError}
        onConfirm={() => void onRevoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>Anything using this token stops working immediately. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}
