import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { SendIcon } from '@/components/ui/icons';
import { Card } from '@/components/ui/layout';
import { StatusBadge } from '@/components/ui/role-badge';
import { TestAgentDocument } from '@/features/agents/api/agents';
import { OUTCOME_LABELS, OUTCOME_TONES } from '@/features/agents/utils/labels';
import { historyOf, type PlaygroundExchange } from '@/features/agents/utils/playground';
import type { TestAgentMutation } from '@/gql/graphql';

type Reply = TestAgentMutation['testAgent'];

type Exchange = PlaygroundExchange<Reply>;

function ReplyView({ reply }: { reply: Reply }) {
  return (
    <div className="playground-reply" data-testid="playground-reply" data-outcome={reply.outcome} data-handoff={reply.handoff}>
      <div className="playground-reply-head">
        <StatusBadge tone={OUTCOME_TONES[reply.outcome]}>{OUTCOME_LABELS[reply.outcome]}</StatusBadge>
        <span className="small muted">
          {reply.model ?? 'no model'} · {reply.latencyMs} ms
        </span>
      </div>
      {reply.text ? (
        <p className="playground-text" data-testid="playground-reply-text">
          {reply.text}
        </p>
      ) : (
        <p className="muted small">No answer of its own.</p>
      )}
      {reply.handoff ? (
        <p className="playground-handoff" role="status" data-testid="playground-handoff">
          Hands the conversation to the team{reply.handoffReason ? `: ${reply.handoffReason}` : ''}.
        </p>
      ) : null}
      {reply.error ? (
        <p className="small muted" data-testid="playground-error">
          The provider failed ({reply.error}); this is the offline answer.
        </p>
      ) : null}
      {reply.sources.length > 0 ? (
        <div className="ai-sources" data-testid="playground-sources">
          <p className="ai-sources-title">Sources</p>
          <ol className="ai-sources-list">
            {reply.sources.map((s) => (
              <li key={s.chunkId} data-testid="playground-source" data-source-id={s.sourceId} data-grounded={s.grounded}>
                <details>
                  <summary data-testid="playground-source-citation">{s.citation}</summary>
                  <p className="ai-source-text" data-testid="playground-source-text">
                    {s.text}
                  </p>
                  {s.url ? (
                    <a className="small" href={s.url} target="_blank" rel="noreferrer">
                      {s.url}
                    </a>
                  ) : null}
                </details>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </div>
  );
}

/** Ask the agent as a customer would: nothing is sent to anyone; each turn is logged. */
export function Playground({
  organizationId,
  agentId,
  onTurn,
}: {
  organizationId: string;
  /** Null: all the knowledge with the default settings (a new agent, not saved yet). */
  agentId: string | null;
  onTurn: () => void;
}) {
  const [exchanges, setExchanges] = useState<Exchange[]>([]);
  const [message, setMessage] = useState('');
  const [{ fetching, error }, test] = useMutation(TestAgentDocument);
  const [pending, setPending] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const question = message.trim();
    if (!question || fetching) return;
    setPending(question);
    setMessage('');
    const result = await test({ organizationId, agentId, message: question, history: historyOf(exchanges) });
    setPending(null);
    if (!result.data) {
      setMessage(question);
      return;
    }
    const reply = result.data.testAgent;
    setExchanges((list) => [...list, { id: list.length + 1, question, reply }]);
    onTurn();
  }

  return (
    <Card
      title="Playground"
      description={
        agentId
          ? 'Ask as a customer would. Nothing is sent; the saved settings answer.'
          : 'Answers from all the knowledge with the default settings until the agent is saved.'
      }
      actions={
        exchanges.length > 0 ? (
          <Button size="sm" variant="ghost" onClick={() => setExchanges([])} data-testid="playground-reset">
            Start over
          </Button>
        ) : null
      }
      testId="playground"
      className="playground"
    >
      <div className="playground-chat" aria-live="polite" data-testid="playground-chat">
        {exchanges.length === 0 && !pending ? <p className="muted small">No questions yet.</p> : null}
        {exchanges.map((e) => (
          <div key={e.id} className="playground-exchange" data-testid="playground-exchange">
            <p className="playground-question" data-testid="playground-question">
              {e.question}
            </p>
            <ReplyView reply={e.reply} />
          </div>
        ))}
        {pending ? (
          <div className="playground-exchange">
            <p className="playground-question">{pending}</p>
            <p className="muted small" role="status">
              Thinking…
            </p>
          </div>
        ) : null}
      </div>
      <form className="playground-form" onSubmit={(e) => void onSubmit(e)} data-testid="playground-form">
        <label className="visually-hidden" htmlFor="playground-input">
          Message to the agent
        </label>
        <input
          id="playground-input"
          className="input"
          value={message}
          placeholder="Ask something a customer would"
          onChange={(e) => setMessage(e.target.value)}
          data-testid="playground-input"
        />
        <Button type="submit" variant="primary" busy={fetching} disabled={!message.trim()} icon={<SendIcon width={16} height={16} />} data-testid="playground-send">
          Ask
        </Button>
      </form>
      <FormError error={error} testId="playground-form-error" />
    </Card>
  );
}
