/** The 24-hour customer-service window: free-form messages only while it is open. */
export interface ConversationWindow {
  open: boolean;
  /** "Window open until 14:32" or "Window closed — send an approved template". */
  text: string;
  /** When it closes, if open: the composer re-renders then. */
  closesAt: Date | null;
}

export const WINDOW_CLOSED_TEXT = 'Window closed — send an approved template';

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * The window of a conversation as of `now`. The server's `windowOpen` is only trusted when it
 * gives no end: with an end, the clock decides, so the composer locks when the window runs out.
 */
export function conversationWindow(
  conversation: { windowOpen: boolean; windowOpenUntil?: string | null },
  now: Date = new Date(),
  locale?: string,
): ConversationWindow {
  const until = conversation.windowOpenUntil ? new Date(conversation.windowOpenUntil) : null;
  const valid = until != null && !Number.isNaN(until.getTime());
  const open = valid ? until.getTime() > now.getTime() : conversation.windowOpen;
  if (!open) return { open: false, text: WINDOW_CLOSED_TEXT, closesAt: null };
  if (!valid) return { open: true, text: 'Window open', closesAt: null };
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(until);
  return {
    open: true,
    text: sameDay(until, now) ? `Window open until ${time}` : `Window open until ${time} tomorrow`,
    closesAt: until,
  };
}
