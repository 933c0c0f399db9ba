import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

export interface Rendered {
  container: HTMLElement;
  /** The element with `data-testid`, or null. */
  byTestId: (testId: string) => HTMLElement | null;
  allByTestId: (testId: string) => HTMLElement[];
  rerender: (ui: ReactNode) => Promise<void>;
  unmount: () => Promise<void>;
}

/** Renders into a fresh element of the happy-dom document and flushes effects. */
export async function render(ui: ReactNode): Promise<Rendered> {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true;
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root: Root = createRoot(container);
  await act(async () => {
    root.render(ui);
    await Promise.resolve();
  });
  return {
    container,
    byTestId: (id) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`),
    allByTestId: (id) => [...container.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)],
    rerender: async (next) => {
      await act(async () => {
        root.render(next);
        await Promise.resolve();
      });
    },
    unmount: async () => {
      await act(async () => {
        root.unmount();
        await Promise.resolve();
      });
      container.remove();
    },
  };
}

export async function click(element: Element | null): Promise<void> {
  if (!element) throw new Error('click: element not found');
  await act(async () => {
    (element as HTMLElement).click();
    await Promise.resolve();
  });
}

/** Lets pending promises (fetches, state updates) settle inside act(). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

/** Polls until `check` passes, flushing React work between tries. */
export async function waitFor(check: () => void, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await settle(1);
    }
  }
}

/** Sets a React-controlled input, textarea or select the way typing (or choosing) does. */
export async function typeInto(element: Element | null, value: string): Promise<void> {
  const proto =
    element instanceof HTMLTextAreaElement
      ? HTMLTextAreaElement.prototype
      : element instanceof HTMLSelectElement
        ? HTMLSelectElement.prototype
        : element instanceof HTMLInputElement
          ? HTMLInputElement.prototype
          : null;
  if (!proto || !element) throw new Error('typeInto: not an input, textarea or select');
  await act(async () => {
    // React tracks the value it last set; the prototype setter bypasses that, as typing does.
    Reflect.set(proto, 'value', value, element);
    if (element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement) {
      element.setSelectionRange(value.length, value.length);
    }
    element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
    await Promise.resolve();
  });
}

/** A key press on `element` (keydown only, which is what the app listens to). */
export async function pressKey(element: Element | null, key: string, options: KeyboardEventInit = {}): Promise<void> {
  if (!element) throw new Error('pressKey: element not found');
  await act(async () => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options }));
    await Promise.resolve();
  });
}
