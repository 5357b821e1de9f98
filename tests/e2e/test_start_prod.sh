#!/usr/bin/env bash
# mig-start-prod as every replica runs it: ten at once, one migrates and backs
# up; failures stop workers from ever starting; SIGTERM stops everything in the
# grace period with no orphans; /ready and /metrics tell the truth.
source "$(dirname "$0")/lib.sh"


for i in $(seq 1 10); do
  migration "$(printf '%02d' "$i")_p$i" "CREATE TABLE p_$i (id bigint PRIMARY KEY); SELECT pg_sleep(0.05);" up
  migration "$(printf '%02d' "$i")_p$i" "DROP TABLE p_$i;" down
done
# Each worker checks it sees the fully migrated schema, and exits 0 if so.
worker='test "$(psql -X -At -c "SELECT count(*) FROM pg_tables WHERE tablename LIKE '"'p\\\\_%'"'")" = 10'

pids=()
for n in $(seq 1 10); do
  mig-start-prod --backup-dir bk --format json -- sh -c "$worker" >"sp.$n" 2>"sp.err.$n" &
  pids+=($!)
done
codes=""
for p in "${pids[@]}"; do wait "$p"; codes+="$? "; done
[ "$(echo "$codes" | tr -d ' 0')" = "" ] && pass || fail "replica exit codes: $codes $(cat sp.* | jq -c 'select(.ok == false) | .error' 2>/dev/null | sort | uniq -c)"
expect_sql "SELECT count(*), count(DISTINCT version), max(batch) FROM migration_history" "10|10|1"
[ "$(ls bk/*.json 2>/dev/null | wc -l)" = 1 ] && pass || fail "want exactly one backup, got: $(ls bk)"
migrators=$(cat sp.[0-9]* | jq -s '[.[] | select((.data.applied // []) | length > 0)] | length')
[ "$migrators" = 1 ] && pass || fail "$migrators replicas applied migrations, want 1"
expect_sql "SELECT count(DISTINCT backup_id) FROM migration_history" 1

# A failing migration: non-zero exit, and the worker never starts.
migration 11_broken "CREATE TABLE p_11 (id bigint); SELECT * FROM no_such_table;" up
run mig-start-prod --backup-dir bk -- touch started.marker
expect_rc 5 "failing migration"
[ ! -e started.marker ] && pass || fail "a worker started after a failed migration"
rm migrations/11_broken.up.sql

# A failing verify script: exit 8, no worker.
migration 10_p10 "SELECT count(*) > 0 FROM p_10;" verify
run mig-start-prod -- touch started.marker
expect_rc 8 "failing verify script"
expect_json '.error.kind' verification_failed
[ ! -e started.marker ] && pass || fail "a worker started after a failed verification"
# A verify script that errors: its own file and line, and nothing of it is kept.
printf -- "-- the table must be empty\nCREATE TABLE verify_leftover (id int);\nSELECT nope FROM p_10;\n" > migrations/10_p10.verify.sql
run mig-start-prod -- touch started.marker
expect_rc 8 "erroring verify script"
expect_json '.error.file' migrations/10_p10.verify.sql
expect_json '.error.line' 3
expect_sql "SELECT to_regclass('verify_leftover') IS NULL" t
migration 10_p10 "SELECT count(*) = 0 FROM p_10;" verify
run mig-start-prod -- touch started.marker
expect_rc 0 "passing verify script"
[ -e started.marker ] && pass || fail "the worker did not start"
rm -f started.marker

# The worker's own exit code is the wrapper's.
run mig-start-prod -- sh -c 'exit 3'
expect_rc 3 "worker's exit code"

# SIGTERM: workers stop within the grace period, then the wrapper; no orphans.
port=$(free_port)
tag="mig-orphan-check-$$"
mig-start-prod --workers 3 --grace 2s --listen "127.0.0.1:$port" --metrics-file metrics.prom --format json \
  -- bash -c "exec -a $tag sleep 300" >term.out 2>term.err &
