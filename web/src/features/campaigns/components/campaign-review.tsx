import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, FormError, LoadingState, Notice } from '@/components/ui/feedback';
import { Card } from '@/components/ui/layout';
import {
  CampaignContactSearchDocument,
  CampaignPreviewDocument,
  CampaignPreviewForDocument,
  LaunchCampaignDocument,
} from '@/features/campaigns/api/campaigns';
import { SKIP_REASON_LABELS } from '@/features/campaigns/utils/labels';
import type { CampaignContactSearchQuery, CampaignPreviewForQuery, CampaignPreviewQuery } from '@/gql/graphql';
import type { GraphqlErrorLike } from '@/lib/errors';

type Preview = CampaignPreviewQuery['organization']['campaign']['preview'];
type Sample = Preview['samples'][number];
type FoundContact = CampaignContactSearchQuery['organization']['contacts']['nodes'][number];
type OnePreview = CampaignPreviewForQuery['organization']['campaign']['previewFor'];

/** One recipient's message as they would get it, or why they would be skipped. */
function RecipientMessage({ sample, testId }: { sample: Sample | OnePreview; testId: string }) {
  return (
    <div
      className="review-sample"
      data-testid={testId}
      data-contact-id={sample.contactId}
      data-skip-reason={sample.skipReason ?? ''}
    >
      <p className="review-sample-who">
        <strong>{sample.name?.trim() || sample.address || 'Unnamed contact'}</strong>{' '}
        {sample.address ? <span className="muted small">{sample.address}</span> : null}
      </p>
      {sample.skipReason ? (
        <p className="review-sample-skip" data-testid={`${testId}-skip`}>
          Skipped: {SKIP_REASON_LABELS[sample.skipReason]}
          {sample.detail ? ` (${sample.detail})` : ''}
        </p>
      ) : (
        <p className="review-sample-text" data-testid={`${testId}-text`}>
          {sample.text}
        </p>
      )}
    </div>
  );
}

