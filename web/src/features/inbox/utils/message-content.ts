/**
 * Reads a message's `content` JSON into what a bubble shows. Inbound content is
 * `{"type": kind, "data": {...}}` plus optional `context` and `referral`; outbound content is
 * what was queued (`{body}`, `{name, language, body_parameters}`, `{message_id, emoji, wamid}`).
 * Anything unexpected falls back to the message's `text`, never to an empty bubble.
 */

import type { MessageDirection, MessageKind } from '@/gql/graphql';

/** The kinds whose message is a file. */
export type MediaKind = Extract<MessageKind, 'IMAGE' | 'VIDEO' | 'AUDIO' | 'DOCUMENT' | 'STICKER'>;

/** The downloaded media of a message (a short-lived signed URL), when the server has it. */
export interface MessageMedia {
  url?: string | null;
  mimeType?: string | null;
  fileName?: string | null;
  size?: number | null;
  /** PENDING (being downloaded), STORED or FAILED. */
  status: string;
  error?: string | null;
}

export interface MessageLike {
  kind: MessageKind;
  text?: string | null;
  content: unknown;
  direction: MessageDirection;
  replyToWamid?: string | null;
  media?: MessageMedia | null;
}

export interface SharedContactCard {
  name: string;
  phones: string[];
  emails: string[];
}

export type MessageBody =
  | { type: 'text'; text: string }
  | {
      type: 'media';
      media: MediaKind;
      caption: string | null;
      fileName: string | null;
      mimeType: string | null;
      voice: boolean;
    }
  | { type: 'location'; latitude: number; longitude: number; name: string | null; address: string | null; mapUrl: string }
  | { type: 'contacts'; contacts: SharedContactCard[] }
  | { type: 'reply'; reply: 'button' | 'list' | 'flow'; title: string; description: string | null }
  | { type: 'reaction'; targetWamid: string | null; emoji: string | null }
  | { type: 'template'; name: string; language: string | null; parameters: string[]; campaign: { id: string; name: string } | null }
  | { type: 'order'; items: number; text: string | null }
  | { type: 'system'; text: string }
  | { type: 'unsupported'; text: string };

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The kind-specific part of the content: `data` for inbound, the whole object for outbound. */
export function contentData(message: Pick<MessageLike, 'content' | 'direction'>): unknown {
  const content = asObject(message.content);
  if (!content) return message.content;
  if (message.direction === 'INBOUND' && 'data' in content && typeof content.type === 'string') return content.data;
  return content;
}

export function openStreetMapUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6).replace(/\.?0+$/, '');
  const lon = longitude.toFixed(6).replace(/\.?0+$/, '');
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

const MEDIA_KINDS: readonly MessageKind[] = ['IMAGE', 'VIDEO', 'AUDIO', 'DOCUMENT', 'STICKER'] satisfies MediaKind[];

function isMedia(kind: MessageKind): kind is MediaKind {
  return MEDIA_KINDS.includes(kind);
}

function contactCard(value: unknown): SharedContactCard | null {
  const card = asObject(value);
  if (!card) return null;
  const name = asObject(card.name);
  const formatted =
    str(name?.formatted_name) ?? ([str(name?.first_name), str(name?.last_name)].filter(Boolean).join(' ') || null);
  const list = (items: unknown, key: string) =>
    Array.isArray(items) ? items.map((i) => str(asObject(i)?.[key])).filter((v): v is string => v != null) : [];
  const phones = list(card.phones, 'phone');
  const emails = list(card.emails, 'email');
  if (!formatted && phones.length === 0 && emails.length === 0) return null;
  return { name: formatted ?? phones[0] ?? emails[0] ?? 'Contact', phones, emails };
}

