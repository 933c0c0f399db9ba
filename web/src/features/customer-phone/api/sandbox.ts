import { sandboxRequest } from '@/lib/sandbox';

/** A message the business sent, as the sandbox recorded Meta's send request. */
export interface SandboxBusinessMessage {
  /** The wamid WAgent got back. */
  id: string;
  phone_number_id: string;
  to: string;
  type: string;
  /** sent, delivered, read, failed… as the sandbox delivered it. */
  status: string;
  /** The Graph API request body WAgent sent. */
  request: unknown;
  /** Unix seconds, as a string or number. */
  timestamp: string | number;
}

/** A message a simulated customer wrote: the webhook's message object. */
export interface SandboxCustomerMessage {
  id: string;
  phone_number_id: string;
  from: string;
  message: Record<string, unknown> & { type?: string; timestamp?: string };
}

interface ListResponse<T> {
  data?: T[];
}

function listOf<T>(payload: ListResponse<T> | T[] | null): T[] {
  if (Array.isArray(payload)) return payload;
  return Array.isArray(payload?.data) ? payload.data : [];
}

export interface Conversation {
  token: string | null;
  /** The organization the business number belongs to. */
  organizationId: string;
  /** Meta's id of the business number. */
  phoneNumberId: string;
  /** The customer's number, digits only. */
  customer: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** `GET …/messages?phone_number_id=&to=`: what the business sent this customer, oldest first. */
export async function listBusinessMessages(c: Conversation): Promise<SandboxBusinessMessage[]> {
  const payload = await sandboxRequest<ListResponse<SandboxBusinessMessage> | SandboxBusinessMessage[] | null>('messages', {
    organizationId: c.organizationId,
    query: { phone_number_id: c.phoneNumberId, to: c.customer },
    token: c.token,
    signal: c.signal,
    fetch: c.fetch,
  });
  return listOf(payload);
}

/** `GET …/customers/messages?phone_number_id=&from=`: what this customer wrote, oldest first. */
export async function listCustomerMessages(c: Conversation): Promise<SandboxCustomerMessage[]> {
  const payload = await sandboxRequest<ListResponse<SandboxCustomerMessage> | SandboxCustomerMessage[] | null>(
    'customers/messages',
    {
      organizationId: c.organizationId,
      query: { phone_number_id: c.phoneNumberId, from: c.customer },
      token: c.token,
      signal: c.signal,
      fetch: c.fetch,
    },
  );
  return listOf(payload);
}

/** What a simulated customer can send (the sandbox fills in placeholders, e.g. for media). */
export type CustomerMessageContent =
  | { type: 'text'; text: { body: string } }
  | { type: 'image'; image: { caption?: string } }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string; address?: string } }
  | { type: 'contacts'; contacts: unknown[] }
  | { type: 'interactive'; interactive: { type: 'button_reply'; button_reply: { id: string; title: string } } }
  | { type: 'button'; button: { text: string; payload: string } }
  | { type: 'reaction'; reaction: { message_id: string; emoji: string } };

export interface CustomerMessageRequest {
  organizationId: string;
  phoneNumberId: string;
  from: string;
  name?: string;
  content: CustomerMessageContent;
  /** Reply to this message (a wamid). */
  replyTo?: string | null;
}

/** `POST …/customers/messages`: the customer writes in; the sandbox sends the webhook. */
export async function sendCustomerMessage(
  token: string | null,
  request: CustomerMessageRequest,
  fetchImpl?: typeof fetch,
): Promise<{ wamid: string | null }> {
  const body: Record<string, unknown> = {
    phone_number_id: request.phoneNumberId,
    from: request.from,
    ...request.content,
  };
  if (request.name?.trim()) body.name = request.name.trim();
  if (request.replyTo) body.context = { id: request.replyTo };
  const reply = await sandboxRequest<{ id?: unknown; wamid?: unknown } | null>('customers/messages', {
    organizationId: request.organizationId,
    method: 'POST',
    body,
    token,
    fetch: fetchImpl,
  });
  const wamid = typeof reply?.wamid === 'string' ? reply.wamid : typeof reply?.id === 'string' ? reply.id : null;
  return { wamid };
}
