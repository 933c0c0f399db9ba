// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';

import { SIDEBAR_COOKIE } from '@/lib/sidebar-cookie';
import { useSidebarState } from '@/lib/use-sidebar-state';
import { click, render } from '@/test/render';

function Toggle() {
  const { state, toggle } = useSidebarState();
  return (
    <button type="button" data-testid="sidebar-toggle" data-state={state} onClick={toggle}>
      toggle
    </button>
  );
}

describe('useSidebarState', () => {
  afterEach(() => {
    document.cookie = `${SIDEBAR_COOKIE}=; Path=/; Max-Age=0`;
  });

  it('remembers a collapsed sidebar across page loads', async () => {
    const first = await render(<Toggle />);
    expect(first.byTestId('sidebar-toggle')?.dataset.state).toBe('expanded');
    await click(first.byTestId('sidebar-toggle'));
    expect(first.byTestId('sidebar-toggle')?.dataset.state).toBe('collapsed');
    expect(document.cookie).toContain('wagent_sidebar=collapsed');
    await first.unmount();

    const second = await render(<Toggle />);
    expect(second.byTestId('sidebar-toggle')?.dataset.state).toBe('collapsed');
    await click(second.byTestId('sidebar-toggle'));
    expect(document.cookie).toContain('wagent_sidebar=expanded');
    await second.unmount();
  });
});
