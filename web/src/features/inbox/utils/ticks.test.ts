import { describe, expect, it } from 'vitest';

import { deliveryTick, failureText, isStatusAdvance } from '@/features/inbox/utils/ticks';

describe('deliveryTick', () => {
  it('shows WhatsApp’s marks: clock, one tick, two ticks, blue ticks, red !', () => {
    expect(deliveryTick('pending').kind).toBe('clock');
    expect(deliveryTick('accepted').kind).toBe('single');
    expect(deliveryTick('sent').kind).toBe('single');
    expect(deliveryTick('delivered').kind).toBe('double');
    expect(deliveryTick('read').kind).toBe('read');
    expect(deliveryTick('played').kind).toBe('read');
    expect(deliveryTick('failed').kind).toBe('failed');
  });

  it('shows nothing on inbound messages or unknown statuses', () => {
    expect(deliveryTick('received').kind).toBe('none');
    expect(deliveryTick('something-new').kind).toBe('none');
  });
});

describe('isStatusAdvance', () => {
  it('moves ticks forward only: a late "delivered" after "read" is ignored', () => {
    expect(isStatusAdvance('sent', 'delivered')).toBe(true);
    expect(isStatusAdvance('delivered', 'read')).toBe(true);
    expect(isStatusAdvance('read', 'delivered')).toBe(false);
    expect(isStatusAdvance('pending', 'failed')).toBe(true);
    expect(isStatusAdvance('read', 'read')).toBe(true);
  });
});

describe('failureText', () => {
  it("names Meta's code and reason", () => {
    expect(failureText({ code: 131047, text: 'Re-engagement message' })).toBe('Error 131047: Re-engagement message');
    expect(failureText({ code: 131026, text: null })).toBe('Error 131026');
    expect(failureText({ code: null, text: 'Number not on WhatsApp' })).toBe('Number not on WhatsApp');
    expect(failureText(null)).toBe('WhatsApp did not deliver this message.');
  });
});
