import { sandboxRequest } from '@/lib/sandbox';

/** What the sandbox hands back in place of Meta's Embedded Signup popup. */
export interface SandboxSignup {
  code: string;
  wabaId: string;
  phoneNumberId: string;
  businessId: string | null;
}

interface SandboxSignupResponse {
  code?: unknown;
  waba_id?: unknown;
  phone_number_id?: unknown;
  business_id?: unknown;
}

/** `POST …/embedded-signup`: a new test business, WABA and number, and a code to exchange. */
export async function simulateEmbeddedSignup(
  organizationId: string,
  token: string | null,
  fetchImpl?: typeof fetch,
): Promise<SandboxSignup> {
  const r = await sandboxRequest<SandboxSignupResponse>('embedded-signup', {
    organizationId,
    method: 'POST',
    body: {},
    token,
    fetch: fetchImpl,
  });
  if (typeof r.code !== 'string' || typeof r.waba_id !== 'string' || typeof r.phone_number_id !== 'string') {
    throw new Error('The sandbox answered without a code, WABA id or phone number id.');
  }
  return {
    code: r.code,
    wabaId: r.waba_id,
    phoneNumberId: r.phone_number_id,
    businessId: typeof r.business_id === 'string' ? r.business_id : null,
  };
}
