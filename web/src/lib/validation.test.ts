import { describe, expect, it } from 'vitest';

import { DEFAULT_EXPIRY_DAYS, parseEmail, parseExpiryDays, parseName } from '@/lib/validation';

describe('parseExpiryDays', () => {
  it('accepts whole days from 1 to 365', () => {
    expect(parseExpiryDays('1')).toEqual({ ok: true, value: 1 });
    expect(parseExpiryDays(' 90 ')).toEqual({ ok: true, value: 90 });
    expect(parseExpiryDays('365')).toEqual({ ok: true, value: 365 });
    expect(parseExpiryDays(String(DEFAULT_EXPIRY_DAYS))).toEqual({ ok: true, value: 90 });
  });

  it('refuses out-of-range, fractional, negative and empty input with a message', () => {
    for (const input of ['0', '366', '1000', '-5', '1.5', '1e2', 'abc', '', '   ']) {
      const result = parseExpiryDays(input);
      expect(result.ok, input).toBe(false);
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }
    expect(parseExpiryDays('366')).toEqual({ ok: false, message: 'Choose between 1 and 365 days.' });
  });
});

describe('parseName and parseEmail', () => {
  it('trims names and refuses blanks', () => {
    expect(parseName('  Acme  ', 'organization')).toEqual({ ok: true, value: 'Acme' });
    expect(parseName('   ', 'organization')).toEqual({ ok: false, message: 'Enter a name for the organization.' });
    expect(parseName('x'.repeat(101), 'token').ok).toBe(false);
  });

  it('catches obvious email typos', () => {
    expect(parseEmail(' ana@example.com ')).toEqual({ ok: true, value: 'ana@example.com' });
    expect(parseEmail('ana@example').ok).toBe(false);
    expect(parseEmail('ana example.com').ok).toBe(false);
    expect(parseEmail('').ok).toBe(false);
  });
});
