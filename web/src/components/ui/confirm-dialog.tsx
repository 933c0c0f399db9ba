import { useEffect, useId, useRef, type ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import type { GraphqlErrorLike } from '@/lib/errors';

/**
 * A modal "are you sure?" for destructive actions, built on <dialog> so focus, Escape and the
 * backdrop behave natively.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'danger',
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  /** The label of the button that backs out (default "Cancel"). */
  cancelLabel?: string;
  tone?: 'danger' | 'primary';
  busy?: boolean;
  error?: GraphqlErrorLike | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid="confirm-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      {open ? (
        <div className="dialog-body">
          <h2 className="dialog-title" id={titleId}>
            {title}
          </h2>
          {children ? <div className="dialog-text">{children}</div> : null}
          <FormError error={error} testId="confirm-dialog-error" />
          <div className="dialog-actions">
            <Button onClick={onCancel} disabled={busy} data-testid="confirm-dialog-cancel">
              {cancelLabel}
            </Button>
            <Button variant={tone} busy={busy} onClick={onConfirm} data-testid="confirm-dialog-confirm">
              {confirmLabel}
            </Button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
