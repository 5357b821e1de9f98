#!/usr/bin/env bash
# mig-dryrun: a rehearsal leaves no trace and reports locks, rewrites and
# failures; a plan is applied exactly or refused; --scratch catches a broken
# down and schema drift, and never leaves a scratch database behind.
source "$(dirname "$0")/lib.sh"

migration 1_base "CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigserial PRIMARY KEY, note text);
INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 3000) g;
ANALYZE orders;" up
migration 1_base "DROP TABLE orders; DROP TABLE accounts;" down
run mig-apply
seq_before=$(sql "SELECT last_value FROM orders_id_seq")
fingerprint() { sql "SELECT (SELECT count(*) FROM orders) || ':' || (SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders') || ':' || (SELECT count(*) FROM migration_history)"; }
before=$(fingerprint)

printf 'ALTER TABLE orders ADD COLUMN flag boolean;\nCREATE INDEX orders_note ON orders (note);\nALTER TABLE orders ALTER COLUMN note TYPE varchar(100);\nINSERT INTO orders (note) VALUES (%s), (%s);\n' "'a'" "'b'" > migrations/2_change.up.sql
migration 2_change "DROP INDEX orders_note; ALTER TABLE orders ALTER COLUMN note TYPE text; ALTER TABLE orders DROP COLUMN flag;" down
# The round trip compares the one catalog model mig-diff uses: a collation, a
# comment or a grant left behind by a down is a mismatch too.
for change in "ALTER TABLE orders ALTER COLUMN note TYPE text COLLATE \"C\";|collation" \
              "COMMENT ON TABLE orders IS 'o';|comment table public.orders" "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;|\"rls\":true"; do
  migration 7_left_behind "${change%%|*}" up
  migration 7_left_behind "SELECT 1;" down
  run mig-dryrun --scratch
  expect_rc 5 "a down that leaves ${change%%|*} behind"
  expect_contains "$(echo "$OUT" | jq -r .error.message)" "${change##*|}" "the mismatch"
done
rm migrations/7_left_behind.*
printf -- '-- mig:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_id2 ON orders (id);\n' > migrations/3_concurrent.up.sql
migration 3_concurrent "-- mig:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS orders_id2;" down

run mig-dryrun --events
expect_rc 0 "rehearsal"
expect_json '.data.rolled_back' true
expect_json '[.data.migrations[].version] | join(",")' 2,3
expect_json '.data.migrations[0].statements[0].locks[] | select(.relation == "orders") | .mode' AccessExclusiveLock
expect_json '.data.migrations[0].statements[0].locks[0].estimated_rows' 3000
expect_json '.data.migrations[0].statements[1].locks[] | select(.relation == "orders") | .mode' ShareLock
expect_json '.data.migrations[0].statements[2].rewrites[0].relation' orders
expect_json '.data.migrations[0].statements[2].line' 3
expect_json '.data.migrations[1].rehearsed' false
# nextval() is not transactional: the rehearsal's two inserts leave a gap, never a rewind.
expect_json '.data.sequences[0] | [.sequence, .from, .to, .restored] | join(",")' "public.orders_id_seq,$seq_before,$((seq_before + 2)),false"
expect_sql "SELECT last_value FROM orders_id_seq" "$((seq_before + 2))"
[ "$(fingerprint)" = "$before" ] && pass || fail "rehearsal left a trace: $(fingerprint) vs $before"
expect_sql "SELECT to_regclass('orders_note') IS NULL" t

# The rehearsal is a plan: applied exactly, or refused when stale.
mig-dryrun --format json > plan.json 2>/dev/null
echo "-- edited after the plan" >> migrations/2_change.up.sql
run mig-apply --plan plan.json
expect_rc 3 "stale plan"
expect_json '.error.kind' plan_mismatch
[ "$(fingerprint)" = "$before" ] && pass || fail "a refused plan changed something"
mig-dryrun --format json > plan.json 2>/dev/null
run mig-apply --plan plan.json
expect_rc 0 "fresh plan"
expect_sql "SELECT string_agg(version, ',' ORDER BY version) FROM migration_history" 1,2,3

