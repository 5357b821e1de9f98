#!/usr/bin/env bash
# PgBouncer (Debian's) in transaction pooling in front of the server: the session
# advisory lock would be no lock, so every applier refuses before taking it (exit 3,
# kind "pooler"), nothing is applied and no lock leaks. In session mode with
# MIG_SESSION_POOLER=1 it works.
source "$(dirname "$0")/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"
command -v pgbouncer >/dev/null || { echo "skip: pgbouncer not installed (scripts/install-deps.sh installs it)" >&2; exit 125; }

bouncer="$WORK/bouncer"
mkdir -p "$bouncer"
port=$((56000 + RANDOM % 3000))
cat > "$bouncer/pgbouncer.ini" <<INI
[databases]
tx = host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=postgres pool_mode=transaction
sess = host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=postgres pool_mode=session
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = any
max_client_conn = 100
default_pool_size = 3
pidfile = $bouncer/pgbouncer.pid
logfile = $bouncer/pgbouncer.log
INI
chmod 755 "$WORK"
chown -R postgres "$bouncer" 2>/dev/null
if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- pgbouncer -d "$bouncer/pgbouncer.ini"; else pgbouncer -d "$bouncer/pgbouncer.ini"; fi
stop_bouncer() { kill "$(cat "$bouncer/pgbouncer.pid" 2>/dev/null)" 2>/dev/null; }
trap 'stop_bouncer; cleanup' EXIT
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done

for i in $(seq 1 30); do migration "${i}_t$i" "CREATE TABLE t$i (id int); SELECT pg_sleep(0.02);"; done
tx="host=127.0.0.1 port=$port dbname=tx user=postgres"

pids=()
for i in $(seq 1 8); do
  mig-apply --dsn "$tx" --lock-wait 20s --format json >"$WORK/a$i.out" 2>/dev/null &
  pids+=($!)
done
for i in $(seq 1 8); do
  wait "${pids[$((i - 1))]}"
  RC=$?
  OUT=$(tail -n 1 "$WORK/a$i.out")
  expect_rc 3 "applier $i through transaction pooling"
  expect_json '.error.kind' pooler
done
expect_contains "$OUT" "direct DSN"
expect_sql "SELECT to_regclass('migration_history') IS NULL AND to_regclass('t1') IS NULL" t
expect_sql "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()" 0

# Session pooling is refused too unless the operator says it pins sessions.
run mig-apply --dsn "host=127.0.0.1 port=$port dbname=sess user=postgres"
expect_rc 3 "session pooler without MIG_SESSION_POOLER"
MIG_SESSION_POOLER=1 run mig-apply --dsn "host=127.0.0.1 port=$port dbname=sess user=postgres"
expect_rc 0 "session pooler with MIG_SESSION_POOLER=1"
expect_sql "SELECT count(*) FROM migration_history" 30

# A backfill through transaction pooling is refused the same way, nothing changed.
sql "CREATE TABLE filled (id int PRIMARY KEY, v int NOT NULL DEFAULT 0); INSERT INTO filled SELECT generate_series(1, 100)"
migration 31_fill "-- mig:backfill
UPDATE filled SET v = v + 1"
run mig-apply --dsn "$tx" --format json
expect_rc 3 "backfill through transaction pooling"
expect_json '.error.kind' pooler
expect_sql "SELECT max(v) FROM filled" 0
MIG_SESSION_POOLER=1 run mig-apply --dsn "host=127.0.0.1 port=$port dbname=sess user=postgres"
expect_rc 0 "the backfill through a session pooler"
expect_sql "SELECT min(v) || '|' || max(v) FROM filled" "1|1"

# mig-status reads fine through either.
run mig-status --check --dsn "$tx"
expect_rc 0 "status through transaction pooling"
finish
