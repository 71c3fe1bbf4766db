#!/usr/bin/env bash
# A local Citus cluster for tests and benchmarks: a coordinator and two workers, three
# instances of the machine's PostgreSQL 15 on their own ports and data directories. The server
# on 5432 is never touched.
#
#   scripts/citus_cluster.sh up      build Citus once per machine, start the three, join them
#   scripts/citus_cluster.sh down    stop them and remove their data directories
#   scripts/citus_cluster.sh status  what runs
#   scripts/citus_cluster.sh database NAME   one more database on the cluster (benches)
#   scripts/citus_cluster.sh add-worker      a third worker joins, the shards are rebalanced
#
# Citus is not packaged in Debian 12: it is built from ../shared/vendor (CITUS_VENDOR) with
# the patch beside it. The build is cached outside the clone (CITUS_CACHE, default
# /var/cache/shanghui-citus/<sha256 of the tarball>), so a fresh machine builds it once — 76 s
# here on two cores with the build packages installed from the registry, up to five minutes
# on a slower one — and every later `up` only puts the installed files in PostgreSQL's
# directories. Needs root (apt-get, installing into PostgreSQL's directories,
# running the instances as the postgres user).
#
# The coordinator listens on CITUS_PORT (default 5440), the workers on the next two ports;
# trust authentication on 127.0.0.1 only, database CITUS_DB (default "test").
set -euo pipefail

HERE="$(cd "$(dirname "$0")/.." && pwd)"
# The shared sources beside the repository (../shared/vendor); a clone made elsewhere (CI's)
# finds them where this machine keeps them.
VENDOR="${CITUS_VENDOR:-}"
if [ -z "$VENDOR" ]; then
  for candidate in "$HERE/../shared/vendor" /work/shared/vendor; do
    if [ -f "$candidate/citus-13.2.2.tar.gz" ]; then VENDOR="$candidate" && break; fi
  done
fi
TARBALL="${VENDOR:-../shared/vendor}/citus-13.2.2.tar.gz"
PATCH="$(dirname "$TARBALL")/citus-pg15.20.patch"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_CONFIG="$PG_BIN/pg_config"
PORT="${CITUS_PORT:-5440}"
PORTS=("$PORT" "$((PORT + 1))" "$((PORT + 2))")
NAMES=(coordinator worker1 worker2)
# A third worker, started only by `add-worker` (what docs/deploy.md's scale-out steps do).
EXTRA_PORT="$((PORT + 3))"
EXTRA_NAME=worker3
ROOT="${CITUS_DATA:-/var/tmp/shanghui-citus}"
DB="${CITUS_DB:-test}"
# The suite's database (pytest-django's "test_" + name), prepared here with the extension on
# every node: the suite runs with --reuse-db and migrates it, and core.citus distributes it.
TEST_DB="test_$DB"
APP_ROLE="${CITUS_APP_ROLE:-shanghui_app}"
BUILD_DEPS=(postgresql-server-dev-15 libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev
  autoconf flex bison build-essential)

log() { echo "citus: $*" >&2; }

as_postgres() { runuser -u postgres -- "$@"; }

install_citus() {
  local sum cache
  if [ ! -f "$TARBALL" ]; then
    log "no Citus source: put citus-13.2.2.tar.gz and its patch in ../shared/vendor or set CITUS_VENDOR"
    exit 1
  fi
  sum="$(sha256sum "$TARBALL" | cut -c1-16)"
  cache="${CITUS_CACHE:-/var/cache/shanghui-citus}/$sum"
  if [ ! -f "$cache/done" ]; then
    log "building Citus from $TARBALL into $cache (once per machine, 1–5 minutes)"
    missing=()
    for pkg in "${BUILD_DEPS[@]}"; do
      dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >/dev/null
    fi
    local work
    work="$(mktemp -d)"
    tar -xzf "$TARBALL" -C "$work"
    (cd "$work" && patch -s -p0 <"$PATCH")
    (
      cd "$work/citus-13.2.2"
      ./configure -q PG_CONFIG="$PG_CONFIG" --without-libcurl >/dev/null
      make -s -j"$(nproc)" >/dev/null
      rm -rf "$cache" && mkdir -p "$cache"
      make -s install DESTDIR="$cache/root" >/dev/null
    )
    rm -rf "$work"
    touch "$cache/done"
  fi
  # The files of the extension, in PostgreSQL's own directories (where the server looks) —
  # unless they are there already: overwriting citus.so in place under running servers,
  # which have it mapped, crashes every one of them. A changed build replaces the files
  # (new inodes; a running server keeps the old one until it restarts).
  local lib
  lib="$("$PG_CONFIG" --pkglibdir)/citus.so"
  if ! cmp -s "$cache/root$lib" "$lib"; then
    cp -a --remove-destination "$cache/root/." /
  fi
}

