import { describe, expect, it } from 'vitest';

import { breakdownKeyLabel, formatRate, placeholderLabel, skipReasonLabel } from '@/features/campaigns/utils/labels';
import { actionsFor, funnelSummary, timelineTotals } from '@/features/campaigns/utils/stats';

const STATS = {
  audience: 10,
  skipped: 2,
  queued: 0,
  sent: 8,
  delivered: 7,
  read: 5,
  replied: 1,
  failed: 1,
  held: 0,
  unknown: 0,
  cancelled: 0,
  optedOut: 0,
};

describe('labels', () => {
  it('says skip reasons and breakdown keys in words', () => {
    expect(skipReasonLabel('opted_out')).toBe('Opted out of marketing');
    expect(skipReasonLabel('something_new')).toBe('something_new');
    expect(breakdownKeyLabel('marketing')).toBe('Marketing');
    expect(breakdownKeyLabel('none')).toBe('No code');
  });

  it('names placeholders the way people see them', () => {
    expect(placeholderLabel({ part: 'BODY', name: '2' })).toBe('Body {{2}}');
    expect(placeholderLabel({ part: 'BUTTON', buttonIndex: 0, name: '1' })).toBe('Button 1 {{1}}');
    expect(placeholderLabel({ part: 'HEADER', name: 'media', media: 'IMAGE' })).toBe('Header (image link)');
  });

  it('formats rates', () => {
    expect(formatRate(0.8751)).toBe('87.5%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(Number.NaN)).toBe('—');
  });
});

describe('stats', () => {
  it('summarises the funnel for screen readers', () => {
    expect(funnelSummary(STATS)).toBe(
      'Campaign funnel: 10 audience, 8 sent, 7 delivered, 5 read, 1 replied; 1 failed, 2 skipped.',
    );
  });

  it('adds the timeline up', () => {
    const point = { minute: '2026-01-01T10:00:00Z', sent: 2, delivered: 1, read: 1, replied: 0, failed: 1 };
    expect(timelineTotals([point, { ...point, minute: '2026-01-01T10:01:00Z' }])).toEqual({
      sent: 4,
      delivered: 2,
      read: 2,
      replied: 0,
      failed: 2,
    });
  });

  it('offers the actions each state allows', () => {
    expect(actionsFor('RUNNING')).toMatchObject({ pause: true, resume: false, cancel: true, retryFailed: false });
    expect(actionsFor('PAUSED', 3)).toMatchObject({ pause: false, resume: true, cancel: true, retryFailed: true });
    expect(actionsFor('SCHEDULED', 3)).toMatchObject({ pause: true, retryFailed: false });
    expect(actionsFor('COMPLETED')).toMatchObject({ pause: false, resume: false, cancel: false });
  });
});
