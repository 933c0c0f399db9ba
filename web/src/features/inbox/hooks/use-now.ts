import { useEffect, useState } from 'react';

/** The current time, re-read at `at` (e.g. when a window closes) or every `everyMs`. */
export function useNow({ at, everyMs = 60_000 }: { at?: Date | null; everyMs?: number } = {}): Date {
  const [now, setNow] = useState(() => new Date());
  const target = at?.getTime() ?? null;
  useEffect(() => {
    // Only a moment still ahead of `now` needs an early re-read. Once it has passed (a window
    // that closed yesterday), re-reading at once would re-render in a loop, and that stream of
    // updates starves React's transitions: the router's navigation never committed.
    const wait = target != null && target >= now.getTime() ? Math.min(Math.max(target - Date.now() + 250, 0), everyMs) : everyMs;
    const timer = window.setTimeout(() => setNow(new Date()), wait);
    return () => window.clearTimeout(timer);
  }, [now, target, everyMs]);
  return now;
}
