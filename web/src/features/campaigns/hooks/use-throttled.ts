import { useCallback, useEffect, useRef } from 'react';

import { throttle } from '@/features/campaigns/utils/throttle';

/** A stable function that calls the latest `fn` at most once every `ms` (see `throttle`). */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  const throttler = useRef<ReturnType<typeof throttle> | null>(null);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => {
    const t = throttle(() => latest.current(), ms);
    throttler.current = t;
    return () => {
      t.cancel();
      throttler.current = null;
    };
  }, [ms]);
  return useCallback(() => throttler.current?.call(), []);
}
