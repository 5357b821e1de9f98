#!/usr/bin/env bash
# One mig-diff case: cases/NAME/current.sql is loaded into a database of its
# own (after cases/NAME/roles.sql, when there is one), cases/NAME/desired.sql is the schema/ folder. The case passes when
#   1. mig-diff --against-db (the live database rebuilt from its model in a
#      scratch database, the plan and its down replayed there, the rebuild kept
#      in the side cache) and then mig-diff --against-db --push --force (the
#      cached side found, the plan and its down replayed inside it in a
#      transaction rolled back, then pushed) both exit 0 with converged:true
#      and the same statements;
#   2. a second, independent run (--check) finds nothing left to change;
#   3. the down statements, run by psql, take the database back to current.sql
#      (a third run, --check against current.sql, finds nothing);
#   4. every jq expression in cases/NAME/expect (optional) holds for step 1's document.
# Prints "ok NAME" or "FAIL NAME: why"; exit status 0 or 1.
set -uo pipefail
case_dir=$1
name=$(basename "$case_dir")
db="case_${name//[^a-z0-9_]/_}_$$"
work=$(mktemp -d "/tmp/mig-case-$name.XXXX")
# The side cache's entries of this database: mig_cache_l_<sha256("database <name>"), 8 hex>_*.
entries="mig\\_cache\\_l\\_$(printf 'database %s' "$db" | sha256sum | cut -c1-8)\\_%"
drop_entries() {
  psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '$entries'" 2>/dev/null |
    while read -r d; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1; done
}
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1; drop_entries; rm -rf "$work"' EXIT
fail() { echo "FAIL $name: $*"; [ -n "${VERBOSE:-}" ] && cat "$work"/*.json "$work"/*.err 2>/dev/null; exit 1; }
export PGDATABASE=$db

psql -X -q -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null || fail "cannot create the database"
# Roles are cluster-wide: a case's roles exist before either side is built
# (mig-diff refuses to create them from schema files).
if [ -f "$case_dir/roles.sql" ]; then
  psql -X -q -v ON_ERROR_STOP=1 -f "$case_dir/roles.sql" >/dev/null 2>"$work/roles.err" || fail "roles.sql: $(cat "$work/roles.err")"
fi
psql -X -q -v ON_ERROR_STOP=1 -f "$case_dir/current.sql" >/dev/null 2>"$work/current.err" || fail "current.sql: $(cat "$work/current.err")"
mkdir "$work/desired" "$work/current"
cp "$case_dir/desired.sql" "$work/desired/"
cp "$case_dir/current.sql" "$work/current/"

mig-diff --against-db --schema-dir "$work/desired" --format json >"$work/built.json" 2>"$work/built.err"
rc=$?
[ $rc = 0 ] || fail "exit $rc: $(jq -r '.error.message // empty' "$work/built.json" 2>/dev/null | head -20)"
[ "$(jq -r .data.converged "$work/built.json")" = true ] || fail "not converged (replayed in a scratch database)"
mig-diff --against-db --push --force --schema-dir "$work/desired" --format json >"$work/push.json" 2>"$work/push.err"
rc=$?
[ $rc = 0 ] || fail "push exit $rc: $(jq -r '.error.message // empty' "$work/push.json" 2>/dev/null | head -20)"
[ "$(jq -r .data.converged "$work/push.json")" = true ] || fail "not converged (replayed in the side cache's entry)"
# A live database the catalog model cannot rebuild exactly is copied with pg_dump and never kept.
[ "$(jq -r .data.cache "$work/built.json")" = miss ] && { [ "$(jq -r .data.cache "$work/push.json")" = hit ] || fail "the second run missed the side cache"; }
[ "$(jq -c '[.data.statements[].sql]' "$work/built.json")" = "$(jq -c '[.data.statements[].sql]' "$work/push.json")" ] ||
  fail "the cached run planned differently"
[ "$(jq -c '[.data.down[].sql]' "$work/built.json")" = "$(jq -c '[.data.down[].sql]' "$work/push.json")" ] ||
  fail "the cached run's down differs"
drop_entries
if [ -f "$case_dir/expect" ]; then
  while IFS= read -r expr; do
    [ -z "$expr" ] || [ "$(jq -r "$expr" "$work/push.json")" = true ] || fail "expect: $expr"
  done <"$case_dir/expect"
fi

mig-diff --no-cache --against-db --check --schema-dir "$work/desired" --format json >"$work/second.json" 2>"$work/second.err" ||
  fail "second diff not empty: $(jq -r '.data.statements[].sql' "$work/second.json" 2>/dev/null | head -10)"

# As mig-apply runs the written down files: the online (no-transaction) one first,
# a statement at a time, then the transactional one in one transaction.
jq -r '.data.down[] | select(.transactional | not) | .sql + ";"' "$work/push.json" >"$work/down_online.sql"
jq -r '.data.down[] | select(.transactional) | .sql + ";"' "$work/push.json" >"$work/down.sql"
psql -X -q -v ON_ERROR_STOP=1 -f "$work/down_online.sql" >/dev/null 2>"$work/down.err" ||
  fail "online down failed: $(cat "$work/down.err")"
psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$work/down.sql" >/dev/null 2>"$work/down.err" ||
  fail "down failed: $(cat "$work/down.err")"
mig-diff --no-cache --against-db --check --schema-dir "$work/current" --format json >"$work/back.json" 2>"$work/back.err" ||
  fail "down does not restore current.sql: $(jq -r '.data.statements[].sql' "$work/back.json" 2>/dev/null | head -10)"
echo "ok $name"
