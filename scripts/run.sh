#!/usr/bin/env bash
# Runs WAgent with its embedded defaults: a private PostgreSQL under .wagent/, the local
# OpenID Connect provider (demo users), and the web app at http://localhost:8080.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_postgres
ensure_node
npm_ci web
npm_ci dev/oidc

say "building the web app"
(cd web && npm run --silent build >/dev/null)
say "building wagent (release; the first build takes several minutes)"
cargo build --release --locked -p wagent-app

export WAGENT_DATA_DIR="${WAGENT_DATA_DIR:-$ROOT/.wagent}"
export WAGENT_LISTEN="${WAGENT_LISTEN:-127.0.0.1:8080}"
PORT="${WAGENT_LISTEN##*:}"
export WAGENT_PUBLIC_URL="${WAGENT_PUBLIC_URL:-http://localhost:$PORT}"
OIDC_PORT="${OIDC_PORT:-8081}"
export OIDC_ISSUER="${OIDC_ISSUER:-http://localhost:$OIDC_PORT}"
mkdir -p "$WAGENT_DATA_DIR"

oidc_log="$WAGENT_DATA_DIR/oidc.log"
(cd dev/oidc && OIDC_PORT="$OIDC_PORT" OIDC_ISSUER="$OIDC_ISSUER" \
  OIDC_REDIRECT_URIS="$WAGENT_PUBLIC_URL/auth/callback,http://127.0.0.1:$PORT/auth/callback,http://localhost:5173/auth/callback" \
  exec node server.mjs >"$oidc_log.out" 2>"$oidc_log") &
oidc_pid=$!
trap 'kill $oidc_pid 2>/dev/null || true' EXIT
wait_for_line "$oidc_log.out" '"ready":true' 15 || { cat "$oidc_log" >&2; echo "the local OIDC provider did not start" >&2; exit 1; }

wagent="$TARGET_DIR/release/wagent"

# The built-in Meta sandbox stands in for Meta's Cloud API: it answers Graph calls and sends
# signed webhooks back to WAgent, so WhatsApp works without a Meta account.
SANDBOX_PORT="${SANDBOX_PORT:-8082}"
[ -s "$WAGENT_DATA_DIR/sandbox-secret" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WAGENT_DATA_DIR/sandbox-secret")
export META_APP_ID="${META_APP_ID:-sandbox-app}"
export META_APP_SECRET="${META_APP_SECRET:-$(cat "$WAGENT_DATA_DIR/sandbox-secret")}"
export META_VERIFY_TOKEN="${META_VERIFY_TOKEN:-sandbox-verify}"
export META_GRAPH_URL="${META_GRAPH_URL:-http://127.0.0.1:$SANDBOX_PORT}"
export WAGENT_SANDBOX_URL="${WAGENT_SANDBOX_URL:-http://127.0.0.1:$SANDBOX_PORT}"
# The sandbox's own API (customers writing in, accounts, config) answers only with this secret.
[ -s "$WAGENT_DATA_DIR/sandbox-api-secret" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WAGENT_DATA_DIR/sandbox-api-secret")
export WAGENT_SANDBOX_SECRET="${WAGENT_SANDBOX_SECRET:-$(cat "$WAGENT_DATA_DIR/sandbox-api-secret")}"
sandbox_log="$WAGENT_DATA_DIR/sandbox.log"
"$wagent" sandbox --listen "127.0.0.1:$SANDBOX_PORT" --app-id "$META_APP_ID" \
  --webhook-url "http://127.0.0.1:$PORT/webhooks/whatsapp" >"$sandbox_log.out" 2>"$sandbox_log" &
sandbox_pid=$!
trap 'kill $oidc_pid $sandbox_pid 2>/dev/null || true' EXIT
wait_for_line "$sandbox_log.out" '"ready":true' 15 || { cat "$sandbox_log" >&2; echo "the Meta sandbox did not start" >&2; exit 1; }

# The sandbox keeps its state in memory: give it the demo business account again.
node -e 'fetch(process.argv[1] + "/sandbox/accounts", { method: "POST",
    headers: { "content-type": "application/json", "x-sandbox-secret": process.env.WAGENT_SANDBOX_SECRET },
    body: JSON.stringify({ waba_id: "102290129340398", phone_number_id: "106540352242922", business_name: "Demo Shop" }) })
  .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$WAGENT_SANDBOX_URL" ||
  echo "note: the sandbox did not take the demo account" >&2

