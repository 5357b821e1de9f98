#!/usr/bin/env bash
# Backfills (CONTRACT §12) as users meet them: exactly once through five kill -9
# and a rerun (a counter every batch increments ends at 1 on every row);
# SIGTERM exits 143 and a rerun finishes; two appliers at once; composite, uuid
# and text keys, -- mig:key; refusals before anything runs; the later migration
# waits for an unfinished backfill; mig-status shows progress; mig-dryrun
# rehearses the first batch and changes nothing; a history table of the old
# shape gains the backfill columns.
source "$(dirname "$0")/lib.sh"

counts() { sql "SELECT count(*), min(n), max(n), count(*) FILTER (WHERE display_name IS NULL) FROM accounts"; }

# A history table of today's shape (before backfills) with one applied row.
sql "CREATE TABLE migration_history (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'failed')), batch integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms bigint NOT NULL DEFAULT 0, applied_by text NOT NULL, backup_id text, statements_done integer, error text)"
migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY, full_name text, display_name text, n int NOT NULL DEFAULT 0);
INSERT INTO accounts (id, full_name) SELECT g, 'name ' || g FROM generate_series(1, 300000) g;"
run mig-apply --format json
expect_rc 0 "apply the table"
migration 2_fill "-- mig:backfill
-- mig:batch-size 300
-- mig:batch-time 20ms
UPDATE accounts SET display_name = full_name, n = n + 1 WHERE display_name IS NULL"
migration 3_after "CREATE TABLE after_fill (id int);"

# mig-dryrun rehearses the first batch, reports its plan, and changes nothing.
run mig-dryrun --format json
expect_rc 0 "dryrun of a backfill"
expect_json '.data.backfills[0].full_scan' false
expect_json '.data.backfills[0].key' '["id"]'
expect_json '.data.migrations[0].backfill' true
expect_sql "SELECT count(*) FROM accounts WHERE n <> 0" 0
expect_sql "SELECT count(*) FROM migration_history" 1

