#!/usr/bin/env bash
# Repeatable migrations (<name>.repeatable.sql): applied after the versioned
# ones, in name order, again whenever the file changes; one history row each,
# in the run's batch; mig-status lists them; --check, lint and dryrun see them;
# a --to that stops short runs none; a failing one rolls back with its row;
# no-transaction cannot mark one; --down leaves them alone.
source "$(dirname "$0")/lib.sh"

migration 1_users.up "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, active boolean NOT NULL DEFAULT true);"
migration 1_users.down "DROP TABLE users CASCADE;"
migration 2_orders.up "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), total numeric NOT NULL);"
migration 2_orders.down "DROP TABLE orders CASCADE;"
# b_ uses what a_ makes: name order is the order they run in.
printf '%s\n' "CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE active;" > migrations/a_views.repeatable.sql
printf '%s\n' "CREATE OR REPLACE FUNCTION order_total(u bigint) RETURNS numeric LANGUAGE sql STABLE AS \$\$ SELECT coalesce(sum(total), 0) FROM orders WHERE user_id = u \$\$;" \
  "CREATE OR REPLACE VIEW active_user_totals AS SELECT id, order_total(id) AS total FROM active_users;" > migrations/b_reports.repeatable.sql

# Status before anything: both repeatables new, not ready.
run mig-status --format json
expect_rc 0 "status on an empty database"
expect_json '[.data.repeatable[] | .name + ":" + .state] | join(",")' "a_views:new,b_reports:new"
run mig-status --check --format json
expect_rc 1 "--check with new repeatables"

# Lint sees them (a DROP TABLE in a repeatable is still a finding).
run mig-lint --format json
expect_rc 0 "lint clean"
expect_json '.data.files' "6"

# --to that stops short of the last version runs no repeatable (they may use what comes later).
run mig-apply --to 1 --format json
expect_rc 0 "apply --to 1"
expect_json '[.data.applied[].version] | join(",")' "1"
expect_sql "SELECT count(*) FROM migration_history WHERE version LIKE 'repeatable:%'" "0"

# Dry run: version 2, then the repeatables in name order, rehearsed.
run mig-dryrun --format json
expect_rc 0 "dryrun"
expect_json '[.data.migrations[] | .version + ":" + (.rehearsed|tostring)] | join(",")' "2:true,repeatable:a_views:true,repeatable:b_reports:true"
echo "$OUT" > plan.json

run mig-apply --plan plan.json --format json
expect_rc 0 "apply the plan"
expect_json '[.data.applied[] | .version + ":" + ((.repeatable // false)|tostring)] | join(",")' "2:false,repeatable:a_views:true,repeatable:b_reports:true"
expect_json '.data.batch' "2"
expect_sql "SELECT string_agg(version || '/' || batch, ',' ORDER BY version) FROM migration_history" "1/1,2/2,repeatable:a_views/2,repeatable:b_reports/2"
expect_sql "SELECT count(*) FROM active_user_totals" "0"
run mig-status --check --format json
expect_rc 0 "ready after applying"
expect_json '[.data.repeatable[].state] | join(",")' "unchanged,unchanged"
expect_json '.data.current_version' "2"

# Nothing changed: nothing runs, no batch.
run mig-apply --format json
expect_rc 0 "nothing to do"
expect_json '.data.applied | length' "0"

# Edit one: only it runs again, in a new batch; its row is brought up to date.
printf '%s\n' "CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE active AND email <> '';" > migrations/a_views.repeatable.sql
run mig-status --format json
expect_json '[.data.repeatable[].state] | join(",")' "changed,unchanged"
expect_json '.data.ready' "false"
run mig-apply --format json
expect_rc 0 "re-apply the changed one"
expect_json '[.data.applied[].version] | join(",")' "repeatable:a_views"
expect_json '.data.batch' "3"
expect_sql "SELECT batch || ':' || checksum FROM migration_history WHERE version = 'repeatable:a_views'" \
  "3:sha256:$(sha256sum migrations/a_views.repeatable.sql | cut -d' ' -f1)"
expect_sql "SELECT pg_get_viewdef('active_users') LIKE '%<>%'" "t"

# A failing repeatable rolls back whole: its row keeps the old checksum, exit 5.
cp migrations/b_reports.repeatable.sql b_reports.good
printf '%s\n' "CREATE OR REPLACE VIEW active_user_totals AS SELECT id, order_total(id) AS total, no_such_column FROM active_users;" > migrations/b_reports.repeatable.sql
before=$(sql "SELECT checksum FROM migration_history WHERE version = 'repeatable:b_reports'")
run mig-apply --format json
expect_rc 5 "a failing repeatable"
expect_contains "$OUT" "b_reports.repeatable.sql" "the error names the file"
expect_sql "SELECT checksum FROM migration_history WHERE version = 'repeatable:b_reports'" "$before"
cp b_reports.good migrations/b_reports.repeatable.sql

