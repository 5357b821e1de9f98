#!/usr/bin/env bash
# kill -9 of mig-apply mid-migration, then a rerun: each migration is applied
# once or not at all, never half; the rerun finishes the job.
source "$(dirname "$0")/lib.sh"

migration 1_first "CREATE TABLE first (id int);"
migration 2_slow "CREATE TABLE slow_a (id int); SELECT pg_sleep(1.5); CREATE TABLE slow_b (id int);"
migration 3_last "CREATE TABLE last (id int);"

mig-apply >/dev/null 2>&1 &
applier=$!
wait_for_query mig-apply pg_sleep
kill -9 "$applier"
wait "$applier" 2>/dev/null

# Whatever the server made of it: tables and history agree.
expect_sql "SELECT (to_regclass('slow_a') IS NULL) = (to_regclass('slow_b') IS NULL)" t
expect_sql "SELECT (to_regclass('slow_b') IS NOT NULL) = EXISTS (SELECT 1 FROM migration_history WHERE version = '2')" t

run mig-apply --lock-wait 30s
expect_rc 0 "rerun after kill -9"
expect_sql "SELECT string_agg(version, ',' ORDER BY version) FROM migration_history" 1,2,3
expect_sql "SELECT count(*) FROM pg_tables WHERE tablename IN ('first', 'slow_a', 'slow_b', 'last')" 4
finish
