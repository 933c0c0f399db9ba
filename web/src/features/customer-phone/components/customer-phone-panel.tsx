import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useMatch } from 'react-router';
import { useQuery } from 'urql';

import { ImageIcon, MapPinIcon, MoreIcon, ReplyIcon, SendIcon, SmileIcon, UserIcon, XIcon } from '@/components/ui/icons';
import { useRuntimeConfig } from '@/config/runtime-config-context';
import { CustomerPhoneNumbersDocument } from '@/features/customer-phone/api/numbers';
import { sendCustomerMessage, type CustomerMessageContent } from '@/features/customer-phone/api/sandbox';
import { useCustomerPhone } from '@/features/customer-phone/hooks/customer-phone-context';
import { useSandboxChat } from '@/features/customer-phone/hooks/use-sandbox-chat';
import { lastBusinessMessage, parseCustomerNumber, type ChatItem } from '@/features/customer-phone/utils/chat';
import { useAuth } from '@/lib/auth-context';

/** What the "more" menu sends: believable samples, so a demo needs no typing. */
const SAMPLE_LOCATION = { latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower', address: 'Champ de Mars, 75007 Paris' };
const SAMPLE_CONTACT = {
  name: { formatted_name: 'Ana Souza', first_name: 'Ana', last_name: 'Souza' },
  phones: [{ phone: '+55 11 91234-5678', wa_id: '5511912345678', type: 'CELL' }],
};

function clockTime(seconds: number): string {
  if (!seconds) return '';
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(new Date(seconds * 1000));
}

function Bubble({
  item,
  quoted,
  onReply,
  onButton,
  disabled,
}: {
  item: ChatItem;
  quoted: ChatItem | null;
  onReply: (item: ChatItem) => void;
  onButton: (button: { id: string; title: string }) => void;
  disabled: boolean;
}) {
  const mine = item.from === 'customer';
  return (
    <div className={mine ? 'phone-row phone-row-out' : 'phone-row phone-row-in'}>
      <div
        className={mine ? 'phone-bubble phone-bubble-out' : 'phone-bubble phone-bubble-in'}
        data-testid="customer-phone-message"
        data-from={item.from}
        data-kind={item.kind}
        data-wamid={item.id}
        data-status={item.status ?? undefined}
      >
        {quoted ? (
          <p className="phone-quote">
            <strong>{quoted.from === 'customer' ? 'You' : 'Business'}</strong> {quoted.text}
          </p>
        ) : null}
        <p className="phone-text" data-testid="customer-phone-message-text">
          {item.text}
        </p>
        {item.buttons.length > 0 ? (
          <div className="phone-buttons">
            {item.buttons.map((b) => (
              <button
                key={b.id}
                type="button"
                className="phone-button"
                disabled={disabled}
                onClick={() => onButton(b)}
                data-testid="customer-phone-button"
              >
                {b.title}
              </button>
            ))}
          </div>
        ) : null}
        <span className="phone-meta">
          {clockTime(item.at)}
          {item.status ? ` · ${item.status}` : ''}
        </span>
        {item.reactions.length > 0 ? (
          <span className="phone-reactions">
            {item.reactions.map((r) => (
              <span key={r.from}>{r.emoji}</span>
            ))}
          </span>
        ) : null}
        {!mine ? (
          <button
            type="button"
            className="phone-reply"
            aria-label="Reply to this message"
            title="Reply"
            onClick={() => onReply(item)}
            data-testid="customer-phone-reply"
          >
            <ReplyIcon width={13} height={13} />
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** The phone itself, for one organization with at least one number. */
function Phone({ orgId }: { orgId: string }) {
  const { getAccessToken } = useAuth();
  const { settings, setSettings } = useCustomerPhone();
  const [numbers] = useQuery({ query: CustomerPhoneNumbersDocument, variables: { id: orgId } });
  const list = numbers.data?.organization.phoneNumbers.filter((n) => !n.disconnectedAt) ?? null;
  const business = list?.find((n) => n.phoneNumberId === settings.phoneNumberId) ?? list?.[0] ?? null;
  const parsedNumber = parseCustomerNumber(settings.customerNumber);
  const customer = parsedNumber.ok ? parsedNumber.value : null;
  const chat = useSandboxChat(orgId, business?.phoneNumberId ?? null, customer, true);
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<ChatItem | null>(null);
  const [menu, setMenu] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const count = chat.chat?.length ?? 0;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);

  useEffect(() => {
    if (!menu) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setMenu(false);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menu]);

  if (!list) {
    return <p className="phone-note">{numbers.error ? 'The organization’s numbers could not be loaded.' : 'Loading…'}</p>;
  }
  if (!business) {
    return (
      <p className="phone-note" data-testid="customer-phone-no-number">
        Connect a sandbox number first, on the <Link to={`/orgs/${encodeURIComponent(orgId)}/whatsapp`}>WhatsApp</Link>{' '}
        page.
      </p>
    );
  }
  const businessId = business.phoneNumberId;

  async function send(content: CustomerMessageContent, options: { clearText?: boolean; replyTo?: string | null } = {}) {
    if (!customer) {
      setError(parsedNumber.ok ? null : parsedNumber.message);
      return;
    }
    setSending(true);
    setError(null);
    setMenu(false);
    try {
      await sendCustomerMessage(getAccessToken(), {
        organizationId: orgId,
        phoneNumberId: businessId,
        from: customer,
        name: settings.customerName,
        content,
        replyTo: options.replyTo === undefined ? (replyTo?.id ?? null) : options.replyTo,
      });
      if (options.clearText) setText('');
      setReplyTo(null);
      chat.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  }

  function onSubmit(event?: FormEvent) {
    event?.preventDefault();
    const body = text.trim();
    if (!body || sending) return;
    void send({ type: 'text', text: { body } }, { clearText: true });
  }

  const last = chat.chat ? lastBusinessMessage(chat.chat) : null;
  const byId = new Map((chat.chat ?? []).map((i) => [i.id, i]));

  return (
    <>
      <div className="phone-settings">
        <label className="phone-field">
          <span>Writes to</span>
          <select
            className="select select-sm"
            value={businessId}
            onChange={(e) => setSettings({ phoneNumberId: e.target.value })}
            data-testid="customer-phone-business"
          >
            {list.map((n) => (
              <option key={n.id} value={n.phoneNumberId}>
                {n.displayPhoneNumber ?? n.phoneNumberId}
                {n.verifiedName ? ` · ${n.verifiedName}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="phone-field">
          <span>Customer</span>
          <input
            className="input input-sm"
            inputMode="tel"
            value={settings.customerNumber}
            aria-invalid={parsedNumber.ok ? undefined : true}
            onChange={(e) => setSettings({ customerNumber: e.target.value })}
            data-testid="customer-phone-number"
          />
        </label>
        <label className="phone-field">
          <span>Name</span>
          <input
            className="input input-sm"
            value={settings.customerName}
            onChange={(e) => setSettings({ customerName: e.target.value })}
            data-testid="customer-phone-name"
          />
        </label>
        {!parsedNumber.ok ? (
          <p className="field-error" data-testid="customer-phone-number-error">
            {parsedNumber.message}
          </p>
        ) : null}
      </div>
      <div className="phone-chat" ref={scroller} data-testid="customer-phone-chat">
        {chat.chat == null ? (
          <p className="phone-note">{chat.error ?? 'Loading…'}</p>
        ) : chat.chat.length === 0 ? (
          <p className="phone-note" data-testid="customer-phone-empty">
            Write something: it reaches the inbox like a message from a real customer.
          </p>
        ) : (
          chat.chat.map((item) => (
            <Bubble
              key={item.id}
              item={item}
              quoted={item.quotedId ? (byId.get(item.quotedId) ?? null) : null}
              onReply={setReplyTo}
              onButton={(b) =>
                void send(
                  { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: b.id, title: b.title } } },
                  { replyTo: item.id },
                )
              }
              disabled={sending}
            />
          ))
        )}
      </div>
      {error || (chat.chat != null && chat.error) ? (
        <p className="phone-error" role="alert" data-testid="customer-phone-error">
          {error ?? chat.error}
        </p>
      ) : null}
      {replyTo ? (
        <div className="phone-reply-preview" data-testid="customer-phone-reply-preview">
          <span>
            Replying to <em>{replyTo.text}</em>
          </span>
          <button type="button" className="icon-button" aria-label="Cancel reply" onClick={() => setReplyTo(null)} data-testid="customer-phone-reply-cancel">
            <XIcon width={12} height={12} />
          </button>
        </div>
      ) : null}
      {menu ? (
        <div className="phone-menu" role="menu" data-testid="customer-phone-menu">
          <button
            type="button"
            role="menuitem"
            onClick={() => void send({ type: 'image', image: text.trim() ? { caption: text.trim() } : {} }, { clearText: true })}
            data-testid="customer-phone-send-image"
          >
            <ImageIcon width={16} height={16} /> Photo{text.trim() ? ' with the text as caption' : ''}
          </button>
          <button type="button" role="menuitem" onClick={() => void send({ type: 'location', location: SAMPLE_LOCATION })} data-testid="customer-phone-send-location">
            <MapPinIcon width={16} height={16} /> Location
          </button>
          <button type="button" role="menuitem" onClick={() => void send({ type: 'contacts', contacts: [SAMPLE_CONTACT] })} data-testid="customer-phone-send-contact">
            <UserIcon width={16} height={16} /> Contact
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              const title = text.trim() || 'Yes, please';
              void send(
                { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'sandbox-button', title } } },
                { clearText: true },
              );
            }}
            data-testid="customer-phone-send-button-reply"
          >
            <ReplyIcon width={16} height={16} /> Button reply{text.trim() ? ` “${text.trim()}”` : ''}
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={!last}
            onClick={() => last && void send({ type: 'reaction', reaction: { message_id: last.id, emoji: '👍' } }, { replyTo: null })}
            data-testid="customer-phone-react"
          >
            <SmileIcon width={16} height={16} /> React 👍 to the last business message
          </button>
          {!last ? <p className="phone-note small">The business has not written yet.</p> : null}
        </div>
      ) : null}
      <form className="phone-composer" onSubmit={onSubmit}>
        <button
          type="button"
          className="icon-button"
          aria-label="More message types"
          aria-expanded={menu}
          onClick={() => setMenu((v) => !v)}
          data-testid="customer-phone-more"
        >
          <MoreIcon width={18} height={18} />
        </button>
        <input
          className="phone-input"
          value={text}
          placeholder="Message"
          aria-label="Customer message"
          onChange={(e) => setText(e.target.value)}
          data-testid="customer-phone-input"
        />
        <button
          type="submit"
          className="phone-send"
          aria-label="Send as the customer"
          disabled={sending || text.trim() === '' || !customer}
          data-testid="customer-phone-send"
        >
          <SendIcon width={16} height={16} />
        </button>
      </form>
    </>
  );
}

/**
 * The sandbox's customer phone: write in as a customer and watch the inbox update live through
 * the server's webhook. Only when the server runs the sandbox.
 */
export function CustomerPhonePanel() {
  const { whatsapp } = useRuntimeConfig();
  const { open, setOpen } = useCustomerPhone();
  const match = useMatch('/orgs/:orgId/*');
  const orgId = match?.params.orgId && match.params.orgId !== 'new' ? match.params.orgId : null;
  if (!whatsapp.sandbox || !open) return null;
  return (
    <aside className="customer-phone" id="customer-phone" aria-label="Customer phone (sandbox)" data-testid="customer-phone">
      <div className="phone-frame">
        <header className="phone-header">
          <span>
            <strong>Customer phone</strong>
            <span className="phone-header-note">Sandbox</span>
          </span>
          <button type="button" className="icon-button phone-close" aria-label="Close the customer phone" onClick={() => setOpen(false)} data-testid="customer-phone-close">
            <XIcon width={16} height={16} />
          </button>
        </header>
        {orgId ? (
          <Phone key={orgId} orgId={orgId} />
        ) : (
          <p className="phone-note" data-testid="customer-phone-no-organization">
            Open an organization to write to one of its numbers.
          </p>
        )}
      </div>
    </aside>
  );
}
