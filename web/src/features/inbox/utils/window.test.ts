import { describe, expect, it } from 'vitest';

import { conversationWindow, WINDOW_CLOSED_TEXT } from '@/features/inbox/utils/window';

const at = (h: number, m: number, day = 10) => new Date(2026, 2, day, h, m);

describe('conversationWindow', () => {
  it('says until when the window is open, in the clock of today', () => {
    const window = conversationWindow({ windowOpen: true, windowOpenUntil: at(14, 32).toISOString() }, at(9, 0), 'en-GB');
    expect(window).toMatchObject({ open: true, text: 'Window open until 14:32' });
    expect(window.closesAt?.getTime()).toBe(at(14, 32).getTime());
  });

  it('says "tomorrow" when the window ends after midnight', () => {
    const window = conversationWindow({ windowOpen: true, windowOpenUntil: at(8, 5, 11).toISOString() }, at(20, 0), 'en-GB');
    expect(window.text).toBe('Window open until 08:05 tomorrow');
  });

  it('closes when the clock passes the end, whatever the server said earlier', () => {
    const window = conversationWindow({ windowOpen: true, windowOpenUntil: at(14, 32).toISOString() }, at(14, 33), 'en-GB');
    expect(window).toEqual({ open: false, text: WINDOW_CLOSED_TEXT, closesAt: null });
    expect(WINDOW_CLOSED_TEXT).toBe('Window closed — send an approved template');
  });

  it('is closed when the customer never wrote', () => {
    expect(conversationWindow({ windowOpen: false, windowOpenUntil: null }, at(9, 0)).open).toBe(false);
  });
});