# Five kill -9 at random points, then a rerun: every row changed exactly once.
for i in 1 2 3 4 5; do
  mig-apply --max-rows-per-second 50000 --format json >"$WORK/kill$i.out" 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 7 + 2))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  # The server notices the dead client within a second (client_connection_check_interval).
  for _ in $(seq 1 50); do [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mig-apply'")" = 0 ] && break; sleep 0.1; done
  if [ "$i" = 1 ]; then
    expect_sql "SELECT count(*) FROM pg_attribute WHERE attrelid = 'migration_history'::regclass AND attname IN ('backfill_last_key', 'backfill_rows')" 2
  fi
done
expect_sql "SELECT status FROM migration_history WHERE version = '2'" running
expect_sql "SELECT count(*) FROM migration_history WHERE version = '3'" 0  # never before the backfill finished
expect_sql "SELECT to_regclass('after_fill') IS NULL" t
run mig-status --format json
expect_json '.data.backfills[0].version' 2
expect_json '.data.backfills[0].rows > 0' true
expect_json '.data.backfills[0].rows == ('"$(sql "SELECT count(*) FROM accounts WHERE n = 1")"')' true
expect_json '.data.ready' false
run mig-status --check --format json
expect_rc 1 "status --check while a backfill is unfinished"
run mig-apply --format json --events
expect_rc 0 "rerun finishes the backfill"
expect_contains "$(cat "$WORK/.out")" '"event":"backfill_batch"' "events"
expect_contains "$(cat "$WORK/.out")" '"resumed":true' "resumed"
[ "$(counts)" = "300000|1|1|0" ] && pass || fail "after kills and a rerun: $(counts) (want 300000|1|1|0)"
expect_sql "SELECT status || ':' || backfill_rows FROM migration_history WHERE version = '2'" applied:300000
expect_sql "SELECT to_regclass('after_fill') IS NOT NULL" t

# SIGTERM: the current batch commits or rolls back, progress kept, exit 143; a rerun finishes.
migration 4_again "-- mig:backfill
-- mig:batch-size 200
UPDATE accounts SET n = n + 1 WHERE id > 0"
mig-apply --max-rows-per-second 40000 --format json >"$WORK/term.out" 2>&1 &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
RC=$?
expect_rc 143 "SIGTERM during a backfill"
expect_sql "SELECT status FROM migration_history WHERE version = '4'" running
done_rows=$(sql "SELECT backfill_rows FROM migration_history WHERE version = '4'")
expect_sql "SELECT count(*) FROM accounts WHERE n = 2" "$done_rows"
run mig-apply --format json
expect_rc 0 "rerun after SIGTERM"
expect_sql "SELECT min(n) || '|' || max(n) FROM accounts" "2|2"

# Two appliers at once: one runs the backfill, the other waits and finds nothing left.
migration 5_third "-- mig:backfill
-- mig:batch-size 500
UPDATE accounts SET n = n + 1"
mig-apply --format json >"$WORK/a1.out" 2>&1 &
p1=$!
mig-apply --format json >"$WORK/a2.out" 2>&1 &
p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
[ "$r1:$r2" = 0:0 ] && pass || fail "two appliers: exit $r1 and $r2"
expect_sql "SELECT min(n) || '|' || max(n) FROM accounts" "3|3"

# Composite, uuid and text keys; -- mig:key names another unique NOT NULL key.
sql "CREATE TABLE tenant_rows (tenant int, id int, v int NOT NULL DEFAULT 0, PRIMARY KEY (tenant, id));
INSERT INTO tenant_rows SELECT t, i FROM generate_series(1, 7) t, generate_series(1, 300) i;
CREATE TABLE by_uuid (id uuid PRIMARY KEY, v int NOT NULL DEFAULT 0);
INSERT INTO by_uuid SELECT md5(g::text)::uuid FROM generate_series(1, 2000) g;
CREATE TABLE by_text (code text PRIMARY KEY, v int NOT NULL DEFAULT 0);
INSERT INTO by_text SELECT 'k' || g FROM generate_series(1, 2000) g;
CREATE TABLE by_other (id serial, email text NOT NULL UNIQUE, v int NOT NULL DEFAULT 0);
INSERT INTO by_other (email) SELECT 'u' || g || '@x' FROM generate_series(1, 2000) g;
CREATE TABLE copy_of (tenant int, id int, v int);"
migration 6_keys "-- mig:backfill
-- mig:batch-size 97
UPDATE tenant_rows SET v = v + 1"
migration 7_uuid "-- mig:backfill
-- mig:batch-size 101
UPDATE by_uuid AS u SET v = u.v + 1 WHERE u.v = 0"
migration 8_text "-- mig:backfill
-- mig:batch-size 103
UPDATE by_text SET v = v + 1"
migration 9_other_key "-- mig:backfill
-- mig:key email
-- mig:batch-size 89
UPDATE by_other SET v = v + 1"
migration 10_insert_select "-- mig:backfill
-- mig:batch-size 250
INSERT INTO copy_of (tenant, id, v) SELECT tenant, id, v FROM tenant_rows"
migration 11_delete "-- mig:backfill
-- mig:batch-size 100
DELETE FROM by_text WHERE code LIKE 'k1%'"
text_boundary=$(sql "SELECT code FROM by_text ORDER BY code LIMIT 1 OFFSET 102")
run mig-apply --events --format json
expect_rc 0 "composite, uuid, text and named keys; INSERT ... SELECT; DELETE"
events=$(cat "$WORK/.out")
first_batch() { printf '%s\n' "$events" | jq -c -s "[.[] | select(.event == \"backfill_batch\" and .version == \"$1\")][0].last_key"; }
[ "$(first_batch 6)" = '["1","97"]' ] && pass || fail "composite key: the first batch ends at $(first_batch 6), want [\"1\",\"97\"]"
[ "$(first_batch 8)" = "[\"$text_boundary\"]" ] && pass || fail "text key: the first batch ends at $(first_batch 8), want [\"$text_boundary\"]"
expect_sql "SELECT count(*) || '|' || min(v) || '|' || max(v) FROM tenant_rows" "2100|1|1"
expect_sql "SELECT count(*) || '|' || min(v) || '|' || max(v) FROM by_uuid" "2000|1|1"
expect_sql "SELECT count(*) || '|' || min(v) || '|' || max(v) FROM by_other" "2000|1|1"
expect_sql "SELECT count(*) || '|' || count(DISTINCT (tenant, id)) || '|' || min(v) FROM copy_of" "2100|2100|1"
expect_sql "SELECT count(*) || '|' || count(*) FILTER (WHERE code LIKE 'k1%') || '|' || min(v) FROM by_text" "889|0|1"

# Refused before anything runs (exit 3, file:line), nothing changed.
refused() {  # refused BODY WHAT
  migration 12_bad "$1"
  run mig-apply --format json
  expect_rc 3 "refused: $2"
  expect_json '.error.file' migrations/12_bad.sql
  run mig-lint migrations/12_bad.sql --format json
  expect_json '[.data.findings[] | select(.rule == "backfill-shape")] | length' 1
  expect_sql "SELECT count(*) FROM migration_history WHERE version = '12'" 0
}
sql "CREATE TABLE no_key (a int, b text)"
refused "-- mig:backfill
UPDATE accounts SET n = 0 WHERE id = 1;
UPDATE accounts SET n = 0 WHERE id = 2;" "two statements"
refused "-- mig:backfill
UPDATE accounts SET n = 0 RETURNING id" "RETURNING"
refused "-- mig:backfill
WITH gone AS (DELETE FROM by_uuid RETURNING id) UPDATE accounts SET n = 0" "a writing CTE"
refused "-- mig:backfill
-- mig:no-transaction
UPDATE accounts SET n = 0" "with mig:no-transaction"
refused "-- mig:key id
UPDATE accounts SET n = 0" "mig:key without mig:backfill"
refused "-- mig:backfill
CREATE INDEX x ON accounts (n)" "not an UPDATE"
for directive in "-- mig:batch-size 0" "-- mig:batch-size many" "-- mig:batch-time 0ms" "-- mig:key 1abc" "-- mig:backfill now"; do
  migration 12_bad "-- mig:backfill
$directive
UPDATE accounts SET n = 0"
  run mig-apply --format json
  expect_rc 3 "bad directive: $directive"
  expect_json '.error.line' 2
done
migration 12_bad "-- mig:backfill
UPDATE no_key SET b = 'x'"
run mig-apply --format json
expect_rc 3 "a table without a key"
expect_json '.error.message | test("no primary key")' true
expect_sql "SELECT count(*) FROM no_key WHERE b = 'x'" 0
expect_sql "SELECT count(*) FROM migration_history WHERE version = '12'" 0
migration 12_bad "-- mig:backfill
-- mig:key a
UPDATE no_key SET b = 'x'"
run mig-apply --format json
expect_rc 3 "mig:key without a unique index"
rm migrations/12_bad.sql

# Flags are checked before connecting.
run mig-apply --batch-time 0ms --dsn "host=127.0.0.1 port=1 connect_timeout=1" --format json
expect_rc 2 "--batch-time 0ms"
run mig-apply --max-rows-per-second lots --dsn "host=127.0.0.1 port=1 connect_timeout=1" --format json
expect_rc 2 "--max-rows-per-second lots"
run mig-apply --max-replica-lag soon --dsn "host=127.0.0.1 port=1 connect_timeout=1" --format json
expect_rc 2 "--max-replica-lag soon"
finish
