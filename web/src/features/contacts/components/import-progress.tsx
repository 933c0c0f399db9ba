import { useState } from 'react';

import { Button, ButtonLink } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormError, Notice } from '@/components/ui/feedback';
import { DownloadIcon } from '@/components/ui/icons';
import { Card } from '@/components/ui/layout';
import { fetchRejectedRows, saveFile } from '@/features/contacts/api/import-files';
import type { ContactImportState } from '@/features/contacts/hooks/use-contact-import';
import {
  asSentence,
  IMPORT_COUNTS,
  IMPORT_STATUS_LABELS,
  IMPORT_STATUS_TONES,
  isFinished,
  isInProgress,
  isStartable,
  percent,
} from '@/features/contacts/utils/imports';
import { useAuth } from '@/lib/auth-context';
import type { GraphqlErrorLike } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';

export function ImportStatusBadge({ status, testId }: { status: ContactImportState['status']; testId?: string }) {
  return (
    <span className={`badge badge-${IMPORT_STATUS_TONES[status]}`} data-testid={testId} data-status={status}>
      {IMPORT_STATUS_LABELS[status]}
    </span>
  );
}

function progressText(contactImport: ContactImportState): string {
  switch (contactImport.status) {
    case 'UPLOADED':
      return 'Not started yet.';
    case 'QUEUED':
      return 'Waiting to start…';
    case 'RUNNING':
      return `Importing: ${percent(contactImport.progress)}% of the file read, ${contactImport.records.toLocaleString()} rows so far.`;
    case 'DONE':
      return `Done: ${contactImport.records.toLocaleString()} rows read.`;
    case 'FAILED':
      return 'The import failed; nothing was imported.';
    case 'CANCELLED':
      return 'The import was cancelled; nothing was imported.';
  }
}

function RejectedRowsButton({ contactImport }: { contactImport: ContactImportState }) {
  const { getAccessToken } = useAuth();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const { blob, fileName } = await fetchRejectedRows({ url: contactImport.rejectedRowsUrl, token: getAccessToken() });
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
        onClick={() => void download()}
        busy={busy}
        icon={<DownloadIcon width={16} height={16} />}
        data-testid="import-download-rejected"
      >
        Download rejected rows
      </Button>
      <FormError message={problem} testId="import-download-error" />
    </>
  );
}

/**
 * Step 3: the import running (live progress, Cancel), then its outcome: the counts, why it
 * failed, and the rejected rows to fix and import again.
 */
export function ImportProgress({
  contactImport,
  contactsPath,
  onCancel,
  cancelling,
  cancelError,
  onRetry,
  onAnother,
}: {
  contactImport: ContactImportState;
  contactsPath: string;
  onCancel: () => Promise<void>;
  cancelling: boolean;
  cancelError: GraphqlErrorLike | null;
  onRetry: () => void;
  onAnother: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const running = isInProgress(contactImport.status);
  const finished = isFinished(contactImport.status);
  const value = contactImport.status === 'DONE' ? 100 : percent(contactImport.progress);

  return (
    <Card
      title="Import"
      description={`${contactImport.fileName}${contactImport.startedAt ? `, started ${formatDateTime(contactImport.startedAt)}` : ''}`}
      actions={<ImportStatusBadge status={contactImport.status} testId="import-status" />}
      testId="import-progress-card"
    >
      <div className="import-progress" data-testid="import-run" data-status={contactImport.status}>
        <label className="field-label" htmlFor="import-progress-bar">
          Progress
        </label>
        <progress
          id="import-progress-bar"
          className="progress"
          max={100}
          value={value}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={value}
          aria-valuetext={`${value}%`}
          data-testid="import-progress"
        />
        <p className="import-progress-text" role="status" aria-live="polite" data-testid="import-progress-text">
          {progressText(contactImport)}
        </p>
      </div>

      {contactImport.status === 'FAILED' ? (
        <p className="form-error" role="alert" data-testid="import-error">
          {asSentence(contactImport.error ?? 'The import failed for a reason the server did not give')}
        </p>
      ) : null}
      {contactImport.status === 'CANCELLED' ? (
        <Notice tone="info" testId="import-cancelled">
          Nothing of this file was imported. You can change the settings and start it again.
        </Notice>
      ) : null}

      {contactImport.status !== 'UPLOADED' ? (
        <dl className="import-counts" data-testid="import-counts">
          {IMPORT_COUNTS.map(({ key, label }) => (
            <div key={key} className="import-count" data-testid={`import-count-${key}`} data-count={contactImport[key]}>
              <dt>{label}</dt>
              <dd>{contactImport[key].toLocaleString()}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {contactImport.status === 'DONE' ? (
        <p className="muted small">
          Rows read = new + updated + duplicates + rejected + blank. Duplicates are numbers that came earlier in the
          file{contactImport.options.duplicates === 'SKIP' ? ', or contacts you already had' : ''}.
        </p>
      ) : null}

      <div className="form-actions form-actions-start import-actions">
        {running ? (
          <Button variant="danger" onClick={() => setConfirming(true)} busy={cancelling} data-testid="import-cancel">
            Cancel the import
          </Button>
        ) : null}
        {contactImport.status === 'DONE' && contactImport.invalid > 0 ? (
          <RejectedRowsButton contactImport={contactImport} />
        ) : null}
        {contactImport.status === 'DONE' ? (
          <ButtonLink to={contactsPath} variant="primary" data-testid="import-view-contacts">
            View contacts
          </ButtonLink>
        ) : null}
        {finished && isStartable(contactImport.status) && contactImport.status !== 'DONE' ? (
          <Button onClick={onRetry} data-testid="import-retry">
            Change the settings and start again
          </Button>
        ) : null}
        {finished ? (
          <Button variant="ghost" onClick={onAnother} data-testid="import-another">
            Import another file
          </Button>
        ) : null}
      </div>
      {!confirming ? <FormError error={cancelError} testId="import-cancel-error" /> : null}

      <ConfirmDialog
        open={confirming && running}
        title="Cancel this import?"
        confirmLabel="Cancel the import"
        cancelLabel="Keep importing"
        busy={cancelling}
        error={cancelError}
        onConfirm={() => {
          void onCancel().then(() => setConfirming(false));
        }}
        onCancel={() => setConfirming(false)}
      >
        <p>Nothing of this file will be imported, not even the rows already read.</p>
      </ConfirmDialog>
    </Card>
  );
}
