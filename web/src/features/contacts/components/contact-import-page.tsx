import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import { ButtonLink } from '@/components/ui/button';
import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { PageHeader } from '@/components/ui/layout';
import { ImportProgress } from '@/features/contacts/components/import-progress';
import { ImportSetup } from '@/features/contacts/components/import-setup';
import { ImportUpload } from '@/features/contacts/components/import-upload';
import { RecentImports } from '@/features/contacts/components/recent-imports';
import { useContactImport } from '@/features/contacts/hooks/use-contact-import';
import { isStartable } from '@/features/contacts/utils/imports';
import { useCurrentOrganization } from '@/lib/organization-context';

const STEPS = ['Choose a file', 'Check the columns', 'Import'] as const;

/** Where the wizard is: 1, 2 or 3. */
function Steps({ current }: { current: 1 | 2 | 3 }) {
  return (
    <ol className="steps" aria-label="Import steps" data-testid="import-steps">
      {STEPS.map((label, index) => {
        const step = index + 1;
        const state = step < current ? 'done' : step === current ? 'current' : 'next';
        return (
          <li
            key={label}
            className={`step step-${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
            data-testid="import-step"
            data-step={step}
            data-state={state}
          >
            <span className="step-number" aria-hidden="true">
              {step}
            </span>
            <span>{label}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** One uploaded file: its preview and mapping until it starts, then its progress and outcome. */
function ImportSession({
  organizationId,
  importId,
  contactsPath,
  importsPath,
}: {
  organizationId: string;
  importId: string;
  contactsPath: string;
  importsPath: string;
}) {
  const navigate = useNavigate();
  const session = useContactImport(organizationId, importId);
  const [retrying, setRetrying] = useState(false);
  const contactImport = session.contactImport;

  let step: 2 | 3 = 2;
  let body;
  if (!contactImport) {
    body = session.error ? <ErrorPanel error={session.error} onRetry={session.refresh} /> : <LoadingState />;
  } else if (contactImport.status === 'UPLOADED' || (retrying && isStartable(contactImport.status))) {
    body = (
      <ImportSetup
        organizationId={organizationId}
        contactImport={contactImport}
        onStart={(options) => {
          void session.start(options).then((ok) => {
            if (ok) setRetrying(false);
          });
        }}
        starting={session.starting}
        startError={session.startError}
      />
    );
  } else {
    step = 3;
    body = (
      <ImportProgress
        contactImport={contactImport}
        contactsPath={contactsPath}
        onCancel={session.cancel}
        cancelling={session.cancelling}
        cancelError={session.cancelError}
        onRetry={() => setRetrying(true)}
        onAnother={() => void navigate(importsPath)}
      />
    );
  }

  return (
    <>
      <Steps current={step} />
      {body}
      <RecentImports
        organizationId={organizationId}
        importsPath={importsPath}
        refreshKey={contactImport ? `${contactImport.id}:${contactImport.status}` : ''}
        currentId={importId}
      />
    </>
  );
}

/** `/orgs/:orgId/contacts/import[/:importId]` (Admin or Owner): the contact import wizard. */
export function ContactImportPage() {
  const { organization } = useCurrentOrganization();
  const { importId } = useParams();
  const navigate = useNavigate();
  const contactsPath = `/orgs/${encodeURIComponent(organization.id)}/contacts`;
  const importsPath = `${contactsPath}/import`;

  return (
    <div className="page" data-testid="contact-import-page">
      <PageHeader
        title="Import contacts"
        description="Bring in the customers you already have from a CSV or Excel file. Nothing is imported until you start."
        actions={
          <ButtonLink to={contactsPath} variant="ghost" data-testid="import-back">
            All contacts
          </ButtonLink>
        }
      />
      {importId ? (
        <ImportSession
          key={importId}
          organizationId={organization.id}
          importId={importId}
          contactsPath={contactsPath}
          importsPath={importsPath}
        />
      ) : (
        <>
          <Steps current={1} />
          <ImportUpload
            organizationId={organization.id}
            onUploaded={(uploaded) => void navigate(`${importsPath}/${encodeURIComponent(uploaded.importId)}`)}
          />
          <RecentImports organizationId={organization.id} importsPath={importsPath} refreshKey="" currentId={null} />
        </>
      )}
    </div>
  );
}