instance_up() {
  local name="$1" port="$2" dir="$ROOT/$1"
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir" && chown postgres:postgres "$ROOT" "$dir"
    as_postgres "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >/dev/null
    cat >>"$dir/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$ROOT'
shared_preload_libraries = 'citus'
max_connections = 200
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
max_prepared_transactions = 200
citus.propagate_set_commands = 'local'
citus.enable_unsafe_triggers = on
# A statement that changes rows in several shards (a person's phone visibility in each of
# their associations, account deletion) uses one connection per worker: Citus requires it in
# any transaction that also writes the reference tables the shards point at (association,
# users). Single-shard statements, nearly all of them, are not affected.
citus.multi_shard_modify_mode = 'sequential'
# Shards move between workers by logical replication while writes go on (rebalancing).
wal_level = logical
# Debian's PostgreSQL 15.20 names the libraries allowed as logical decoding output plugins;
# Citus decodes through its own when it splits or moves shards (isolating an association).
output_plugin_libraries = 'pgoutput, test_decoding, citus'
# Few shards per table on a test cluster: the suite empties every table between tests, and
# each shard is a table to empty (production keeps the default, 32).
citus.shard_count = ${CITUS_SHARD_COUNT:-4}
EOF
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    # A session of its own: the server outlives the shell (and job) that started it.
    setsid runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w start \
      >/dev/null
  fi
  psql_at "$port" postgres -c "SELECT 1" >/dev/null
  log "$name on 127.0.0.1:$port"
}

psql_at() {
  local port="$1" db="$2"
  shift 2
  PGSSLMODE=disable psql -h 127.0.0.1 -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 -q "$@"
}

up() {
  install_citus
  mkdir -p "$ROOT"
  for i in 0 1 2; do instance_up "${NAMES[$i]}" "${PORTS[$i]}"; done
  for db in "$DB" "$TEST_DB"; do database "$db"; done
  # The application role, created on the coordinator (Citus creates it on the workers). It
  # logs in: Citus reaches the shards as the user a statement runs as, so the role the
  # suite switches to (shanghui.testing.database) connects to the workers itself.
  if psql_at "$PORT" "$DB" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE'" | grep -q 1; then
    psql_at "$PORT" "$DB" -c "ALTER ROLE $APP_ROLE LOGIN" >/dev/null
  else
    psql_at "$PORT" "$DB" -c "CREATE ROLE $APP_ROLE LOGIN NOSUPERUSER NOBYPASSRLS" >/dev/null
  fi
  log "cluster up: DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/$DB"
  psql_at "$PORT" "$DB" -tAc "SELECT node_name || ':' || node_port FROM citus_get_active_worker_nodes()"
}

# A database of the cluster: created on every node with the extension, the workers joined
# (Citus keeps its metadata per database). Idempotent.
database() {
  local db="$1" port
  for port in "${PORTS[@]}"; do
    if ! psql_at "$port" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" |
      grep -q 1; then
      psql_at "$port" postgres -c "CREATE DATABASE \"$db\"" >/dev/null
    fi
    psql_at "$port" "$db" -c "CREATE EXTENSION IF NOT EXISTS citus" >/dev/null
  done
  psql_at "$PORT" "$db" -c "SELECT citus_set_coordinator_host('127.0.0.1', $PORT)" >/dev/null
  for port in "${PORTS[1]}" "${PORTS[2]}"; do
    psql_at "$PORT" "$db" -c \
      "SELECT citus_add_node('127.0.0.1', $port) WHERE NOT EXISTS (
         SELECT 1 FROM pg_dist_node WHERE nodeport = $port)" >/dev/null
  done
}

# Scale-out as docs/deploy.md does it: a third worker joins every database of the cluster, then
# the shards are spread over all workers (online: logical replication), waiting for the end.
add_worker() {
  instance_up "$EXTRA_NAME" "$EXTRA_PORT"
  local db
  for db in $(psql_at "$PORT" postgres -tAc \
    "SELECT datname FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1')"); do
    psql_at "$EXTRA_PORT" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" |
      grep -q 1 || psql_at "$EXTRA_PORT" postgres -c "CREATE DATABASE \"$db\"" >/dev/null
    psql_at "$EXTRA_PORT" "$db" -c "CREATE EXTENSION IF NOT EXISTS citus" >/dev/null
    psql_at "$PORT" "$db" -c "SELECT citus_add_node('127.0.0.1', $EXTRA_PORT) WHERE NOT EXISTS (
      SELECT 1 FROM pg_dist_node WHERE nodeport = $EXTRA_PORT)" >/dev/null
    psql_at "$PORT" "$db" -c "SELECT citus_rebalance_start()" >/dev/null
    psql_at "$PORT" "$db" -c "SELECT citus_rebalance_wait()" >/dev/null
    log "$db: $(psql_at "$PORT" "$db" -tAc "SELECT string_agg(nodeport || ': ' || n, ', ' ORDER BY nodeport)
      FROM (SELECT nodeport, count(*) n FROM citus_shards GROUP BY nodeport) s") shards"
  done
}

down() {
  for name in "${NAMES[@]}" "$EXTRA_NAME"; do
    if [ -f "$ROOT/$name/PG_VERSION" ]; then
      as_postgres "$PG_BIN/pg_ctl" -D "$ROOT/$name" -m fast -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$ROOT"
  log "cluster down"
}

status() {
  for i in 0 1 2; do
    if pg_isready -h 127.0.0.1 -p "${PORTS[$i]}" -q; then
      echo "${NAMES[$i]} 127.0.0.1:${PORTS[$i]} up"
    else
      echo "${NAMES[$i]} 127.0.0.1:${PORTS[$i]} down"
    fi
  done
}

case "${1:-}" in
  up) up ;;
  database) database "${2:?usage: $0 database NAME}" ;;
  add-worker) add_worker ;;
  down) down ;;
  status) status ;;
  *)
    echo "usage: $0 up|down|status|database NAME|add-worker" >&2
    exit 2
    ;;
esac
