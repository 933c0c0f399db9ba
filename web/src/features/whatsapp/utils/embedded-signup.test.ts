import { describe, expect, it } from 'vitest';

import {
  describeCancelStep,
  embeddedSignupLoginOptions,
  isFacebookOrigin,
  parseEmbeddedSignupMessage,
} from '@/features/whatsapp/utils/embedded-signup';

const FB = 'https://www.facebook.com';
const finish = { type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { phone_number_id: '1098', waba_id: '2021', business_id: '77' } };

describe('parseEmbeddedSignupMessage', () => {
  it('reads FINISH from facebook.com, as a JSON string or an object', () => {
    const expected = { kind: 'finish', wabaId: '2021', phoneNumberId: '1098', businessId: '77' };
    expect(parseEmbeddedSignupMessage(FB, JSON.stringify(finish))).toEqual(expected);
    expect(parseEmbeddedSignupMessage('https://web.facebook.com', finish)).toEqual(expected);
  });

  it('reads a cancel with its step, and an error message', () => {
    expect(
      parseEmbeddedSignupMessage(FB, JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'PHONE_NUMBER_SETUP' } })),
    ).toEqual({ kind: 'cancel', step: 'PHONE_NUMBER_SETUP' });
    expect(
      parseEmbeddedSignupMessage(FB, {
        type: 'WA_EMBEDDED_SIGNUP',
        event: 'CANCEL',
        data: { error_message: 'Your business is not verified', error_id: '524126' },
      }),
    ).toEqual({ kind: 'error', message: 'Your business is not verified', errorId: '524126' });
    expect(describeCancelStep('PHONE_NUMBER_SETUP')).toBe('The sign-up window was closed at the step “phone number setup”.');
  });

  it('ignores other origins, even ones that only look like facebook.com', () => {
    for (const origin of ['https://evil.example', 'https://notfacebook.com', 'http://www.facebook.com', 'https://facebook.com.evil.io', 'null']) {
      expect(parseEmbeddedSignupMessage(origin, finish)).toBeNull();
    }
  });

  it('ignores other shapes', () => {
    expect(parseEmbeddedSignupMessage(FB, 'not json')).toBeNull();
    expect(parseEmbeddedSignupMessage(FB, { type: 'SOMETHING_ELSE', event: 'FINISH', data: {} })).toBeNull();
    expect(parseEmbeddedSignupMessage(FB, { type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: {} })).toBeNull();
    expect(parseEmbeddedSignupMessage(FB, { type: 'WA_EMBEDDED_SIGNUP', event: 'LOADED' })).toBeNull();
    expect(parseEmbeddedSignupMessage(FB, 42)).toBeNull();
    expect(parseEmbeddedSignupMessage(FB, null)).toBeNull();
  });

  it('accepts facebook.com itself over https', () => {
    expect(isFacebookOrigin('https://facebook.com')).toBe(true);
    expect(isFacebookOrigin('https://business.facebook.com')).toBe(true);
  });
});

describe('embeddedSignupLoginOptions', () => {
  it('asks for a code with the configuration id', () => {
    expect(embeddedSignupLoginOptions('cfg-1')).toEqual({
      config_id: 'cfg-1',
      response_type: 'code',
      override_default_response_type: true,
      extras: { setup: {} },
    });
  });
});
