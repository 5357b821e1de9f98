#!/usr/bin/env bash
# Another session holds the migration lock: exit 6 once --lock-wait runs out,
# naming the holder; nothing applied. The lock key is the contract's.
source "$(dirname "$0")/lib.sh"

migration 1_a "CREATE TABLE a (id int);"
# k2 = first 4 bytes of sha256("public\0migration_history"), big-endian, signed.
k2=$(printf 'public\0migration_history' | sha256sum | cut -c1-8)
k2=$((16#$k2)); [ $k2 -lt 2147483648 ] || k2=$((k2 - 4294967296))

psql -X -q -v ON_ERROR_STOP=1 <<SQL >/dev/null 2>&1 &
SET application_name = 'lock-holder-test';
SELECT pg_advisory_lock(1296649009, $k2);
SELECT pg_sleep(30);
SQL
holder=$!
wait_for_query lock-holder-test pg_sleep
holder_pid=$(sql "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lock-holder-test'")

start=$(date +%s%N)
run mig-apply --lock-wait 1500ms
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc 6 "lock wait runs out"
expect_json '.error.kind' lock_timeout
expect_contains "$(echo "$OUT" | jq -r .error.message)" "pid $holder_pid (lock-holder-test" "error message"
[ "$elapsed_ms" -ge 1400 ] && [ "$elapsed_ms" -lt 10000 ] && pass || fail "gave up after ${elapsed_ms}ms for a 1500ms --lock-wait"
expect_sql "SELECT to_regclass('a') IS NULL" t

# A waiter must not block inside the server (it would deadlock with CREATE INDEX CONCURRENTLY).
mig-apply --lock-wait 20s >/dev/null 2>&1 &
waiter=$!
sleep 0.5
expect_sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())" 0
kill "$holder" 2>/dev/null; sql "SELECT pg_terminate_backend($holder_pid)" >/dev/null
wait "$waiter"; rc=$?
[ "$rc" = 0 ] && pass || fail "the waiter should apply once the holder is gone (exit $rc)"
expect_sql "SELECT count(*) FROM migration_history" 1
finish
