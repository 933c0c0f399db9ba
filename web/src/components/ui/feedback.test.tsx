// @vitest-environment happy-dom
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';

import { ErrorPanel, FormError } from '@/components/ui/feedback';
import { render } from '@/test/render';

const withCode = (code: string, message: string) =>
  new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions: { code } })] });

describe('ErrorPanel', () => {
  it('shows the forbidden panel when the server answers FORBIDDEN', async () => {
    const view = await render(<ErrorPanel error={withCode('FORBIDDEN', 'requires admin')} />);
    const panel = view.byTestId('forbidden');
    expect(panel?.textContent).toContain('You need the Admin or Owner role for this page');
    await view.unmount();
  });

  it('explains NOT_FOUND and INTERNAL errors instead of rendering nothing', async () => {
    const notFound = await render(<ErrorPanel error={withCode('NOT_FOUND', 'organization not found')} />);
    expect(notFound.byTestId('not-found')?.textContent).toContain('organization not found');
    await notFound.unmount();

    const internal = await render(<ErrorPanel error={withCode('INTERNAL', 'Internal error (request 42)')} onRetry={() => undefined} />);
    expect(internal.byTestId('server-error')?.textContent).toContain('request 42');
    expect(internal.byTestId('retry-button')).not.toBeNull();
    await internal.unmount();
  });
});

describe('FormError', () => {
  it("shows a VALIDATION message next to the form in the server's words", async () => {
    const view = await render(<FormError error={withCode('VALIDATION', 'Name must be unique')} />);
    expect(view.byTestId('form-error')?.textContent).toBe('Name must be unique');
    await view.unmount();
  });

  it('renders nothing without an error', async () => {
    const view = await render(<FormError error={null} />);
    expect(view.byTestId('form-error')).toBeNull();
    await view.unmount();
  });
});
