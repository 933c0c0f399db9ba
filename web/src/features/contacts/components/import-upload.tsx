import { useState, type FormEvent } from 'react';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { UploadIcon } from '@/components/ui/icons';
import { Card, Field } from '@/components/ui/layout';
import { uploadContactList, type UploadedContactList } from '@/features/contacts/api/import-files';
import { asSentence, formatBytes } from '@/features/contacts/utils/imports';
import { useAuth } from '@/lib/auth-context';

/** The server's own limit; bigger files are refused before they are sent. */
const MAX_BYTES = 200 * 1024 * 1024;

/** Step 1: choose a CSV or XLSX file and upload it. */
export function ImportUpload({
  organizationId,
  onUploaded,
}: {
  organizationId: string;
  onUploaded: (uploaded: UploadedContactList) => void;
}) {
  const { getAccessToken } = useAuth();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setProblem('Choose a CSV or Excel (.xlsx) file first.');
      return;
    }
    if (file.size > MAX_BYTES) {
      setProblem(`The file is ${formatBytes(file.size)}; files up to 200 MB can be imported.`);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onUploaded(await uploadContactList({ organizationId, file, token: getAccessToken() }));
    } catch (error) {
      setProblem(asSentence(error instanceof Error ? error.message : 'The upload failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title="Choose a file"
      description="A CSV or Excel (.xlsx) file with one contact per row and the column names in a header row. You check how it reads before anything is imported."
      testId="import-upload-card"
    >
      <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="import-upload-form" noValidate>
        <Field
          label="Contact list"
          htmlFor="import-file"
          hint={file ? `${file.name} · ${formatBytes(file.size)}` : 'Up to 200 MB and 1,000,000 rows.'}
        >
          <input
            id="import-file"
            type="file"
            className="input input-file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setProblem(null);
            }}
            data-testid="import-file-input"
          />
        </Field>
        <div className="form-actions form-actions-start">
          <Button
            type="submit"
            variant="primary"
            busy={busy}
            disabled={!file}
            icon={<UploadIcon width={16} height={16} />}
            data-testid="import-upload"
          >
            Upload and preview
          </Button>
        </div>
        <FormError message={problem} testId="import-upload-error" />
      </form>
    </Card>
  );
}
