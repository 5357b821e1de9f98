#!/usr/bin/env bash
# Checkpoints: mig-new --checkpoint writes the whole schema the migrations make;
# an empty database starts from it (and records the files before it), one that
# has those files only records it; both end with the same schema; reverting a
# checkpoint is refused; it lints clean; flags are checked.
source "$(dirname "$0")/lib.sh"

db_make() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null 2>&1; }
schema_of() { pg_dump -s -d "$1" -T migration_history | grep -v -e '^\\restrict' -e '^\\unrestrict' -e '^--'; }
trap 'cleanup; for d in a b c e; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"${PGDATABASE}_$d\"" >/dev/null 2>&1; done' EXIT

migration 1_users.up "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
INSERT INTO users (email) VALUES ('root@example.com');"
migration 1_users.down "DROP TABLE users;"
migration 2_orders.up "CREATE TYPE order_state AS ENUM ('new', 'paid');
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users(id), state order_state NOT NULL DEFAULT 'new');
CREATE INDEX orders_user ON orders (user_id);
CREATE FUNCTION order_count(u bigint) RETURNS bigint LANGUAGE sql STABLE AS \$\$ SELECT count(*) FROM orders WHERE user_id = u \$\$;
CREATE VIEW paid_orders AS SELECT * FROM orders WHERE state = 'paid';"
migration 2_orders.down "DROP VIEW paid_orders; DROP FUNCTION order_count(bigint); DROP TABLE orders; DROP TYPE order_state;"

# B has the files before the checkpoint exists; C has only the first.
PGDATABASE=${PGDATABASE}_b; db_make "$PGDATABASE"
run mig-apply; expect_rc 0 "B: files 1 and 2"
PGDATABASE=${PGDATABASE%_b}_c; db_make "$PGDATABASE"
run mig-apply --to 1; expect_rc 0 "C: file 1"
PGDATABASE=${PGDATABASE%_c}

