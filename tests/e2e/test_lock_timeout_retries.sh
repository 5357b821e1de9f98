#!/usr/bin/env bash
# A reader holds ACCESS SHARE on a table a migration needs ACCESS EXCLUSIVE on:
# lock_timeout, retries with backoff (each naming the blocker), then exit 6,
# nothing recorded, nothing changed.
source "$(dirname "$0")/lib.sh"

sql "CREATE TABLE busy (id int)"
migration 1_alter "ALTER TABLE busy ADD COLUMN note text;"

psql -X -q <<'SQL' >/dev/null 2>&1 &
SET application_name = 'long-reader';
BEGIN;
SELECT * FROM busy;
SELECT pg_sleep(60);
SQL
reader=$!
wait_for_query long-reader pg_sleep

run mig-apply --lock-timeout 1s --retries 2 --events
expect_rc 6 "retries spent"
expect_json '.error.kind' lock_timeout
expect_json '.error.sqlstate' 55P03
retries=$(grep -c '"event":"retrying"' .out)
[ "$retries" = 2 ] && pass || fail "want 2 retry events, got $retries"
expect_contains "$(grep '"event":"retrying"' .out | tail -n 1)" "long-reader" "retry event names the blocker"
expect_contains "$ERR" "long-reader" "retry log names the blocker"
expect_sql "SELECT count(*) FROM migration_history" 0
expect_sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'" 0

kill "$reader" 2>/dev/null
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'long-reader'" >/dev/null
run mig-apply --lock-timeout 1s --retries 2
expect_rc 0 "applies once the reader is gone"
expect_sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'" 1
finish
