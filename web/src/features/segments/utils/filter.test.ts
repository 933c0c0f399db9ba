import { describe, expect, it } from 'vitest';

import { EMPTY_FORM, fromFilter, toFilterInput } from '@/features/segments/utils/filter';

describe('segment filters', () => {
  it('sends only the conditions that are set, as the server wants them', () => {
    expect(toFilterInput(EMPTY_FORM)).toEqual({});
    expect(
      toFilterInput({
        ...EMPTY_FORM,
        allOf: ' VIP, loja centro, vip ',
        countries: 'br, us',
        marketing: ['OPTED_IN'],
        fields: [
          { id: 1, key: 'plan', operator: 'EQUALS', value: 'Gold' },
          { id: 2, key: 'plan', operator: 'IS_SET', value: 'ignored' },
          { id: 3, key: '', operator: 'EQUALS', value: 'no field chosen' },
        ],
        activity: [
          { id: 4, direction: 'INBOUND', operator: 'WITHIN_DAYS', days: '30', date: '' },
          { id: 5, direction: 'OUTBOUND', operator: 'BEFORE', days: '', date: '2025-01-31' },
        ],
      }),
    ).toEqual({
      tags: { allOf: ['vip', 'loja centro'], anyOf: [], noneOf: [] },
      countries: ['BR', 'US'],
      marketing: ['OPTED_IN'],
      fields: [
        { key: 'plan', operator: 'EQUALS', value: 'Gold' },
        { key: 'plan', operator: 'IS_SET', value: null },
      ],
      activity: [
        { direction: 'INBOUND', operator: 'WITHIN_DAYS', days: 30, at: null },
        { direction: 'OUTBOUND', operator: 'BEFORE', days: null, at: '2025-01-31T00:00:00Z' },
      ],
    });
  });

  it('reads a saved filter back into the form', () => {
    const form = fromFilter('VIP', {
      tags: { allOf: ['vip'], anyOf: [], noneOf: ['churned'] },
      fields: [{ key: 'plan', operator: 'EQUALS', value: 'Gold' }],
      countries: ['BR'],
      marketing: ['OPTED_IN'],
      activity: [{ direction: 'INBOUND', operator: 'AFTER', at: '2025-01-31T00:00:00+00:00', days: null }],
    });
    expect(form).toMatchObject({ name: 'VIP', allOf: 'vip', noneOf: 'churned', countries: 'BR' });
    expect(form.activity[0]).toMatchObject({ operator: 'AFTER', date: '2025-01-31' });
    expect(toFilterInput(form).fields).toEqual([{ key: 'plan', operator: 'EQUALS', value: 'Gold' }]);
  });
});
