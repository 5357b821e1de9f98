#!/usr/bin/env bash
# mig-diff: the declarative workflow end to end. A schema/ edit becomes a
# reviewed migration (--write) that lint, rehearse and apply accept; --check is
# the CI drift gate; --push refuses data loss unless allowed; --dump output
# loads back to the same schema; a plan that fails on the migrations' own data
# is exit 5 with nothing written; scratch databases never outlive a run; every
# bad flag is refused before connecting.
source "$(dirname "$0")/lib.sh"

migration 20260101000000_accounts "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
INSERT INTO accounts (email) VALUES ('a@x'), ('a@x');" up
migration 20260101000000_accounts "DROP TABLE accounts;" down
mkdir schema
cat >schema/10_accounts.sql <<'SQL'
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  display_name text
);
SQL
scratch_left_by() { sql "SELECT count(*) FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE 'mig-dryrun pid $1 on %'"; }

# The plan, proven on a copy; nothing left behind.
mig-diff --format json >"$WORK/plan.json" 2>"$WORK/plan.err" &
pid=$!
wait $pid
RC=$?; OUT=$(tail -n 1 "$WORK/plan.json"); ERR=$(cat "$WORK/plan.err")
expect_rc 0 "plan"
expect_json '.data.difference' true
expect_json '.data.converged' true
expect_json '.data.current' migrations
expect_json '[.data.statements[].sql] | join(";")' 'ALTER TABLE public.accounts ADD COLUMN display_name text'
expect_json '[.data.down[].sql] | join(";")' 'ALTER TABLE public.accounts DROP COLUMN display_name'
expect_json '.data.down[0].hazards | index("ban-drop-column") != null' true
[ "$(scratch_left_by "$pid")" = 0 ] && pass || fail "scratch databases of mig-diff pid $pid were left behind"
expect_sql "SELECT count(*) FROM pg_class WHERE relname = 'accounts'" 0  # the DSN's database is only read

run mig-diff --check --format json
expect_rc 1 "--check with a difference"
expect_json '.error.kind' schema_drift
# --check replays nothing: it claims neither convergence nor its failure, and prints no empty down.
expect_json '.data.validated' false
expect_json '.data.converged' null
run mig-diff --check --format text
expect_not_contains "$OUT$(cat "$WORK/.out")" "-- down" "--check's text view"

# Reading a live schema is bounded: behind a session holding a table locked, --against-db
# stops after --lock-timeout (exit 6), leaves no scratch database, and the connection it
# used is still good for its clean-up.
sql "CREATE TABLE held (id int, v text); CREATE INDEX held_v ON held (v)"  # an index is read under its table's lock
psql -X -q -c "BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(4); COMMIT;" >/dev/null &
holder=$!
wait_for_query psql pg_sleep
wait_for_lock held AccessExclusiveLock
started=$(date +%s)
mig-diff --against-db --check --lock-timeout 300ms --format json >"$WORK/held.json" 2>"$WORK/held.err" &
differ=$!
wait $differ
RC=$?; OUT=$(tail -n 1 "$WORK/held.json"); ERR=$(cat "$WORK/held.err")
expect_rc 6 "--against-db behind a held lock"
expect_json '.error.kind' lock_timeout
[ $(($(date +%s) - started)) -lt 4 ] && pass || fail "the read waited for the lock holder instead of its lock_timeout"
[ "$(scratch_left_by "$differ")" = 0 ] && pass || fail "a scratch database was left behind after the lock timeout"
wait $holder
sql "DROP TABLE held"

# --write: an ordinary migration pair that lint, rehearse and apply accept.
run mig-diff --write add_display_name --format json
expect_rc 0 "--write"
up=$(printf '%s' "$OUT" | jq -r '.data.written[0]')
expect_contains "$up" "_add_display_name.up.sql" "written file"
[ -f "${up%.up.sql}.down.sql" ] && pass || fail "no down file next to $up"
expect_contains "$(cat "$up")" "ADD COLUMN display_name text;" "up file"
run mig-lint migrations
expect_rc 0 "lint of the written migration"
run mig-dryrun --scratch --format json
expect_rc 0 "round trip of the written migration"
run mig-apply --format json
expect_rc 0 "apply"
run mig-diff --check --format json
expect_rc 0 "--check after applying"
run mig-diff --write nothing_to_do --format json
expect_rc 0 "--write without a difference"
expect_json '.data.written | length' 0
[ "$(ls migrations | grep -c nothing_to_do)" = 0 ] && pass || fail "--write wrote a file without a difference"

