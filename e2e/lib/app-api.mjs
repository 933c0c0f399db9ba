// Calls to the WAgent server from inside a signed-in page, with that person's own access
// token, for setting up what a test is not about (the same API the SPA uses).

/** POST /graphql as the page's signed-in user; throws on GraphQL errors, returns `data`. */
export function appGraphql(page, query, variables = {}) {
  return page.evaluate(
    async ({ query, variables }) => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
      const token = JSON.parse(sessionStorage.getItem(key)).access_token;
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
    { query, variables },
  );
}

/**
 * Imports `csv` into organization `org` as the page's user, each column mapped to the field
 * of its own name (a new name makes a text field), and waits until the import is done.
 */
export async function importContacts(page, org, csv, fileName = 'e2e-contacts.csv', { asAudience = false } = {}) {
  const importId = await page.evaluate(
    async ({ org, csv, fileName }) => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
      const token = JSON.parse(sessionStorage.getItem(key)).access_token;
      const response = await fetch(`/api/organizations/${org}/contact-imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'x-file-name': fileName },
        body: csv,
      });
      if (!response.ok) throw new Error(`upload: HTTP ${response.status}: ${await response.text()}`);
      return (await response.json()).importId;
    },
    { org, csv, fileName },
  );
  const mapping = csv
    .split(/\r?\n/)[0]
    .split(',')
    .map((c) => ({ column: c, field: c }));
  await appGraphql(
    page,
    'mutation($o: ID!, $i: ID!, $m: [ColumnMappingInput!]!, $a: Boolean!) { importContacts(input: {organizationId: $o, importId: $i, mapping: $m, duplicates: UPDATE, asAudience: $a}) { id } }',
    { o: org, i: importId, m: mapping, a: asAudience },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const data = await appGraphql(page, 'query($o: ID!, $i: ID!) { organization(id: $o) { contactImport(id: $i) { status error } } }', {
      o: org,
      i: importId,
    });
    const { status, error } = data.organization.contactImport;
    if (status === 'DONE') return importId;
    if (status === 'FAILED' || status === 'CANCELLED') throw new Error(`the import ended ${status}: ${error}`);
    if (Date.now() > deadline) throw new Error(`the import did not finish (${status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
