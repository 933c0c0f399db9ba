#!/usr/bin/env bash
# Every test: formatting and lints, the Rust tests (real PostgreSQL, real OIDC provider),
# the web app's checks and build, and the browser tests in Chromium against the tested build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$SECONDS

ensure_postgres
ensure_node
ensure_chromium
npm_ci web
npm_ci dev/oidc
npm_ci e2e

say "rustfmt, clippy and the crates' layering"
# Stable rustfmt warns about the nightly-only import options of rustfmt.toml; nothing else.
cargo fmt --all --check 2> >(grep -v "unstable features are only available in nightly" >&2)
# ...so the import layout those options ask for is checked here.
python3 scripts/check-imports.py --self-test
python3 scripts/check-imports.py
cargo clippy --workspace --all-targets --locked -- -D warnings
bash scripts/check-layers.sh

say "web: generated types, type-check, lint, unit tests, build"
(cd web && npm run --silent codegen >/dev/null)
git diff --exit-code -- web/src/gql || { echo "web/src/gql is stale: run npm run codegen in web/ and commit" >&2; exit 1; }
(cd web && npm run --silent check && npm run --silent build >/dev/null)

say "dev/oidc: the local provider's own tests"
(cd dev/oidc && npm test --silent)

# The tests' own profile (Cargo.toml's `ci`: dependencies as in release, our crates at
# opt-level 1, which halves their compile time). The API tests start the binary this builds,
# and the browser tests run that same binary (the SPA embedded). A separate
# `cargo build -p wagent-app` here would compile graphql and app again: the tests'
# dev-dependencies add features to crates below them (the LLM client's stand-in, tempfile's
# rustix).
say "Rust tests and the tested binary"
cargo test --workspace --profile ci --locked

say "browser tests"
WAGENT_PROFILE=ci bash scripts/e2e.sh

say "all tests passed in $((SECONDS - started)) s"
