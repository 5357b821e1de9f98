#!/usr/bin/env bash
# A deadlock (40P01) is retried like a lock timeout, not taken for a lost
# connection: the migration deadlocks with another session once, then applies.
source "$(dirname "$0")/lib.sh"

sql "CREATE TABLE a (id int); CREATE TABLE b (id int)"
# The migration locks a, then b; the other session holds b and then asks for a.
# Its deadlock_timeout (100ms) runs its one check before the cycle exists, so
# the migration's own check finds it and the migration is the victim.
migration 1_both "LOCK TABLE a IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(0.5); LOCK TABLE b IN ACCESS EXCLUSIVE MODE;"

psql -X -q <<'SQL' >/dev/null 2>&1 &
SET application_name = 'deadlocker';
SET deadlock_timeout = '100ms';
BEGIN;
LOCK TABLE b IN ACCESS EXCLUSIVE MODE;
SELECT pg_sleep(0.3);
LOCK TABLE a IN ACCESS EXCLUSIVE MODE;
SELECT pg_sleep(2);
COMMIT;
SQL
other=$!
sleep 0.1
run mig-apply --lock-timeout 20s --retries 3 --events
wait "$other"
expect_rc 0 "deadlock retried"
attempts=$(echo "$OUT" | jq '.data.applied[0].attempts')
retried=$(grep -c '"event":"retrying"' .out)
[ "$retried" -ge 1 ] && [ "$attempts" = $((retried + 1)) ] && pass || fail "want the deadlock retried: attempts $attempts, retry events $retried"
expect_sql "SELECT count(*) FROM migration_history" 1
finish
