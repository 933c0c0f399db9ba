import { useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { ClockIcon, FileIcon, PlusIcon, SendIcon, XIcon } from '@/components/ui/icons';
import { MAX_ATTACHMENT_BYTES, sendAttachment } from '@/features/inbox/api/attachments';
import { SendMessageDocument } from '@/features/inbox/api/inbox';
import { TemplatePicker, templateParameterCount, type TemplateSelection } from '@/features/inbox/components/template-picker';
import type { ConversationSummary } from '@/features/inbox/hooks/use-conversation-list';
import type { ThreadMessage } from '@/features/inbox/hooks/use-conversation-thread';
import { useNow } from '@/features/inbox/hooks/use-now';
import {
  expandShortcuts,
  insertCannedResponse,
  matchCannedResponses,
  shortcutQueryAt,
  type CannedResponse,
} from '@/features/inbox/utils/canned';
import { messageSummary } from '@/features/inbox/utils/message-content';
import { conversationWindow } from '@/features/inbox/utils/window';
import { useAuth } from '@/lib/auth-context';
import { missingParameters } from '@/lib/templates';

const MAX_TEXT = 4096;

/** "Window open until 14:32" / "Window closed — send an approved template". */
export function WindowIndicator({ open, text }: { open: boolean; text: string }) {
  return (
    <p className={`window-indicator ${open ? 'window-open' : 'window-closed'}`} data-testid="window-indicator" data-open={open}>
      <ClockIcon width={14} height={14} />
      {text}
    </p>
  );
}

/**
 * Writes to the customer: free text inside the 24-hour window (Enter sends, Shift+Enter is a
 * new line, `/shortcut` inserts a canned response), an approved template at any time.
 */
export function Composer({
  organizationId,
  conversation,
  cannedResponses,
  replyTo,
  contactLabel,
  onCancelReply,
  onSent,
}: {
  organizationId: string;
  conversation: ConversationSummary;
  cannedResponses: readonly CannedResponse[];
  replyTo: ThreadMessage | null;
  contactLabel: string;
  onCancelReply: () => void;
  onSent: (message: ThreadMessage) => void;
}) {
  const closesAt = conversation.windowOpenUntil ? new Date(conversation.windowOpenUntil) : null;
  const now = useNow({ at: closesAt });
  const serviceWindow = conversationWindow(conversation, now);
  const [wantsTemplate, setWantsTemplate] = useState(false);
  const templateMode = wantsTemplate || !serviceWindow.open;

  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [selection, setSelection] = useState<TemplateSelection>({ template: null, values: [] });
  const [invalid, setInvalid] = useState<string | null>(null);
  const [{ fetching, error }, send] = useMutation(SendMessageDocument);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const { getAccessToken } = useAuth();
  const [uploading, setUploading] = useState(false);

  useLayoutEffect(() => {
    if (pendingCaret.current == null || !inputRef.current) return;
    inputRef.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  const disconnected = conversation.phoneNumber.disconnectedAt != null;
  const query = templateMode ? null : shortcutQueryAt(text, caret);
  const suggestions = query && dismissedAt !== query.start ? matchCannedResponses(cannedResponses, query.query).slice(0, 6) : [];
  const active = Math.min(highlight, Math.max(suggestions.length - 1, 0));

  function pick(response: CannedResponse) {
    if (!query) return;
    const next = insertCannedResponse(text, query, response);
    setText(next.text);
    setCaret(next.caret);
    setHighlight(0);
    pendingCaret.current = next.caret;
    inputRef.current?.focus();
  }

  async function sendText() {
    const body = expandShortcuts(text, cannedResponses).trim();
    if (!body) return;
    if (body.length > MAX_TEXT) {
      setInvalid(`A message has at most ${MAX_TEXT} characters.`);
      return;
    }
    setInvalid(null);
    const result = await send({
      input: { organizationId, conversationId: conversation.id, text: body, replyToMessageId: replyTo?.id ?? null },
    });
    const message = result.data?.sendMessage;
    if (!message) return;
    setText('');
    setCaret(0);
    onSent(message);
    onCancelReply();
    inputRef.current?.focus();
  }

  async function sendTemplate() {
    const template = selection.template;
    if (!template) {
      setInvalid('Choose a template to send.');
      return;
    }
    const count = templateParameterCount(template);
    const missing = missingParameters(count, selection.values);
    if (missing.length > 0) {
      setInvalid(`Fill in ${missing.map((n) => `{{${n}}}`).join(', ')}.`);
      return;
    }
    setInvalid(null);
    const result = await send({
      input: {
        organizationId,
        conversationId: conversation.id,
        template: {
          name: template.name,
          language: template.language,
          bodyParameters: selection.values.slice(0, count).map((v) => v.trim()),
        },
        replyToMessageId: replyTo?.id ?? null,
      },
    });
    const message = result.data?.sendMessage;
    if (!message) return;
    setSelection({ template: null, values: [] });
    setWantsTemplate(false);
    onSent(message);
    onCancelReply();
  }

  /** Sends a file as media; the text typed so far becomes its caption. */
  async function sendFile(file: File) {
    if (file.size > MAX_ATTACHMENT_BYTES) {
      setInvalid('A file can be at most 100 MB.');
      return;
    }
    setInvalid(null);
    setUploading(true);
    try {
      await sendAttachment({
        organizationId,
        conversationId: conversation.id,
        file,
        caption: expandShortcuts(text, cannedResponses),
        token: getAccessToken(),
      });
      setText('');
      setCaret(0);
    } catch (e) {
      setInvalid(e instanceof Error ? e.message : String(e));
    } finally {
      setUploading(false);
    }
  }

  function onSubmit(event?: FormEvent) {
    event?.preventDefault();
    if (fetching) return;
    void (templateMode ? sendTemplate() : sendText());
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.nativeEvent.isComposing) return;
    if (suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlight((active + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const response = suggestions[active];
        if (response && !event.shiftKey) {
          event.preventDefault();
          pick(response);
          return;
        }
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        if (query) setDismissedAt(query.start);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      onSubmit();
    }
  }

  if (disconnected) {
    return (
      <div className="composer" data-testid="composer">
        <p className="window-indicator window-closed" data-testid="composer-disconnected">
          This conversation&rsquo;s number is disconnected; connect it again on the WhatsApp page to answer.
        </p>
      </div>
    );
  }

  return (
    <form className="composer" onSubmit={onSubmit} data-testid="composer" data-mode={templateMode ? 'template' : 'text'}>
      <div className="composer-status">
        <WindowIndicator open={serviceWindow.open} text={serviceWindow.text} />
        {serviceWindow.open ? (
          <button
            type="button"
            className="link-button small"
            onClick={() => {
              setInvalid(null);
              setWantsTemplate((v) => !v);
            }}
            data-testid="composer-template-toggle"
          >
            <FileIcon width={14} height={14} />
            {wantsTemplate ? 'Write a message instead' : 'Send a template'}
          </button>
        ) : null}
      </div>
      {replyTo ? (
        <div className="composer-reply" data-testid="composer-reply-preview">
          <span>
            <strong>Replying to {replyTo.direction === 'OUTBOUND' ? 'yourself' : contactLabel}</strong>
            <span className="muted">{messageSummary(replyTo)}</span>
          </span>
          <button type="button" className="icon-button" aria-label="Cancel reply" onClick={onCancelReply} data-testid="composer-reply-cancel">
            <XIcon width={14} height={14} />
          </button>
        </div>
      ) : null}
      {templateMode ? (
        <TemplatePicker
          organizationId={organizationId}
          phoneNumberId={conversation.phoneNumber.id}
          selection={selection}
          onChange={(next) => {
            setInvalid(null);
            setSelection(next);
          }}
          disabled={fetching}
        />
      ) : null}
      <div className="composer-row">
        {!templateMode ? (
          <>
            <input
              ref={fileRef}
              type="file"
              className="visually-hidden"
              tabIndex={-1}
              aria-hidden="true"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void sendFile(file);
              }}
              data-testid="composer-attach-input"
            />
            <Button
              variant="ghost"
              className="composer-attach"
              busy={uploading}
              aria-label="Attach a file"
              title="Attach a photo, video, audio or document (the text becomes its caption)"
              onClick={() => fileRef.current?.click()}
              icon={<PlusIcon width={18} height={18} />}
              data-testid="composer-attach"
            />
          </>
        ) : null}
        <div className="composer-input-wrap">
          {suggestions.length > 0 ? (
            <ul className="canned-suggestions" role="listbox" aria-label="Canned responses" data-testid="canned-suggestions">
              {suggestions.map((response, i) => (
                <li
                  key={response.id}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'canned-suggestion canned-suggestion-active' : 'canned-suggestion'}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pick(response);
                  }}
                  data-testid="canned-suggestion"
                  data-shortcut={response.shortcut}
                >
                  <code>/{response.shortcut.replace(/^\/+/, '')}</code>
                  <span className="muted">{response.body}</span>
                </li>
              ))}
            </ul>
          ) : null}
          <textarea
            ref={inputRef}
            className="composer-input"
            rows={2}
            value={templateMode ? '' : text}
            maxLength={MAX_TEXT}
            disabled={templateMode}
            aria-label="Message"
            title="Enter sends, Shift+Enter adds a line, / inserts a canned response"
            placeholder={
              templateMode
                ? serviceWindow.open
                  ? 'Sending a template instead of a message'
                  : 'The 24-hour window is closed: only an approved template can be sent.'
                : 'Write a message (type / for canned responses)'
            }
            onChange={(e) => {
              setText(e.target.value);
              setCaret(e.target.selectionStart);
              setInvalid(null);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
            data-testid="composer-input"
          />
        </div>
        <Button
          type="submit"
          variant="primary"
          busy={fetching}
          disabled={templateMode ? !selection.template : text.trim() === ''}
          icon={<SendIcon width={16} height={16} />}
          data-testid="composer-send"
        >
          Send
        </Button>
      </div>
      <FormError message={invalid} error={invalid ? null : error} testId="composer-error" />
    </form>
  );
}
