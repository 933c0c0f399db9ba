import type { CombinedError } from '@urql/core';

/** The `extensions.code` values the server promises, plus what the client adds for transport failures. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION'
  /** The thing changed meanwhile, e.g. an import that already finished cannot be cancelled. */
  | 'CONFLICT'
  | 'INTERNAL'
  | 'NETWORK'
  | 'UNKNOWN';

const SERVER_CODES: readonly ErrorCode[] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'INTERNAL',
];

/** The subset of urql's CombinedError this module reads, so tests can build one by hand. */
export type GraphqlErrorLike = Pick<CombinedError, 'graphQLErrors' | 'networkError' | 'message'> & {
  response?: { status?: number } | undefined;
};

/** The code of the first GraphQL error that carries one; transport failures map to NETWORK. */
export function errorCode(error: GraphqlErrorLike): ErrorCode {
  for (const gqlError of error.graphQLErrors) {
    const code = gqlError.extensions?.code;
    if (typeof code === 'string' && (SERVER_CODES as readonly string[]).includes(code)) {
      return code as ErrorCode;
    }
  }
  if (error.response?.status === 401) return 'UNAUTHENTICATED';
  if (error.response?.status === 403) return 'FORBIDDEN';
  if (error.networkError) return 'NETWORK';
  return 'UNKNOWN';
}

/** The server's own words, without urql's "[GraphQL]" / "[Network]" prefixes. */
export function errorMessage(error: GraphqlErrorLike): string {
  const messages = error.graphQLErrors.map((e) => e.message).filter((m) => m.trim() !== '');
  if (messages.length > 0) return messages.join(' ');
  if (error.networkError) return error.networkError.message;
  return error.message.replace(/^\[(GraphQL|Network)\]\s*/, '');
}

/** What the user sees for an error: which panel, its title and its text. */
export interface ErrorView {
  code: ErrorCode;
  title: string;
  message: string;
  testId: string;
}

export const FORBIDDEN_MESSAGE = 'You need the Admin or Owner role for this page';

/** Maps an error to the panel a page shows instead of its content. */
export function errorView(error: GraphqlErrorLike): ErrorView {
  const code = errorCode(error);
  const serverMessage = errorMessage(error);
  switch (code) {
    case 'FORBIDDEN':
      return { code, title: FORBIDDEN_MESSAGE, message: serverMessage, testId: 'forbidden' };
    case 'NOT_FOUND':
      return {
        code,
        title: 'Not found',
        message: serverMessage || 'It may have been deleted, or you are not a member.',
        testId: 'not-found',
      };
    case 'UNAUTHENTICATED':
      return {
        code,
        title: 'Your session has ended',
        message: 'Taking you to sign-in…',
        testId: 'unauthenticated',
      };
    case 'VALIDATION':
      return { code, title: 'Please check your input', message: serverMessage, testId: 'validation-error' };
    case 'CONFLICT':
      return {
        code,
        title: 'That cannot be done now',
        message: serverMessage || 'It changed in the meantime; reload and try again.',
        testId: 'conflict-error',
      };
    case 'NETWORK':
      return {
        code,
        title: 'Cannot reach the server',
        message: `Check your connection and try again. (${serverMessage})`,
        testId: 'network-error',
      };
    case 'INTERNAL':
      return {
        code,
        title: 'Something went wrong on our side',
        message: serverMessage || 'Please try again in a moment.',
        testId: 'server-error',
      };
    case 'UNKNOWN':
      return {
        code,
        title: 'Something went wrong',
        message: serverMessage || 'Please try again.',
        testId: 'server-error',
      };
  }
}
