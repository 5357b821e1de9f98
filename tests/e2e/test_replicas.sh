#!/usr/bin/env bash
# mig-start-prod --wait-replicas against a real streaming standby of a cluster
# of this test's own (pg_basebackup -R, second port): workers start only once
# the standby has replayed the migration; with replay paused they never start
# and the wrapper exits 6 (replica_lag) after --replica-timeout; /ready stays
# 503 and /metrics shows the lag meanwhile; resumed, they start.
source "$(dirname "$0")/lib.sh"
: "${MIG_SOURCE:?}"

shared_host=$PGHOST shared_port=$PGPORT
primary=$(mktemp -d /tmp/mig-e2e-primary.XXXX)
standby=$(mktemp -d /tmp/mig-e2e-standby.XXXX)
stop_clusters() {
  "$MIG_SOURCE/scripts/pg-cluster.sh" stop "$standby"
  "$MIG_SOURCE/scripts/pg-cluster.sh" stop "$primary"
}
trap 'stop_clusters; PGHOST=$shared_host PGPORT=$shared_port cleanup' EXIT
eval "$("$MIG_SOURCE/scripts/pg-cluster.sh" start "$primary")"
export PGDATABASE="t_test_replicas_$$"
psql -X -q -d postgres -c "CREATE DATABASE $PGDATABASE"
primary_env="PGHOST=$PGHOST PGPORT=$PGPORT"
standby_env=$("$MIG_SOURCE/scripts/pg-cluster.sh" standby "$standby") || { fail "cannot start the standby"; finish; }
standby_port=$(echo "$standby_env" | sed 's/.*PGPORT=\([0-9]*\).*/\1/')
standby_dsn="host=$standby port=$standby_port dbname=$PGDATABASE user=postgres"
on_standby() { psql -X -At -h "$standby" -p "$standby_port" -d "$PGDATABASE" -c "$1"; }
for _ in $(seq 1 100); do [ "$(sql "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break; sleep 0.1; done
expect_sql "SELECT count(*) FROM pg_stat_replication" 1


# Caught up: the worker sees the new table on the standby the moment it starts.
migration 1_items "CREATE TABLE items (id bigint PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 1000);"
worker="test \"\$(psql -X -At -h $standby -p $standby_port -d $PGDATABASE -c 'SELECT count(*) FROM items')\" = 1000"
run mig-start-prod --no-backup --wait-replicas --format json -- sh -c "$worker"
expect_rc 0 "workers after the standby replayed"
expect_json '.data.steps | map(.step) | index("wait_for_replicas") < index("run_workers")' true
expect_json '.data.replicas.standbys | length' 1
expect_json '.data.replicas.standbys[0].lag_bytes <= 0' true
expect_json '.data.replicas.target_lsn | test("^[0-9A-F]+/[0-9A-F]+$")' true

# The same through --replica-dsn (polled on the standby itself).
migration 2_more "ALTER TABLE items ADD COLUMN note text;"
worker2="test \"\$(psql -X -At -h $standby -p $standby_port -d $PGDATABASE -c \"SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note'\")\" = 1"
run mig-start-prod --no-backup --wait-replicas --replica-dsn "$standby_dsn" --format json -- sh -c "$worker2"
expect_rc 0 "workers after the named standby replayed"
expect_json ".data.replicas.standbys[0].standby" "$standby:$standby_port"

# Replay paused: no worker starts, /ready stays 503, the lag is a metric, exit 6 after the timeout.
on_standby "SELECT pg_wal_replay_pause()" >/dev/null
migration 3_paused "CREATE TABLE paused (id bigint);"
port=$(free_port)
mig-start-prod --no-backup --wait-replicas --replica-timeout 3s --listen "127.0.0.1:$port" --format json \
  -- sh -c "touch started" > paused.out 2>paused.err &
pid=$!
for _ in $(seq 1 100); do [ "$(sql "SELECT count(*) FROM migration_history WHERE version = '3'" 2>/dev/null)" = 1 ] && break; sleep 0.05; done
sleep 0.5
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")
[ "$code" = 503 ] && pass || fail "/ready while the standby lags: $code, want 503"
metrics=$(curl -s "http://127.0.0.1:$port/metrics")
expect_contains "$metrics" "db_migration_replica_lag_bytes{standby=" "replica lag metric"
wait "$pid"; RC=$?
OUT=$(tail -n 1 paused.out); ERR=$(cat paused.err)
expect_rc 6 "replay paused"
expect_json '.error.kind' replica_lag
expect_contains "$OUT" "bytes behind" "the lag in the error"
[ ! -e started ] && pass || fail "a worker started while the standby lagged"

# Resumed: the next start finds it caught up and starts the workers.
on_standby "SELECT pg_wal_replay_resume()" >/dev/null
run mig-start-prod --no-backup --wait-replicas --replica-timeout 20s --format json -- sh -c "touch started"
expect_rc 0 "after resume"
[ -e started ] && pass || fail "no worker started after the standby resumed"
expect_contains "$(on_standby "SELECT to_regclass('paused') IS NOT NULL")" "t" "the standby has the migrated table"

# Paused again, resumed while the wrapper waits: the workers start then.
rm -f started
on_standby "SELECT pg_wal_replay_pause()" >/dev/null
migration 4_late "CREATE TABLE late (id bigint);"
mig-start-prod --no-backup --wait-replicas --replica-timeout 30s --format json -- sh -c "touch started" > late.out 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ "$(sql "SELECT count(*) FROM migration_history WHERE version = '4'" 2>/dev/null)" = 1 ] && break; sleep 0.05; done
sleep 1
[ ! -e started ] && pass || fail "started before the standby resumed"
on_standby "SELECT pg_wal_replay_resume()" >/dev/null
wait "$pid"; RC=$?
expect_rc 0 "resumed during the wait"
[ -e started ] && pass || fail "no worker started after the resume"

