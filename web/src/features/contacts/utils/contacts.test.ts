import { describe, expect, it } from 'vitest';

import {
  contactChanges,
  contactForm,
  fieldEntries,
  hasFilters,
  NO_FILTERS,
  parseTags,
  suggestFieldKey,
  toContactFilterInput,
} from '@/features/contacts/utils/contacts';
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

describe('contact edits', () => {
  const contact = {
    name: 'Ana',
    email: null,
    language: 'pt_BR',
    country: 'BR',
    timeZone: 'America/Sao_Paulo',
    tags: ['vip'],
    fields: { plan: 'Gold', spent: 12.5, newsletter: true },
  };

  it('sends only what changed, blank as a clear', () => {
    const before = contactForm(contact);
    expect(before.fields).toEqual({ newsletter: 'yes', plan: 'Gold', spent: '12.5' });
    const after = {
      ...before,
      name: ' Ana Souza ',
      language: '',
      tags: 'VIP, loja centro, vip',
      fields: { ...before.fields, plan: 'Silver', spent: '' },
    };
    expect(contactChanges(before, after, ['plan', 'spent', 'newsletter', 'city'])).toEqual({
      name: 'Ana Souza',
      language: null,
      tags: ['vip', 'loja centro'],
      fields: [
        { key: 'plan', value: 'Silver' },
        { key: 'spent', value: null },
      ],
    });
    expect(contactChanges(before, before, ['plan'])).toEqual({});
  });

  it('reads tags and suggests field keys as the server wants them', () => {
    expect(parseTags(' A, b ,, a ')).toEqual(['a', 'b']);
    expect(suggestFieldKey('Customer since')).toBe('customer_since');
    expect(suggestFieldKey('Cidade de Origem (São Paulo?)')).toBe('cidade_de_origem_sao_paulo');
    expect(suggestFieldKey('2nd phone')).toBe('nd_phone');
  });
});
