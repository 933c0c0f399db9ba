import type { SandboxBusinessMessage, SandboxCustomerMessage } from '@/features/customer-phone/api/sandbox';

/** One bubble of the customer's phone. */
export interface ChatItem {
  /** The wamid. */
  id: string;
  from: 'business' | 'customer';
  /** Unix seconds. */
  at: number;
  kind: string;
  text: string;
  /** Delivery status of a business message. */
  status: string | null;
  /** The wamid this message replies to. */
  quotedId: string | null;
  /** Buttons the business offered (interactive messages); tapping one replies. */
  buttons: { id: string; title: string }[];
  reactions: { emoji: string; from: 'business' | 'customer' }[];
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function seconds(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

const MEDIA_ICONS: Record<string, string> = {
  image: '📷 Photo',
  video: '🎬 Video',
  audio: '🎵 Audio',
  document: '📄 Document',
  sticker: '🏷️ Sticker',
};

/** The text of a Graph send request (what the business sent). */
export function businessText(request: unknown): { kind: string; text: string; buttons: ChatItem['buttons'] } {
  const r = obj(request);
  const kind = str(r.type) ?? 'text';
  const part = obj(r[kind]);
  switch (kind) {
    case 'text':
      return { kind, text: str(part.body) ?? '', buttons: [] };
    case 'template': {
      const name = str(part.name) ?? 'template';
      const params = (Array.isArray(part.components) ? part.components : [])
        .flatMap((c) => (Array.isArray(obj(c).parameters) ? (obj(c).parameters as unknown[]) : []))
        .map((p) => str(obj(p).text))
        .filter((t): t is string => t != null);
      return { kind, text: `Template “${name}”${params.length ? `: ${params.join(' · ')}` : ''}`, buttons: [] };
    }
    case 'interactive': {
      const body = str(obj(part.body).text) ?? '';
      const buttons = (Array.isArray(obj(part.action).buttons) ? (obj(part.action).buttons as unknown[]) : [])
        .map((b) => obj(obj(b).reply))
        .map((reply) => ({ id: str(reply.id) ?? '', title: str(reply.title) ?? '' }))
        .filter((b) => b.id && b.title);
      return { kind, text: body, buttons };
    }
    case 'location':
      return { kind, text: `📍 ${str(part.name) ?? str(part.address) ?? `${String(part.latitude)}, ${String(part.longitude)}`}`, buttons: [] };
    case 'reaction':
      return { kind, text: str(part.emoji) ?? '', buttons: [] };
    default: {
      const media = MEDIA_ICONS[kind];
      if (media) return { kind, text: [media, str(part.caption)].filter(Boolean).join(' — '), buttons: [] };
      return { kind, text: `(${kind} message)`, buttons: [] };
    }
  }
}

/** The text of a webhook message object (what the customer sent). */
export function customerText(message: Json): { kind: string; text: string } {
  const kind = str(message.type) ?? 'text';
  const part = obj(message[kind]);
  switch (kind) {
    case 'text':
      return { kind, text: str(part.body) ?? '' };
    case 'location':
      return { kind, text: `📍 ${str(part.name) ?? str(part.address) ?? `${String(part.latitude)}, ${String(part.longitude)}`}` };
    case 'contacts': {
      const list = Array.isArray(message.contacts) ? message.contacts : [];
      const names = list.map((c) => str(obj(obj(c).name).formatted_name)).filter(Boolean);
      return { kind, text: `👤 ${names.join(', ') || 'Contact'}` };
    }
    case 'interactive': {
      const reply = obj(part[str(part.type) ?? 'button_reply']);
      return { kind, text: `↩︎ ${str(reply.title) ?? 'Reply'}` };
    }
    case 'button':
      return { kind, text: `↩︎ ${str(part.text) ?? 'Button'}` };
    case 'reaction':
      return { kind, text: str(part.emoji) ?? '' };
    default: {
      const media = MEDIA_ICONS[kind];
      if (media) return { kind, text: [media, str(part.caption)].filter(Boolean).join(' — ') };
      return { kind, text: `(${kind} message)` };
    }
  }
}

/**
 * Both sides of the chat in time order. Reactions are put on the message they react to (the
 * latest per side; an empty emoji removes it) instead of showing as bubbles.
 */
export function buildChat(
  business: readonly SandboxBusinessMessage[],
  customer: readonly SandboxCustomerMessage[],
): ChatItem[] {
  const items: ChatItem[] = [];
  const reactions: { target: string; emoji: string | null; from: ChatItem['from'] }[] = [];
  for (const m of customer) {
    const message = m.message;
    const { kind, text } = customerText(message);
    if (kind === 'reaction') {
      const part = obj(message.reaction);
      const target = str(part.message_id);
      if (target) reactions.push({ target, emoji: str(part.emoji), from: 'customer' });
      continue;
    }
    items.push({
      id: m.id,
      from: 'customer',
      at: seconds(message.timestamp),
      kind,
      text,
      status: null,
      quotedId: str(obj(message.context).id),
      buttons: [],
      reactions: [],
    });
  }
  for (const m of business) {
    const { kind, text, buttons } = businessText(m.request);
    if (kind === 'reaction') {
      const part = obj(obj(m.request).reaction);
      const target = str(part.message_id);
      if (target) reactions.push({ target, emoji: str(part.emoji), from: 'business' });
      continue;
    }
    items.push({
      id: m.id,
      from: 'business',
      at: seconds(m.timestamp),
      kind,
      text,
      status: str(m.status),
      quotedId: str(obj(obj(m.request).context).message_id),
      buttons,
      reactions: [],
    });
  }
  // Stable sort: same-second messages keep customer-then-business order.
  items.sort((a, b) => a.at - b.at);
  const byId = new Map(items.map((i) => [i.id, i]));
  const latest = new Map<string, Map<ChatItem['from'], string | null>>();
  for (const r of reactions) {
    const sides = latest.get(r.target) ?? new Map<ChatItem['from'], string | null>();
    sides.set(r.from, r.emoji);
    latest.set(r.target, sides);
  }
  for (const [target, sides] of latest) {
    const item = byId.get(target);
    if (!item) continue;
    for (const [from, emoji] of sides) if (emoji) item.reactions.push({ emoji, from });
  }
  return items;
}

/** The last thing the business sent, for "react to the last business message". */
export function lastBusinessMessage(chat: readonly ChatItem[]): ChatItem | null {
  for (let i = chat.length - 1; i >= 0; i--) {
    const item = chat[i];
    if (item?.from === 'business') return item;
  }
  return null;
}

/** A customer number as the sandbox wants it: digits only, 5 to 15 of them. */
export function parseCustomerNumber(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const digits = input.replace(/\D/g, '');
  if (digits.length < 5 || digits.length > 15) return { ok: false, message: 'A phone number has 5 to 15 digits.' };
  return { ok: true, value: digits };
}