# A backfill waits while the standby's replay is paused (reason replica_lag) and finishes once it resumes.
sql "CREATE TABLE lagged (id int PRIMARY KEY, v int NOT NULL DEFAULT 0); INSERT INTO lagged SELECT generate_series(1, 30000)"
migration 5_fill "-- mig:backfill
-- mig:batch-size 500
UPDATE lagged SET v = v + 1"
on_standby "SELECT pg_wal_replay_pause()" >/dev/null
mig-apply --max-replica-lag 1s --max-rows-per-second 10000 --events --format json >fill.out 2>fill.err &
pid=$!
for _ in $(seq 1 100); do grep -q '"event":"backfill_waiting"' fill.out 2>/dev/null && break; sleep 0.1; done
expect_contains "$(cat fill.out)" '"reason":"replica_lag"' "the backfill's wait and its reason"
sleep 1
kill -0 "$pid" 2>/dev/null && pass || fail "the backfill did not wait for the paused standby"
expect_sql "SELECT status FROM migration_history WHERE version = '5'" running
[ "$(sql "SELECT count(*) FROM lagged WHERE v = 1")" -lt 30000 ] && pass || fail "the backfill ran on while the standby was paused"
on_standby "SELECT pg_wal_replay_resume()" >/dev/null
wait "$pid"; RC=$?
OUT=$(tail -n 1 fill.out); ERR=$(cat fill.err)
expect_rc 0 "the backfill after the standby resumed"
expect_sql "SELECT min(v) || '|' || max(v) FROM lagged" "1|1"
expect_contains "$(cat fill.out)" '"event":"backfill_throttled"' "the throttled time"

# Refusals before anything runs.
run mig-start-prod --replica-dsn "$standby_dsn" -- true
expect_rc 2 "--replica-dsn without --wait-replicas"
run mig-start-prod --wait-replicas --replica-timeout soon -- true
expect_rc 2 "bad --replica-timeout"
run mig-start-prod --wait-replicas --replica-dsn "host='unterminated" -- true
[ "$RC" = 2 ] || [ "$RC" = 3 ] && pass || fail "an unparseable --replica-dsn: exit $RC, want 2 or 3"
expect_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mig-start-prod'" 0
finish
