import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { TrashIcon } from '@/components/ui/icons';
import { Field } from '@/components/ui/layout';
import { Modal } from '@/components/ui/modal';
import { CreateCannedResponseDocument, DeleteCannedResponseDocument } from '@/features/inbox/api/inbox';
import { normalizeShortcut, type CannedResponse } from '@/features/inbox/utils/canned';

const SHORTCUT = /^[a-z0-9][a-z0-9_.-]{0,31}$/;
const MAX_BODY = 4096;

/** Everyone sees the canned responses; Admins and Owners add and delete them. */
export function CannedResponsesDialog({
  open,
  organizationId,
  responses,
  canManage,
  onClose,
  onChanged,
}: {
  open: boolean;
  organizationId: string;
  responses: readonly CannedResponse[];
  canManage: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const [shortcut, setShortcut] = useState('');
  const [body, setBody] = useState('');
  const [invalid, setInvalid] = useState<{ shortcut?: string; body?: string }>({});
  const [creation, create] = useMutation(CreateCannedResponseDocument);
  const [deletion, remove] = useMutation(DeleteCannedResponseDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const name = normalizeShortcut(shortcut);
    const problems: { shortcut?: string; body?: string } = {};
    if (!SHORTCUT.test(name)) problems.shortcut = 'Use 1–32 letters, digits, dots, dashes or underscores.';
    else if (responses.some((r) => normalizeShortcut(r.shortcut) === name)) problems.shortcut = `/${name} already exists.`;
    if (body.trim() === '') problems.body = 'Write the text it inserts.';
    else if (body.length > MAX_BODY) problems.body = `Keep it under ${MAX_BODY} characters.`;
    setInvalid(problems);
    if (problems.shortcut || problems.body) return;
    const result = await create({ input: { organizationId, shortcut: name, body: body.trim() } });
    if (!result.data) return;
    setShortcut('');
    setBody('');
    onChanged();
  }

  return (
    <Modal open={open} title="Canned responses" onClose={onClose} testId="canned-responses-dialog" wide>
      <p className="muted small">Type / and the shortcut in the composer to insert one.</p>
      {responses.length === 0 ? (
        <p className="muted" data-testid="canned-responses-empty">
          No canned responses yet.
        </p>
      ) : (
        <ul className="canned-list">
          {responses.map((r) => (
            <li key={r.id} className="canned-item" data-testid="canned-response-row" data-shortcut={r.shortcut}>
              <code>/{normalizeShortcut(r.shortcut)}</code>
              <span className="canned-item-body">{r.body}</span>
              {canManage ? (
                <Button
                  size="sm"
                  variant="ghost"
                  className="btn-danger-text"
                  aria-label={`Delete /${normalizeShortcut(r.shortcut)}`}
                  disabled={deletion.fetching}
                  onClick={() =>
                    void remove({ input: { organizationId, cannedResponseId: r.id } }).then((res) => {
                      if (!res.error) onChanged();
                    })
                  }
                  data-testid="canned-response-delete"
                >
                  <TrashIcon width={14} height={14} />
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <FormError error={deletion.error} testId="canned-response-delete-error" />
      {canManage ? (
        <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="canned-response-form" noValidate>
          <Field label="Shortcut" htmlFor="canned-response-shortcut" error={invalid.shortcut}>
            <input
              id="canned-response-shortcut"
              className="input"
              value={shortcut}
              placeholder="hours"
              onChange={(e) => setShortcut(e.target.value)}
              data-testid="canned-response-shortcut-input"
            />
          </Field>
          <Field label="Text" htmlFor="canned-response-body" error={invalid.body}>
            <textarea
              id="canned-response-body"
              className="textarea"
              rows={3}
              value={body}
              placeholder="We are open Monday to Friday, 9:00–18:00."
              onChange={(e) => setBody(e.target.value)}
              data-testid="canned-response-body-input"
            />
          </Field>
          <FormError error={creation.error} />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={creation.fetching} data-testid="canned-response-submit">
              Add canned response
            </Button>
          </div>
        </form>
      ) : (
        <p className="muted small" data-testid="canned-responses-admin-only">
          Admins and Owners add and remove canned responses.
        </p>
      )}
    </Modal>
  );
}
