// Gives the demo organization a working AI agent on its sandbox number, answering from the
// demo knowledge base (scripts/demo/knowledge, added by run.sh). Without an AI key it answers
// offline by quoting the best passage with its source, and hands over when nothing matches.
// Usage: node scripts/demo-agent.mjs BASE_URL ORG_ID TOKEN_JSON_FILE. Waits for the server.
import { readFileSync } from 'node:fs';

const [base, org, tokenFile] = process.argv.slice(2);
const issued = JSON.parse(readFileSync(tokenFile, 'utf8'));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function gql(query, variables = {}) {
  const r = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await r.json();
  if (body.errors) throw new Error(`demo agent: ${JSON.stringify(body.errors)}`);
  return body.data;
}

for (let i = 0; ; i++) {
  const up = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
  if (up) break;
  if (i > 480) throw new Error('demo agent: the server never came up');
  await pause(250);
}
const numbers = await gql('query($o: ID!) { organization(id: $o) { phoneNumbers { id } agents { id } } }', { o: org });
if (numbers.organization.agents.length === 0) {
  const made = await gql('mutation($i: AgentInput!) { createAgent(input: $i) { id name } }', {
    i: {
      organizationId: org,
      name: 'Demo Shop assistant',
      tone: 'Warm and brief, like a barista who knows the menu.',
      rules: ['Only answer about the shop, its coffee, delivery, subscriptions and returns.', 'Never promise a discount.'],
      phoneNumberIds: numbers.organization.phoneNumbers.map((n) => n.id),
      debounceMs: 1500,
      enabled: true,
    },
  });
  console.log(JSON.stringify(made.createAgent));
}
