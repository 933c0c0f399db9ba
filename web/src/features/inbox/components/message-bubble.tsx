import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';

import { FileIcon, ImageIcon, LinkIcon, MapPinIcon, ReplyIcon, SmileIcon, UserIcon } from '@/components/ui/icons';
import { DeliveryTicks } from '@/features/inbox/components/delivery-ticks';
import type { ThreadMessage } from '@/features/inbox/hooks/use-conversation-thread';
import { bubbleTime } from '@/features/inbox/utils/conversations';
import {
  describeMessage,
  messageContext,
  messageReferral,
  messageSummary,
  type MediaKind,
  type MessageBody,
  type MessageMedia,
  type ReactionMark,
} from '@/features/inbox/utils/message-content';
import { failureText } from '@/features/inbox/utils/ticks';
import { displayName } from '@/lib/format';

export const REACTION_CHOICES = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

const MEDIA_NAMES: Record<MediaKind, string> = { IMAGE: 'Photo', VIDEO: 'Video', AUDIO: 'Audio', DOCUMENT: 'Document', STICKER: 'Sticker' };

function MediaView({ body, media }: { body: Extract<MessageBody, { type: 'media' }>; media: MessageMedia | null | undefined }) {
  const label = body.media === 'AUDIO' && body.voice ? 'Voice message' : MEDIA_NAMES[body.media];
  // The link lasts ten minutes: once it fails, show the placeholder instead of a broken image.
  const [broken, setBroken] = useState<string | null>(null);
  const url = media?.url && media.url !== broken ? media.url : null;
  const onError = () => setBroken(media?.url ?? null);
  let preview: ReactNode = null;
  if (url) {
    if (body.media === 'IMAGE' || body.media === 'STICKER') {
      preview = (
        <a href={url} target="_blank" rel="noreferrer" className="message-image-link">
          <img className={`message-image message-${body.media.toLowerCase()}`} src={url} alt={body.caption ?? label} loading="lazy" onError={onError} />
        </a>
      );
    } else if (body.media === 'VIDEO') {
      preview = <video className="message-video" src={url} controls preload="metadata" onError={onError} />;
    } else if (body.media === 'AUDIO') {
      preview = <audio className="message-audio" src={url} controls preload="metadata" onError={onError} />;
    } else {
      preview = (
        <a className="message-document" href={url} download={body.fileName ?? undefined} target="_blank" rel="noreferrer">
          <FileIcon width={20} height={20} />
          <span>{body.fileName ?? label}</span>
        </a>
      );
    }
  } else {
    const status = media?.status.toUpperCase() ?? null;
    const state =
      status === 'FAILED' || media?.error
        ? `Could not download${media?.error ? `: ${media.error}` : ''}`
        : broken
          ? 'Cannot be shown here.'
          : status === 'PENDING' || media == null
            ? 'Downloading…'
            : null;
    preview = (
      <div className="message-media-placeholder">
        {body.media === 'DOCUMENT' ? <FileIcon width={22} height={22} /> : <ImageIcon width={22} height={22} />}
        <span>
          <strong>{body.fileName ?? label}</strong>
          {media?.size ? <span className="muted small"> · {formatBytes(media.size)}</span> : null}
          {body.mimeType ? <span className="muted small"> · {body.mimeType}</span> : null}
          {state ? <span className="muted small message-media-state">{state}</span> : null}
          {broken ? (
            <a className="small message-media-state" href={broken} target="_blank" rel="noreferrer" data-testid="message-media-open">
              Open the file
            </a>
          ) : null}
        </span>
      </div>
    );
  }
  return (
    <div className="message-media" data-testid="message-media" data-media={body.media} data-has-url={url ? 'true' : 'false'}>
      {preview}
      {body.caption ? <p className="message-text">{body.caption}</p> : null}
    </div>
  );
}

