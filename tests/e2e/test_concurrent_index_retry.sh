#!/usr/bin/env bash
# CREATE INDEX CONCURRENTLY that hits lock_timeout leaves an INVALID index: mig
# drops what it left before retrying (no "already exists"), ends with exit 6 when
# the retries run out, and mig-status --check fails while an INVALID index exists.
source "$(dirname "$0")/lib.sh"

# The writer's INSERT has run (its transaction holds an xid the index build must
# wait for) once its session sleeps: the query text alone shows up before that.
wait_for_writer() {
  local _
  for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'psql' AND wait_event = 'PgSleep' AND backend_xid IS NOT NULL")" -ge 1 ] && return 0
    sleep 0.05
  done
  fail "the writer did not start sleeping in its transaction in time"
}

migration 1_table "CREATE TABLE items (id int, sku text); INSERT INTO items SELECT g, 's' || g FROM generate_series(1, 2000) g;"
run mig-apply
expect_rc 0 "table"
printf -- '-- mig:no-transaction\n-- mig:lock-timeout 300ms\nCREATE INDEX CONCURRENTLY items_sku ON items (sku);\n' > migrations/2_index.sql

# A writer keeps its transaction open for 2 s: the index build waits for it and times out.
psql -X -q -c "BEGIN; INSERT INTO items VALUES (0, 'w'); SELECT pg_sleep(2); COMMIT;" >/dev/null &
writer=$!
wait_for_writer
run mig-apply --retries 10
expect_rc 0 "retried after dropping its INVALID index"
wait $writer
expect_not_contains "$OUT$ERR" "already exists"
if [ "$(printf '%s' "$OUT" | jq '.data.applied[0].attempts')" -gt 1 ]; then pass; else fail "expected retries: $OUT"; fi
expect_sql "SELECT string_agg(c.relname || ':' || i.indisvalid, ',') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'items'::regclass" "items_sku:true"

# Retries run out while the writer is still there: exit 6, naming the INVALID index left.
printf -- '-- mig:no-transaction\n-- mig:lock-timeout 200ms\nCREATE INDEX CONCURRENTLY items_id ON items (id);\n' > migrations/3_index.sql
psql -X -q -c "BEGIN; INSERT INTO items VALUES (0, 'w'); SELECT pg_sleep(3); COMMIT;" >/dev/null &
writer=$!
wait_for_writer
run mig-apply --retries 1
expect_rc 6 "retries spent"
expect_json '.error.kind' lock_timeout
expect_contains "$OUT" "INVALID index it left could not be dropped"
# The message names the index and the statement that drops it (not just "the INVALID index").
expect_contains "$OUT" "items_id ("
expect_contains "$OUT" 'run `DROP INDEX CONCURRENTLY IF EXISTS'
wait $writer
run mig-apply --repair 3 --forget
expect_rc 0 "forget the failed row"
run mig-status --check
expect_rc 1 "status --check with the INVALID index left"
expect_json '.data.invalid_indexes[0].index' items_id
sql "DROP INDEX items_id"
run mig-apply
expect_rc 0 "builds once nothing is in the way"

# An INVALID index from elsewhere (a unique build over duplicates) fails the check.
sql "INSERT INTO items VALUES (1, 's1')"
psql -X -q -c "CREATE UNIQUE INDEX CONCURRENTLY items_unique ON items (id)" >/dev/null 2>&1
run mig-status --check
expect_rc 1 "status --check with an INVALID index"
expect_json '.error.kind' invalid_index
expect_json '.data.invalid_indexes[0].index' items_unique
expect_json '.data.ready' false
sql "DROP INDEX items_unique"
run mig-status --check
expect_rc 0 "ready again"
finish
