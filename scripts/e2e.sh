#!/usr/bin/env bash
# Browser end-to-end tests (e2e/): starts the local OpenID Connect provider and the release
# build of wagent (the SPA embedded; WAGENT_PROFILE=ci for the tests' build) on free ports with
# a throw-away data folder, creates the "Demo Shop" organization like scripts/run.sh, and
# drives Debian's Chromium with playwright-core under `node --test`. Everything started here
# is stopped on exit; the temp folder (logs, the private PostgreSQL cluster) is removed unless
# a test failed. Failed tests leave screenshots in e2e/.artifacts/. Extra arguments go to
# `node --test` (e.g. --test-name-pattern=token).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$SECONDS

wagent="$TARGET_DIR/${WAGENT_PROFILE:-release}/wagent"
if [ ! -x "$wagent" ]; then
  cat >&2 <<MSG
e2e: $wagent does not exist. Build the web app and the binary first (it embeds web/dist):
  (cd web && npm ci && npm run build) && cargo build --profile ${WAGENT_PROFILE:-release} --locked -p wagent-app
or run everything with: bash scripts/test.sh
MSG
  exit 1
fi
newer="$(find web/dist server -newer "$wagent" -type f -print -quit 2>/dev/null || true)"
[ -z "$newer" ] || say "warning: $newer is newer than $wagent; the tests run the old build"

ensure_postgres
ensure_node
ensure_chromium
npm_ci dev/oidc
npm_ci e2e

# Only what this script sets may reach the two servers (a stray DATABASE_URL would point wagent
# at a real database; wagent refuses unknown WAGENT_* names).
while read -r name; do
  case "$name" in
    WAGENT_PG_BIN | WAGENT_LOG) ;;
    WAGENT_* | OIDC_* | META_*) unset "$name" ;;
  esac
done < <(compgen -e)
unset DATABASE_URL

tmp="$(mktemp -d "${TMPDIR:-/tmp}/wagent-e2e.XXXXXX")"
# Run as root, wagent gives the cluster to the postgres user, who must be able to reach it.
chmod 755 "$tmp"
serve_pid="" oidc_pid="" sandbox_pid="" tests_failed=0

cleanup() {
  local rc=$?
  set +e
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid"
    for _ in $(seq 200); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$serve_pid" 2>/dev/null && { say "wagent did not stop within 20 s; killing it"; kill -KILL "$serve_pid"; }
    wait "$serve_pid" 2>/dev/null
  fi
  # The cluster's watchdog stops PostgreSQL a moment after its last user (serve) has gone.
  for _ in $(seq 150); do [ -e "$tmp/data/postgres/postmaster.pid" ] || break; sleep 0.1; done
  local pg_running=0
  [ -e "$tmp/data/postgres/postmaster.pid" ] && pg_running=1
  if [ -n "$oidc_pid" ]; then
    kill -TERM "$oidc_pid" 2>/dev/null
    wait "$oidc_pid" 2>/dev/null
  fi
  if [ -n "$sandbox_pid" ]; then
    kill -TERM "$sandbox_pid" 2>/dev/null
    wait "$sandbox_pid" 2>/dev/null
  fi
  if [ "$pg_running" -eq 1 ]; then
    say "warning: the private PostgreSQL in $tmp/data is still running; not removing $tmp"
  elif [ "$rc" -eq 0 ] || [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ]; then
    rm -rf "$tmp"
  fi
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 130 ] && [ "$rc" -ne 143 ]; then
    for log in "$tmp/wagent.log" "$tmp/oidc.log" "$tmp/org-create.log" "$tmp/sandbox.log"; do
      [ -s "$log" ] || continue
      printf '\n----- last lines of %s -----\n' "$log" >&2
      tail -n 40 "$log" >&2
    done
    [ "$tests_failed" -eq 1 ] && [ -d e2e/.artifacts ] && say "screenshots and page logs: $ROOT/e2e/.artifacts"
    say "e2e failed; logs and data kept in $tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
base="http://localhost:$port"

# The provider picks its own free port (OIDC_PORT=0) and says which in its ready line. Its host
# (127.0.0.1) differs from the app's (localhost): cookies ignore ports, so this keeps the
# provider's session cookies out of the app's cookie jar, as with a real identity provider.
say "starting the local OpenID Connect provider"
(cd dev/oidc && OIDC_PORT=0 OIDC_HOST=127.0.0.1 OIDC_ISSUER='http://127.0.0.1:{port}' \
  OIDC_REDIRECT_URIS="$base/auth/callback,http://127.0.0.1:$port/auth/callback" \
  exec node server.mjs >"$tmp/oidc.out" 2>"$tmp/oidc.log") &