if [ ! -s "$WAGENT_DATA_DIR/demo-org.json" ]; then
  say "creating the demo organization with a sandbox WhatsApp number"
  "$wagent" org create --name "Demo Shop" --owner-email alice@example.com >"$WAGENT_DATA_DIR/demo-org.json.tmp"
  org_id="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id' "$WAGENT_DATA_DIR/demo-org.json.tmp")"
  token_file="$(mktemp)"
  echo "sandbox-system-user-token" >"$token_file"
  "$wagent" whatsapp connect --org "$org_id" --waba 102290129340398 --phone-number-id 106540352242922 --token-file "$token_file" >/dev/null
  rm -f "$token_file"
  mv "$WAGENT_DATA_DIR/demo-org.json.tmp" "$WAGENT_DATA_DIR/demo-org.json"
fi
if [ ! -e "$WAGENT_DATA_DIR/demo-contacts.done" ]; then
  say "importing the demo organization's 300 contacts"
  org_id="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id' "$WAGENT_DATA_DIR/demo-org.json")"
  node scripts/demo-contacts.mjs >"$WAGENT_DATA_DIR/demo-contacts.csv"
  "$wagent" contacts import --org "$org_id" --file "$WAGENT_DATA_DIR/demo-contacts.csv" \
    --default-country BR --map Nome=name --map Celular=phone --map E-mail=email --map Grupos=tags \
    --map Cidade=city --map "Aceita ofertas=marketing" >"$WAGENT_DATA_DIR/demo-contacts.json"
  rm -f "$WAGENT_DATA_DIR/demo-contacts.csv"
  touch "$WAGENT_DATA_DIR/demo-contacts.done"
fi

if [ ! -e "$WAGENT_DATA_DIR/demo-knowledge.done" ]; then
  say "adding the demo knowledge base (what the demo AI agent answers from)"
  org_id="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id' "$WAGENT_DATA_DIR/demo-org.json")"
  for doc in scripts/demo/knowledge/*; do
    [ "$(basename "$doc")" = README.md ] && continue
    "$wagent" knowledge add --org "$org_id" --file "$doc" --language en >/dev/null
  done
  touch "$WAGENT_DATA_DIR/demo-knowledge.done"
fi

if [ ! -e "$WAGENT_DATA_DIR/demo-agent.done" ]; then
  org_id="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id' "$WAGENT_DATA_DIR/demo-org.json")"
  (umask 077; "$wagent" token issue --org "$org_id" --role admin --ttl 1d --name "demo agent" >"$WAGENT_DATA_DIR/demo-agent-token.json")
  (node scripts/demo-agent.mjs "http://127.0.0.1:$PORT" "$org_id" "$WAGENT_DATA_DIR/demo-agent-token.json" \
      >"$WAGENT_DATA_DIR/demo-agent.json" 2>"$WAGENT_DATA_DIR/demo-agent.log" &&
    touch "$WAGENT_DATA_DIR/demo-agent.done"; rm -f "$WAGENT_DATA_DIR/demo-agent-token.json") &
fi

if [ ! -e "$WAGENT_DATA_DIR/demo-campaign.done" ]; then
  # Sent by the server once it runs: a finished campaign with replies on the Campaigns page.
  say "the demo organization's campaign is sent once the server is up"
  org_id="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id' "$WAGENT_DATA_DIR/demo-org.json")"
  (umask 077; "$wagent" token issue --org "$org_id" --role admin --ttl 1d --name "demo data" >"$WAGENT_DATA_DIR/demo-token.json")
  (node scripts/demo-campaign.mjs "http://127.0.0.1:$PORT" "$WAGENT_SANDBOX_URL" "$org_id" "$WAGENT_DATA_DIR/demo-token.json" \
      >"$WAGENT_DATA_DIR/demo-campaign.json" 2>"$WAGENT_DATA_DIR/demo-campaign.log" &&
    touch "$WAGENT_DATA_DIR/demo-campaign.done"; rm -f "$WAGENT_DATA_DIR/demo-token.json") &
fi

cat >&2 <<MSG

  WAgent is starting at $WAGENT_PUBLIC_URL
  Sign in as alice@example.com (password: wagent-demo) to open the "Demo Shop" organization;
  bob@example.com and carol@example.com are there to invite. Demo Shop has a WhatsApp number
  on the built-in Meta sandbox: open the customer phone (top bar) to write to it as a
  customer and answer from the inbox. Its AI agent answers customers first, from the demo
  knowledge base (set LLM_API_KEY for DeepSeek; without it the agent quotes the best passage);
  ask it "what are your opening hours?" or "I want to talk to a person". Ctrl-C stops everything.

MSG
"$wagent" serve
