#!/usr/bin/env bash
# golang-migrate style: a -- mig:no-transaction file with its own BEGIN ... COMMIT.
# The block is one unit: an error inside names its real line and SQLSTATE, the
# block is rolled back and recorded honestly; a lock timeout retries the block;
# a block that is never closed is refused before anything runs (exit 3).
source "$(dirname "$0")/lib.sh"

migration 1_base "CREATE TABLE accounts (id int PRIMARY KEY, email text);"
cat > migrations/2_block.sql <<'SQL'
-- mig:no-transaction
CREATE TABLE before_block (id int);
BEGIN;
CREATE TABLE inside_block (id int);
INSERT INTO accounts VALUES (1, 'a');
INSERT INTO accounts VALUES (1, 'b');
COMMIT;
CREATE TABLE after_block (id int);
SQL
run mig-apply
expect_rc 5 "an error inside the block"
expect_json '.error.line' 6
expect_json '.error.sqlstate' 23505
expect_json '.error.file' migrations/2_block.sql
expect_not_contains "$OUT" "25P02" "error document"
expect_contains "$OUT" "transaction block was rolled back"
expect_sql "SELECT to_regclass('before_block') IS NOT NULL, to_regclass('inside_block') IS NULL, to_regclass('after_block') IS NULL" "t|t|t"
expect_sql "SELECT count(*) FROM accounts" 0
expect_sql "SELECT status || ':' || statements_done FROM migration_history WHERE version = '2'" failed:1
expect_json '.data.batch' 1
expect_json '.data.applied[0].attempts' 1
expect_json '.data.applied[0].transactional' true

# Fixed by hand, forgotten, fixed file: runs whole, one round trip for the block.
sql "DROP TABLE before_block"
run mig-apply --repair 2 --forget
expect_rc 0 "forget"
sed -i 's/(1, .b.)/(2, '"'"'b'"'"')/' migrations/2_block.sql
# A reader holds the table for a while (long enough for a loaded CI machine to get mig-apply to the
# ALTER first): the block hits lock_timeout and is retried whole.
psql -X -q -c "BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE; SELECT pg_sleep(4); COMMIT;" >/dev/null &
holder=$!
wait_for_query psql pg_sleep
wait_for_lock accounts AccessShareLock
cat > migrations/2_block.sql <<'SQL'
-- mig:no-transaction
-- mig:lock-timeout 200ms
CREATE TABLE before_block (id int);
BEGIN;
CREATE TABLE inside_block (id int);
ALTER TABLE accounts ADD COLUMN note text;
INSERT INTO accounts VALUES (2, 'b');
COMMIT;
CREATE TABLE after_block (id int);
SQL
run mig-apply --retries 8
expect_rc 0 "the block is retried after lock timeouts"
wait $holder
expect_json '.data.applied[0].transactional' false
if [ "$(printf '%s' "$OUT" | jq '.data.applied[0].attempts')" -gt 1 ]; then pass; else fail "expected more than one attempt: $OUT"; fi
expect_sql "SELECT count(*) FROM accounts" 1
expect_sql "SELECT status FROM migration_history WHERE version = '2'" applied

# Never closed: refused up front, nothing ran.
cat > migrations/3_open.sql <<'SQL'
-- mig:no-transaction
CREATE TABLE not_run (id int);
BEGIN;
UPDATE accounts SET note = 'x';
SQL
run mig-apply
expect_rc 3 "unterminated block"
expect_json '.error.line' 3
expect_sql "SELECT to_regclass('not_run') IS NULL" t
expect_sql "SELECT count(*) FROM migration_history WHERE version = '3'" 0

# A BEGIN inside an open block is refused too.
printf -- '-- mig:no-transaction\nBEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;\n' > migrations/3_open.sql
run mig-apply
expect_rc 3 "nested BEGIN"
expect_json '.error.line' 3
finish
