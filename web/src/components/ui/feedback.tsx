import type { ReactNode } from 'react';

import { AlertIcon, LockIcon } from '@/components/ui/icons';
import { errorCode, errorMessage, errorView, FORBIDDEN_MESSAGE, type GraphqlErrorLike } from '@/lib/errors';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading-state" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Shown instead of a page the viewer's role does not open, whoever noticed first. */
export function ForbiddenPanel({ detail }: { detail?: string }) {
  return (
    <div className="panel panel-forbidden" role="alert" data-testid="forbidden">
      <div className="panel-icon">
        <LockIcon width={28} height={28} />
      </div>
      <h2 className="panel-title">{FORBIDDEN_MESSAGE}</h2>
      <p className="panel-body">
        {detail && detail !== FORBIDDEN_MESSAGE
          ? detail
          : 'Ask an Owner or Admin of this organization if you need access.'}
      </p>
    </div>
  );
}

/** A page-sized explanation of a failed query, never a blank page. */
export function ErrorPanel({ error, onRetry }: { error: GraphqlErrorLike; onRetry?: () => void }) {
  const view = errorView(error);
  if (view.code === 'FORBIDDEN') return <ForbiddenPanel detail={view.message} />;
  const canRetry = onRetry && (view.code === 'NETWORK' || view.code === 'INTERNAL' || view.code === 'UNKNOWN');
  return (
    <div className="panel panel-error" role="alert" data-testid={view.testId} data-error-code={view.code}>
      <div className="panel-icon">
        <AlertIcon width={28} height={28} />
      </div>
      <h2 className="panel-title">{view.title}</h2>
      {view.message ? <p className="panel-body">{view.message}</p> : null}
      {canRetry ? (
        <button type="button" className="btn btn-secondary" onClick={onRetry} data-testid="retry-button">
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** The reason a form was refused, next to the form. */
export function FormError({
  error,
  message,
  testId = 'form-error',
}: {
  error?: GraphqlErrorLike | null;
  message?: string | null;
  testId?: string;
}) {
  let text = message ?? null;
  if (!text && error) {
    const code = errorCode(error);
    if (code === 'FORBIDDEN') text = FORBIDDEN_MESSAGE;
    else if (code === 'VALIDATION' || code === 'NOT_FOUND' || code === 'CONFLICT') text = errorMessage(error);
    else {
      const view = errorView(error);
      text = view.message ? `${view.title}: ${view.message}` : view.title;
    }
  }
  if (!text) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      <AlertIcon width={16} height={16} />
      <span>{text}</span>
    </p>
  );
}

export function Notice({
  tone = 'info',
  title,
  children,
  testId,
}: {
  tone?: 'info' | 'success' | 'warning';
  title?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'warning' ? 'alert' : 'status'} data-testid={testId}>
      {title ? <strong className="notice-title">{title}</strong> : null}
      <div>{children}</div>
    </div>
  );
}
