import { AlertIcon, ClockIcon } from '@/components/ui/icons';
import { deliveryTick, failureText } from '@/features/inbox/utils/ticks';
import type { MessageStatus } from '@/gql/graphql';

function Check({ double }: { double: boolean }) {
  return (
    <svg width={double ? 18 : 13} height="12" viewBox={double ? '0 0 18 12' : '0 0 13 12'} aria-hidden="true">
      <path d="M1 6.5 4.5 10 12 2" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      {double ? <path d="M8 9.2 8.8 10 16.3 2" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" /> : null}
    </svg>
  );
}

/** The status mark of an outbound message; a failure names Meta's code and reason in its tooltip. */
export function DeliveryTicks({
  status,
  error,
}: {
  status: MessageStatus;
  error?: { code?: number | null; text?: string | null } | null;
}) {
  const tick = deliveryTick(status);
  if (tick.kind === 'none') return null;
  const title = tick.kind === 'failed' ? `${tick.label}. ${failureText(error)}` : tick.label;
  return (
    <span className={`ticks ticks-${tick.kind}`} title={title} aria-label={title} role="img" data-testid="message-ticks" data-status={status}>
      {tick.kind === 'clock' ? <ClockIcon width={12} height={12} /> : null}
      {tick.kind === 'single' ? <Check double={false} /> : null}
      {tick.kind === 'double' || tick.kind === 'read' ? <Check double /> : null}
      {tick.kind === 'failed' ? <AlertIcon width={13} height={13} /> : null}
    </span>
  );
}
