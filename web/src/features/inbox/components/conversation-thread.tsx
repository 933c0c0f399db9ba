import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { ErrorPanel, FormError, LoadingState } from '@/components/ui/feedback';
import { StatusBadge } from '@/components/ui/role-badge';
import { ReactToMessageDocument, RetryMessageDocument } from '@/features/inbox/api/inbox';
import { Composer } from '@/features/inbox/components/composer';
import { HandlerBar } from '@/features/inbox/components/handler-bar';
import { STATUS_LABELS } from '@/features/inbox/components/contact-panel';
import { MessageBubble } from '@/features/inbox/components/message-bubble';
import type { ConversationSummary } from '@/features/inbox/hooks/use-conversation-list';
import type { ConversationHandling, ThreadMessage } from '@/features/inbox/hooks/use-conversation-thread';
import type { InboxAgent } from '@/features/inbox/hooks/use-inbox-setup';
import { useNow } from '@/features/inbox/hooks/use-now';
import type { CannedResponse } from '@/features/inbox/utils/canned';
import { contactHandle, contactName } from '@/features/inbox/utils/conversations';
import { describeMessage, messageContext, reactionsByTarget } from '@/features/inbox/utils/message-content';
import { conversationWindow } from '@/features/inbox/utils/window';
import type { GraphqlErrorLike } from '@/lib/errors';

const STATUS_TONES = { OPEN: 'success', PENDING: 'warning', RESOLVED: 'neutral' } as const;

/** Close enough to the bottom that a new message should scroll into view. */
const STICK_TO_BOTTOM_PX = 120;

