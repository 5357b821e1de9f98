#!/usr/bin/env bash
# kill -9 of mig-apply mid-migration, then a rerun: each migration is applied
# once or not at all, never half; the server stops the orphaned migration
# within seconds (it would otherwise run on, holding its locks); the rerun
# finishes the job.
source "$(dirname "$0")/lib.sh"

migration 1_first "CREATE TABLE first (id int);"
# Sleeps 20 s until the test creates kill9_done: long enough to tell a stopped orphan from a finished one.
migration 2_slow "CREATE TABLE slow_a (id int);
SELECT pg_sleep(20) WHERE to_regclass('kill9_done') IS NULL;
CREATE TABLE slow_b (id int);"
migration 3_last "CREATE TABLE last (id int);"

mig-apply >/dev/null 2>&1 &
applier=$!
wait_for_query mig-apply pg_sleep
kill -9 "$applier"
wait "$applier" 2>/dev/null

# The server notices the client is gone (client_connection_check_interval) and
# cancels the migration: no session of this database still sleeps, within 5 s.
for _ in $(seq 1 50); do
  [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()")" = 0 ] && break
  sleep 0.1
done
expect_sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()" 0
expect_sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())" 0

# Whatever the server made of it: tables and history agree (the cancelled one rolled back whole).
expect_sql "SELECT (to_regclass('slow_a') IS NULL) = (to_regclass('slow_b') IS NULL)" t
expect_sql "SELECT (to_regclass('slow_b') IS NOT NULL) = EXISTS (SELECT 1 FROM migration_history WHERE version = '2')" t
expect_sql "SELECT count(*) FROM migration_history WHERE version = '2'" 0

sql "CREATE TABLE kill9_done ()" >/dev/null
run mig-apply --lock-wait 2s
expect_rc 0 "rerun after kill -9 needs no wait for the lock"
expect_sql "SELECT string_agg(version, ',' ORDER BY version) FROM migration_history" 1,2,3
expect_sql "SELECT count(*) FROM pg_tables WHERE tablename IN ('first', 'slow_a', 'slow_b', 'last')" 4
finish