# A plan that fails on rows the migrations inserted: exit 5, nothing written.
cp schema/10_accounts.sql "$WORK/accounts.sql"
echo "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);" >>schema/10_accounts.sql
files_before=$(ls migrations | wc -l)
run mig-diff --write add_unique_email --format json
expect_rc 5 "a plan that cannot run on the migrations' data"
expect_json '.error.kind' not_converged
expect_contains "$OUT" "could not create unique index" "the reason"
[ "$(ls migrations | wc -l)" = "$files_before" ] && pass || fail "a file was written for a plan that did not converge"
cp "$WORK/accounts.sql" schema/10_accounts.sql

# Against the live database: an index on an existing table is built online,
# in its own no-transaction migration.
echo "CREATE INDEX accounts_email_idx ON accounts (email);" >>schema/10_accounts.sql
run mig-diff --against-db --write index_email --format json
expect_rc 0 "--against-db --write"
expect_json '.data.current' database
expect_json '[.data.statements[] | select(.transactional == false) | .sql] | join(";")' \
  'CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_idx ON public.accounts USING btree (email)'
online=$(printf '%s' "$OUT" | jq -r '.data.written[0]')
expect_contains "$(head -n 1 "$online")" "-- mig:no-transaction" "the online migration"
run mig-apply --format json
expect_rc 0 "apply the online migration"
expect_sql "SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_email_idx'::regclass" t

# --push: data loss refused unless allowed.
cat >schema/10_accounts.sql <<'SQL'
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL
);
CREATE INDEX accounts_email_idx ON accounts (email);
SQL
run mig-diff --push --format json
expect_rc 1 "--push with a dropped column"
expect_json '.error.kind' hazards_refused
expect_contains "$OUT" "ban-drop-column" "the refused rule"
expect_sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'display_name'" 1
run mig-diff --push --allow-hazards ban-drop-column --format json
expect_rc 0 "--push --allow-hazards"
expect_json '.data.pushed' true
expect_sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'display_name'" 0
expect_sql "SELECT count(*) FROM accounts" 2

# --dump: runnable SQL (psql -f, no wrapping transaction) that rebuilds the same
# schema, an SQL function reading a table it is created before included.
echo "CREATE FUNCTION account_count() RETURNS bigint LANGUAGE sql STABLE AS \$\$ SELECT count(*) FROM accounts \$\$;" >schema/30_functions.sql
run mig-diff --push --format json
expect_rc 0 "--push a function"
run mig-diff --dump "$WORK/dump.sql" --format json
expect_rc 0 "--dump FILE"
expect_contains "$(cat "$WORK/dump.sql")" "CREATE TABLE public.accounts" "dump"
psql -X -q -d postgres -c "CREATE DATABASE \"${PGDATABASE}_dump\"" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE}_dump" -f "$WORK/dump.sql" >/dev/null 2>"$WORK/load.err" && pass || fail "dump does not load: $(cat "$WORK/load.err")"
mkdir "$WORK/dumped" && cp "$WORK/dump.sql" "$WORK/dumped/"
run mig-diff --against-db --check --schema-dir "$WORK/dumped" --format json
expect_rc 0 "the dump describes the database it came from"
psql -X -q -d postgres -c "DROP DATABASE \"${PGDATABASE}_dump\"" >/dev/null
run mig-diff --dump - --from-migrations --format text
expect_rc 0 "--dump - --from-migrations"
expect_contains "$(cat "$WORK/.out")" "CREATE TABLE public.accounts" "dump on stdout"

# A broken schema file: exit 3 naming the file and line.
printf 'CREATE TABLE ok (id int);\n\nCREATE TABLE broken (id int REFERENCES nowhere (id));\n' >schema/20_broken.sql
run mig-diff --format json
expect_rc 3 "a schema file that fails"
expect_contains "$OUT" "schema/20_broken.sql:3" "file and line"
rm schema/20_broken.sql

