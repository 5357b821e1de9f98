#!/usr/bin/env bash
# A password in the DSN never reaches output or logs: not on success, not on
# a failed login, not on an unreachable server. Tools connect over TCP with
# scram here (pg-cluster.sh's pg_hba).
source "$(dirname "$0")/lib.sh"

secret='S3cr3t-Pa55_w0rd'
n=0
sql "DROP ROLE IF EXISTS mig_pw_$$; CREATE ROLE mig_pw_$$ LOGIN PASSWORD '$secret'; GRANT ALL ON DATABASE \"$PGDATABASE\" TO mig_pw_$$; ALTER DATABASE \"$PGDATABASE\" OWNER TO mig_pw_$$"
migration 1_a "CREATE TABLE a (id int);"
good="postgresql://mig_pw_$$:$secret@127.0.0.1:$PGPORT/$PGDATABASE"

run mig-apply --dsn "$good" -v --events
expect_rc 0 "apply with a password DSN"
expect_not_contains "$(cat .out .err)" "$secret" "apply output"

DATABASE_URL="$good" run mig-status -v
expect_rc 0 "DATABASE_URL"
expect_json '.database.host' 127.0.0.1
expect_not_contains "$(cat .out .err)" "$secret" "status output"

run mig-status --dsn "postgresql://mig_pw_$$:${secret}x@127.0.0.1:$PGPORT/$PGDATABASE"
expect_rc 4 "wrong password"
expect_not_contains "$(cat .out .err)" "$secret" "failed login output"

run mig-status --dsn "host=127.0.0.1 port=1 user=u password=$secret dbname=d connect_timeout=2" -v
expect_rc 4 "unreachable with a password"
expect_not_contains "$(cat .out .err)" "$secret" "unreachable output"

run mig-status --dsn "postgresql://u:$secret@127.0.0.1:$PGPORT/d?bogus=1"
expect_rc 2 "bad DSN is a usage error"
expect_not_contains "$(cat .out .err)" "$secret" "bad DSN output"

# Malformed DSNs that libpq would echo back whole: scrubbed before parsing.
for dsn in "postgresql://u:$secret@[::1" "postgresql://u:p%ZZ$secret@h/db" \
           "host=h password='$secret" "host=h password=$secret bogus=1"; do
  run mig-status --dsn "$dsn"
  expect_rc 2 "malformed DSN $((++n))"
  expect_not_contains "$(cat .out .err)" "$secret" "malformed DSN output"
done

# A wrong password is final: mig-start-prod --wait does not retry it.
start=$(date +%s)
run mig-start-prod --dsn "postgresql://mig_pw_$$:${secret}x@127.0.0.1:$PGPORT/$PGDATABASE" --wait 20s -- true
expect_rc 4 "wrong password under --wait"
expect_json '.error.kind' authentication_failed
expect_not_contains "$(cat .out .err)" "$secret" "start-prod output"
if [ $(($(date +%s) - start)) -lt 10 ]; then pass; else fail "a wrong password was retried for $(($(date +%s) - start)) s"; fi
run mig-start-prod --dsn "dbname=no_such_db_$$" --wait 20s -- true
expect_rc 4 "missing database under --wait"
expect_json '.error.kind' database_missing

psql -X -q -d postgres -c "ALTER DATABASE \"$PGDATABASE\" OWNER TO postgres" >/dev/null
sql "DROP OWNED BY mig_pw_$$; DROP ROLE mig_pw_$$" >/dev/null 2>&1
finish
