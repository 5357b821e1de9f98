#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, the demo and benchmarks.
#   scripts/pg-cluster.sh start DIR [durable]   initdb + start; prints PG* exports for eval
#   scripts/pg-cluster.sh standby DIR           a streaming standby of the cluster in PG*
#                                               (pg_basebackup -R), started; prints its PG* exports
#   scripts/pg-cluster.sh stop DIR              stop and remove DIR
# initdb refuses root, so the cluster runs as the `postgres` user. Local socket
# connections are trusted; TCP on 127.0.0.1 needs a password (scram), so the
# tests can check that a password never leaks. Without "durable", fsync is off.
set -euo pipefail
# runuser lives in /usr/sbin, which a root shell started with `su` or `env -i` may not have on PATH.
export PATH="$PATH:/usr/sbin:/sbin"

action=${1:?usage: pg-cluster.sh start|stop DIR}
dir=${2:?usage: pg-cluster.sh start|stop DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/pg_ctl" ] || { echo "pg-cluster: PostgreSQL server binaries not found (run scripts/install-deps.sh)" >&2; exit 1; }

# From /: the postgres user may not be allowed into the caller's folder (a clone in root's 0700 home).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

free_port() {
  local port
  for port in $(seq $((54320 + RANDOM % 400)) 55999); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "pg-cluster: no free port" >&2; exit 1
}

case "$action" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
  as_postgres "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
local replication all trust
host  all all 127.0.0.1/32 scram-sha-256
host  all all ::1/128 scram-sha-256
HBA
  port=$(free_port)
  fsync=off
  [ "${3:-}" != durable ] || fsync=on
  as_postgres "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=200 -c shared_buffers=128MB" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres"
  ;;
standby)
  : "${PGHOST:?standby: PGHOST/PGPORT must name the primary}" "${PGPORT:?}"
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
  as_postgres "$bindir/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U postgres -D "$dir/data" -R -X stream --checkpoint=fast --no-sync \
    >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
  port=$(free_port)
  as_postgres "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o "-p $port -k $dir -c listen_addresses='' -c max_connections=200" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-cluster.sh start|standby|stop DIR [durable]" >&2; exit 2 ;;
esac