# A new version and a changed repeatable in one run: the version first, the repeatable after it, one batch.
migration 3_users_name.up "ALTER TABLE users ADD COLUMN name text;"
migration 3_users_name.down "ALTER TABLE users DROP COLUMN name;"
printf '%s\n' "CREATE OR REPLACE VIEW active_users AS SELECT id, email, name FROM users WHERE active AND email <> '';" > migrations/a_views.repeatable.sql
run mig-apply --format json
expect_rc 0 "version then repeatable"
expect_json '[.data.applied[].version] | join(",")' "3,repeatable:a_views"
expect_json '.data.batch' "4"

# --down reverts the last batch's versions and leaves the repeatables alone.
run mig-apply --down --to 2 --format json
expect_rc 5 "down to 2 fails: the view uses the column"
expect_sql "SELECT count(*) FROM migration_history WHERE version = '3'" "1"

# Two appliers at once after an edit: the repeatable runs exactly once (the second finds it unchanged).
sql "CREATE TABLE repeatable_runs (at timestamptz DEFAULT now())" >/dev/null
printf '%s\n' "INSERT INTO repeatable_runs DEFAULT VALUES;" "CREATE OR REPLACE VIEW active_users AS SELECT id, email, name FROM users WHERE active AND email <> '';" > migrations/a_views.repeatable.sql
mig-apply --format json > apply1.json 2>/dev/null & p1=$!
mig-apply --format json > apply2.json 2>/dev/null & p2=$!
wait $p1; rc1=$?; wait $p2; rc2=$?
[ "$rc1$rc2" = "00" ] && pass || fail "concurrent appliers: exit $rc1 and $rc2"
expect_sql "SELECT count(*) FROM repeatable_runs" "1"
printf '%s\n' "CREATE OR REPLACE VIEW active_users AS SELECT id, email, name FROM users WHERE active AND email <> '';" > migrations/a_views.repeatable.sql
run mig-apply --format json
expect_rc 0 "back to the view alone"

# A removed repeatable is listed, not an error.
mv migrations/b_reports.repeatable.sql removed.sql
run mig-status --check --format json
expect_rc 0 "a removed repeatable is not pending"
expect_json '[.data.repeatable[] | .name + ":" + .state] | join(",")' "a_views:unchanged,b_reports:removed"
mv removed.sql migrations/b_reports.repeatable.sql

# no-transaction cannot mark a repeatable: exit 3 naming the file, nothing applied; lint says so too.
printf -- '-- mig:no-transaction\nCREATE OR REPLACE VIEW v1 AS SELECT 1 AS one;\n' > migrations/c_bad.repeatable.sql
run mig-apply --format json
expect_rc 3 "no-transaction repeatable refused"
expect_contains "$OUT" "c_bad.repeatable.sql" "names the file"
expect_sql "SELECT count(*) FROM pg_views WHERE viewname = 'v1'" "0"
run mig-lint --format json
expect_rc 1 "lint flags the directive"
expect_json '[.data.findings[] | select(.file | endswith("c_bad.repeatable.sql")) | .rule] | join(",")' "syntax-error"
rm migrations/c_bad.repeatable.sql

# Names: a bad one is a file-name problem (exit 3 before connecting).
printf 'SELECT 1;\n' > 'migrations/bad name.repeatable.sql'
run mig-status --format json
expect_rc 3 "a bad repeatable name"
expect_contains "$OUT" "bad name.repeatable.sql" "names the file"
rm 'migrations/bad name.repeatable.sql'

# A fresh database from scratch: the same schema as the one migrated step by step.
psql -X -q -d postgres -c "CREATE DATABASE \"${PGDATABASE}_fresh\"" >/dev/null
trap 'cleanup; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"${PGDATABASE}_fresh\"" >/dev/null 2>&1' EXIT
run mig-apply --dsn "dbname=${PGDATABASE}_fresh" --format json
expect_rc 0 "fresh database"
expect_json '[.data.applied[].version] | join(",")' "1,2,3,repeatable:a_views,repeatable:b_reports"

# mig-start-prod applies a changed repeatable before the application starts, and verifies it.
printf '%s\n' "CREATE OR REPLACE VIEW active_users AS SELECT id, email, name FROM users WHERE active;" > migrations/a_views.repeatable.sql
run mig-start-prod --no-backup --dsn "dbname=${PGDATABASE}_fresh" --format json -- touch started.marker
expect_rc 0 "start-prod with a changed repeatable"
expect_json '[.data.applied[].version] | join(",")' "repeatable:a_views"
[ -f started.marker ] && pass || fail "the application did not start"
run mig-status --check --dsn "dbname=${PGDATABASE}_fresh" --format json
expect_rc 0 "ready after start-prod"
dump() { pg_dump -s -d "$1" -T migration_history -T repeatable_runs | grep -v -e '^\\restrict' -e '^\\unrestrict' -e '^--'; }
run mig-apply --format json
expect_rc 0 "the step-by-step database takes the same edit"
if diff <(dump "$PGDATABASE") <(dump "${PGDATABASE}_fresh") >/dev/null; then pass; else fail "fresh and step-by-step schemas differ"; fi

finish
