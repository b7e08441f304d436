# Sourced by scripts/test.sh: starts a throwaway PostgreSQL cluster from Debian's packages and
# tells Backstage's TestDatabases where it is (there is no Docker engine for testcontainers).
start_postgres() {
  apt_install postgresql
  local version conf
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
    pg_createcluster "$version" main >/dev/null
  fi
  conf="/etc/postgresql/$version/main/pg_hba.conf"
  # A local test cluster only: every connection over loopback is trusted.
  if ! grep -q '^# nhi-test-trust' "$conf"; then
    { echo '# nhi-test-trust'; echo 'host all all 127.0.0.1/32 trust'; echo 'host all all ::1/128 trust'; cat "$conf"; } >"$conf.new"
    mv "$conf.new" "$conf"
    chown postgres:postgres "$conf"
    pg_ctlcluster "$version" main reload 2>/dev/null || true
  fi
  if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    log "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start
  fi
  local port
  port="$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')"
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:${port}"
  # Database tests fail, rather than skip, when this server is missing.
  export NHI_TEST_POSTGRES_ID="POSTGRES_${version}"
  log "PostgreSQL $version listening on 127.0.0.1:$port"
}