/** Under a bot's message: that it was the AI, and the passages it stood on (citation, excerpt on demand). */
function AiSources({ message }: { message: ThreadMessage }) {
  const turn = message.aiTurn;
  const sources = turn?.sources ?? [];
  return (
    <div className="ai-sources" data-testid="message-ai" data-outcome={turn?.outcome ?? ''}>
      <p className="ai-sources-title">
        AI answer{turn?.model ? ` · ${turn.model}` : ''}
        {sources.length > 0 ? ` · ${sources.length} source${sources.length === 1 ? '' : 's'}` : ''}
      </p>
      {sources.length > 0 ? (
        <ol className="ai-sources-list" data-testid="message-ai-sources">
          {sources.map((s) => (
            <li key={s.chunkId} data-testid="message-ai-source" data-source-id={s.sourceId}>
              <details>
                <summary data-testid="message-ai-source-citation">{s.citation}</summary>
                <p className="ai-source-text" data-testid="message-ai-source-text">
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
      ) : null}
    </div>
  );
}

/** Which campaign sent a template message that came into the thread from a campaign. */
function CampaignLink({ campaign }: { campaign: { id: string; name: string } }) {
  const { orgId } = useParams();
  return (
    <span className="message-template-kind" data-testid="message-campaign">
      Campaign{' '}
      {orgId ? <Link to={`/orgs/${orgId}/campaigns/${campaign.id}`}>{campaign.name}</Link> : campaign.name}
    </span>
  );
}

function BodyView({ message }: { message: ThreadMessage }) {
  const body = describeMessage(message);
  switch (body.type) {
    case 'text':
      return (
        <p className="message-text" data-testid="message-text">
          {body.text}
        </p>
      );
    case 'media':
      return <MediaView body={body} media={message.media} />;
    case 'location':
      return (
        <div className="message-location" data-testid="message-location">
          <MapPinIcon width={20} height={20} />
          <span>
            {body.name ? <strong>{body.name}</strong> : null}
            {body.address ? <span className="muted small">{body.address}</span> : null}
            <a href={body.mapUrl} target="_blank" rel="noreferrer" data-testid="message-location-link">
              Open in OpenStreetMap ({body.latitude.toFixed(5)}, {body.longitude.toFixed(5)})
            </a>
          </span>
        </div>
      );
    case 'contacts':
      return (
        <ul className="message-contacts">
          {body.contacts.map((contact, i) => (
            <li key={i} className="message-contact" data-testid="message-contact">
              <UserIcon width={18} height={18} />
              <span>
                <strong>{contact.name}</strong>
                {contact.phones.map((p) => (
                  <span key={p} className="small">
                    {p}
                  </span>
                ))}
                {contact.emails.map((e) => (
                  <span key={e} className="small muted">
                    {e}
                  </span>
                ))}
              </span>
            </li>
          ))}
        </ul>
      );
    case 'reply':
      return (
        <p className="message-button-reply" data-testid="message-button-reply" data-reply={body.reply}>
          <span className="message-button-reply-kind">
            {body.reply === 'list' ? 'List reply' : body.reply === 'flow' ? 'Form reply' : 'Button reply'}
          </span>
          <strong>{body.title}</strong>
          {body.description ? <span className="muted small">{body.description}</span> : null}
        </p>
      );
    case 'template':
      return (
        <div className="message-template" data-testid="message-template">
          {body.campaign ? <CampaignLink campaign={body.campaign} /> : <span className="message-template-kind">Template</span>}
          <strong>{body.name}</strong>
          {body.language ? <span className="muted small"> ({body.language})</span> : null}
          {body.parameters.length > 0 ? <p className="small">{body.parameters.join(' · ')}</p> : null}
          {message.text && !message.text.startsWith('[template') ? <p className="message-text">{message.text}</p> : null}
        </div>
      );
    case 'order':
      return (
        <p className="message-text" data-testid="message-order">
          🛒 {body.text ?? `Order with ${body.items} item${body.items === 1 ? '' : 's'}`}
        </p>
      );
    case 'reaction':
      return <p className="message-text">{body.emoji ? `Reacted ${body.emoji}` : 'Removed a reaction'}</p>;
    case 'system':
    case 'unsupported':
      return (
        <p className="message-text" data-testid="message-note">
          {body.text}
        </p>
      );
  }
}

/** One message of the thread: its content by kind, the quoted message, reactions, time and ticks. */
export function MessageBubble({
  message,
  quoted,
  quotedMissing,
  reactions,
  contactLabel,
  canReply,
  canReact,
  onReply,
  onReact,
  onRetry,
  onShowQuoted,
}: {
  message: ThreadMessage;
  /** The message this one replies to, when loaded. */
  quoted: ThreadMessage | null;
  /** It replies to a message that is not loaded (older, or never stored). */
  quotedMissing: boolean;
  reactions: readonly ReactionMark[];
  /** How the customer is called in quotes. */
  contactLabel: string;
  canReply: boolean;
  canReact: boolean;
  onReply: (message: ThreadMessage) => void;
  onReact: (message: ThreadMessage, emoji: string) => void;
  /** Sends a failed message again; offered on failed messages when given. */
  onRetry?: (message: ThreadMessage) => void;
  onShowQuoted: (messageId: string) => void;
}) {
  const [picking, setPicking] = useState(false);
  const outbound = message.direction === 'OUTBOUND';
  const context = messageContext(message);
  const referral = messageReferral(message);
  const system = message.kind === 'SYSTEM' || message.kind === 'UNSUPPORTED';
  const common = {
    'data-testid': 'message',
    'data-message-id': message.id,
    'data-direction': message.direction,
    'data-status': message.status,
    'data-kind': message.kind,
    'data-wamid': message.wamid ?? undefined,
    id: `message-${message.id}`,
  };

  if (system) {
    return (
      <div className="message-row message-row-system">
        <div className={`message message-system ${message.kind === 'UNSUPPORTED' ? 'message-unsupported' : ''}`} {...common}>
          <BodyView message={message} />
          <span className="message-time">{bubbleTime(message.sentAt)}</span>
        </div>
      </div>
    );
  }

  return (
    <div className={`message-row ${outbound ? 'message-row-out' : 'message-row-in'}`}>
      <div className={`message ${outbound ? 'message-out' : 'message-in'} ${message.status === 'FAILED' ? 'message-failed' : ''}`} {...common}>
        {context.forwarded ? <p className="message-forwarded">Forwarded</p> : null}
        {referral ? (
          <div className="message-referral" data-testid="message-referral">
            <span className="message-referral-kind">From an ad</span>
            {referral.headline ? <strong>{referral.headline}</strong> : null}
            {referral.body ? <span className="small">{referral.body}</span> : null}
            {referral.sourceUrl ? (
              <a href={referral.sourceUrl} target="_blank" rel="noreferrer" className="small">
                <LinkIcon width={12} height={12} /> {referral.sourceUrl}
              </a>
            ) : null}
          </div>
        ) : null}
        {quoted ? (
          <button type="button" className="message-quote" onClick={() => onShowQuoted(quoted.id)} data-testid="message-quote">
            <strong>{quoted.direction === 'OUTBOUND' ? 'You' : contactLabel}</strong>
            <span>{messageSummary(quoted)}</span>
          </button>
        ) : quotedMissing ? (
          <p className="message-quote message-quote-missing" data-testid="message-quote">
            Replying to an earlier message
          </p>
        ) : null}
        <BodyView message={message} />
        {message.agentId ? <AiSources message={message} /> : null}
        <div className="message-meta">
          {outbound && message.sentBy ? <span className="message-author">{displayName(message.sentBy)}</span> : null}
          <time dateTime={message.sentAt} className="message-time">
            {bubbleTime(message.sentAt)}
          </time>
          {outbound ? <DeliveryTicks status={message.status} error={message.error} /> : null}
        </div>
        {message.status === 'FAILED' ? (
          <p className="message-error" data-testid="message-error">
            {failureText(message.error)}
            {onRetry ? (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => onRetry(message)} data-testid="message-retry">
                  Retry
                </button>
              </>
            ) : null}
          </p>
        ) : null}
        {reactions.length > 0 ? (
          <div className="message-reactions" data-testid="message-reactions">
            {reactions.map((r) => (
              <span key={r.direction} title={r.direction === 'INBOUND' ? contactLabel : 'You'} data-direction={r.direction}>
                {r.emoji}
              </span>
            ))}
          </div>
        ) : null}
        {canReply || canReact ? (
          <div className="message-actions">
            {canReply ? (
              <button
                type="button"
                className="icon-button"
                title="Reply"
                aria-label="Reply"
                onClick={() => onReply(message)}
                data-testid="message-reply"
              >
                <ReplyIcon width={15} height={15} />
              </button>
            ) : null}
            {canReact ? (
              <button
                type="button"
                className="icon-button"
                title="React"
                aria-label="React"
                aria-expanded={picking}
                onClick={() => setPicking((v) => !v)}
                data-testid="message-react"
              >
                <SmileIcon width={15} height={15} />
              </button>
            ) : null}
            {picking ? (
              <span className="reaction-picker" role="group" aria-label="Reactions">
                {REACTION_CHOICES.map((emoji) => (
                  <button
                    key={emoji}
                    type="button"
                    className="reaction-choice"
                    onClick={() => {
                      setPicking(false);
                      onReact(message, emoji);
                    }}
                    data-testid="message-react-option"
                    data-emoji={emoji}
                  >
                    {emoji}
                  </button>
                ))}
              </span>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
