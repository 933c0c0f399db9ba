import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { ChatIcon, RefreshIcon } from '@/components/ui/icons';
import { Card, EmptyState } from '@/components/ui/layout';
import { StatusBadge } from '@/components/ui/role-badge';
import { DisconnectPhoneNumberDocument, RefreshPhoneNumberDocument } from '@/features/whatsapp/api/whatsapp';
import { messagingLimitLabel, qualityLabel, qualityTone, statusTone } from '@/features/whatsapp/utils/numbers';
import type { WhatsAppNumbersQuery } from '@/gql/graphql';
import type { GraphqlErrorLike } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';

export type WhatsAppNumber = WhatsAppNumbersQuery['organization']['phoneNumbers'][number];

/** The organization's numbers with Meta's view of them; Admins refresh and disconnect. */
export function PhoneNumbersCard({
  organizationId,
  numbers,
  error,
  onRetry,
  canManage,
  onChanged,
}: {
  organizationId: string;
  numbers: readonly WhatsAppNumber[] | null;
  error: GraphqlErrorLike | null;
  onRetry: () => void;
  canManage: boolean;
  onChanged: () => void;
}) {
  const [refresh, refreshNumber] = useMutation(RefreshPhoneNumberDocument);
  const [refreshingId, setRefreshingId] = useState<string | null>(null);
  const [disconnecting, setDisconnecting] = useState<WhatsAppNumber | null>(null);
  const [disconnection, disconnect] = useMutation(DisconnectPhoneNumberDocument);
  const [dialogError, setDialogError] = useState<CombinedError | null>(null);

  async function onRefresh(number: WhatsAppNumber) {
    setRefreshingId(number.id);
    await refreshNumber({ input: { organizationId, phoneNumberId: number.id } });
    setRefreshingId(null);
    onChanged();
  }

  async function onDisconnect() {
    if (!disconnecting) return;
    setDialogError(null);
    const result = await disconnect({ input: { organizationId, phoneNumberId: disconnecting.id } });
    if (result.error) {
      setDialogError(result.error);
      return;
    }
    setDisconnecting(null);
    onChanged();
  }

  let body;
  if (numbers == null) {
    body = error ? <ErrorPanel error={error} onRetry={onRetry} /> : <LoadingState />;
  } else if (numbers.length === 0) {
    body = (
      <EmptyState icon={<ChatIcon width={28} height={28} />} title="No WhatsApp number yet" testId="phone-numbers-empty">
        <p>
          {canManage
            ? 'Connect a WhatsApp Business number below to receive and answer customers in the inbox.'
            : 'An Admin or Owner of this organization connects WhatsApp numbers.'}
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table" data-testid="phone-numbers-table">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Quality</th>
              <th scope="col">Status</th>
              <th scope="col">Messaging limit</th>
              <th scope="col">Throughput</th>
              <th scope="col">Checked</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {numbers.map((n) => (
              <tr
                key={n.id}
                data-testid="phone-number-row"
                data-phone-number-id={n.id}
                data-meta-phone-number-id={n.phoneNumberId}
                data-status={n.status ?? ''}
                data-disconnected={n.disconnectedAt ? 'true' : 'false'}
              >
                <td>
                  <div className="person-text">
                    <span className="person-name" data-testid="phone-number-display">
                      {n.displayPhoneNumber ?? n.phoneNumberId}
                    </span>
                    <span className="muted small" data-testid="phone-number-name">
                      {n.verifiedName ?? 'No verified name'}
                      {n.nameStatus ? ` · name ${n.nameStatus.toLowerCase().replace(/_/g, ' ')}` : ''}
                    </span>
                  </div>
                </td>
                <td>
                  <span
                    className={`badge badge-${qualityTone(n.qualityRating)}`}
                    data-testid="phone-number-quality"
                    data-quality={n.qualityRating ?? 'UNKNOWN'}
                    title={n.qualityRating ?? 'UNKNOWN'}
                  >
                    {qualityLabel(n.qualityRating)}
                  </span>
                </td>
                <td data-testid="phone-number-status">
                  {n.disconnectedAt ? (
                    <span title={`Disconnected ${formatDateTime(n.disconnectedAt)}`}>
                      <StatusBadge tone="neutral">DISCONNECTED</StatusBadge>
                    </span>
                  ) : (
                    <StatusBadge tone={statusTone(n.status)}>{n.status ?? 'Unknown'}</StatusBadge>
                  )}
                </td>
                <td className="nowrap" data-testid="phone-number-limit" title={n.messagingLimit ?? undefined}>
                  {messagingLimitLabel(n.messagingLimit)}
                </td>
                <td className="nowrap" data-testid="phone-number-throughput">
                  {n.throughputLevel ?? '—'}
                </td>
                <td className="nowrap small" data-testid="phone-number-refreshed">
                  {formatDateTime(n.refreshedAt)}
                </td>
                <td className="table-actions">
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={n.disconnectedAt != null}
                    busy={refreshingId === n.id}
                    icon={<RefreshIcon width={14} height={14} />}
                    onClick={() => void onRefresh(n)}
                    data-testid="phone-number-refresh"
                  >
                    Refresh
                  </Button>
                  {canManage && !n.disconnectedAt ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="btn-danger-text"
                      onClick={() => {
                        setDialogError(null);
                        setDisconnecting(n);
                      }}
                      data-testid="phone-number-disconnect"
                    >
                      Disconnect
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <Card title="Numbers" description="Quality, limits and status as Meta reports them." testId="phone-numbers-card">
      {body}
      <FormError error={refresh.error} testId="phone-number-refresh-error" />
      <ConfirmDialog
        open={disconnecting != null}
        title={`Disconnect ${disconnecting?.displayPhoneNumber ?? 'this number'}?`}
        confirmLabel="Disconnect"
        busy={disconnection.fetching}
        error={dialogError}
        onConfirm={() => void onDisconnect()}
        onCancel={() => setDisconnecting(null)}
      >
        <p>
          WAgent stops sending and receiving on this number. Its conversations stay in the inbox, and you can connect
          the number again later.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
