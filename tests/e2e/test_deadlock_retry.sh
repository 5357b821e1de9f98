#!/usr/bin/env bash
# A deadlock (40P01) is retried like a lock timeout, not taken for a lost
# connection: the migration deadlocks with another session once, then applies.
source "$(dirname "$0")/lib.sh"

sql "CREATE TABLE a (id int); CREATE TABLE b (id int)"
# The migration locks a, sleeps, then asks for b. The other session, started
# only once the migration holds a, locks b and asks for a: its one deadlock
# check (after 100 ms) runs before the cycle exists, so the migration's own
# check (after 1 s) finds it and the migration is the victim, every time.
migration 1_both "LOCK TABLE a IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2); LOCK TABLE b IN ACCESS EXCLUSIVE MODE;"

mig-apply --lock-timeout 20s --retries 3 --events >apply.out 2>apply.err &
applier=$!
wait_for_query mig-apply pg_sleep
psql -X -q <<'SQL' >/dev/null 2>&1 &
SET application_name = 'deadlocker';
SET deadlock_timeout = '100ms';
BEGIN;
LOCK TABLE b IN ACCESS EXCLUSIVE MODE;
LOCK TABLE a IN ACCESS EXCLUSIVE MODE;
SELECT pg_sleep(1);
COMMIT;
SQL
other=$!
wait "$applier"; RC=$?; OUT=$(tail -n 1 apply.out); ERR=$(cat apply.err)
wait "$other"
expect_rc 0 "deadlock retried"
attempts=$(echo "$OUT" | jq '.data.applied[0].attempts')
retried=$(grep -c '"event":"retrying"' apply.out)
[ "$retried" -ge 1 ] && [ "$attempts" = $((retried + 1)) ] && pass || fail "want the deadlock retried: attempts $attempts, retry events $retried"
expect_contains "$(grep '"event":"retrying"' apply.out | head -n 1)" "deadlocker" "the retry names the other session"
expect_sql "SELECT count(*) FROM migration_history" 1
finish
