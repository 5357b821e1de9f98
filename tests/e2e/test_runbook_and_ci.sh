#!/usr/bin/env bash
# The runbook stops at a lint error before any backup; the CI steps pass on the
# example migrations, which lint clean, match the committed schema snapshot
# and the declared schema/ (mig-diff --check).
source "$(dirname "$0")/lib.sh"
: "${MIG_SOURCE:?}"

cp -r "$MIG_SOURCE/migrations/." migrations/
cp -r "$MIG_SOURCE/schema" schema
run mig-lint
expect_rc 0 "the examples lint"
expect_json '.data.errors' 0
expect_json '.data.warnings' 0

printf 'DROP TABLE accounts;\n' > migrations/20260201000000_drop.sql
bash "$MIG_SOURCE/scripts/runbook.sh" --backup-dir bk >rb.out 2>rb.err; rc=$?
[ "$rc" = 1 ] && pass || fail "runbook exit $rc, want lint's 1"
expect_contains "$(cat rb.err)" "stopped at mig-lint" "runbook report"
[ ! -e bk ] || [ -z "$(ls -A bk)" ] && pass || fail "a backup was taken after a lint error: $(ls bk)"
expect_sql "SELECT to_regclass('migration_history') IS NULL" t
rm migrations/20260201000000_drop.sql

bash "$MIG_SOURCE/scripts/runbook.sh" --backup-dir bk >rb.out 2>rb.err; rc=$?
[ "$rc" = 0 ] && pass || fail "runbook on good migrations: exit $rc: $(tail -3 rb.err)"
expect_sql "SELECT count(*) FROM migration_history WHERE backup_id IS NOT NULL" 6

# A fresh database for the CI steps, as a CI service would be.
psql -X -q -d postgres -c "CREATE DATABASE \"${PGDATABASE}_ci\"" >/dev/null
PGDATABASE="${PGDATABASE}_ci" bash "$MIG_SOURCE/scripts/ci-steps.sh" all >ci.out 2>&1; rc=$?
psql -X -q -d postgres -c "DROP DATABASE \"${PGDATABASE}_ci\" WITH (FORCE)" >/dev/null
[ "$rc" = 0 ] && pass || fail "CI steps failed (exit $rc): $(tail -5 ci.out)"
expect_contains "$(cat ci.out)" "ready: yes" "CI apply step"
finish
