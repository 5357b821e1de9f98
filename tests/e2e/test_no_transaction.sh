#!/usr/bin/env bash
# -- mig:no-transaction runs statement by statement (CREATE INDEX CONCURRENTLY
# works); one that stops part way is recorded failed, later runs exit 7 until
# --repair; --single-transaction refuses such files.
source "$(dirname "$0")/lib.sh"

migration 1_table "CREATE TABLE big (id int, v text); INSERT INTO big SELECT g, g::text FROM generate_series(1, 1000) g;"
printf -- '-- mig:no-transaction\n-- mig:lock-timeout 2s\nCREATE INDEX CONCURRENTLY IF NOT EXISTS big_v ON big (v);\n' > migrations/2_index.sql

run mig-apply --single-transaction
expect_rc 3 "single transaction refuses no-transaction files"
expect_json '.error.kind' single_transaction_refused
expect_sql "SELECT to_regclass('big') IS NULL" t

run mig-apply
expect_rc 0 "CREATE INDEX CONCURRENTLY"
expect_json '.data.applied[1].transactional' false
expect_sql "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_v'::regclass" t
expect_sql "SELECT status FROM migration_history WHERE version = '2'" applied

printf -- '-- mig:no-transaction\nCREATE INDEX CONCURRENTLY big_id ON big (id);\nCREATE INDEX CONCURRENTLY broken ON no_such_table (id);\nCREATE INDEX CONCURRENTLY big_id2 ON big (id);\n' > migrations/3_partial.sql
run mig-apply
expect_rc 5 "no-transaction migration fails part way"
expect_json '.error.line' 3
expect_sql "SELECT status || ':' || statements_done FROM migration_history WHERE version = '3'" failed:1
expect_sql "SELECT to_regclass('big_id') IS NOT NULL AND to_regclass('big_id2') IS NULL" t

run mig-apply
expect_rc 7 "later runs refuse"
expect_json '.error.kind' needs_repair
run mig-status --check
expect_rc 7 "status --check sees the failed migration"
expect_json '.data.failed[0].version' 3

run mig-apply --repair 3 --forget
expect_rc 0 "forget the failed row"
expect_sql "SELECT count(*) FROM migration_history WHERE version = '3'" 0
sql "DROP INDEX big_id"
printf -- '-- mig:no-transaction\nCREATE INDEX CONCURRENTLY big_id ON big (id);\nCREATE INDEX CONCURRENTLY big_id2 ON big (id);\n' > migrations/3_partial.sql
run mig-apply
expect_rc 0 "fixed migration applies"
expect_sql "SELECT status FROM migration_history WHERE version = '3'" applied

printf -- '-- mig:no-transactoin\nSELECT 1;\n' > migrations/4_typo.sql
run mig-apply
expect_rc 3 "unknown directive"
expect_json '.error.line' 1
expect_json '.error.file' migrations/4_typo.sql
finish