function Budget({ budget }: { budget: Preview['budget'] }) {
  const cell = (n: number | null | undefined) => (n == null ? 'No limit' : n.toLocaleString());
  return (
    <Card title="Today's messaging limit" description="Unique customers the number may start conversations with in 24 hours." testId="review-budget">
      <dl className="review-budget" data-covers={budget.covers}>
        <div>
          <dt>Limit</dt>
          <dd data-testid="review-budget-limit">{cell(budget.limit)}</dd>
        </div>
        <div>
          <dt>Used</dt>
          <dd data-testid="review-budget-used">{budget.used.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Left</dt>
          <dd data-testid="review-budget-left">{cell(budget.left)}</dd>
        </div>
        <div>
          <dt>Needed</dt>
          <dd data-testid="review-budget-needed">{budget.needed.toLocaleString()}</dd>
        </div>
      </dl>
      {budget.covers ? (
        <p className="muted small" data-testid="review-budget-ok">
          Everyone fits in today&apos;s limit.
        </p>
      ) : (
        <Notice tone="warning" title="Not everyone fits today" testId="review-budget-warning">
          The number can reach {cell(budget.left)} more customers today but this campaign needs{' '}
          {budget.needed.toLocaleString()}. Recipients beyond the limit are skipped; send to fewer people or wait
          for the limit to rise.
        </Notice>
      )}
    </Card>
  );
}

function PreviewForContact({ organizationId, campaignId }: { organizationId: string; campaignId: string }) {
  const client = useClient();
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<FoundContact[] | null>(null);
  const [result, setResult] = useState<OnePreview | null>(null);
  const [problem, setProblem] = useState<GraphqlErrorLike | null>(null);
  const [busy, setBusy] = useState(false);

  async function find(event: FormEvent) {
    event.preventDefault();
    if (search.trim() === '') return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    const r = await client
      .query(CampaignContactSearchDocument, { id: organizationId, search: search.trim() }, { requestPolicy: 'network-only' })
      .toPromise();
    setBusy(false);
    if (r.error) setProblem(r.error);
    setFound(r.data?.organization.contacts.nodes ?? []);
  }

  async function preview(contactId: string) {
    setProblem(null);
    const r = await client
      .query(CampaignPreviewForDocument, { id: organizationId, campaignId, contactId }, { requestPolicy: 'network-only' })
      .toPromise();
    if (r.error) setProblem(r.error);
    setResult(r.data?.organization.campaign.previewFor ?? null);
  }

  return (
    <Card title="Preview for a contact" description="Anyone, in the audience or not: their exact message, or why they would be skipped." testId="review-preview-for">
      <form className="form-inline" onSubmit={(e) => void find(e)} role="search" aria-label="Find a contact">
        <label className="visually-hidden" htmlFor="review-contact-search">
          Name or number
        </label>
        <input
          id="review-contact-search"
          className="input"
          placeholder="Name or number"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="review-contact-search"
        />
        <Button type="submit" busy={busy} data-testid="review-contact-find">
          Find
        </Button>
      </form>
      {found && found.length === 0 ? (
        <p className="muted small" data-testid="review-contact-none">
          No contact matches.
        </p>
      ) : null}
      {found && found.length > 0 ? (
        <ul className="review-contacts" aria-label="Matching contacts">
          {found.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="link-button"
                onClick={() => void preview(c.id)}
                data-testid="review-contact"
                data-contact-id={c.id}
                data-phone={c.phone ?? ''}
              >
                {c.displayName?.trim() || `+${c.phone ?? c.waId}`}
                {c.phone ? <span className="muted small"> +{c.phone}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <FormError error={problem} testId="review-preview-for-error" />
      <div aria-live="polite">{result ? <RecipientMessage sample={result} testId="review-preview-for-result" /> : null}</div>
    </Card>
  );
}

/** The review step: what launching would do, then the launch itself. */
export function CampaignReview({
  organizationId,
  campaignId,
  onEdit,
}: {
  organizationId: string;
  campaignId: string;
  onEdit: () => void;
}) {
  const navigate = useNavigate();
  const [result, reexecute] = useQuery({
    query: CampaignPreviewDocument,
    variables: { id: organizationId, campaignId },
    requestPolicy: 'network-only',
  });
  const [confirming, setConfirming] = useState(false);
  const [launched, launch] = useMutation(LaunchCampaignDocument);
  const preview = result.data?.organization.campaign.preview;

  async function confirmLaunch() {
    const r = await launch({ organizationId, campaignId });
    if (!r.data) return;
    setConfirming(false);
    void navigate(`/orgs/${encodeURIComponent(organizationId)}/campaigns/${encodeURIComponent(campaignId)}`);
  }

  if (!preview && result.error) {
    return <ErrorPanel error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  }
  if (!preview) return <LoadingState label="Working out who gets what…" />;
  const skippedTotal = preview.skipped.reduce((n, s) => n + s.count, 0);

  return (
    <div className="review" data-testid="campaign-review">
      <div className="contact-layout">
        <div className="review-main">
          <Card title="Audience" testId="review-audience-card">
            <div className="stats">
              <div className="stat">
                <span className="stat-label">Contacts matched</span>
                <span className="stat-value" data-testid="review-audience" data-count={preview.audience}>
                  {preview.audience.toLocaleString()}
                </span>
              </div>
              <div className="stat">
                <span className="stat-label">Will be sent</span>
                <span className="stat-value" data-testid="review-queued" data-count={preview.queued}>
                  {preview.queued.toLocaleString()}
                </span>
              </div>
              <div className="stat">
                <span className="stat-label">Skipped</span>
                <span className="stat-value" data-testid="review-skipped" data-count={skippedTotal}>
                  {skippedTotal.toLocaleString()}
                </span>
              </div>
            </div>
            {preview.skipped.length > 0 ? (
              <table className="table table-compact review-skips" data-testid="review-skips">
                <caption className="visually-hidden">Skipped recipients by reason</caption>
                <thead>
                  <tr>
                    <th scope="col">Why skipped</th>
                    <th scope="col" className="numeric">
                      Contacts
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {preview.skipped.map((s) => (
                    <tr key={s.reason} data-testid="review-skip" data-reason={s.reason} data-count={s.count}>
                      <td>{SKIP_REASON_LABELS[s.reason]}</td>
                      <td className="numeric">{s.count.toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted small" data-testid="review-no-skips">
                Nobody is skipped.
              </p>
            )}
          </Card>
          <Card title="First recipients" description="Each with the exact message they would get." testId="review-samples">
            {preview.samples.length === 0 ? <p className="muted">The audience is empty.</p> : null}
            {preview.samples.map((s) => (
              <RecipientMessage key={s.contactId} sample={s} testId="review-sample" />
            ))}
          </Card>
        </div>
        <div className="contact-side">
          <Budget budget={preview.budget} />
          <PreviewForContact organizationId={organizationId} campaignId={campaignId} />
        </div>
      </div>
      <div className="form-actions form-actions-start review-actions">
        <Button onClick={onEdit} data-testid="campaign-edit-again">
          Change the draft
        </Button>
        <Button onClick={() => reexecute({ requestPolicy: 'network-only' })} data-testid="review-refresh">
          Count again
        </Button>
        <Button
          variant="primary"
          onClick={() => setConfirming(true)}
          disabled={preview.queued === 0}
          data-testid="campaign-launch"
        >
          Launch campaign
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Launch this campaign?"
        confirmLabel="Launch"
        tone="primary"
        busy={launched.fetching}
        error={launched.error}
        onConfirm={() => void confirmLaunch()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          The audience is frozen now: {preview.queued.toLocaleString()} recipient{preview.queued === 1 ? '' : 's'} will
          be sent the message at the scheduled time. You can pause or cancel it, but a message sent cannot be taken back.
        </p>
      </ConfirmDialog>
    </div>
  );
}
