#!/usr/bin/env bash
# A failing transactional migration leaves nothing: no table, no history row;
# exit 5 with file and line. Earlier migrations of the run stay applied.
source "$(dirname "$0")/lib.sh"

migration 1_ok "CREATE TABLE ok (id int);"
printf -- '-- creates t and fills it\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n\nINSERT INTO missing_table VALUES (1);\n' > migrations/2_broken.sql
migration 3_later "CREATE TABLE later (id int);"

run mig-apply
expect_rc 5 "failing migration"
expect_json '.error.kind' migration_failed
expect_json '.error.file' migrations/2_broken.sql
expect_json '.error.line' 5
expect_json '.error.sqlstate' 42P01
expect_json '[.data.applied[].version] | join(",")' 1
expect_sql "SELECT to_regclass('t') IS NULL AND to_regclass('later') IS NULL AND to_regclass('ok') IS NOT NULL" t
expect_sql "SELECT string_agg(version, ',') FROM migration_history" 1

printf 'CREATE TABLE t (id int);\nSELEC 1;\n' > migrations/2_broken.sql
run mig-apply
expect_rc 5 "syntax error"
expect_json '.error.line' 2
expect_sql "SELECT to_regclass('t') IS NULL" t

# A transactional file may not commit on its own: that would split the migration from its history row.
printf 'CREATE TABLE t (id int);\nCOMMIT;\n' > migrations/2_broken.sql
run mig-apply
expect_rc 3 "COMMIT inside a transactional migration is refused before it runs"
expect_json '.error.kind' transaction_control
expect_json '.error.line' 2
expect_sql "SELECT to_regclass('t') IS NULL" t

printf 'CREATE TABLE t (id int);\nSELECT * FROM missing_table;\n' > migrations/2_broken.sql
run mig-apply --single-transaction
expect_rc 5 "single transaction"
expect_json '.error.line' 2
expect_json '.error.file' migrations/2_broken.sql
expect_sql "SELECT count(*) FROM migration_history" 1

# Errors the server gives no position for still get their line: the statement
# that failed is the count of results libpq returned before the error.
printf 'CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1);\n\nINSERT INTO t\n  VALUES (1);\nDROP INDEX no_such_index;\n' > migrations/2_broken.sql
run mig-apply
expect_rc 5 "unique violation"
expect_json '.error.sqlstate' 23505
expect_json '.error.line' 4
printf 'CREATE TABLE t (id int);\n-- gone already\nDROP INDEX no_such_index;\n' > migrations/2_broken.sql
run mig-apply
expect_rc 5 "DROP INDEX of a missing index"
expect_json '.error.line' 3
expect_json '.data.batch' 2
# No-transaction: the failing token's line, not the statement's first.
printf -- '-- mig:no-transaction\nCREATE TABLE t (id int);\nSELECT 1,\n  2,\n  no_such_column\nFROM t;\n' > migrations/2_broken.sql
run mig-apply
expect_rc 5 "no-transaction error position"
expect_json '.error.line' 5
finish
