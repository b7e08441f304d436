#!/usr/bin/env bash
# yarn bench [-- --sizes 100000,500000 --events 10000000 --db sqlite,pg --requests 300]
# Bootstraps like the test command, starts PostgreSQL, and runs the nhi-backend benchmark.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
source "$REPO_ROOT/scripts/postgres.sh"
ensure_dependencies
start_postgres
cd "$REPO_ROOT/plugins/nhi-backend"
exec yarn bench "$@"
