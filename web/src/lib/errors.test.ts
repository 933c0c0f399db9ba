import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';

import { errorCode, errorMessage, errorView, FORBIDDEN_MESSAGE } from '@/lib/errors';

function serverError(code: string, message = 'boom'): CombinedError {
  return new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions: { code } })] });
}

describe('errorCode', () => {
  it('reads extensions.code', () => {
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION', 'CONFLICT', 'INTERNAL']) {
      expect(errorCode(serverError(code))).toBe(code);
    }
  });

  it('treats transport failures as NETWORK and HTTP 401 as UNAUTHENTICATED', () => {
    expect(errorCode(new CombinedError({ networkError: new Error('Failed to fetch') }))).toBe('NETWORK');
    expect(
      errorCode(new CombinedError({ networkError: new Error('Unauthorized'), response: { status: 401 } })),
    ).toBe('UNAUTHENTICATED');
  });

  it('falls back to UNKNOWN for codes it does not know', () => {
    expect(errorCode(serverError('PLAN_LIMIT'))).toBe('UNKNOWN');
    expect(errorCode(new CombinedError({ graphQLErrors: ['no code'] }))).toBe('UNKNOWN');
  });
});

describe('errorView', () => {
  it('maps FORBIDDEN to the forbidden panel with the role message', () => {
    const view = errorView(serverError('FORBIDDEN', 'admin role required'));
    expect(view).toMatchObject({ code: 'FORBIDDEN', title: FORBIDDEN_MESSAGE, testId: 'forbidden' });
    expect(FORBIDDEN_MESSAGE).toBe('You need the Admin or Owner role for this page');
  });

  it("shows the server's VALIDATION message as it is", () => {
    const view = errorView(serverError('VALIDATION', 'Name is already taken'));
    expect(view).toMatchObject({ code: 'VALIDATION', message: 'Name is already taken' });
  });

  it('never leaves the user with an empty explanation', () => {
    const codes = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION', 'CONFLICT', 'INTERNAL', 'OTHER'];
    for (const code of codes) {
      const view = errorView(serverError(code, ''));
      expect(view.title.length, code).toBeGreaterThan(0);
      expect(view.testId.length, code).toBeGreaterThan(0);
    }
    const network = errorView(new CombinedError({ networkError: new Error('Failed to fetch') }));
    expect(network).toMatchObject({ code: 'NETWORK', title: 'Cannot reach the server', testId: 'network-error' });
    expect(network.message).toContain('Failed to fetch');
  });
});

describe('errorMessage', () => {
  it("uses the server's words without urql's prefixes", () => {
    expect(errorMessage(serverError('VALIDATION', 'Too long'))).toBe('Too long');
    expect(errorMessage(new CombinedError({ networkError: new Error('offline') }))).toBe('offline');
  });
});
