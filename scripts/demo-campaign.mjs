// Gives the demo organization a finished broadcast campaign, the way a shop would run one:
// a marketing template (approved by the sandbox), a campaign to the "vip" group with each
// customer's first name, launched and delivered by the running server; then a few customers
// answer and one sends PARAR, so the campaign's page shows replies and an opt-out.
// Usage: node scripts/demo-campaign.mjs BASE_URL SANDBOX_URL ORG_ID TOKEN_JSON_FILE
// (the sandbox's API secret in WAGENT_SANDBOX_SECRET). Waits for the server to be ready.
import { readFileSync } from 'node:fs';

const [base, sandbox, org, tokenFile] = process.argv.slice(2);
const issued = JSON.parse(readFileSync(tokenFile, 'utf8'));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value, for at most `seconds`. */
async function until(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`demo campaign: gave up waiting for ${what}`);
    await pause(250);
  }
}

async function gql(query, variables = {}) {
  const r = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await r.json();
  if (body.errors) throw new Error(`demo campaign: ${JSON.stringify(body.errors)}`);
  return body.data;
}

await until('the server', 120, async () => (await fetch(`${base}/readyz`)).ok);
const numbers = await gql('query($o: ID!) { organization(id: $o) { phoneNumbers { id phoneNumberId } } }', { o: org });
const number = numbers.organization.phoneNumbers[0];
const template = await gql(
  `mutation($o: ID!, $n: ID!) { createTemplate(input: {organizationId: $o, phoneNumberId: $n,
     name: "oferta_fim_de_semana", language: "pt_BR", category: MARKETING,
     bodyText: "Olá {{1}}! Neste fim de semana você tem {{2}} de desconto em toda a loja. Responda QUERO para reservar.",
     bodyExamples: ["Ana", "15%"]}) { id } }`,
  { o: org, n: number.id },
);
const templateId = template.createTemplate.id;
await until('the template to be approved', 60, async () => {
  const d = await gql('query($o: ID!) { organization(id: $o) { templates { id status } } }', { o: org });
  return d.organization.templates.some((t) => t.id === templateId && t.status === 'APPROVED');
});
const created = await gql('mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }', {
  i: {
    organizationId: org,
    name: 'Oferta de fim de semana',
    phoneNumberId: number.id,
    templateId,
    parameters: [
      { part: 'BODY', placeholder: '1', field: 'first_name', fallback: 'cliente' },
      { part: 'BODY', placeholder: '2', text: '15%' },
    ],
    audience: { tags: ['vip'] },
    schedule: { kind: 'NOW' },
  },
});
const campaign = created.createCampaign.id;
await gql('mutation($o: ID!, $c: ID!) { launchCampaign(organizationId: $o, campaignId: $c) { id } }', { o: org, c: campaign });
const CAMPAIGN = 'query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { status stats { sent read } recipients(first: 12, filter: {status: READ}) { nodes { address } } } } }';
const read = await until('the campaign to be read', 120, async () => {
  const d = await gql(CAMPAIGN, { o: org, c: campaign });
  const c = d.organization.campaign;
  return c.status === 'COMPLETED' && c.stats.sent > 0 && c.stats.read >= Math.min(12, c.stats.sent) && c;
});
// A few customers answer; one stops the offers.
const answers = ['QUERO', 'Quero sim!', 'Vale para a loja do centro?', 'Quero', 'Obrigada!', 'PARAR'];
const addresses = read.recipients.nodes.map((n) => n.address.replace(/^\+/, ''));
for (const [i, text] of answers.entries()) {
  if (!addresses[i]) break;
  const r = await fetch(`${sandbox}/sandbox/customers/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-secret': process.env.WAGENT_SANDBOX_SECRET },
    body: JSON.stringify({ phone_number_id: number.phoneNumberId, from: addresses[i], type: 'text', text: { body: text } }),
  });
  if (!r.ok) throw new Error(`demo campaign: the sandbox customer could not write: ${await r.text()}`);
}
await gql('mutation($o: ID!, $t: ID!) { revokeApiToken(input: {organizationId: $o, apiTokenId: $t}) { id } }', { o: org, t: issued.id });
console.log(JSON.stringify({ campaign, sent: read.stats.sent }));
