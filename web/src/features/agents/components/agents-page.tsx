import { useCallback } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { ButtonLink } from '@/components/ui/button';
import { ErrorPanel, LoadingState } from '@/components/ui/feedback';
import { BotIcon, PlusIcon } from '@/components/ui/icons';
import { Card, EmptyState, PageHeader } from '@/components/ui/layout';
import { StatusBadge } from '@/components/ui/role-badge';
import { AgentsDocument } from '@/features/agents/api/agents';
import { formatCost } from '@/features/agents/utils/form';
import { agentState } from '@/features/agents/utils/labels';
import type { AgentsQuery } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

type Usage = AgentsQuery['organization']['aiUsage'][number];

const STATE_LABELS = { ON: 'On', OFF: 'Off', PAUSED: 'Paused' } as const;
const STATE_TONES = { ON: 'success', OFF: 'neutral', PAUSED: 'danger' } as const;

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

function monthLabel(month: string): string {
  const date = new Date(`${month}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : monthFormat.format(date);
}

function UsageCard({ usage }: { usage: readonly Usage[] }) {
  return (
    <Card title="AI usage" description="Per month: answers sent to customers, tokens and the estimated provider cost." testId="ai-usage">
      {usage.length === 0 ? (
        <p className="muted" data-testid="ai-usage-empty">
          No AI usage yet.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="numeric">
                  Answers sent
                </th>
                <th scope="col" className="numeric">
                  Tokens in
                </th>
                <th scope="col" className="numeric">
                  Tokens out
                </th>
                <th scope="col" className="numeric">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {usage.map((u) => (
                <tr key={u.month} data-testid="ai-usage-month" data-month={u.month} data-replies={u.replies}>
                  <td>{monthLabel(u.month)}</td>
                  <td className="numeric">{u.replies.toLocaleString()}</td>
                  <td className="numeric">{u.promptTokens.toLocaleString()}</td>
                  <td className="numeric">{u.completionTokens.toLocaleString()}</td>
                  <td className="numeric">{formatCost(u.costMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** `/orgs/:orgId/agents`: the AI agents and the organization's AI usage. */
export function AgentsPage() {
  const { organization } = useCurrentOrganization();
  const admin = isAdminOrOwner(organization.viewerRole);
  const base = `/orgs/${encodeURIComponent(organization.id)}/agents`;
  const [result, reexecute] = useQuery({ query: AgentsDocument, variables: { id: organization.id }, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const data = result.data?.organization;
  const numbers = new Map((data?.phoneNumbers ?? []).map((n) => [n.id, n]));

  const newButton = admin ? (
    <ButtonLink to={`${base}/new`} variant="primary" icon={<PlusIcon width={16} height={16} />} data-testid="agents-new">
      New agent
    </ButtonLink>
  ) : null;

  let body;
  if (!data && result.error) body = <ErrorPanel error={result.error} onRetry={reload} />;
  else if (!data) body = <LoadingState />;
  else if (data.agents.length === 0) {
    body = (
      <EmptyState icon={<BotIcon width={28} height={28} />} title="No agents yet" testId="agents-empty" action={newButton}>
        <p>An agent answers your customers on WhatsApp from your knowledge, cites it, and hands over to your team when it should.</p>
      </EmptyState>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table table-compact" data-testid="agents-table">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">State</th>
              <th scope="col">Numbers</th>
              <th scope="col">Knowledge</th>
              <th scope="col">Model</th>
              <th scope="col">Changed</th>
            </tr>
          </thead>
          <tbody>
            {data.agents.map((agent) => {
              const state = agentState(agent);
              return (
                <tr key={agent.id} data-testid="agent-row" data-agent-id={agent.id} data-name={agent.name} data-state={state}>
                  <td>
                    <Link className="contact-link" to={`${base}/${encodeURIComponent(agent.id)}`} data-testid="agent-link">
                      {agent.name}
                    </Link>
                  </td>
                  <td>
                    <StatusBadge tone={STATE_TONES[state]}>{STATE_LABELS[state]}</StatusBadge>
                    {agent.pausedReason ? (
                      <div className="small knowledge-error" data-testid="agent-row-paused">
                        {agent.pausedReason}
                      </div>
                    ) : null}
                  </td>
                  <td className="small">
                    {agent.phoneNumberIds.length === 0
                      ? 'None'
                      : agent.phoneNumberIds.map((id) => numbers.get(id)?.displayPhoneNumber ?? 'a removed number').join(', ')}
                  </td>
                  <td className="small">{agent.knowledgeSourceIds.length === 0 ? 'All' : `${agent.knowledgeSourceIds.length} sources`}</td>
                  <td className="small">{agent.model ?? 'Default'}</td>
                  <td className="nowrap small">{formatDateTime(agent.updatedAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <div className="page" data-testid="agents-page">
      <PageHeader
        title="AI agents"
        description="Agents answer customers on your numbers from the knowledge, and hand conversations to your team."
        actions={newButton}
      />
      <Card testId="agents-card">
        <div aria-busy={result.fetching}>{body}</div>
      </Card>
      {data ? <UsageCard usage={data.aiUsage} /> : null}
    </div>
  );
}
