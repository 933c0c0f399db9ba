# Shared by scripts/run.sh, scripts/test.sh and scripts/e2e.sh: install what a fresh Debian
# machine with the Rust toolchain lacks, and find our build outputs.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

say() { printf '\033[1m==> [%ss] %s\033[0m\n' "$SECONDS" "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install PACKAGE... : installs the packages that are not installed yet.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

have_postgres_server() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

ensure_postgres() {
  have_postgres_server || apt_install postgresql
  # initdb and pg_ctl will not run as root; they run as the postgres user made by the package.
  if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then apt_install postgresql; fi
  apt_install util-linux # flock and setsid for the cluster's watchdog
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  local v
  v="$(node -p 'process.versions.node')"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
    echo "Node.js $v is too old: WAgent's web build needs Node.js 20.19 or newer (Debian 13 ships it)." >&2
    exit 1
  }
}

# npm_ci DIR : installs DIR's locked packages when they are missing or stale.
npm_ci() {
  local dir="$ROOT/$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "npm ci in $1"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  apt_install fonts-liberation
}

# wait_for_line FILE PATTERN SECONDS : waits until FILE has a line matching PATTERN.
wait_for_line() {
  local file="$1" pattern="$2" seconds="$3"
  for _ in $(seq $((seconds * 10))); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