/** The open conversation: its messages, oldest at the top, and the composer. */
export function ConversationThread({
  organizationId,
  conversation,
  messages,
  hasOlder,
  loadingOlder,
  olderError,
  onLoadOlder,
  cannedResponses,
  onMessage,
  onToggleDetails,
  handling = null,
  agents = [],
  onHandling,
}: {
  organizationId: string;
  conversation: ConversationSummary;
  /** Who answers it; null while unknown. */
  handling?: ConversationHandling | null;
  agents?: readonly InboxAgent[];
  onHandling?: (conversation: ConversationSummary & ConversationHandling) => void;
  messages: readonly ThreadMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: GraphqlErrorLike | null;
  onLoadOlder: () => void;
  cannedResponses: readonly CannedResponse[];
  onMessage: (message: ThreadMessage) => void;
  /** Shows or hides the contact panel where it is a drawer (narrow inboxes). */
  onToggleDetails: () => void;
}) {
  const [replyTo, setReplyTo] = useState<ThreadMessage | null>(null);
  const [reaction, react] = useMutation(ReactToMessageDocument);
  const [retrying, retry] = useMutation(RetryMessageDocument);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const label = contactName(conversation.contact);
  const closesAt = conversation.windowOpenUntil ? new Date(conversation.windowOpenUntil) : null;
  const now = useNow({ at: closesAt });
  const windowOpen = conversationWindow(conversation, now).open;

  const byWamid = useMemo(() => {
    const map = new Map<string, ThreadMessage>();
    for (const m of messages) if (m.wamid) map.set(m.wamid, m);
    return map;
  }, [messages]);
  const reactions = useMemo(() => reactionsByTarget(messages), [messages]);

  // Reactions are shown on their message; one whose message is not loaded stays as a line.
  const shown = messages.filter((m) => {
    if (m.kind !== 'REACTION') return true;
    const body = describeMessage(m);
    return body.type === 'reaction' && (!body.targetWamid || !byWamid.has(body.targetWamid));
  });
  const newest = shown[shown.length - 1]?.id ?? null;

  // Follow new messages when the reader is at the bottom; a first load starts at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [newest]);
  useEffect(() => {
    atBottom.current = true;
  }, [conversation.id]);

  async function onReact(message: ThreadMessage, emoji: string) {
    const current = reactions.get(message.wamid ?? '')?.find((r) => r.direction === 'OUTBOUND');
    // Picking the same emoji again takes the reaction back.
    const result = await react({
      input: { organizationId, conversationId: conversation.id, messageId: message.id, emoji: current?.emoji === emoji ? '' : emoji },
    });
    if (result.data) onMessage(result.data.reactToMessage);
  }

  async function onRetry(message: ThreadMessage) {
    const result = await retry({ input: { organizationId, messageId: message.id } });
    if (result.data) onMessage(result.data.retryMessage);
  }

  function showMessage(id: string) {
    document.getElementById(`message-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }

  return (
    <section className="thread" aria-label={`Conversation with ${label}`} data-testid="thread" data-conversation-id={conversation.id}>
      <header className="thread-header" data-testid="thread-header">
        <div>
          <h2 className="thread-title">{label}</h2>
          <p className="muted small mono">{contactHandle(conversation.contact)}</p>
        </div>
        <div className="thread-header-actions">
          {handling && onHandling ? (
            <HandlerBar organizationId={organizationId} handling={handling} agents={agents} onChanged={onHandling} />
          ) : null}
          <StatusBadge tone={STATUS_TONES[conversation.status]}>{STATUS_LABELS[conversation.status]}</StatusBadge>
          <Button size="sm" className="contact-toggle" onClick={onToggleDetails} data-testid="contact-panel-toggle">
            Details
          </Button>
        </div>
      </header>
      <div
        className="thread-messages"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM_PX;
        }}
        data-testid="thread-messages"
      >
        {hasOlder ? (
          <div className="thread-older">
            <Button size="sm" variant="ghost" onClick={onLoadOlder} busy={loadingOlder} data-testid="thread-load-older">
              Load earlier messages
            </Button>
          </div>
        ) : null}
        <FormError error={olderError} testId="thread-load-older-error" />
        {shown.length === 0 ? (
          <p className="muted center small" data-testid="thread-no-messages">
            No messages yet.
          </p>
        ) : null}
        {shown.map((message) => {
          const { quotedWamid } = messageContext(message);
          const quoted = quotedWamid ? (byWamid.get(quotedWamid) ?? null) : null;
          const canReact = windowOpen && message.wamid != null && message.kind !== 'REACTION';
          return (
            <MessageBubble
              key={message.id}
              message={message}
              quoted={quoted}
              quotedMissing={quotedWamid != null && quoted == null}
              reactions={message.wamid ? (reactions.get(message.wamid) ?? []) : []}
              contactLabel={label}
              canReply={message.kind !== 'REACTION' && message.status !== 'FAILED'}
              canReact={canReact}
              onReply={setReplyTo}
              onReact={(m, emoji) => void onReact(m, emoji)}
              onRetry={message.direction === 'OUTBOUND' && !retrying.fetching ? (m) => void onRetry(m) : undefined}
              onShowQuoted={showMessage}
            />
          );
        })}
      </div>
      <FormError error={reaction.error} testId="reaction-error" />
      <FormError error={retrying.error} testId="retry-error" />
      <Composer
        key={conversation.id}
        organizationId={organizationId}
        conversation={conversation}
        cannedResponses={cannedResponses}
        replyTo={replyTo}
        contactLabel={label}
        onCancelReply={() => setReplyTo(null)}
        onSent={(message) => {
          atBottom.current = true;
          onMessage(message);
        }}
      />
    </section>
  );
}

/** The middle column before a conversation is picked, while it loads, or when it failed. */
export function ThreadPlaceholder({ loading, error, onRetry }: { loading: boolean; error: GraphqlErrorLike | null; onRetry: () => void }) {
  return (
    <section className="thread thread-placeholder" data-testid="thread-empty">
      {error ? (
        <ErrorPanel error={error} onRetry={onRetry} />
      ) : loading ? (
        <LoadingState label="Loading conversation…" />
      ) : (
        <p className="muted center">Pick a conversation to read and answer it.</p>
      )}
    </section>
  );
}
