#!/usr/bin/env bash
# mig-diff on a plan that adds enum values and uses them (a default, a view):
# PostgreSQL refuses a new value in the transaction that adds it ("unsafe use
# of new value"), so --write puts the ADD VALUE statements in a migration of
# their own, committed before the one that uses them; mig-apply runs the
# pair, the rows are kept, and the downs take the schema back.
source "$(dirname "$0")/lib.sh"

migration 20260101000000_orders "CREATE TYPE order_state AS ENUM ('new', 'paid');
CREATE TABLE orders (id bigint PRIMARY KEY, state order_state NOT NULL DEFAULT 'new');
INSERT INTO orders VALUES (1, 'paid'), (2, 'new');" up
migration 20260101000000_orders "DROP TABLE orders; DROP TYPE order_state;" down
mkdir schema "$WORK/first"
cat >"$WORK/first/orders.sql" <<'SQL'
CREATE TYPE order_state AS ENUM ('new', 'paid');
CREATE TABLE orders (id bigint PRIMARY KEY, state order_state NOT NULL DEFAULT 'new');
SQL
cat >schema/orders.sql <<'SQL'
CREATE TYPE order_state AS ENUM ('draft', 'new', 'paid', 'refunded');
CREATE TABLE orders (id bigint PRIMARY KEY, state order_state NOT NULL DEFAULT 'draft');
CREATE VIEW refunds AS SELECT id FROM orders WHERE state = 'refunded';
SQL
run mig-apply --format json
expect_rc 0 "the current migrations"

run mig-diff --format json
expect_rc 0 "plan"
expect_json '.data.converged' "true"
expect_json '[.data.statements[0:2][].sql | test("ADD VALUE")] | all' "true"

run mig-diff --write order_states --format json
expect_rc 0 "--write"
expect_json '.data.written | length' "4"
values_up=$(ls migrations/*_order_states_enum_values.up.sql 2>/dev/null)
main_up=$(ls migrations/*_order_states.up.sql 2>/dev/null)
[ -n "$values_up" ] && [ -n "$main_up" ] && pass || fail "files: $(ls migrations)"
[ "$(basename "$values_up" | cut -d_ -f1)" \< "$(basename "$main_up" | cut -d_ -f1)" ] && pass || fail "the values must come first: $values_up, $main_up"
expect_contains "$(cat "$values_up")" "ADD VALUE 'draft' BEFORE 'new'" "the values file"
expect_not_contains "$(cat "$main_up")" "ADD VALUE" "the main file"
expect_not_contains "$(cat "$values_up")" "mig:no-transaction" "the values file runs in a transaction of its own"

run mig-lint --format json
[ "$RC" -le 1 ] && pass || fail "lint could not read the written files: $OUT"
# The rehearsal is one transaction: the second file cannot use the values the
# first adds there, so it is reported not rehearsed (inconclusive), not failed.
run mig-dryrun --format json
expect_rc 0 "rehearsed"
expect_json '[.data.migrations[].rehearsed] | map(tostring) | join(",")' "true,false"
expect_contains "$OUT" "after the adding transaction commits" "the reason"
run mig-apply --format json
expect_rc 0 "applied: values committed first, then the default and the view"
expect_json '.data.applied | length' "2"
expect_sql "SELECT string_agg(id || ':' || state, ',' ORDER BY id) FROM orders" "1:paid,2:new"
sql "INSERT INTO orders (id) VALUES (3)" >/dev/null
expect_sql "SELECT state FROM orders WHERE id = 3" "draft"
run mig-status --check --format json
expect_rc 0 "ready"
run mig-diff --check --format json
expect_rc 0 "no difference left"

# The downs take the schema back to the first migration's. Removing a value
# recreates the type and casts the column through text (one transaction), so
# the rows are kept; while a row holds the removed value the cast fails and
# that migration's down reverts nothing (the main one's, before it, has run).
run mig-apply --down --to 20260101000000 --format json
expect_rc 5 "down while row 3 holds 'draft', a value the down removes"
expect_contains "$OUT" 'invalid input value for enum order_state: \"draft\"' "the reason"
expect_sql "SELECT count(*) FROM migration_history" "2"
expect_sql "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'order_state'::regtype" "draft,new,paid,refunded"
sql "UPDATE orders SET state = 'new' WHERE id = 3" >/dev/null
run mig-apply --down --to 20260101000000 --format json
expect_rc 0 "down"
expect_sql "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'order_state'::regtype" "new,paid"
expect_sql "SELECT count(*) FROM pg_views WHERE viewname = 'refunds'" "0"
expect_sql "SELECT string_agg(id || ':' || state, ',' ORDER BY id) FROM orders" "1:paid,2:new,3:new"
expect_sql "SELECT column_default FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'state'" "'new'::order_state"
expect_sql "SELECT count(*) FROM pg_type WHERE typname LIKE 'order_state%mig_old'" "0"
run mig-diff --against-db --check --format json --schema-dir "$WORK/first"
expect_rc 0 "the schema is the first migration's again"
finish
