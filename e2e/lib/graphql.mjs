// GraphQL over HTTP from the test itself, e.g. as an integrator holding an API token.

import { API_URL } from './stack.mjs';

/** POST /graphql; returns `{ status, body }` (body parsed as JSON when it is JSON). */
export async function graphql(query, { token, variables } = {}) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${API_URL}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}
