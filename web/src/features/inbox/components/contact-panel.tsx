import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { PlusIcon, XIcon } from '@/components/ui/icons';
import {
  AddNoteDocument,
  AssignConversationDocument,
  SetConversationLabelsDocument,
  SetConversationStatusDocument,
} from '@/features/inbox/api/inbox';
import type { ConversationSummary } from '@/features/inbox/hooks/use-conversation-list';
import type { ThreadNote } from '@/features/inbox/hooks/use-conversation-thread';
import type { InboxMember } from '@/features/inbox/hooks/use-inbox-setup';
import { contactHandle, contactName, normalizeLabels } from '@/features/inbox/utils/conversations';
import type { ConversationStatus } from '@/gql/graphql';
import { displayName, formatDateTime, initials } from '@/lib/format';

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  OPEN: 'Open',
  PENDING: 'Pending',
  RESOLVED: 'Resolved',
};

const STATUSES: readonly ConversationStatus[] = ['OPEN', 'PENDING', 'RESOLVED'];
const MAX_LABEL = 50;
const MAX_NOTE = 4000;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="contact-section">
      <h3 className="contact-section-title">{title}</h3>
      {children}
    </section>
  );
}

function LabelsEditor({
  organizationId,
  conversation,
  onChanged,
}: {
  organizationId: string;
  conversation: ConversationSummary;
  onChanged: (conversation: ConversationSummary) => void;
}) {
  const [draft, setDraft] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [{ fetching, error }, setLabels] = useMutation(SetConversationLabelsDocument);

  async function save(labels: string[]) {
    const result = await setLabels({ input: { organizationId, conversationId: conversation.id, labels } });
    if (result.data) onChanged(result.data.setConversationLabels);
    return !result.error;
  }

  async function onAdd(event: FormEvent) {
    event.preventDefault();
    const label = draft.trim();
    if (!label) return;
    if (label.length > MAX_LABEL) {
      setInvalid(`Keep a label under ${MAX_LABEL} characters.`);
      return;
    }
    setInvalid(null);
    if (conversation.labels.some((l) => l.toLowerCase() === label.toLowerCase())) {
      setDraft('');
      return;
    }
    if (await save(normalizeLabels([...conversation.labels, label]))) setDraft('');
  }

  return (
    <div data-testid="labels-editor">
      {conversation.labels.length > 0 ? (
        <ul className="label-chips">
          {conversation.labels.map((label) => (
            <li key={label} className="label-chip" data-testid="label-chip" data-label={label}>
              {label}
              <button
                type="button"
                className="label-chip-remove"
                aria-label={`Remove label ${label}`}
                disabled={fetching}
                onClick={() => void save(conversation.labels.filter((l) => l !== label))}
                data-testid="label-remove"
              >
                <XIcon width={12} height={12} />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No labels.</p>
      )}
      <form className="inline-add" onSubmit={(e) => void onAdd(e)}>
        <input
          className="input input-sm"
          value={draft}
          placeholder="Add a label"
          aria-label="New label"
          maxLength={MAX_LABEL + 10}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="label-input"
        />
        <Button type="submit" size="sm" busy={fetching} icon={<PlusIcon width={14} height={14} />} data-testid="label-add">
          Add
        </Button>
      </form>
      <FormError message={invalid} error={invalid ? null : error} testId="labels-error" />
    </div>
  );
}

function Notes({
  organizationId,
  conversationId,
  notes,
  onAdded,
}: {
  organizationId: string;
  conversationId: string;
  notes: readonly ThreadNote[];
  onAdded: (note: ThreadNote) => void;
}) {
  const [body, setBody] = useState('');
  const [{ fetching, error }, addNote] = useMutation(AddNoteDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const text = body.trim();
    if (!text) return;
    const result = await addNote({ input: { organizationId, conversationId, body: text } });
    if (!result.data) return;
    onAdded(result.data.addNote);
    setBody('');
  }

  return (
    <div>
      {notes.length === 0 ? (
        <p className="muted small" data-testid="notes-empty">
          Notes are for your team only; the customer never sees them.
        </p>
      ) : (
        <ol className="notes" data-testid="notes-list">
          {notes.map((note) => (
            <li key={note.id} className="note" data-testid="note" data-note-id={note.id}>
              <p className="note-body">{note.body}</p>
              <p className="muted small">
                {note.author ? displayName(note.author) : 'Someone'} · {formatDateTime(note.createdAt)}
              </p>
            </li>
          ))}
        </ol>
      )}
      <form className="note-form" onSubmit={(e) => void onSubmit(e)}>
        <textarea
          className="textarea"
          rows={2}
          value={body}
          maxLength={MAX_NOTE}
          placeholder="Add an internal note"
          aria-label="Internal note"
          onChange={(e) => setBody(e.target.value)}
          data-testid="note-input"
        />
        <Button type="submit" size="sm" busy={fetching} disabled={body.trim() === ''} data-testid="note-submit">
          Add note
        </Button>
      </form>
      <FormError error={error} testId="note-error" />
    </div>
  );
}

/** The customer, who handles the conversation, its status, labels and the team's notes. */
export function ContactPanel({
  organizationId,
  conversation,
  notes,
  members,
  viewerId,
  onConversation,
  onNote,
  open = false,
  onClose,
}: {
  organizationId: string;
  conversation: ConversationSummary;
  notes: readonly ThreadNote[];
  members: readonly InboxMember[];
  viewerId: string | null;
  onConversation: (conversation: ConversationSummary) => void;
  onNote: (note: ThreadNote) => void;
  /** Shown as a drawer (narrow inboxes only; wide ones always show it). */
  open?: boolean;
  onClose?: () => void;
}) {
  const [assignment, assign] = useMutation(AssignConversationDocument);
  const [statusChange, setStatus] = useMutation(SetConversationStatusDocument);
  const name = contactName(conversation.contact);
  const assigneeListed = !conversation.assignee || members.some((m) => m.user.id === conversation.assignee?.id);

  async function onAssign(assigneeId: string | null) {
    const result = await assign({ input: { organizationId, conversationId: conversation.id, assigneeId } });
    if (result.data) onConversation(result.data.assignConversation);
  }

  async function onStatus(status: ConversationStatus) {
    const result = await setStatus({ input: { organizationId, conversationId: conversation.id, status } });
    if (result.data) onConversation(result.data.setConversationStatus);
  }

  return (
    <aside className={open ? 'contact-panel contact-panel-open' : 'contact-panel'} aria-label="Contact" data-testid="contact-panel">
      <div className="contact-head">
        {onClose ? (
          <button type="button" className="icon-button contact-toggle contact-close" aria-label="Close details" onClick={onClose}>
            <XIcon width={16} height={16} />
          </button>
        ) : null}
        <span className="avatar avatar-lg" aria-hidden="true">
          {initials({ name })}
        </span>
        <h2 className="contact-name" data-testid="contact-name">
          {name}
        </h2>
        <p className="mono" data-testid="contact-wa-id">
          {contactHandle(conversation.contact)}
        </p>
        <p className="muted small" data-testid="contact-business-number">
          To {conversation.phoneNumber.verifiedName ?? 'your number'}{' '}
          {conversation.phoneNumber.displayPhoneNumber ? `(${conversation.phoneNumber.displayPhoneNumber})` : ''}
        </p>
      </div>

      <Section title="Assigned to">
        <div className="assign-row">
          <select
            className="select select-sm"
            aria-label="Assignee"
            value={conversation.assignee?.id ?? ''}
            disabled={assignment.fetching}
            onChange={(e) => void onAssign(e.target.value || null)}
            data-testid="assignee-select"
          >
            <option value="">Unassigned</option>
            {!assigneeListed && conversation.assignee ? (
              <option value={conversation.assignee.id}>{displayName(conversation.assignee)}</option>
            ) : null}
            {members.map((m) => (
              <option key={m.user.id} value={m.user.id}>
                {displayName(m.user)}
                {m.user.id === viewerId ? ' (you)' : ''}
              </option>
            ))}
          </select>
          {viewerId && conversation.assignee?.id !== viewerId ? (
            <Button size="sm" variant="ghost" disabled={assignment.fetching} onClick={() => void onAssign(viewerId)} data-testid="assign-to-me">
              Assign to me
            </Button>
          ) : null}
        </div>
        <FormError error={assignment.error} testId="assignee-error" />
      </Section>

      <Section title="Status">
        <div className="segmented" role="group" aria-label="Conversation status">
          {STATUSES.map((status) => (
            <button
              key={status}
              type="button"
              className={conversation.status === status ? 'segment segment-active' : 'segment'}
              aria-pressed={conversation.status === status}
              disabled={statusChange.fetching}
              onClick={() => conversation.status !== status && void onStatus(status)}
              data-testid="conversation-status"
              data-status={status}
            >
              {STATUS_LABELS[status]}
            </button>
          ))}
        </div>
        <FormError error={statusChange.error} testId="conversation-status-error" />
      </Section>

      <Section title="Labels">
        <LabelsEditor organizationId={organizationId} conversation={conversation} onChanged={onConversation} />
      </Section>

      <Section title="Internal notes">
        <Notes organizationId={organizationId} conversationId={conversation.id} notes={notes} onAdded={onNote} />
      </Section>
    </aside>
  );
}