/** What the bubble of `message` shows. */
export function describeMessage(message: MessageLike): MessageBody {
  const data = contentData(message);
  const obj = asObject(data);
  const fallback = str(message.text);

  if (isMedia(message.kind)) {
    // Stickers, audio and documents wrap the media reference in `media`.
    const ref = asObject(obj?.media) ?? obj;
    return {
      type: 'media',
      media: message.kind,
      caption: str(ref?.caption) ?? (message.kind === 'IMAGE' || message.kind === 'VIDEO' ? fallback : null),
      fileName: message.media?.fileName ?? str(obj?.filename) ?? str(ref?.filename),
      mimeType: message.media?.mimeType ?? str(ref?.mime_type),
      voice: obj?.voice === true,
    };
  }

  switch (message.kind) {
    case 'TEXT':
      return { type: 'text', text: str(obj?.body) ?? fallback ?? '' };
    case 'LOCATION': {
      const latitude = num(obj?.latitude);
      const longitude = num(obj?.longitude);
      if (latitude == null || longitude == null) return { type: 'unsupported', text: fallback ?? 'Location' };
      return {
        type: 'location',
        latitude,
        longitude,
        name: str(obj?.name),
        address: str(obj?.address),
        mapUrl: openStreetMapUrl(latitude, longitude),
      };
    }
    case 'CONTACTS': {
      const list = Array.isArray(data) ? data : Array.isArray(obj?.contacts) ? (obj.contacts as unknown[]) : [];
      const contacts = list.map(contactCard).filter((c): c is SharedContactCard => c != null);
      if (contacts.length === 0) return { type: 'unsupported', text: fallback ?? 'Shared contact' };
      return { type: 'contacts', contacts };
    }
    case 'INTERACTIVE': {
      const kind = str(obj?.type);
      // Either flat ({type, id, title}) or as Meta nests it ({type, button_reply: {id, title}}).
      const inner = (kind ? asObject(obj?.[kind]) : null) ?? obj;
      const reply = kind === 'list_reply' ? 'list' : kind === 'nfm_reply' ? 'flow' : 'button';
      const title = str(inner?.title) ?? str(inner?.body) ?? fallback ?? (reply === 'flow' ? 'Form reply' : 'Reply');
      return { type: 'reply', reply, title, description: str(inner?.description) };
    }
    case 'BUTTON':
      return { type: 'reply', reply: 'button', title: str(obj?.text) ?? fallback ?? 'Button', description: null };
    case 'REACTION': {
      // Inbound reactions name the target by wamid; outbound ones carry it in `wamid`.
      const target = message.direction === 'OUTBOUND' ? (str(obj?.wamid) ?? null) : str(obj?.message_id);
      return { type: 'reaction', targetWamid: target, emoji: str(obj?.emoji) };
    }
    case 'TEMPLATE': {
      const name = str(obj?.name) ?? fallback ?? 'template';
      const parameters = Array.isArray(obj?.body_parameters)
        ? obj.body_parameters.filter((p): p is string => typeof p === 'string')
        : [];
      // A campaign's message, brought into the thread when the customer wrote.
      const campaign = asObject(obj?.campaign);
      const campaignId = str(campaign?.id);
      return {
        type: 'template',
        name,
        language: str(obj?.language),
        parameters,
        campaign: campaignId ? { id: campaignId, name: str(campaign?.name) ?? 'Campaign' } : null,
      };
    }
    case 'ORDER': {
      const items = Array.isArray(obj?.product_items) ? obj.product_items.length : 0;
      return { type: 'order', items, text: str(obj?.text) };
    }
    case 'SYSTEM':
      return { type: 'system', text: str(obj?.body) ?? fallback ?? 'System message' };
    default:
      return { type: 'unsupported', text: fallback ?? 'This message type is not supported yet.' };
  }
}

/** The message this one quotes (a reply), and whether WhatsApp marked it forwarded. */
export function messageContext(message: MessageLike): { quotedWamid: string | null; forwarded: boolean } {
  const context = asObject(asObject(message.content)?.context);
  const quoted = str(message.replyToWamid) ?? str(context?.id) ?? str(context?.message_id);
  const forwarded = context?.forwarded === true || context?.frequently_forwarded === true;
  return { quotedWamid: quoted, forwarded };
}

export interface Referral {
  headline: string | null;
  body: string | null;
  sourceUrl: string | null;
}

/** Set when the customer came from a click-to-WhatsApp ad or a post. */
export function messageReferral(message: Pick<MessageLike, 'content'>): Referral | null {
  const referral = asObject(asObject(message.content)?.referral);
  if (!referral) return null;
  const result = { headline: str(referral.headline), body: str(referral.body), sourceUrl: str(referral.source_url) };
  return result.headline || result.body || result.sourceUrl ? result : null;
}

const MEDIA_LABELS: Record<MediaKind, string> = {
  IMAGE: 'Photo',
  VIDEO: 'Video',
  AUDIO: 'Audio',
  DOCUMENT: 'Document',
  STICKER: 'Sticker',
};

/** One line about a message, for a quoted reply or a list preview. */
export function messageSummary(message: MessageLike): string {
  const body = describeMessage(message);
  switch (body.type) {
    case 'text':
      return body.text;
    case 'media':
      if (body.media === 'AUDIO' && body.voice) return 'Voice message';
      return body.caption ?? body.fileName ?? MEDIA_LABELS[body.media];
    case 'location':
      return body.name ?? body.address ?? 'Location';
    case 'contacts':
      return body.contacts.length === 1 ? `Contact: ${body.contacts[0]?.name ?? ''}` : `${body.contacts.length} contacts`;
    case 'reply':
      return body.title;
    case 'reaction':
      return body.emoji ? `Reacted ${body.emoji}` : 'Removed a reaction';
    case 'template':
      return `Template ${body.name}`;
    case 'order':
      return body.text ?? `Order (${body.items} item${body.items === 1 ? '' : 's'})`;
    case 'system':
    case 'unsupported':
      return body.text;
  }
}

export interface ReactionMark {
  emoji: string;
  /** Who reacted: the customer (INBOUND) or the business (OUTBOUND). */
  direction: MessageDirection;
}

/**
 * The reactions currently on each message (by wamid), from the reaction messages in
 * chronological order: each side keeps its latest; an empty emoji removes it.
 */
export function reactionsByTarget(messages: readonly (MessageLike & { id: string })[]): Map<string, ReactionMark[]> {
  const latest = new Map<string, Map<MessageDirection, string | null>>();
  for (const message of messages) {
    if (message.kind !== 'REACTION') continue;
    const body = describeMessage(message);
    if (body.type !== 'reaction' || !body.targetWamid) continue;
    const sides = latest.get(body.targetWamid) ?? new Map<MessageDirection, string | null>();
    sides.set(message.direction, body.emoji);
    latest.set(body.targetWamid, sides);
  }
  const result = new Map<string, ReactionMark[]>();
  for (const [wamid, sides] of latest) {
    const marks: ReactionMark[] = [];
    for (const [direction, emoji] of sides) if (emoji) marks.push({ emoji, direction });
    if (marks.length > 0) result.set(wamid, marks);
  }
  return result;
}
