import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorPanel, LoadingState, Notice } from '@/components/ui/feedback';
import { TrashIcon } from '@/components/ui/icons';
import { Card, PageHeader } from '@/components/ui/layout';
import { StatusBadge } from '@/components/ui/role-badge';
import {
  AgentChoicesDocument,
  AgentDocument,
  CreateAgentDocument,
  DeleteAgentDocument,
  UpdateAgentDocument,
} from '@/features/agents/api/agents';
import { AgentEditor } from '@/features/agents/components/agent-editor';
import { Playground } from '@/features/agents/components/playground';
import { agentToForm, emptyAgentForm, formatCost } from '@/features/agents/utils/form';
import { OUTCOME_LABELS, OUTCOME_TONES } from '@/features/agents/utils/labels';
import type { AgentInput, AgentQuery } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { useCurrentOrganization } from '@/lib/organization-context';
import { isAdminOrOwner } from '@/lib/roles';

export const RECENT_TURNS = 20;

type Turn = AgentQuery['organization']['agent']['turns'][number];

function TurnsTable({ turns }: { turns: readonly Turn[] }) {
  if (turns.length === 0) {
    return (
      <p className="muted" data-testid="agent-turns-empty">
        No turns yet: questions in the playground and answers to customers show here.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="agent-turns">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Outcome</th>
            <th scope="col">Model</th>
            <th scope="col" className="numeric">
              Tokens in / out
            </th>
            <th scope="col" className="numeric">
              Latency
            </th>
            <th scope="col" className="numeric">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {turns.map((t) => (
            <tr key={t.id} data-testid="agent-turn" data-outcome={t.outcome}>
              <td className="nowrap">
                {formatDateTime(t.createdAt)}
                {t.conversationId ? null : <span className="small muted"> · playground</span>}
              </td>
              <td>
                <StatusBadge tone={OUTCOME_TONES[t.outcome]}>{OUTCOME_LABELS[t.outcome]}</StatusBadge>
                {t.handoffReason ? <div className="small muted">{t.handoffReason}</div> : null}
                {t.error ? <div className="small knowledge-error">{t.error}</div> : null}
              </td>
              <td className="small">{t.model ?? '—'}</td>
              <td className="numeric nowrap">
                {t.promptTokens.toLocaleString()} / {t.completionTokens.toLocaleString()}
                {t.cacheHitTokens > 0 ? <div className="small muted">{t.cacheHitTokens.toLocaleString()} cached</div> : null}
              </td>
              <td className="numeric nowrap">{t.latencyMs.toLocaleString()} ms</td>
              <td className="numeric nowrap">{formatCost(t.costMicros)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `/orgs/:orgId/agents/new` (Admins) and `/orgs/:orgId/agents/:agentId`: the editor, the playground and the recent turns. */
export function AgentPage() {
  const { agentId = null } = useParams();
  const navigate = useNavigate();
  const { organization } = useCurrentOrganization();
  const admin = isAdminOrOwner(organization.viewerRole);
  const base = `/orgs/${encodeURIComponent(organization.id)}/agents`;

  const [choices] = useQuery({ query: AgentChoicesDocument, variables: { id: organization.id }, requestPolicy: 'cache-and-network' });
  const [agentResult, reexecute] = useQuery({
    query: AgentDocument,
    variables: { id: organization.id, agentId: agentId ?? '', turns: RECENT_TURNS },
    pause: agentId == null,
    requestPolicy: 'cache-and-network',
  });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const [creating, create] = useMutation(CreateAgentDocument);
  const [updating, update] = useMutation(UpdateAgentDocument);
  const [deleting, remove] = useMutation(DeleteAgentDocument);
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const agent = agentId ? agentResult.data?.organization.agent : null;

  async function onSave(input: AgentInput) {
    setSaved(false);
    if (!agentId) {
      const result = await create({ input });
      if (result.data) void navigate(`${base}/${encodeURIComponent(result.data.createAgent.id)}`, { replace: true });
      return;
    }
    const result = await update({ agentId, input });
    if (result.data) {
      setSaved(true);
      reload();
    }
  }

  async function onDelete() {
    if (!agentId) return;
    const result = await remove({ organizationId: organization.id, agentId });
    if (result.data) void navigate(base);
  }

  if (agentId && !agent) {
    return (
      <div className="page">
        <PageHeader title="AI agent" />
        {agentResult.error ? <ErrorPanel error={agentResult.error} onRetry={reload} /> : <LoadingState />}
      </div>
    );
  }

  const title = agent ? agent.name : 'New AI agent';
  const state = agent ? (agent.enabled ? 'ON' : 'OFF') : 'NEW';

  return (
    <div className="page page-wide" data-testid="agent-page" data-agent-id={agentId ?? ''} data-state={state}>
      <PageHeader
        title={title}
        description={
          <>
            <Link to={base}>All agents</Link>
            {agent ? ` · changed ${formatDateTime(agent.updatedAt)}` : ' · answers customers from your knowledge, and hands over to your team.'}
          </>
        }
        actions={
          agent && admin ? (
            <>
              <Button variant="danger" icon={<TrashIcon width={16} height={16} />} onClick={() => setConfirming(true)} data-testid="agent-delete">
                Delete
              </Button>
              <ConfirmDialog
                open={confirming}
                title={`Delete the agent “${agent.name}”?`}
                confirmLabel="Delete agent"
                busy={deleting.fetching}
                error={deleting.error}
                onConfirm={() => void onDelete()}
                onCancel={() => setConfirming(false)}
              >
                <p>Its conversations go to the team.</p>
              </ConfirmDialog>
            </>
          ) : null
        }
      />
      {agent?.pausedReason ? (
        <Notice tone="warning" title="This agent has stopped answering on its own" testId="agent-paused">
          <p>{agent.pausedReason}</p>
          <p>Fix the cause, then switch it on again and save.</p>
        </Notice>
      ) : null}
      <div className="agent-layout">
        <div className="agent-main">
          <Card title="Settings" testId="agent-settings">
            <AgentEditor
              key={agent ? `${agent.id}:${agent.updatedAt}` : 'new'}
              organizationId={organization.id}
              initial={agent ? agentToForm(agent) : emptyAgentForm()}
              choices={choices.data?.organization ?? null}
              canEdit={admin}
              saving={creating.fetching || updating.fetching}
              error={creating.error ?? updating.error ?? null}
              saved={saved}
              onSave={(input) => void onSave(input)}
            />
          </Card>
        </div>
        <div className="agent-side">
          <Playground organizationId={organization.id} agentId={agentId} onTurn={agentId ? reload : () => undefined} />
        </div>
      </div>
      {agent ? (
        <Card title="Recent turns" description={`The latest ${RECENT_TURNS} answers, in conversations and the playground.`} testId="agent-turns-card">
          <TurnsTable turns={agent.turns} />
        </Card>
      ) : null}
    </div>
  );
}