# Refused before connecting (the DSN points nowhere): exit 2, or 3 for the schema folder.
nowhere="host=/nonexistent port=1"
for args in "--check --push" "--force" "--allow-hazards ban-drop-column" "--write bad/name" "--push --allow-hazards no-such-rule" \
            "--from-migrations" "--dump - --against-db" "--check --dump -" "--dump="; do
  run mig-diff --dsn "$nowhere" $args --format json
  expect_rc 2 "mig-diff $args"
done
run mig-diff --dsn "$nowhere" stray --format json
expect_rc 2 "a stray argument"
run mig-diff --dsn "$nowhere" --pg-bin "$WORK" --format json
expect_rc 2 "--pg-bin without --against-db or --push"
run mig-diff --dsn "$nowhere" --against-db --pg-bin "$WORK/none" --format json
expect_rc 2 "--pg-bin that is not a folder"
run mig-diff --dsn "$nowhere" --dump "$WORK/none/schema.sql" --format json
expect_rc 3 "--dump into a folder that does not exist"
mkdir "$WORK/renames" && printf -- '-- mig:renamed-from\nCREATE TABLE t (id int);\n' >"$WORK/renames/a.sql"
run mig-diff --dsn "$nowhere" --schema-dir "$WORK/renames" --format json
expect_rc 3 "-- mig:renamed-from without a name"
expect_contains "$OUT" "a.sql:1" "the directive's file and line"
run mig-diff --dsn "$nowhere" --schema-dir "$WORK/none" --format json
expect_rc 3 "missing schema folder"
mkdir "$WORK/empty"
run mig-diff --dsn "$nowhere" --schema-dir "$WORK/empty" --format json
expect_rc 3 "schema folder without .sql files"
expect_contains "$OUT" "would drop everything" "why an empty folder is refused"
# A schema per tenant: what --write writes names public's objects unqualified, so
# mig-fleet runs it in each tenant's schema (search_path, --schema), not in public.
mkdir -p tenants/migrations tenants/schema
printf 'CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL);\n' >tenants/migrations/1_base.sql
cat >tenants/schema/accounts.sql <<'SQL'
CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL, plan text NOT NULL DEFAULT 'free');
CREATE INDEX accounts_email ON accounts (email);
CREATE TABLE orders (id bigserial PRIMARY KEY, account_id bigint REFERENCES accounts (id));
CREATE VIEW account_orders AS SELECT a.email, o.id FROM accounts a JOIN orders o ON o.account_id = a.id;
SQL
run mig-diff --dir tenants/migrations --schema-dir tenants/schema --write tenant_change --format json
expect_rc 0 "--write for tenants"
if grep -l 'public\.' tenants/migrations/*tenant_change*.sql; then fail "a written file names public"; else pass; fi
printf '[' >tenants.json
for t in a b c; do
  sql "CREATE SCHEMA tenant_$t"
  printf '%s{"name": "tenant_%s", "dsn": "host=%s port=%s dbname=%s options=-csearch_path=tenant_%s", "args": ["--schema", "tenant_%s", "--dir", "tenants/migrations"]}' \
    "$([ $t = a ] || echo ,)" "$t" "$PGHOST" "$PGPORT" "$PGDATABASE" "$t" "$t" >>tenants.json
done
printf ']\n' >>tenants.json
run mig-fleet --targets tenants.json -- mig-apply
expect_rc 0 "the written migrations over three tenant schemas"
expect_json '.data.exit_codes' '{"0":3}'
expect_sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_email' AND schemaname LIKE 'tenant\_%'" 3
expect_sql "SELECT count(*) FROM pg_views WHERE viewname = 'account_orders' AND schemaname LIKE 'tenant\_%'" 3
expect_sql "SELECT count(*) FROM information_schema.columns WHERE column_name = 'plan' AND table_schema LIKE 'tenant\_%'" 3
expect_sql "SELECT to_regclass('public.orders') IS NULL" t
finish
