import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError, Notice } from '@/components/ui/feedback';
import { ChatIcon } from '@/components/ui/icons';
import { Card, Field } from '@/components/ui/layout';
import { useRuntimeConfig } from '@/config/runtime-config-context';
import { ConnectWhatsAppDocument } from '@/features/whatsapp/api/whatsapp';
import { embeddedSignupAvailable, useEmbeddedSignup } from '@/features/whatsapp/hooks/use-embedded-signup';
import { parseMetaId } from '@/features/whatsapp/utils/numbers';

type ManualField = 'waba' | 'number' | 'token';

function EmbeddedSignup({ organizationId, onConnected }: { organizationId: string; onConnected: () => void }) {
  const { whatsapp } = useRuntimeConfig();
  const signup = useEmbeddedSignup(organizationId, whatsapp, onConnected);
  const available = embeddedSignupAvailable(whatsapp);
  const busy = signup.state.phase === 'popup' || signup.state.phase === 'completing';
  const { state } = signup;

  return (
    <div className="connect-option">
      <h3 className="connect-option-title">Sign up with Meta</h3>
      <p className="muted">
        {whatsapp.sandbox
          ? 'This server runs the WhatsApp sandbox: signing up creates a test business, account and number at once.'
          : 'Log in with Facebook, pick or create the WhatsApp Business account and number, and WAgent connects it.'}
      </p>
      <Button
        variant="primary"
        busy={busy}
        disabled={!available}
        onClick={() => void signup.start()}
        icon={<ChatIcon width={16} height={16} />}
        data-testid="connect-embedded-signup"
      >
        {whatsapp.sandbox ? 'Connect a sandbox number' : 'Connect with Facebook'}
      </Button>
      {!available ? (
        <p className="muted small" data-testid="connect-embedded-signup-unavailable">
          Embedded Signup is not configured on this server: it needs Meta&rsquo;s app id and configuration id
          (META_APP_ID and META_CONFIG_ID). Connect the number manually instead.
        </p>
      ) : null}
      {state.phase === 'popup' ? (
        <p className="muted small" data-testid="connect-embedded-signup-status" data-phase={state.phase}>
          {whatsapp.sandbox ? 'Creating the sandbox account…' : 'Finish the steps in the Facebook window…'}
        </p>
      ) : null}
      {state.phase === 'completing' ? (
        <p className="muted small" data-testid="connect-embedded-signup-status" data-phase={state.phase}>
          Connecting the number…
        </p>
      ) : null}
      {state.phase === 'cancelled' || (state.phase === 'failed' && state.message) ? (
        <p
          className={state.phase === 'failed' ? 'form-error' : 'muted small'}
          role="alert"
          data-testid="connect-embedded-signup-status"
          data-phase={state.phase}
        >
          {state.message}
        </p>
      ) : null}
      {state.phase === 'failed' && state.error ? <FormError error={state.error} /> : null}
      {state.phase === 'done' ? (
        <Notice tone="success" title="Number connected" testId="connect-result">
          <p>
            {state.connected?.verifiedName ?? 'Your number'} {state.connected?.displayPhoneNumber ?? ''} is ready: customer
            messages now arrive in the inbox.
          </p>
        </Notice>
      ) : null}
    </div>
  );
}

function ManualConnect({ organizationId, onConnected }: { organizationId: string; onConnected: () => void }) {
  const [wabaId, setWabaId] = useState('');
  const [phoneNumberId, setPhoneNumberId] = useState('');
  const [accessToken, setAccessToken] = useState('');
  const [invalid, setInvalid] = useState<Partial<Record<ManualField, string>>>({});
  const [connected, setConnected] = useState<string | null>(null);
  const [{ fetching, error }, connect] = useMutation(ConnectWhatsAppDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setConnected(null);
    const waba = parseMetaId(wabaId, 'WhatsApp Business Account id');
    const number = parseMetaId(phoneNumberId, 'phone number id');
    const problems: Partial<Record<ManualField, string>> = {};
    if (!waba.ok) problems.waba = waba.message;
    if (!number.ok) problems.number = number.message;
    if (accessToken.trim() === '') problems.token = 'Paste a system user’s access token.';
    setInvalid(problems);
    if (!waba.ok || !number.ok || problems.token) return;
    const result = await connect({
      input: { organizationId, wabaId: waba.value, phoneNumberId: number.value, accessToken: accessToken.trim() },
    });
    const phone = result.data?.connectWhatsApp;
    if (!phone) return;
    setConnected([phone.verifiedName, phone.displayPhoneNumber].filter(Boolean).join(' ') || phone.phoneNumberId);
    setWabaId('');
    setPhoneNumberId('');
    setAccessToken('');
    onConnected();
  }

  return (
    <div className="connect-option">
      <h3 className="connect-option-title">Connect manually</h3>
      <p className="muted">
        With the ids from Meta&rsquo;s WhatsApp Manager and a system user&rsquo;s permanent token (stored encrypted, never
        shown again).
      </p>
      <form className="form" onSubmit={(e) => void onSubmit(e)} data-testid="connect-manual-form" noValidate>
        <Field label="WhatsApp Business Account id" htmlFor="connect-manual-waba" error={invalid.waba}>
          <input
            id="connect-manual-waba"
            className="input"
            inputMode="numeric"
            autoComplete="off"
            value={wabaId}
            onChange={(e) => setWabaId(e.target.value)}
            data-testid="connect-manual-waba-id"
          />
        </Field>
        <Field label="Phone number id" htmlFor="connect-manual-number" error={invalid.number}>
          <input
            id="connect-manual-number"
            className="input"
            inputMode="numeric"
            autoComplete="off"
            value={phoneNumberId}
            onChange={(e) => setPhoneNumberId(e.target.value)}
            data-testid="connect-manual-phone-number-id"
          />
        </Field>
        <Field label="Access token" htmlFor="connect-manual-token" error={invalid.token}>
          <input
            id="connect-manual-token"
            className="input"
            type="password"
            autoComplete="off"
            value={accessToken}
            onChange={(e) => setAccessToken(e.target.value)}
            data-testid="connect-manual-access-token"
          />
        </Field>
        <FormError error={error} />
        {connected ? (
          <Notice tone="success" testId="connect-manual-result">
            Connected {connected}.
          </Notice>
        ) : null}
        <div className="form-actions">
          <Button type="submit" busy={fetching} data-testid="connect-manual-submit">
            Connect number
          </Button>
        </div>
      </form>
    </div>
  );
}

/** Admins and Owners connect numbers: Embedded Signup, or the ids and a token by hand. */
export function ConnectCard({ organizationId, onConnected }: { organizationId: string; onConnected: () => void }) {
  return (
    <Card title="Connect a number" testId="connect-card">
      <div className="connect-options">
        <EmbeddedSignup organizationId={organizationId} onConnected={onConnected} />
        <ManualConnect organizationId={organizationId} onConnected={onConnected} />
      </div>
    </Card>
  );
}
