#!/usr/bin/env bash
# The other wrong results of issue 19, each as a user meets it: a status page
# port someone else serves, idle clients starving /ready, a password in the
# process title, a rehearsal that passed a failing migration, "nothing to
# apply" printed over a failure, --plan with --steps, seeds_dir in mig.json,
# a corrupt backup manifest, a pg_dump fallback without a reason, a
# malformed targets line.
source "$(dirname "$0")/lib.sh"

# 9. --listen on a port another process serves: refused before migrating.
migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY, full_name text);"
port=$(free_port)
python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
squatter=$!
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
run mig-start-prod --no-backup --listen "127.0.0.1:$port" --format json -- true
expect_rc 2 "--listen on a served port"
expect_sql "SELECT to_regclass('migration_history') IS NULL" t
kill "$squatter"; wait "$squatter" 2>/dev/null

# Idle clients (a few browser tabs) never starve the readiness probe.
port=$(free_port)
mig-start-prod --no-backup --listen "127.0.0.1:$port" -- sleep 60 >sp.out 2>&1 &
sp=$!
for _ in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" = 200 ] && break; sleep 0.1; done
idle=()
for i in $(seq 1 20); do
  exec {fd}<>/dev/tcp/127.0.0.1/"$port" && idle+=("$fd")
  printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n' >&"$fd"
done
for i in $(seq 1 20); do exec {fd}<>/dev/tcp/127.0.0.1/"$port" && idle+=("$fd"); done  # connected, silent
code=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "http://127.0.0.1:$port/ready")
[ "$code" = 200 ] && pass || fail "/ready with 40 idle clients answered '$code'"

# 10. The DSN's password never shows in the process title.
kill -TERM "$sp"; wait "$sp" 2>/dev/null
for fd in "${idle[@]}"; do exec {fd}>&-; done
user="wr_$$"
sql "CREATE ROLE $user LOGIN SUPERUSER PASSWORD 'title-secret-$$'" >/dev/null
mig-start-prod --dsn "postgresql://$user:title-secret-$$@127.0.0.1:$PGPORT/$PGDATABASE" --no-backup -- sleep 3 >sp2.out 2>&1 &
sp=$!
for _ in $(seq 1 50); do grep -q "workers" sp2.out 2>/dev/null && break; pgrep -P "$sp" >/dev/null && break; sleep 0.1; done
ps_line=$(ps -o args= -p "$sp")
expect_contains "$ps_line" "127.0.0.1" "process title"
expect_not_contains "$ps_line" "title-secret-$$" "process title"
wait "$sp"
sql "DROP ROLE $user" >/dev/null

# 18. A rehearsal after a skipped no-transaction migration still fails a failing migration...
sql "DROP TABLE accounts; DROP TABLE migration_history"
rm migrations/*
migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY, full_name text); INSERT INTO accounts VALUES (1, NULL);"
run mig-apply --format json
expect_rc 0 "apply the first migration"
migration 2_index "-- mig:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_name_idx ON accounts (full_name);"
migration 3_required "ALTER TABLE accounts ALTER COLUMN full_name SET NOT NULL;"
run mig-dryrun --format json
expect_rc 5 "dryrun: a data error unrelated to the skipped migration"
expect_json '.error.message | test("contains null values")' true
# ...and calls inconclusive only what names an object the skipped one would create.
migration 3_required "ALTER INDEX accounts_name_idx SET (fillfactor = 90);"
run mig-dryrun --format json
expect_rc 0 "dryrun: depends on the skipped migration's index"
expect_json '.data.migrations[1].rehearsed' false
expect_json '.data.migrations[1].reason | test("accounts_name_idx")' true

# 19. A failing apply does not print "nothing to apply".
migration 3_required "ALTER TABLE accounts ALTER COLUMN full_name SET NOT NULL;"
migration 2_index "SELECT 1;"
run mig-apply --format text
expect_rc 5 "apply fails on the data"
expect_not_contains "$(cat "$WORK/.out")" "nothing to apply" "text output of a failed apply"
expect_contains "$ERR" "contains null values" "stderr"
expect_contains "$(cat "$WORK/.out")" "applied  2_index" "what committed before the failure"

# 20. --plan with --steps applies the first steps of the plan.
sql "UPDATE accounts SET full_name = 'x'"
migration 4_more "CREATE TABLE more (id int);"
migration 5_most "CREATE TABLE most (id int);"
mig-dryrun --format json >plan.json
run mig-apply --plan plan.json --steps 1 --format json
expect_rc 0 "--plan with --steps 1"
expect_json '[.data.applied[].version] | join(",")' 3
run mig-apply --plan plan.json --format json
expect_rc 3 "the rest of an old plan no longer matches"
expect_json '.error.message | test("plan has 3 migration")' true
mig-dryrun --format json >plan.json
run mig-apply --plan plan.json --steps 1 --format json
expect_rc 0 "--plan with --steps 1 again"
expect_json '[.data.applied[].version] | join(",")' 4

# 21. seeds_dir in mig.json.
mkdir -p elsewhere && echo "INSERT INTO more VALUES (7);" >elsewhere/01_more.sql
echo '{"seeds_dir": "elsewhere"}' >mig.json
run mig-apply --format json
expect_rc 0 "apply the rest"
run mig-seed --format json
expect_rc 0 "mig-seed with seeds_dir in mig.json"
expect_sql "SELECT id FROM more" 7
rm mig.json

# 13. A corrupt backup manifest is reported, never silently dropped.
mkdir -p backups && echo '{"id": "2026' >backups/20260101T000000Z-broken.json
run mig-backup --keep 1 --format json
expect_rc 0 "backup with a corrupt manifest beside it"
expect_json '.data.corrupt_manifests | length' 1
expect_json '.data.corrupt_manifests[0] | test("20260101T000000Z-broken.json")' true
[ -f backups/20260101T000000Z-broken.json ] && pass || fail "retention deleted a corrupt manifest"

# 13. mig-diff --against-db says why it copies the live database with pg_dump: here a view
# on the history table, which the catalog model leaves out and so cannot rebuild.
sql "CREATE VIEW applied_versions AS SELECT version FROM migration_history"
mkdir -p schema && : >schema/empty.sql
run mig-diff --against-db --check --format json
expect_contains "$ERR" 'rebuilding the live database from its catalog model failed (relation "public.migration_history" does not exist); copying it with pg_dump instead' "mig-diff stderr"
expect_json '.data.difference' true
sql "DROP VIEW applied_versions"
rm -r schema

# 15. A malformed DSN line in a targets file is bad input (3), naming the line.
printf 'dbname=ok\nhost=x port=5432 = broken\n' >targets.txt
run mig-fleet --targets targets.txt --format json -- mig-status
expect_rc 3 "malformed targets line"
expect_json '.error.line' 2

finish
