#!/usr/bin/env bash
# Runs every test from a bare machine: bootstraps Node 22, Yarn and the dependencies, installs
# PostgreSQL (started) and Chromium from Debian's packages, then runs the type check, lint and
# format checks, the unit, component and module tests of every package, and the system tests:
# the real backend with the example organisation, checked through its API and in Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
source "$REPO_ROOT/scripts/postgres.sh"

apt_install chromium postgresql
ensure_dependencies
start_postgres
export CI=true

LOG_DIR="$REPO_ROOT/.cache/test-logs"
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log

status=0
run_step() {
  local name="$1"
  shift
  log "$name: $*"
  if ! "$@" 2>&1 | tee "$LOG_DIR/$name.log"; then
    status=1
    log "$name FAILED"
  fi
}

cd "$REPO_ROOT"
run_step typecheck yarn tsc
run_step lint yarn lint:all
run_step format yarn prettier --check .
# The backend's shape (docs/architecture.md, 'The architecture guard'): knex only in stores, no
# feature reading another's store, no import cycles, small files and functions; and the guard's
# own test.
run_step architecture yarn check:architecture
run_step architecture-guard node --test scripts/check-architecture.test.mjs
# The API spec: Backstage's OpenAPI lint and validate, and the generated server and client code
# equal to what the spec generates now (scripts/openapi.mjs says how to regenerate).
run_step openapi node scripts/openapi.mjs verify
run_step packages yarn backstage-cli repo test
# The system tests drive the built app in Chromium, served by the real backend.
run_step app-build yarn workspace app build
run_step system yarn workspace @internal/nhi-system-tests test:system

# One closing line over all jest runs, in the 'N passed, N failed' form CI reads.
passed=0
failed=0
for f in "$LOG_DIR"/packages.log "$LOG_DIR"/system.log; do
  line="$(grep -E '^Tests:' "$f" | tail -1 || true)"
  p="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  x="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  if [ -z "$line" ]; then
    log "no jest summary in $(basename "$f"): counting it as a failure"
    x=$((x + 1))
  fi
  passed=$((passed + p))
  failed=$((failed + x))
done
[ "$failed" -eq 0 ] || status=1
echo "tests: $passed passed, $failed failed"
exit "$status"