run mig-new ck --dsn "dbname=$PGDATABASE"
expect_rc 2 "--dsn without --checkpoint"
run mig-new ck stray --checkpoint
expect_rc 2 "a stray argument"
run mig-new --checkpoint
expect_rc 2 "--checkpoint without a name"
run mig-new --checkpoint=yes ck
expect_rc 2 "--checkpoint takes no value"
[ "$(ls migrations | wc -l)" = 4 ] && pass || fail "a refused mig-new wrote files: $(ls migrations)"
mkdir -p bad
printf -- '-- mig:checkpoint\n-- mig:no-transaction\nCREATE TABLE x (id int);\n' > bad/1_x.up.sql
printf -- '-- mig:checkpoint now\nCREATE TABLE y (id int);\n' > bad/2_y.up.sql
run mig-apply --dir bad
expect_rc 3 "checkpoint with no-transaction, and a checkpoint directive with a value"
expect_contains "$OUT" "bad/1_x.up.sql" "the file named"
expect_sql "SELECT count(*) FROM pg_tables WHERE tablename IN ('x', 'y')" 0
run mig-new --checkpoint squash
expect_rc 0 "mig-new --checkpoint"
expect_json '.data.checkpoint' true
expect_json '.data.covers_through' 2
expect_json '.data.rows_left_out[0].line' 2
expect_contains "$ERR" "1_users.up.sql:2: writes rows" "the INSERT named"
ck=$(echo "$OUT" | jq -r .data.up); ckv=$(echo "$OUT" | jq -r .data.version)
[ -f "$ck" ] && ! ls migrations/*squash.down.sql >/dev/null 2>&1 && pass || fail "checkpoint files: $(ls migrations)"
head -1 "$ck" | grep -qx -- '-- mig:checkpoint' && pass || fail "directive missing: $(head -3 "$ck")"
expect_not_contains "$(cat "$ck")" "public.orders" "names in public unqualified"
run mig-new --checkpoint again
expect_rc 3 "a checkpoint right after a checkpoint"
[ "$(ls migrations | wc -l)" = 5 ] && pass || fail "the refused checkpoint left a file: $(ls migrations)"
run mig-lint migrations
expect_rc 0 "the checkpoint lints clean"
expect_json '.data.findings | length' 0
migration 3_notes.up "ALTER TABLE users ADD COLUMN note text;"
migration 3_notes.down "ALTER TABLE users DROP COLUMN note;"
# (3 sorts before the checkpoint's yyyymmddHHMMSS; give it a later version)
mv migrations/3_notes.up.sql "migrations/$((ckv + 1))_notes.up.sql"; mv migrations/3_notes.down.sql "migrations/$((ckv + 1))_notes.down.sql"

# A: empty. It runs the checkpoint, records 1 and 2 with it, then the next file.
PGDATABASE=${PGDATABASE}_a; db_make "$PGDATABASE"
run mig-status --format json
expect_json '.data.starts_from_checkpoint | "\(.version):\(.skips)"' "$ckv:2"
run mig-dryrun
expect_rc 0 "rehearsal on an empty database"
expect_json '[.data.migrations[].version] | join(",")' "$ckv,$((ckv + 1))"
run mig-apply
expect_rc 0 "A: from the checkpoint"
expect_json '.data.applied[0].checkpoint' ran
expect_json '.data.applied[0].covered | join(",")' "1,2"
expect_json '.data.applied | length' 2
expect_sql "SELECT string_agg(version || ':' || batch, ',' ORDER BY version) FROM migration_history" "1:1,2:1,$ckv:1,$((ckv + 1)):1"
expect_sql "SELECT count(*) FROM users" 0
run mig-status --check; expect_rc 0 "A ready"
run mig-apply --down
expect_rc 3 "reverting the checkpoint's batch"
expect_contains "$OUT" "is a checkpoint" "why"
expect_sql "SELECT count(*) FROM migration_history" 4
expect_sql "SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'" 1
run mig-apply --down --steps 1; expect_rc 0 "reverting what came after it"
run mig-apply; expect_rc 0 "and again"
a_db=$PGDATABASE

# B: had 1 and 2. The checkpoint is recorded, not run.
PGDATABASE=${PGDATABASE%_a}_b
run mig-status --format json
expect_json '.data.starts_from_checkpoint' "null"
run mig-dryrun; expect_rc 0 "rehearsal where the checkpoint is only recorded"
expect_json '.data.migrations[0].rehearsed' false
run mig-apply
expect_rc 0 "B: checkpoint recorded"
expect_json '.data.applied[0].checkpoint' recorded
expect_json '.data.applied[1].version' "$((ckv + 1))"
expect_sql "SELECT count(*) FROM users" 1
run mig-status --check; expect_rc 0 "B ready"
[ "$(schema_of "$a_db")" = "$(schema_of "$PGDATABASE")" ] && pass || fail "A and B differ: $(diff <(schema_of "$a_db") <(schema_of "$PGDATABASE") | head -20)"

# C: had 1. File 2 runs, then the checkpoint is recorded.
PGDATABASE=${PGDATABASE%_b}_c
run mig-apply
expect_rc 0 "C: 2, checkpoint, 3"
expect_json '[.data.applied[] | .checkpoint // "-"] | join(",")' "-,recorded,-"
[ "$(schema_of "$a_db")" = "$(schema_of "$PGDATABASE")" ] && pass || fail "A and C differ"

# E: empty, --to below the checkpoint: the files themselves run.
PGDATABASE=${PGDATABASE%_c}_e; db_make "$PGDATABASE"
run mig-apply --to 2
expect_rc 0 "--to below the checkpoint"
expect_json '[.data.applied[].version] | join(",")' "1,2"
expect_sql "SELECT count(*) FROM users" 1
PGDATABASE=${PGDATABASE%_e}

# The real 233-migration history (Lemmy's diesel set, bench/sets/lemmy-233):
# converted, checkpointed, and an empty database from the checkpoint has the
# schema of one built file by file.
trap 'cleanup; for d in a b c e l1 l2; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"${PGDATABASE}_$d\"" >/dev/null 2>&1; done' EXIT
run mig-import --from diesel --source "$MIG_SOURCE/bench/sets/lemmy-233/migrations" --dir lemmy/migrations --files-only --format json
expect_rc 0 "lemmy: converted"
expect_json '.data.migrations | length' 233
db_make "${PGDATABASE}_l1"; db_make "${PGDATABASE}_l2"
run mig-apply --dir lemmy/migrations --dsn "dbname=${PGDATABASE}_l1" --format json
expect_rc 0 "lemmy: file by file"
expect_json '.data.applied | length' 233
run mig-new --checkpoint squash --dir lemmy/migrations --format json
expect_rc 0 "lemmy: checkpoint"
expect_json '.data.covers' 233
run mig-apply --dir lemmy/migrations --dsn "dbname=${PGDATABASE}_l2" --format json
expect_rc 0 "lemmy: from the checkpoint"
expect_json '[.data.applied[0].checkpoint, (.data.applied[0].covered | length | tostring)] | join(",")' "ran,233"
[ -n "$(schema_of "${PGDATABASE}_l1")" ] && [ "$(schema_of "${PGDATABASE}_l1")" = "$(schema_of "${PGDATABASE}_l2")" ] && pass \
  || fail "lemmy: checkpoint and file by file differ: $(diff <(schema_of "${PGDATABASE}_l1") <(schema_of "${PGDATABASE}_l2") | head)"
finish
