import { describe, expect, it } from 'vitest';

import { fieldEntries, hasFilters, NO_FILTERS, toContactFilterInput } from '@/features/contacts/utils/contacts';
import { asSentence, percent } from '@/features/contacts/utils/imports';

describe('toContactFilterInput', () => {
  it('sends only the filters that are set, normalised as the server stores them', () => {
    expect(toContactFilterInput(NO_FILTERS)).toEqual({});
    expect(hasFilters({ ...NO_FILTERS, search: '   ' })).toBe(false);
    expect(toContactFilterInput({ search: ' Ana ', marketing: 'OPTED_OUT', tag: ' VIP ', country: 'br' })).toEqual({
      search: 'Ana',
      marketing: 'OPTED_OUT',
      tags: ['vip'],
      country: 'BR',
    });
  });
});

describe('fieldEntries', () => {
  it('lists an object by key and nothing else', () => {
    expect(fieldEntries({ plan: 'gold', city: 'São Paulo' })).toEqual([
      ['city', 'São Paulo'],
      ['plan', 'gold'],
    ]);
    expect(fieldEntries(null)).toEqual([]);
    expect(fieldEntries(['a'])).toEqual([]);
  });
});

describe('import wording', () => {
  it("turns the server's messages into sentences", () => {
    expect(asSentence('`carla@` is not an e-mail address')).toBe('“carla@” is not an e-mail address.');
    expect(asSentence('map one column to the phone number')).toBe('Map one column to the phone number.');
    expect(asSentence('Already a sentence.')).toBe('Already a sentence.');
  });

  it('shows progress as a bounded whole percentage', () => {
    expect(percent(0.426)).toBe(43);
    expect(percent(1.2)).toBe(100);
    expect(percent(Number.NaN)).toBe(0);
  });
});
