/**
 * Meta's Embedded Signup: the Facebook SDK opens a popup; the popup posts
 * `{type: "WA_EMBEDDED_SIGNUP", event, data}` messages to this window, and FB.login's callback
 * brings an authorization code that must be exchanged within 30 seconds.
 */

export const FACEBOOK_SDK_URL = 'https://connect.facebook.net/en_US/sdk.js';
export const GRAPH_API_VERSION = 'v21.0';

export type EmbeddedSignupEvent =
  /** The business picked or created its WABA and number. */
  | { kind: 'finish'; wabaId: string; phoneNumberId: string | null; businessId: string | null }
  /** The popup was closed at `step`. */
  | { kind: 'cancel'; step: string | null }
  /** The popup reported an error. */
  | { kind: 'error'; message: string; errorId: string | null };

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function str(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** facebook.com or a subdomain of it, over https; nothing else may talk to the sign-up. */
export function isFacebookOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' && (url.hostname === 'facebook.com' || url.hostname.endsWith('.facebook.com'));
  } catch {
    return false;
  }
}

/** A `message` event's payload as an Embedded Signup event, or null for anything else. */
export function parseEmbeddedSignupMessage(origin: string, data: unknown): EmbeddedSignupEvent | null {
  if (!isFacebookOrigin(origin)) return null;
  let payload = data;
  if (typeof data === 'string') {
    try {
      payload = JSON.parse(data) as unknown;
    } catch {
      return null;
    }
  }
  const message = asObject(payload);
  if (!message || message.type !== 'WA_EMBEDDED_SIGNUP') return null;
  const event = str(message.event);
  const details = asObject(message.data) ?? {};
  if (event?.startsWith('FINISH')) {
    const wabaId = str(details.waba_id);
    if (!wabaId) return null;
    return { kind: 'finish', wabaId, phoneNumberId: str(details.phone_number_id), businessId: str(details.business_id) };
  }
  if (event === 'CANCEL' || event === 'ERROR') {
    const error = str(details.error_message);
    if (error || event === 'ERROR') {
      return { kind: 'error', message: error ?? 'Embedded Signup reported an error.', errorId: str(details.error_id) };
    }
    return { kind: 'cancel', step: str(details.current_step) };
  }
  return null;
}

/** The step names Meta reports on cancel, in words. */
export function describeCancelStep(step: string | null): string {
  if (!step) return 'The sign-up window was closed before it finished.';
  const words = step.toLowerCase().replace(/_/g, ' ');
  return `The sign-up window was closed at the step “${words}”.`;
}

export interface FacebookLoginResponse {
  status?: string;
  authResponse?: { code?: string | null } | null;
}

export interface FacebookSdk {
  init: (options: { appId: string; autoLogAppEvents?: boolean; xfbml: boolean; version: string }) => void;
  login: (callback: (response: FacebookLoginResponse) => void, options: Record<string, unknown>) => void;
}

type FacebookWindow = Window & { FB?: FacebookSdk; fbAsyncInit?: () => void };

let sdk: Promise<FacebookSdk> | null = null;

/** Loads Meta's SDK once, on demand, and initialises it for `appId`. */
export function loadFacebookSdk(appId: string): Promise<FacebookSdk> {
  if (sdk) return sdk;
  sdk = new Promise<FacebookSdk>((resolve, reject) => {
    const w = window as FacebookWindow;
    const ready = () => {
      if (!w.FB) {
        reject(new Error('Facebook’s SDK loaded without FB.'));
        return;
      }
      w.FB.init({ appId, autoLogAppEvents: true, xfbml: false, version: GRAPH_API_VERSION });
      resolve(w.FB);
    };
    if (w.FB) {
      ready();
      return;
    }
    w.fbAsyncInit = ready;
    const script = document.createElement('script');
    script.src = FACEBOOK_SDK_URL;
    script.async = true;
    script.defer = true;
    script.crossOrigin = 'anonymous';
    script.onerror = () => {
      sdk = null;
      script.remove();
      reject(new Error('Facebook’s SDK could not be loaded (blocked by the network, an extension or the page’s security policy).'));
    };
    document.body.appendChild(script);
  });
  return sdk;
}

/** FB.login options for WhatsApp Embedded Signup with a configuration id. */
export function embeddedSignupLoginOptions(configId: string): Record<string, unknown> {
  return {
    config_id: configId,
    response_type: 'code',
    override_default_response_type: true,
    extras: { setup: {} },
  };
}
