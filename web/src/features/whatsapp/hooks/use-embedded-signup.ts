import { useCallback, useEffect, useRef, useState } from 'react';
import { useMutation, type CombinedError } from 'urql';

import type { WhatsAppConfig } from '@/config/runtime-config';
import { simulateEmbeddedSignup } from '@/features/whatsapp/api/sandbox-signup';
import { CompleteEmbeddedSignupDocument } from '@/features/whatsapp/api/whatsapp';
import {
  describeCancelStep,
  embeddedSignupLoginOptions,
  loadFacebookSdk,
  parseEmbeddedSignupMessage,
  type EmbeddedSignupEvent,
} from '@/features/whatsapp/utils/embedded-signup';
import { useAuth } from '@/lib/auth-context';

export type SignupPhase = 'idle' | 'popup' | 'completing' | 'done' | 'cancelled' | 'failed';

export interface SignupState {
  phase: SignupPhase;
  /** What happened, in words, for cancelled and failed sign-ups. */
  message: string | null;
  /** The server refused the code (shown like any form error). */
  error: CombinedError | null;
  connected: { displayPhoneNumber: string | null; verifiedName: string | null } | null;
}

const IDLE: SignupState = { phase: 'idle', message: null, error: null, connected: null };

/** How long to wait for the popup's FINISH message once the code is in (the code lives 30 s). */
const FINISH_WAIT_MS = 5_000;

/** Whether the real Embedded Signup can run: the server must publish an app id and a configuration id. */
export function embeddedSignupAvailable(whatsapp: WhatsAppConfig): boolean {
  return whatsapp.sandbox || (whatsapp.appId != null && whatsapp.configId != null);
}

/**
 * Embedded Signup, from the button to a connected number: the sandbox simulates Meta's popup;
 * otherwise Meta's SDK opens it, and the code from FB.login is exchanged at once.
 */
export function useEmbeddedSignup(organizationId: string, whatsapp: WhatsAppConfig, onConnected: () => void) {
  const { getAccessToken } = useAuth();
  const [state, setState] = useState<SignupState>(IDLE);
  const [, complete] = useMutation(CompleteEmbeddedSignupDocument);
  const finish = useRef<Extract<EmbeddedSignupEvent, { kind: 'finish' }> | null>(null);
  const ended = useRef<EmbeddedSignupEvent | null>(null);
  const waiters = useRef<((event: EmbeddedSignupEvent) => void)[]>([]);

  const { sandbox, appId, configId } = whatsapp;

  // The SDK is only fetched where someone may sign up, and before the click, so the popup is not blocked.
  useEffect(() => {
    if (sandbox || !appId || !configId) return;
    loadFacebookSdk(appId).catch(() => undefined);
  }, [sandbox, appId, configId]);

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const parsed = parseEmbeddedSignupMessage(event.origin, event.data);
      if (!parsed) return;
      if (parsed.kind === 'finish') finish.current = parsed;
      else ended.current = parsed;
      for (const wake of waiters.current.splice(0)) wake(parsed);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  const exchange = useCallback(
    async (code: string, wabaId: string, phoneNumberId: string) => {
      setState({ ...IDLE, phase: 'completing' });
      const result = await complete({ input: { organizationId, code, wabaId, phoneNumberId } });
      const number = result.data?.completeEmbeddedSignup;
      if (!number) {
        setState({ ...IDLE, phase: 'failed', error: result.error ?? null, message: result.error ? null : 'The server did not connect the number.' });
        return;
      }
      setState({
        ...IDLE,
        phase: 'done',
        connected: { displayPhoneNumber: number.displayPhoneNumber ?? null, verifiedName: number.verifiedName ?? null },
      });
      onConnected();
    },
    [complete, organizationId, onConnected],
  );

  /** The FINISH message may come just after the code; wait for it briefly. */
  const waitForFinish = useCallback(
    () =>
      new Promise<EmbeddedSignupEvent | null>((resolve) => {
        if (finish.current) return resolve(finish.current);
        const timer = window.setTimeout(() => resolve(null), FINISH_WAIT_MS);
        waiters.current.push((event) => {
          window.clearTimeout(timer);
          resolve(event);
        });
      }),
    [],
  );

  const start = useCallback(async () => {
    finish.current = null;
    ended.current = null;
    setState({ ...IDLE, phase: 'popup' });
    if (sandbox) {
      try {
        const signup = await simulateEmbeddedSignup(organizationId, getAccessToken());
        await exchange(signup.code, signup.wabaId, signup.phoneNumberId);
      } catch (e) {
        setState({ ...IDLE, phase: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    if (!appId || !configId) return;
    let fb;
    try {
      fb = await loadFacebookSdk(appId);
    } catch (e) {
      setState({ ...IDLE, phase: 'failed', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    // FB.login wants a plain function as its callback.
    fb.login((response) => {
      const code = response.authResponse?.code ?? null;
      if (!code) {
        const event = ended.current;
        setState({
          ...IDLE,
          phase: event?.kind === 'error' ? 'failed' : 'cancelled',
          message: event?.kind === 'error' ? event.message : describeCancelStep(event?.kind === 'cancel' ? event.step : null),
        });
        return;
      }
      void waitForFinish().then((event) => {
        if (event?.kind === 'finish' && event.phoneNumberId) {
          void exchange(code, event.wabaId, event.phoneNumberId);
        } else if (event?.kind === 'finish') {
          setState({ ...IDLE, phase: 'failed', message: 'The sign-up finished without a phone number; add a number and try again.' });
        } else {
          setState({
            ...IDLE,
            phase: event?.kind === 'error' ? 'failed' : 'cancelled',
            message:
              event?.kind === 'error'
                ? event.message
                : event?.kind === 'cancel'
                  ? describeCancelStep(event.step)
                  : 'Meta did not say which account and number were chosen. Try again, or connect the number manually.',
          });
        }
      });
    }, embeddedSignupLoginOptions(configId));
  }, [sandbox, appId, configId, organizationId, getAccessToken, exchange, waitForFinish]);

  const reset = useCallback(() => setState(IDLE), []);

  return { state, start, reset };
}
