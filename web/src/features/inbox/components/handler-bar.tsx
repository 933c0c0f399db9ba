import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { HandConversationToBotDocument, HandConversationToTeamDocument } from '@/features/inbox/api/inbox';
import type { ConversationSummary } from '@/features/inbox/hooks/use-conversation-list';
import type { ConversationHandling } from '@/features/inbox/hooks/use-conversation-thread';
import type { InboxAgent } from '@/features/inbox/hooks/use-inbox-setup';

/** Who answers the conversation (the bot with its agent, or the team and why), and the switch between them. */
export function HandlerBar({
  organizationId,
  handling,
  agents,
  onChanged,
}: {
  organizationId: string;
  handling: ConversationHandling;
  agents: readonly InboxAgent[];
  onChanged: (conversation: ConversationSummary & ConversationHandling) => void;
}) {
  const [toBot, handToBot] = useMutation(HandConversationToBotDocument);
  const [toTeam, handToTeam] = useMutation(HandConversationToTeamDocument);
  const agent = handling.agentId ? agents.find((a) => a.id === handling.agentId) : undefined;
  const bot = handling.handler === 'BOT';

  async function onHandToBot() {
    const result = await handToBot({ organizationId, conversationId: handling.id, agentId: null });
    if (result.data) onChanged(result.data.handConversationToBot);
  }

  async function onTakeOver() {
    const result = await handToTeam({ organizationId, conversationId: handling.id });
    if (result.data) onChanged(result.data.handConversationToTeam);
  }

  return (
    <div className="handler-bar" data-testid="conversation-handler" data-handler={handling.handler} data-agent-id={handling.agentId ?? ''}>
      <span className={`badge ${bot ? 'badge-info' : 'badge-neutral'}`} data-testid="conversation-handler-label">
        {bot ? `Bot${agent ? ` · ${agent.name}` : ''}` : 'Team'}
      </span>
      {!bot && handling.handoffReason ? (
        <span className="small muted handler-reason" data-testid="conversation-handoff-reason">
          Handed over: {handling.handoffReason}
        </span>
      ) : null}
      {bot ? (
        <Button size="sm" busy={toTeam.fetching} onClick={() => void onTakeOver()} data-testid="conversation-take-over">
          Take over
        </Button>
      ) : agents.length > 0 || handling.agentId ? (
        <Button size="sm" busy={toBot.fetching} onClick={() => void onHandToBot()} data-testid="conversation-hand-to-bot">
          Hand to bot
        </Button>
      ) : null}
      <FormError error={toBot.error ?? toTeam.error} testId="conversation-handler-error" />
    </div>
  );
}