wrapper=$!
for _ in $(seq 1 50); do [ "$(pgrep -f "^$tag" | wc -l)" = 3 ] && break; sleep 0.1; done
[ "$(pgrep -f "^$tag" | wc -l)" = 3 ] && pass || fail "3 workers did not start"
expect_contains "$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port/ready")" "200" "/ready while workers run"
metrics=$(curl -s "http://127.0.0.1:$port/metrics")
bad=$(printf '%s\n' "$metrics" | grep -v '^#' | grep -v '^$' | grep -Evc '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? (-?[0-9.]+([eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN)$')
[ "$bad" = 0 ] && pass || fail "metrics lines not in Prometheus text format: $metrics"
for name in db_migration_duration_seconds db_migration_status db_migration_total db_migration_pending; do
  expect_contains "$metrics" "# TYPE $name" "/metrics"
done
expect_contains "$(cat metrics.prom)" "db_migration_status 1" "--metrics-file"
start=$(date +%s%N)
kill -TERM "$wrapper"; wait "$wrapper"; rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rc" = 0 ] && pass || fail "wrapper exit $rc after SIGTERM"
[ "$elapsed" -lt 4000 ] && pass || fail "stopping took ${elapsed}ms with a 2s grace period"
sleep 0.2
[ "$(pgrep -f "^$tag" | wc -l)" = 0 ] && pass || fail "orphaned workers: $(pgrep -af "^$tag")"

# Workers that ignore SIGTERM are killed when the grace period ends.
mig-start-prod --grace 1s -- bash -c "trap '' TERM; exec -a $tag sleep 300" >/dev/null 2>&1 &
wrapper=$!
for _ in $(seq 1 50); do [ "$(pgrep -f "^$tag" | wc -l)" = 1 ] && break; sleep 0.1; done
kill -TERM "$wrapper"; wait "$wrapper"
sleep 0.2
[ "$(pgrep -f "^$tag" | wc -l)" = 0 ] && pass || fail "a worker ignoring SIGTERM survived the grace period"

# /ready is 503 while migrating, 200 once verified and workers run.
migration 12_slow "CREATE TABLE p_12 (id bigint); SELECT pg_sleep(2);" up
port=$(free_port)
mig-start-prod --no-backup --listen "127.0.0.1:$port" -- bash -c "exec -a $tag sleep 300" >/dev/null 2>&1 &
wrapper=$!
code=""
for _ in $(seq 1 50); do code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready"); [ "$code" != 000 ] && break; sleep 0.05; done
[ "$code" = 503 ] && pass || fail "/ready during migration: $code, want 503"
for _ in $(seq 1 100); do code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready"); [ "$code" = 200 ] && break; sleep 0.1; done
[ "$code" = 200 ] && pass || fail "/ready after verification: $code, want 200"
kill -TERM "$wrapper"; wait "$wrapper"

# SIGTERM while migrating (a rollout cancelled): the wrapper stops at once with
# 128+15, no worker starts, and the server cancels the migration and rolls it back.
migration 13_stuck "CREATE TABLE p_13 (id bigint); SELECT pg_sleep(20);" up
mig-start-prod --no-backup -- touch started.marker >/dev/null 2>term13.err &
wrapper=$!
wait_for_query mig-start-prod "pg_sleep(20)"
start=$(date +%s%N)
kill -TERM "$wrapper"; wait "$wrapper"; rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rc" = 143 ] && pass || fail "wrapper exit $rc after SIGTERM while migrating, want 143"
[ "$elapsed" -lt 3000 ] && pass || fail "stopping took ${elapsed}ms while migrating"
expect_contains "$(cat term13.err)" "before the workers started" "SIGTERM while migrating"
[ ! -e started.marker ] && pass || fail "a worker started after SIGTERM"
for _ in $(seq 1 50); do
  [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()")" = 0 ] && break
  sleep 0.1
done
expect_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()" 0
expect_sql "SELECT to_regclass('p_13') IS NULL AND NOT EXISTS (SELECT 1 FROM migration_history WHERE version = '13')" t
rm migrations/13_stuck.up.sql

# The database never comes: exit 4 after --wait.
run mig-start-prod --wait 1s --dsn "host=127.0.0.1 port=1 dbname=x user=x connect_timeout=1" -- true
expect_rc 4 "database never reachable"
finish
