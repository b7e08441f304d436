#!/usr/bin/env bash
# yarn bench:discovery [-- --rows 500000 --cloudtrail-mb 200]
# (the usage phase alone: cd plugins/nhi-backend && yarn bench:discovery --phase usage --db pg --cloudtrail-mb 2048)
# Bootstraps like the test command and starts PostgreSQL, then measures discovery on generated
# exports: the parsers alone, then a source run into SQLite and into PostgreSQL. Each in a
# process of its own, so that each peak RSS is its own.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
source "$REPO_ROOT/scripts/postgres.sh"
ensure_dependencies
start_postgres
cd "$REPO_ROOT/plugins/nhi-backend"
yarn bench:discovery --phase parse "$@"
for db in sqlite pg; do
  yarn bench:discovery --phase import --db "$db" "$@"
done
# A day of CloudTrail, parsed alone and read end to end, on each database (issue 18's target).
for db in sqlite pg; do
  yarn bench:discovery --phase usage --db "$db" "$@"
  yarn bench:discovery --phase usage-tree --db "$db" "$@"
done
