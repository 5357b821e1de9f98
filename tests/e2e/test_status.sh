#!/usr/bin/env bash
# mig-status is read-only: no history table means nothing applied, a role
# without CREATE can run it, and --check speaks in exit codes.
source "$(dirname "$0")/lib.sh"

migration 1_a "CREATE TABLE a (id int);"
migration 2_b "CREATE TABLE b (id int);"
reader="mig_ro_$$"
sql "CREATE ROLE $reader LOGIN; GRANT CONNECT ON DATABASE \"$PGDATABASE\" TO $reader"

run mig-status --check --dsn "user=$reader"
expect_rc 1 "pending, no history table, read-only role"
expect_json '.data.pending | length' 2
expect_json '.data.current_version' null
expect_json '.data.ready' false
expect_json '.error.kind' pending_migrations
expect_sql "SELECT to_regclass('migration_history') IS NULL" t

run mig-status
expect_rc 0 "without --check, pending is not an error"

run mig-apply --to 1
expect_json '[.data.applied[].version] | join(",")' 1
sql "GRANT SELECT ON migration_history TO $reader"
run mig-status --check --dsn "user=$reader"
expect_rc 1 "one pending"
expect_json '.data.current_version' 1
expect_json '.data.applied[0].name' a
expect_json '.data.pending[0].version' 2

run mig-apply
run mig-status --check --dsn "user=$reader"
expect_rc 0 "ready"
expect_json '.data.ready' true
expect_json '.ok' true

run mig-status --format text
expect_contains "$(cat .out)" "ready: yes" "text view"
run mig-status --format yaml
expect_rc 2 "bad --format"
run mig-status --no-such-flag
expect_rc 2 "unknown flag"
expect_json '.error.kind' usage
sql "REVOKE ALL ON migration_history FROM $reader; DROP OWNED BY $reader; DROP ROLE $reader" >/dev/null 2>&1
finish
