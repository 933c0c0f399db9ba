import type { AgentTurnInput } from '@/gql/graphql';

export interface PlaygroundExchange<R extends { text?: string | null } = { text?: string | null }> {
  id: number;
  question: string;
  reply: R;
}

/** What `testAgent` gets as `history`: every earlier question and answer, oldest first. */
export function historyOf(exchanges: readonly PlaygroundExchange[]): AgentTurnInput[] {
  return exchanges.flatMap((e) => {
    const turns: AgentTurnInput[] = [{ speaker: 'CUSTOMER', text: e.question }];
    if (e.reply.text) turns.push({ speaker: 'BOT', text: e.reply.text });
    return turns;
  });
}
