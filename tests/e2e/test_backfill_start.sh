#!/usr/bin/env bash
# mig-start-prod --backfills background: the workers start once everything
# before the unfinished backfill is applied and verified; /ready does not wait
# for the backfill; the status page and /metrics show it; the migration after
# it runs when it is done; a second replica starting meanwhile takes no lock
# and starts its workers at once; stopping the workers stops the backfill
# between two batches with its progress kept.
source "$(dirname "$0")/lib.sh"

migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY, full_name text);
INSERT INTO accounts SELECT g, 'name ' || g FROM generate_series(1, 200000) g;"
migration 2_expand "ALTER TABLE accounts ADD COLUMN display_name text;"
migration 3_fill "-- mig:backfill
-- mig:batch-size 500
UPDATE accounts SET display_name = full_name WHERE display_name IS NULL"
migration 4_after "CREATE TABLE after_fill (id int);"

port=$(free_port)
mig-start-prod --no-backup --backfills background --max-rows-per-second 25000 --listen "127.0.0.1:$port" --events --format json \
  -- sh -c 'touch started; sleep 30' >sp.out 2>sp.err &
sp=$!
for _ in $(seq 1 100); do [ -e started ] && break; sleep 0.1; done
[ -e started ] && pass || fail "no worker started: $(cat sp.err)"
expect_sql "SELECT string_agg(version || ':' || status, ',' ORDER BY version) FROM migration_history" "1:applied,2:applied,3:running"
expect_sql "SELECT to_regclass('after_fill') IS NULL" t
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")
[ "$code" = 200 ] && pass || fail "/ready while the backfill runs in the background: $code, want 200"
for _ in $(seq 1 30); do curl -s "http://127.0.0.1:$port/" | grep -q "rows changed" && break; sleep 0.1; done
page=$(curl -s "http://127.0.0.1:$port/")
expect_contains "$page" "<h2>Backfill</h2>" "status page"
# The running backfill's row reads "backfilling", what follows it "pending"; the backup line says why there is none.
expect_contains "$page" "2 applied, 2 pending" "status page migrations count"
expect_contains "$page" "<td>3</td><td>fill</td><td>backfilling</td>" "status page migrations table"
expect_contains "$page" "<td>4</td><td>after</td><td>pending</td>" "status page migrations table"
expect_contains "$page" "none taken by this start: --no-backup" "status page backup"
expect_contains "$(curl -s "http://127.0.0.1:$port/metrics")" 'db_migration_backfill_rows_total{version="3"}' "metrics"

# A second replica starting now: no lock wait, its workers start at once.
t0=${EPOCHREALTIME/[.,]/}
run mig-start-prod --no-backup --backfills background --lock-wait 20s --format json -- sh -c 'touch started2'
t1=${EPOCHREALTIME/[.,]/}
expect_rc 0 "a second replica during the background backfill"
[ -e started2 ] && pass || fail "the second replica started no worker"
[ $(( (t1 - t0) / 1000 )) -lt 10000 ] && pass || fail "the second replica waited $(( (t1 - t0) / 1000 )) ms"
expect_json '.data.deferred_backfill' 3_fill

# The backfill finishes, then what follows it; the full verification passes.
for _ in $(seq 1 300); do [ "$(sql "SELECT count(*) FROM migration_history WHERE version = '4'")" = 1 ] && break; sleep 0.1; done
expect_sql "SELECT string_agg(version || ':' || status, ',' ORDER BY version) FROM migration_history" "1:applied,2:applied,3:applied,4:applied"
expect_sql "SELECT count(*) FROM accounts WHERE display_name IS NULL" 0
for _ in $(seq 1 30); do curl -s "http://127.0.0.1:$port/" | grep -q 'id="backfill">done' && break; sleep 0.1; done
expect_contains "$(curl -s "http://127.0.0.1:$port/")" 'id="backfill">done' "status page after the backfill"
kill -TERM "$sp"; wait "$sp"
expect_contains "$(cat sp.out)" '"event":"backfill_finished"' "events"

# Workers that stop stop the backfill between two batches; the next start resumes it.
migration 5_again "-- mig:backfill
-- mig:batch-size 300
UPDATE accounts SET full_name = display_name WHERE id > 0"
mig-start-prod --no-backup --backfills background --max-rows-per-second 20000 --format json -- sleep 1 >sp2.out 2>sp2.err &
sp=$!
wait "$sp"; RC=$?
expect_rc 0 "workers done while the backfill runs"
expect_sql "SELECT status FROM migration_history WHERE version = '5'" running
run mig-start-prod --no-backup --format json -- true
expect_rc 0 "the next start (foreground) finishes it"
expect_sql "SELECT status FROM migration_history WHERE version = '5'" applied

run mig-start-prod --backfills sometimes -- true
expect_rc 2 "--backfills sometimes"
finish
