#!/usr/bin/env bash
# mig-diff's safety holes (issue 19): schema files acting outside the scratch
# database, refused by the parser or by the sandbox role's lack of power;
# hazards after a function body with blank lines; INVALID indexes; stale push
# plans and lock conflicts; mig's own tables and schema; leftovers of killed
# runs; --write names; --dump of composite types and of what it cannot write.
source "$(dirname "$0")/lib.sh"
export PATH="$PATH:/usr/sbin:/sbin"  # runuser

other="${PGDATABASE}_other"
victim="victim_role_$$"
tcp_user="diff_tcp_$$"  # a superuser of its own that logs in over TCP with a password
psql -X -q -d postgres -c "CREATE DATABASE \"$other\"" -c "CREATE ROLE $victim NOLOGIN" \
  -c "CREATE ROLE $tcp_user LOGIN SUPERUSER PASSWORD 'diff-secret-$$'" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$other\" WITH (FORCE)" -c "DROP ROLE IF EXISTS $victim" -c "DROP ROLE IF EXISTS $tcp_user" >/dev/null 2>&1; cleanup' EXIT
psql -X -q -d "$other" -c "CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)"
mkdir schema
echo "CREATE TABLE t (id int PRIMARY KEY, x text);" >schema/10_t.sql
# Scratch databases and sandbox roles whose mig-diff is gone (other tests' runs may hold live ones meanwhile):
# orphans pg_database datname mig_scratch | orphans pg_authid rolname mig_sandbox (pg_roles carries pg_authid's oids).
orphans() {
  local from=$1 name=$2 prefix=$3 pid n=0
  [ "$from" = pg_authid ] && from=pg_roles
  for pid in $(sql "SELECT substring(shobj_description(oid, '$1') FROM 'pid ([0-9]+) on') FROM $from
                    WHERE $name LIKE '${prefix}\\_%' AND shobj_description(oid, '$1') LIKE '% on $(hostname)'"); do
    kill -0 "$pid" 2>/dev/null || n=$((n + 1))
  done
  echo "$n"
}

# 1. Cluster-level statements: refused before anything runs, with file:line.
refused() {  # refused FILE_CONTENT LINE
  printf '%s\n' "$1" >schema/20_hostile.sql
  run mig-diff --format json
  expect_rc 3 "hostile schema file: $1"
  expect_json '.error.file' schema/20_hostile.sql
  expect_json '.error.line' "$2"
}
refused "CREATE DATABASE \"${PGDATABASE}_x\";" 1
expect_sql "SELECT count(*) FROM pg_database WHERE datname = '${PGDATABASE}_x'" 0
refused "DROP DATABASE \"$other\";
CREATE DATABASE \"$other\";
\\connect $other
CREATE TABLE precious (id int);" 1
expect_json '.error.message | test("--create")' true
refused "CREATE TABLE ok (id int);
DROP DATABASE IF EXISTS \"$PGDATABASE\" WITH (FORCE);" 2
refused "DROP ROLE $victim;" 1
refused "ALTER SYSTEM SET work_mem = '1GB';" 1
[ "$(psql -X -At -d "$other" -c 'SELECT count(*) FROM precious')" = 1 ] && pass || fail "the other database lost its data"
expect_sql "SELECT count(*) FROM pg_roles WHERE rolname = '$victim'" 1
expect_sql "SELECT count(*) FROM pg_database WHERE datname = '$PGDATABASE'" 1

# The second wall: what parsing cannot see runs as a role with no power beyond its scratch database.
wall() {  # wall SQL WHAT
  printf '%s\n' "$1" >schema/20_hostile.sql
  run mig-diff --format json
  expect_rc 3 "sandbox: $2"
}
wall "DO \$\$ BEGIN EXECUTE 'ALTER ROLE $victim SUPERUSER'; END \$\$;" "ALTER ROLE in a DO block"
expect_sql "SELECT rolsuper FROM pg_roles WHERE rolname = '$victim'" f
wall "COPY (SELECT 1) TO PROGRAM 'touch $WORK/pwned';" "COPY TO PROGRAM"
[ ! -e "$WORK/pwned" ] && pass || fail "COPY TO PROGRAM ran a shell command"
wall "DO \$\$ BEGIN EXECUTE 'ALTER DATABASE \"$other\" SET work_mem = ''64MB'''; END \$\$;" "ALTER DATABASE in a DO block"
expect_sql "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = '$other'" 0
# An untrusted extension runs with the DSN's power (PostGIS-style schemas), and still gives the sandbox nothing.
wall "CREATE EXTENSION IF NOT EXISTS dblink;
SELECT dblink_exec('dbname=$other', 'DROP TABLE precious');" "dblink_exec into another database"
[ "$(psql -X -At -d "$other" -c 'SELECT count(*) FROM precious')" = 1 ] && pass || fail "dblink reached another database"
printf 'CREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE TABLE h (id int, digest bytea DEFAULT digest($$x$$, $$sha256$$));\nALTER TABLE h OWNER TO %s;\n' "$victim" >schema/20_hostile.sql
run mig-diff --format json
expect_rc 0 "extension, its use, and an owner change"
expect_json '[.data.unsupported[] | select(test("owner change at schema/20_hostile.sql:3"))] | length' 1
[ "$(orphans pg_database datname mig_scratch)" = 0 ] && pass || fail "scratch databases left behind by finished runs"
[ "$(orphans pg_authid rolname mig_sandbox)" = 0 ] && pass || fail "sandbox roles left behind by finished runs"
rm schema/20_hostile.sql

# Through TCP with a password: the sandbox logs in with its own (random) password.
run mig-diff --dsn "postgresql://$tcp_user:diff-secret-$$@127.0.0.1:$PGPORT/$PGDATABASE" --format json
expect_rc 0 "mig-diff over TCP with a password"
expect_not_contains "$OUT$ERR" "diff-secret-$$" "output"

# 2. Hazards after a function whose body has blank lines.
sql "CREATE TABLE t (id int PRIMARY KEY, x text)"
cat >schema/10_t.sql <<'SQL'
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
BEGIN

  RETURN 1;


END $$;
CREATE TABLE t (id int PRIMARY KEY, x varchar(10));
SQL
run mig-diff --against-db --format json
expect_rc 0 "plan with a function and a retype"
expect_json '[.data.statements[] | select(.sql | test("TYPE character varying")) | .hazards | index("changing-column-type") != null] | .[0]' true
run mig-diff --push --format json
expect_rc 1 "--push refuses the retype"
expect_sql "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'x'" text

# 3. An INVALID index (a failed CREATE INDEX CONCURRENTLY) is a difference, rebuilt.
echo "CREATE TABLE t (id int PRIMARY KEY, x text); CREATE UNIQUE INDEX t_x_key ON t (x);" >schema/10_t.sql
sql "INSERT INTO t VALUES (1, 'a'), (2, 'a')"
psql -X -q -c "CREATE UNIQUE INDEX CONCURRENTLY t_x_key ON t (x)" 2>/dev/null
sql "DELETE FROM t WHERE id = 2"
expect_sql "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x_key'::regclass" f
run mig-diff --against-db --check --format json
expect_rc 1 "--check sees the INVALID index"
run mig-diff --push --format json
expect_rc 0 "--push rebuilds it"
expect_json '[.data.statements[].sql] | map(select(test("CONCURRENTLY"))) | length' 1
expect_sql "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x_key'::regclass" t
run mig-diff --against-db --check --format json
expect_rc 0 "--check after the rebuild"

# 4. Two pushes queued on the lock: the second plans after the first, under the lock.
echo "CREATE TABLE t (id int PRIMARY KEY, x text); CREATE UNIQUE INDEX t_x_key ON t (x); CREATE TABLE added (id int);" >schema/10_t.sql
key=$(sql "SELECT ('x' || encode(substring(sha256(convert_to('public', 'UTF8') || '\\x00'::bytea || convert_to('migration_history', 'UTF8')) FROM 1 FOR 4), 'hex'))::bit(32)::int")
psql -X -q -c "SELECT pg_advisory_lock(1296649009, $key); SELECT pg_sleep(3)" >/dev/null &
holder=$!
sleep 0.5
mig-diff --push --format json >"$WORK/push1.json" 2>"$WORK/push1.err" &
p1=$!
mig-diff --push --format json >"$WORK/push2.json" 2>"$WORK/push2.err" &
p2=$!
wait $holder
wait $p1; rc1=$?
wait $p2; rc2=$?
[ "$rc1:$rc2" = 0:0 ] && pass || fail "queued pushes: exit $rc1 and $rc2: $(cat "$WORK/push1.json" "$WORK/push2.json" | jq -c .error)"
[ "$(cat "$WORK/push1.json" "$WORK/push2.json" | jq -s '[.[] | select(.data.pushed)] | length')" = 1 ] && pass ||
  fail "want exactly one push to apply the plan: $(cat "$WORK/push1.json" "$WORK/push2.json")"

# A lock conflict is retried like mig-apply, then exit 6.
echo "CREATE TABLE t (id int PRIMARY KEY, x text, y int); CREATE UNIQUE INDEX t_x_key ON t (x); CREATE TABLE added (id int);" >schema/10_t.sql
psql -X -q -c "BEGIN; LOCK TABLE t IN ACCESS SHARE MODE; SELECT pg_sleep(2.5); COMMIT" >/dev/null &
holder=$!
sleep 0.5
run mig-diff --push --lock-timeout 100ms --retries 0 --format json
expect_rc 6 "--push with no retries left"
expect_json '.error.kind' lock_timeout
run mig-diff --push --lock-timeout 100ms --retries 10 --format json
expect_rc 0 "--push retries until the reader is gone"
wait $holder
expect_sql "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'y'" 1

# 5 and 17. mig's own tables (any schema or name) and the history's own schema are never drift.
migration 20260101000000_t "CREATE TABLE t (id int PRIMARY KEY, x text, y int); CREATE UNIQUE INDEX t_x_key ON t (x); CREATE TABLE added (id int);" up
run mig-apply --baseline 20260101000000 --schema meta --table applied_log --format json
expect_rc 0 "baseline with the history in schema meta"
mkdir -p seeds && echo "INSERT INTO added VALUES (1);" >seeds/01.sql
run mig-seed --schema meta --table applied_log --format json
expect_rc 0 "seed"
run mig-diff --against-db --check --format json
expect_rc 0 "--check with the history in meta and seed_history beside it (default flags)"
run mig-diff --against-db --check --schema meta --table applied_log --format json
expect_rc 0 "--check naming the history"
echo "CREATE TABLE t (id int PRIMARY KEY, x text, y int, z int); CREATE UNIQUE INDEX t_x_key ON t (x); CREATE TABLE added (id int);" >schema/10_t.sql
run mig-diff --push --schema meta --table applied_log --format json
expect_rc 0 "--push of an added column with the history in meta"
expect_json '[.data.statements[].sql] | join(";") | test("meta|seed_history|applied_log")' false

# 6. Leftovers of killed runs: an unlabelled scratch database of a dead process of
# this host is dropped; a scratch database of another user's live process is not.
tag=$(printf '%s' "$(hostname)" | sha256sum | cut -c1-8)
sql "CREATE DATABASE mig_scratch_${tag}_999999_1_1" >/dev/null
runuser -u postgres -- sleep "30.$$" &
sleep 0.3
alive_pid=$(pgrep -u postgres -f "^sleep 30.$$" | head -1)
sql "CREATE DATABASE mig_scratch_${tag}_${alive_pid}_2_2" >/dev/null
sql "COMMENT ON DATABASE mig_scratch_${tag}_${alive_pid}_2_2 IS 'mig-dryrun pid $alive_pid on $(hostname)'"
shared=$(mktemp -d /tmp/migdiff-nobody.XXXX)
cp -r schema "$shared/" && cp "$MIG_BIN/mig-diff" "$shared/" && chmod -R a+rX "$shared" && chmod 755 "$shared"
(cd "$shared" && runuser -u nobody -- env PGHOST=127.0.0.1 PGPORT="$PGPORT" PGUSER="$tcp_user" PGPASSWORD="diff-secret-$$" PGDATABASE="$PGDATABASE" \
  ./mig-diff --against-db --format json >"$shared/out.json" 2>"$shared/err.txt")
[ "$(jq -r .ok "$shared/out.json")" = true ] && pass || fail "mig-diff as nobody: $(cat "$shared/out.json" "$shared/err.txt")"
expect_sql "SELECT count(*) FROM pg_database WHERE datname = 'mig_scratch_${tag}_999999_1_1'" 0
expect_sql "SELECT count(*) FROM pg_database WHERE datname = 'mig_scratch_${tag}_${alive_pid}_2_2'" 1
pkill -u postgres -f "^sleep 30.$$" 2>/dev/null
wait 2>/dev/null
sql "DROP DATABASE mig_scratch_${tag}_${alive_pid}_2_2" >/dev/null
rm -rf "$shared"
touch "/tmp/mig-diff-999999-leftover"
run mig-diff --against-db --format json
expect_rc 0 "a run after a killed one"
[ ! -e /tmp/mig-diff-999999-leftover ] && pass || fail "a dead run's pg_dump file was left in /tmp"

# 7. --write with a name no file system takes: refused before connecting.
run mig-diff --write "$(printf 'a%.0s' $(seq 1 300))" --dsn "host=127.0.0.1 port=1 connect_timeout=1" --format json
expect_rc 2 "--write with a 300-character name"

# 8. --dump of composite types loads back; what the model cannot write is refused.
sql "CREATE TYPE pair AS (a int, b text); CREATE TABLE uses_pair (id int, p pair)"
run mig-diff --dump "$WORK/dump.sql" --format json
expect_rc 0 "--dump with a composite type"
psql -X -q -d postgres -c "CREATE DATABASE \"${PGDATABASE}_load\"" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE}_load" -f "$WORK/dump.sql" >/dev/null 2>"$WORK/load.err" && pass || fail "dump does not load: $(cat "$WORK/load.err")"
[ "$(psql -X -At -d "${PGDATABASE}_load" -c "SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = 'uses_pair'::regclass AND attname = 'p'")" = pair ] && pass || fail "the composite column did not come back"
psql -X -q -d postgres -c "DROP DATABASE \"${PGDATABASE}_load\"" >/dev/null
sql "CREATE AGGREGATE my_sum (int) (sfunc = int4pl, stype = int)"
run mig-diff --dump "$WORK/dump2.sql" --format json
expect_rc 3 "--dump of an aggregate it cannot write"
expect_json '.error.message | test("aggregate public.my_sum")' true
[ ! -e "$WORK/dump2.sql" ] && pass || fail "a dump that cannot load was written"

finish
