#!/usr/bin/env bash
# The layering of docs/ARCHITECTURE.md, checked: dependencies run
# app → graphql → domain → {db, jobs, meta, auth}, resolvers never touch diesel, and the domain
# knows nothing of HTTP or GraphQL.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0
fail() { echo "layering: $*" >&2; failed=1; }

# reaches PACKAGE DEPENDENCY : whether DEPENDENCY is anywhere in PACKAGE's normal dependency tree.
reaches() {
  cargo tree --locked --offline -q -p "$1" -e normal -i "$2" >/dev/null 2>&1
}

# direct PACKAGE : PACKAGE's direct normal dependencies, one name a line.
direct() {
  cargo tree --locked --offline -q -p "$1" -e normal --depth 1 --prefix none |
    tail -n +2 | cut -d' ' -f1
}

for forbidden in diesel diesel-async wagent-db; do
  direct wagent-graphql | grep -qx "$forbidden" && fail "wagent-graphql depends on $forbidden directly"
done
if grep -rnwE 'diesel|diesel_async|wagent_db' server/graphql/src; then
  fail "server/graphql names diesel or wagent_db (resolvers go through the domain)"
fi

for forbidden in poem async-graphql async-graphql-poem; do
  reaches wagent-domain "$forbidden" && fail "wagent-domain reaches $forbidden"
done
if grep -rnwE 'poem|async_graphql' server/domain/src; then
  fail "server/domain names poem or async_graphql"
fi

for lower in wagent-db wagent-jobs wagent-meta wagent-auth wagent-knowledge wagent-domain; do
  reaches "$lower" wagent-graphql && fail "$lower reaches wagent-graphql"
  reaches "$lower" wagent-app && fail "$lower reaches wagent-app"
done
for lower in wagent-db wagent-jobs wagent-meta wagent-auth wagent-knowledge; do
  reaches "$lower" wagent-domain && fail "$lower reaches wagent-domain"
done

exit "$failed"
