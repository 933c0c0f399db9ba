import { useCallback, useEffect, useState } from 'react';

import { listBusinessMessages, listCustomerMessages } from '@/features/customer-phone/api/sandbox';
import { buildChat, type ChatItem } from '@/features/customer-phone/utils/chat';
import { useAuth } from '@/lib/auth-context';

export const POLL_INTERVAL_MS = 2_000;

/**
 * The chat between a simulated customer and a business number, read from the sandbox every
 * two seconds while the phone is open.
 */
export function useSandboxChat(organizationId: string, phoneNumberId: string | null, customer: string | null, enabled: boolean) {
  const { getAccessToken } = useAuth();
  const key = phoneNumberId && customer ? `${phoneNumberId}:${customer}` : null;
  const [state, setState] = useState<{ key: string | null; chat: ChatItem[] | null; error: string | null }>({
    key: null,
    chat: null,
    error: null,
  });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!enabled || !phoneNumberId || !customer || !key) return;
    const controller = new AbortController();
    const request = { token: getAccessToken(), organizationId, phoneNumberId, customer, signal: controller.signal };
    let timer: number | undefined;
    Promise.all([listBusinessMessages(request), listCustomerMessages(request)])
      .then(([business, customers]) => setState({ key, chat: buildChat(business, customers), error: null }))
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ key, chat: s.key === key ? s.chat : null, error: e instanceof Error ? e.message : String(e) }));
      })
      .finally(() => {
        if (!controller.signal.aborted) timer = window.setTimeout(() => setTick((t) => t + 1), POLL_INTERVAL_MS);
      });
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [enabled, organizationId, phoneNumberId, customer, key, tick, getAccessToken]);

  /** Reads again now, e.g. right after the customer sent something. */
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const current = state.key === key ? state : null;
  return { chat: current?.chat ?? null, error: current?.error ?? null, refresh };
}