oidc_pid=$!
wait_for_line "$tmp/oidc.out" '"ready":true' 15 || { echo "e2e: the OIDC provider did not start" >&2; exit 1; }
issuer="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).issuer' "$tmp/oidc.out")"

export WAGENT_DATA_DIR="$tmp/data" WAGENT_LISTEN="127.0.0.1:$port" WAGENT_PUBLIC_URL="$base" OIDC_ISSUER="$issuer"

# The built-in Meta sandbox, as the run command starts it.
sandbox_port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
export META_APP_ID="sandbox-app" META_APP_SECRET="e2e-sandbox-secret" META_VERIFY_TOKEN="e2e-verify"
export META_GRAPH_URL="http://127.0.0.1:$sandbox_port" WAGENT_SANDBOX_URL="http://127.0.0.1:$sandbox_port"
WAGENT_SANDBOX_SECRET="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export WAGENT_SANDBOX_SECRET
"$wagent" sandbox --listen "127.0.0.1:$sandbox_port" --app-id "$META_APP_ID" \
  --webhook-url "http://127.0.0.1:$port/webhooks/whatsapp" >"$tmp/sandbox.out" 2>"$tmp/sandbox.log" &
sandbox_pid=$!
wait_for_line "$tmp/sandbox.out" '"ready":true' 15 || { echo "e2e: the Meta sandbox did not start" >&2; exit 1; }
e2e_waba="102290129340398" e2e_number="106540352242922"
node -e 'fetch(process.argv[1] + "/sandbox/accounts", { method: "POST",
    headers: { "content-type": "application/json", "x-sandbox-secret": process.env.WAGENT_SANDBOX_SECRET },
    body: JSON.stringify({ waba_id: process.argv[2], phone_number_id: process.argv[3], business_name: "Demo Shop" }) })
  .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$WAGENT_SANDBOX_URL" "$e2e_waba" "$e2e_number" ||
  { echo "e2e: the sandbox refused the demo account" >&2; exit 1; }

say "creating the demo organization with a sandbox number"
"$wagent" org create --name "Demo Shop" --owner-email alice@example.com >"$tmp/demo-org.json" 2>"$tmp/org-create.log" ||
  { echo "e2e: wagent org create failed" >&2; exit 1; }
demo_org_id="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id' "$tmp/demo-org.json")"
echo "sandbox-token" >"$tmp/token"
"$wagent" whatsapp connect --org "$demo_org_id" --waba "$e2e_waba" --phone-number-id "$e2e_number" --token-file "$tmp/token" \
  >"$tmp/connect.json" 2>>"$tmp/org-create.log" || { echo "e2e: wagent whatsapp connect failed" >&2; exit 1; }

say "starting wagent at $base"
"$wagent" serve >"$tmp/wagent.log" 2>&1 &
serve_pid=$!
node -e '
  const [url, pid] = process.argv.slice(1);
  const deadline = Date.now() + 60_000;
  (async () => {
    for (;;) {
      try { process.kill(Number(pid), 0); } catch { console.error("e2e: wagent exited during start-up"); process.exit(1); }
      try { if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) process.exit(0); } catch {}
      if (Date.now() > deadline) { console.error("e2e: wagent was not ready within 60 s"); process.exit(1); }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
' "http://127.0.0.1:$port/readyz" "$serve_pid" || exit 1
say "stack ready in $((SECONDS - started)) s; running the browser tests"

rm -rf e2e/.artifacts
export E2E_BASE_URL="$base" E2E_ISSUER="$issuer" E2E_DEMO_ORG_ID="$demo_org_id"
export E2E_SANDBOX_URL="$WAGENT_SANDBOX_URL" E2E_SANDBOX_SECRET="$WAGENT_SANDBOX_SECRET" E2E_PHONE_NUMBER_ID="$e2e_number"
tests_failed=1
node --test --test-concurrency=1 --test-reporter=spec "$@" e2e/tests/*.test.mjs
tests_failed=0
say "browser tests passed in $((SECONDS - started)) s"