# A dropped table is named, not shown as an OID; a migration that fails after a
# skipped no-transaction one (it may need what that one makes) is not rehearsed, not failed.
sql "CREATE TABLE legacy (id int)"
migration 4_drop "DROP TABLE legacy;"
printf -- '-- mig:no-transaction\nCREATE INDEX CONCURRENTLY legacy_idx ON orders (note);\n' > migrations/5_index.sql
migration 6_uses_index "ALTER INDEX legacy_idx RENAME TO orders_note_idx;"
migration 7_after "CREATE TABLE after_skip (id int);"
run mig-dryrun
expect_rc 0 "rehearsal across a skipped no-transaction migration"
expect_json '.data.migrations[0].statements[0].locks[0].relation' legacy
expect_json '.data.migrations[1].rehearsed' false
expect_json '.data.migrations[2].rehearsed' false
expect_contains "$(echo "$OUT" | jq -r '.data.migrations[2].reason')" "5_index was skipped" "reason"
expect_json '.data.migrations[3].rehearsed' true
rm migrations/4_drop.sql migrations/5_index.sql migrations/6_uses_index.sql migrations/7_after.sql
sql "DROP TABLE legacy"

# A failing migration is named with its line; nothing changes.
printf 'ALTER TABLE orders ADD COLUMN other text;\nALTER TABLE missing ADD COLUMN x int;\n' > migrations/4_broken.sql
run mig-dryrun
expect_rc 5 "failing rehearsal"
expect_json '.error.file' migrations/4_broken.sql
expect_json '.error.line' 2
expect_sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'other'" 0
rm migrations/4_broken.sql

# kill -9 mid-rehearsal: nothing commits.
printf 'CREATE TABLE during (id int);\nSELECT pg_sleep(1.5);\n' > migrations/4_slow.sql
mig-dryrun >/dev/null 2>&1 &
dry=$!
wait_for_query mig-dryrun "CREATE TABLE during"
kill -9 "$dry"; wait "$dry" 2>/dev/null
for _ in $(seq 1 60); do
  [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mig-dryrun'")" = 0 ] && break
  sleep 0.1
done
expect_sql "SELECT to_regclass('during') IS NULL" t
expect_sql "SELECT count(*) FROM migration_history WHERE version = '4'" 0
rm migrations/4_slow.sql

# Scratch round trip: a down that does not restore the schema is caught.
run mig-dryrun --scratch --schema-out schema.txt
expect_rc 0 "scratch round trip"
expect_json '[.data.round_trip[].result] | unique | join(",")' ok
[ -s schema.txt ] && pass || fail "no schema written"
expect_contains "$(cat schema.txt)" 'column public.accounts.id {"identity":"","not_null":true,"type":"bigint"}' "schema snapshot"
migration 2_change "SELECT 1;" down
run mig-dryrun --scratch
expect_rc 5 "broken down"
expect_json '.error.kind' down_mismatch
expect_contains "$(echo "$OUT" | jq -r .error.message)" "2_change.down.sql" "names the migration"
migration 2_change "DROP INDEX orders_note; ALTER TABLE orders ALTER COLUMN note TYPE text; ALTER TABLE orders DROP COLUMN flag;" down

# The committed snapshot: drift is exit 1 with a readable diff.
run mig-dryrun --compare schema.txt
expect_rc 0 "no drift"
migration 5_extra "CREATE TABLE extra (id bigint);"
run mig-dryrun --compare schema.txt
expect_rc 1 "drift"
expect_json '.error.kind' schema_drift
expect_contains "$(echo "$OUT" | jq -r '.data.schema_diff | join("\n")')" "+ table public.extra" "diff"

# Scratch databases are never left behind, not even by a killed run. (Other
# tests make scratch databases at the same time: count this run's only.)
printf 'SELECT pg_sleep(3);\n' > migrations/6_sleepy.sql
mig-dryrun --scratch >/dev/null 2>&1 &
dry=$!
scratch_of_dry="SELECT count(*) FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE 'mig-dryrun pid $dry on %'"
for _ in $(seq 1 100); do
  [ "$(sql "$scratch_of_dry")" = 1 ] && break
  sleep 0.05
done
kill -9 "$dry"; wait "$dry" 2>/dev/null
rm migrations/6_sleepy.sql
for _ in $(seq 1 50); do
  [ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'mig\_scratch\_%' AND state = 'active'")" = 0 ] && break
  sleep 0.1
done
run mig-dryrun --compare schema.txt
expect_sql "$scratch_of_dry" 0
finish
