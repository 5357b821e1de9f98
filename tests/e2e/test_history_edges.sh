#!/usr/bin/env bash
# History edges: a hand-edited batch at the integer maximum cannot wrap (exit 3)
# and --down still reverts the newest batch; a role that owns the history table
# but has no CREATE on the database can apply; a read-only server is exit 4.
source "$(dirname "$0")/lib.sh"

migration 1_one "CREATE TABLE one (id int);"
migration 2_two "CREATE TABLE two (id int);" up
migration 2_two "DROP TABLE two;" down
run mig-apply --to 1
expect_rc 0 "first batch"
run mig-apply
expect_rc 0 "second batch"
sql "UPDATE migration_history SET batch = 2147483647 WHERE version = '2'"
migration 3_three "CREATE TABLE three (id int);"
run mig-apply
expect_rc 3 "a batch at the maximum cannot wrap"
expect_json '.error.kind' batch_overflow
expect_sql "SELECT to_regclass('three') IS NULL" t
rm migrations/3_three.sql
run mig-apply --down
expect_rc 0 "down after the edit"
expect_json '.data.reverted[0].version' 2
expect_sql "SELECT string_agg(version, ',' ORDER BY version) FROM migration_history" 1

# Least privilege: owns the table, may create in public, no CREATE on the database.
role="r_$PGDATABASE"
psql -X -q -d postgres -c "DROP ROLE IF EXISTS \"$role\"" -c "CREATE ROLE \"$role\" LOGIN" >/dev/null
sql "GRANT CREATE ON SCHEMA public TO \"$role\"; ALTER TABLE migration_history OWNER TO \"$role\"; ALTER TABLE one OWNER TO \"$role\""
run mig-apply --dsn "dbname=$PGDATABASE user=$role"
expect_rc 0 "the owning role applies without CREATE on the database"
expect_sql "SELECT tableowner FROM pg_tables WHERE tablename = 'two'" "$role"

# A read-only server (default_transaction_read_only, as on a standby).
migration 3_three "CREATE TABLE three (id int);"
sql "ALTER DATABASE \"$PGDATABASE\" SET default_transaction_read_only = on"
run mig-apply
expect_rc 4 "read-only server"
expect_json '.error.kind' read_only
expect_contains "$OUT" "read-only"
psql -X -q -d postgres -c "ALTER DATABASE \"$PGDATABASE\" RESET default_transaction_read_only"
run mig-apply
expect_rc 0 "writable again"
sql "DROP TABLE one, two, three, migration_history" >/dev/null
psql -X -q -d postgres -c "DROP OWNED BY \"$role\"" -d "$PGDATABASE" >/dev/null 2>&1
psql -X -q -d "$PGDATABASE" -c "DROP OWNED BY \"$role\"" >/dev/null 2>&1
psql -X -q -d postgres -c "DROP ROLE IF EXISTS \"$role\"" >/dev/null 2>&1
finish
