import { useCallback, useState } from 'react';

import { readSidebarState, writeSidebarState, type SidebarState } from '@/lib/sidebar-cookie';

/** Collapsed or expanded, remembered across visits in the `wagent_sidebar` cookie. */
export function useSidebarState(): { state: SidebarState; toggle: () => void } {
  const [state, setState] = useState<SidebarState>(() => readSidebarState());
  const toggle = useCallback(() => {
    const next: SidebarState = state === 'collapsed' ? 'expanded' : 'collapsed';
    writeSidebarState(next);
    setState(next);
  }, [state]);
  return { state, toggle };
}
