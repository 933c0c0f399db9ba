import { describe, expect, it } from 'vitest';

import { deliveryTick, failureText, isStatusAdvance } from '@/features/inbox/utils/ticks';
import type { MessageStatus } from '@/gql/graphql';

describe('deliveryTick', () => {
  it('shows WhatsApp’s marks: clock, one tick, two ticks, blue ticks, red !', () => {
    expect(deliveryTick('PENDING').kind).toBe('clock');
    expect(deliveryTick('ACCEPTED').kind).toBe('single');
    expect(deliveryTick('SENT').kind).toBe('single');
    expect(deliveryTick('DELIVERED').kind).toBe('double');
    expect(deliveryTick('READ').kind).toBe('read');
    expect(deliveryTick('PLAYED').kind).toBe('read');
    expect(deliveryTick('FAILED').kind).toBe('failed');
  });

  it('shows nothing on inbound messages or unknown statuses', () => {
    expect(deliveryTick('RECEIVED').kind).toBe('none');
    // A status added by a server newer than this build.
    expect(deliveryTick('SOMETHING_NEW' as MessageStatus).kind).toBe('none');
  });
});

describe('isStatusAdvance', () => {
  it('moves ticks forward only: a late DELIVERED after READ is ignored', () => {
    expect(isStatusAdvance('SENT', 'DELIVERED')).toBe(true);
    expect(isStatusAdvance('DELIVERED', 'READ')).toBe(true);
    expect(isStatusAdvance('READ', 'DELIVERED')).toBe(false);
    expect(isStatusAdvance('PENDING', 'FAILED')).toBe(true);
    expect(isStatusAdvance('READ', 'READ')).toBe(true);
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
