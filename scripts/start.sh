#!/usr/bin/env bash
# Starts the portal (frontend on :3000, backend on :7007) with the example organisation, on an
# embedded SQLite database kept in .data/ so that nothing is lost on restart.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
ensure_dependencies
mkdir -p "$REPO_ROOT/.data/sqlite"
cd "$REPO_ROOT"
# The ledger's checkpoints are signed with a key the database does not hold: a development one
# here, made once; checkpoints are also appended to a file beside it.
export NHI_LEDGER_SIGNING_KEY_FILE="$REPO_ROOT/.data/nhi-ledger-signing-key.pem"
export NHI_LEDGER_CHECKPOINTS_FILE="$REPO_ROOT/.data/nhi-ledger-checkpoints.jsonl"
node scripts/ledger-key.mjs "$NHI_LEDGER_SIGNING_KEY_FILE"
log "starting the portal; open http://localhost:3000 once it says it is ready (about 30 s)"
log "sign in as a guest: you are dana.reyes of the payments team"
exec yarn start
