import { useEffect, useId, useRef, type ReactNode } from 'react';

import { XIcon } from '@/components/ui/icons';

/** A modal panel on <dialog> (focus, Escape and the backdrop behave natively). */
export function Modal({
  open,
  title,
  children,
  onClose,
  testId,
  wide = false,
}: {
  open: boolean;
  title: ReactNode;
  children: ReactNode;
  onClose: () => void;
  testId?: string;
  wide?: boolean;
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
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <div className="dialog-body">
          <div className="dialog-head">
            <h2 className="dialog-title" id={titleId}>
              {title}
            </h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose} data-testid={testId ? `${testId}-close` : undefined}>
              <XIcon width={16} height={16} />
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
