// The built-in Meta sandbox that scripts/e2e.sh starts, driven from Node through its own API
// (server/sandbox/src/api.rs): simulated customers writing in, and their service windows.

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests with \`bash scripts/e2e.sh\``);
  }
  return value;
}

/** The sandbox's own URL (not the WAgent server's /sandbox proxy). */
export const SANDBOX_URL = required('E2E_SANDBOX_URL').replace(/\/$/, '');

/** The shared secret the sandbox's own API requires (`X-Sandbox-Secret`). */
const SANDBOX_SECRET = required('E2E_SANDBOX_SECRET');

/** Meta's phone number id of the demo organization's connected number. */
export const PHONE_NUMBER_ID = required('E2E_PHONE_NUMBER_ID');

async function post(path, body) {
  const response = await fetch(`${SANDBOX_URL}/sandbox/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-secret': SANDBOX_SECRET },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${path}: HTTP ${response.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * A simulated customer writes to the demo number: `type` is an inbound kind (`text`,
 * `system`, …) and `content` its payload, as in POST /sandbox/customers/messages. The sandbox
 * sends WAgent the signed `messages` webhook; returns the sandbox's reply (`id` = the wamid).
 * A past `timestamp` (unix seconds) stages a message written back then.
 */
export function customerWrites({ from, name, type = 'text', content, timestamp }) {
  return post('customers/messages', { phone_number_id: PHONE_NUMBER_ID, from, name, type, [type]: content, timestamp });
}

/**
 * Sets when the customer last wrote, as far as the sandbox (Meta) is concerned: its
 * customer-service window decides whether a free-form message is delivered or fails with
 * 131047. WAgent's own window is not touched. Returns `{ open }`.
 */
export function setSandboxWindow({ waId, lastMessageAt }) {
  return post('customers/window', {
    phone_number_id: PHONE_NUMBER_ID,
    wa_id: waId,
    last_message_at: lastMessageAt == null ? null : Math.floor(lastMessageAt.getTime() / 1000),
  });
}

/**
 * Changes how the sandbox behaves while it runs (POST /sandbox/config), e.g.
 * `{ throughput_per_second: 1 }`; fields left out stay as they are. Returns the new settings.
 */
export function configureSandbox(patch) {
  return post('config', patch);
}
