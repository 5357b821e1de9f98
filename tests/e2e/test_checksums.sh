#!/usr/bin/env bash
# An edited applied file is refused before anything runs; CRLF, a BOM and a
# Windows checkout are not edits.
source "$(dirname "$0")/lib.sh"

printf 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n' > migrations/1_first.sql
run mig-apply
expect_rc 0 "apply"
want=$(printf 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n' | sha256sum | cut -d' ' -f1)
expect_sql "SELECT checksum FROM migration_history" "sha256:$want"

printf '\xef\xbb\xbfCREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n' > migrations/1_first.sql
migration 2_second "CREATE TABLE c (id int);"
run mig-status --check
expect_rc 1 "CRLF+BOM copy is not an edit; 2 is pending"
expect_json '.data.changed | length' 0
run mig-apply
expect_rc 0 "apply after CRLF"

printf 'CREATE TABLE a (id int);\nCREATE TABLE b (id bigint);\n' > migrations/1_first.sql
migration 3_third "CREATE TABLE d (id int);"
run mig-apply
expect_rc 3 "edited file refused"
expect_json '.error.kind' checksum_mismatch
expect_sql "SELECT to_regclass('d') IS NULL" t
run mig-status --check
expect_rc 3 "status --check on an edited file"
expect_json '.data.changed[0].version' 1
expect_json '.data.changed[0].recorded_checksum' "sha256:$want"

run mig-apply --repair 1
expect_rc 0 "repair accepts the edit"
run mig-apply
expect_rc 0 "then apply works"
expect_sql "SELECT to_regclass('d') IS NOT NULL" t

rm migrations/2_second.sql
run mig-status --check
expect_rc 3 "missing applied file"
expect_json '.data.missing[0].version' 2
finish
