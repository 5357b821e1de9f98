#!/usr/bin/env bash
# The applier's backend is terminated mid-migration: exit 4, nothing half
# applied; a rerun works. An unreachable server is exit 4 too.
source "$(dirname "$0")/lib.sh"

migration 1_slow "CREATE TABLE slow (id int); SELECT pg_sleep(10);"

mig-apply --format json >out.json 2>err.txt &
applier=$!
wait_for_query mig-apply pg_sleep
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mig-apply'" >/dev/null
wait "$applier"; RC=$?; OUT=$(tail -n 1 out.json); ERR=$(cat err.txt)
expect_rc 4 "terminated backend"
expect_json '.error.kind' connection_lost
expect_contains "$OUT" "while running 1_slow" "names the migration"
expect_contains "$OUT" "rolled it back" "says what became of it"
expect_not_contains "$OUT" "client encoding" "no libpq internals"
expect_sql "SELECT to_regclass('slow') IS NULL" t

# A no-transaction one: says what is recorded.
printf -- '-- mig:no-transaction\nCREATE TABLE quick (id int);\nSELECT pg_sleep(10);\n' > migrations/1_slow.sql
mig-apply --format json >out.json 2>err.txt &
applier=$!
wait_for_query mig-apply pg_sleep
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mig-apply'" >/dev/null
wait "$applier"; RC=$?; OUT=$(tail -n 1 out.json)
expect_rc 4 "terminated backend, no-transaction"
expect_contains "$OUT" "1 statement(s) had completed" "progress named"
expect_contains "$OUT" "recorded as failed" "what is recorded"
expect_sql "SELECT status FROM migration_history WHERE version = '1'" failed
run mig-apply --repair 1 --forget
expect_rc 0 "forget"
sql "DROP TABLE quick"

migration 1_slow "CREATE TABLE slow (id int);"
run mig-apply
expect_rc 0 "rerun"
expect_sql "SELECT count(*) FROM migration_history" 1

run mig-status --dsn "host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2"
expect_rc 4 "unreachable"
expect_json '.error.kind' database_unreachable
finish
