#!/usr/bin/env bash
# SIGTERM/SIGINT to mig-apply mid-migration: the running statement is cancelled,
# its transaction rolled back, the lock released, a result document printed with
# error.kind "interrupted", and the exit status is 128+signal. SIGINT works even
# for `mig-apply &` from a script (where the shell would have it ignored).
source "$(dirname "$0")/lib.sh"

migration 1_slow "CREATE TABLE slow (id int); SELECT pg_sleep(30);"
for signal in TERM INT; do
  start=$(date +%s)
  mig-apply --format json >"$WORK/apply.out" 2>"$WORK/apply.err" &
  pid=$!
  wait_for_query mig-apply pg_sleep
  kill -s "$signal" "$pid"
  wait "$pid"
  RC=$?
  OUT=$(tail -n 1 "$WORK/apply.out")
  ERR=$(cat "$WORK/apply.err")
  want=$([ "$signal" = TERM ] && echo 143 || echo 130)
  expect_rc "$want" "SIG$signal mid-migration"
  expect_json '.error.kind' interrupted
  expect_json '.exit_code' "$want"
  expect_contains "$OUT" "1_slow rolled back"
  if [ $(($(date +%s) - start)) -lt 15 ]; then pass; else fail "SIG$signal took $(($(date +%s) - start)) s"; fi
  expect_sql "SELECT to_regclass('slow') IS NULL AND (to_regclass('migration_history') IS NULL OR (SELECT count(*) FROM migration_history) = 0)" t
  expect_sql "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()" 0
  expect_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" 0
done

# A no-transaction migration: the statement is cancelled and the row says so.
printf -- '-- mig:no-transaction\nCREATE TABLE quick (id int);\nSELECT pg_sleep(30);\n' > migrations/1_slow.sql
mig-apply --format json >"$WORK/apply.out" 2>/dev/null &
pid=$!
wait_for_query mig-apply pg_sleep
kill -TERM "$pid"
wait "$pid"
RC=$?
OUT=$(tail -n 1 "$WORK/apply.out")
expect_rc 143 "SIGTERM in a no-transaction migration"
expect_json '.error.kind' interrupted
expect_json '.error.line' 3
expect_sql "SELECT status || ':' || statements_done FROM migration_history WHERE version = '1'" failed:1
finish
