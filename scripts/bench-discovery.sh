#!/usr/bin/env bash
# yarn bench:discovery [-- --rows 500000 --cloudtrail-mb 200]
# Bootstraps like the test command, then measures the discovery parsers on generated exports.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
ensure_dependencies
cd "$REPO_ROOT/plugins/nhi-backend"
exec yarn bench:discovery "$@"
