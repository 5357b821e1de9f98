#!/usr/bin/env bash
# mig-fleet over 50 real databases (one with a broken migration) and over 20
# schemas of one database: canary stop, stop and continue modes, the parallel
# bound counted from the server, per-target NDJSON lines, the timeout, a
# SIGTERM forwarded to running children, and a pipe from mig-lint.
source "$(dirname "$0")/lib.sh"

fleet_db() { echo "${PGDATABASE}_f$1"; }
drop_fleet() {
  for i in $(seq 1 50); do echo "DROP DATABASE IF EXISTS \"$(fleet_db "$i")\" WITH (FORCE);"; done | psql -X -q -d postgres >/dev/null 2>&1
}
trap 'drop_fleet; cleanup' EXIT
expect_eq() { if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', want '$2'"; fi; }

# 50 databases; f13 already has a table the migration creates, so it fails there.
for i in $(seq 1 50); do echo "CREATE DATABASE \"$(fleet_db "$i")\";"; done | psql -X -q -d postgres >/dev/null
psql -X -q -d "$(fleet_db 13)" -c "CREATE TABLE items (id bigint)"
migration 1_items "CREATE TABLE items (id bigint); SELECT pg_sleep(0.2);"
for i in $(seq 1 50); do echo "host=$PGHOST port=$PGPORT dbname=$(fleet_db "$i")"; done > all.txt
applied_in() {  # how many fleet databases have the migration recorded
  local n=0 i
  for i in $(seq 1 50); do
    [ "$(psql -X -At -d "$(fleet_db "$i")" -c "SELECT count(*) FROM migration_history" 2>/dev/null)" = 1 ] && n=$((n + 1))
  done
  echo "$n"
}
reset_fleet() {
  for i in $(seq 1 50); do
    psql -X -q -d "$(fleet_db "$i")" -c "DROP TABLE IF EXISTS migration_history; $([ "$i" = 13 ] || echo 'DROP TABLE IF EXISTS items;')" 2>/dev/null
  done
}

# Canary: the broken target first, alone; nothing else starts.
{ sed -n 13p all.txt; sed 13d all.txt; } > canary_first.txt
mig-fleet --targets canary_first.txt --canary 1 -- mig-apply > canary.out 2>canary.err; RC=$?
OUT=$(tail -n 1 canary.out); ERR=$(cat canary.err)
expect_rc 5 "canary failure"
expect_json '.data.finished' 1
expect_json '.data.skipped | length' 49
expect_json '.data.failed[0].target' "$(fleet_db 13)"
expect_json '.error.kind' targets_failed
[ "$(wc -l < canary.out)" -eq 2 ] && pass || fail "canary: want one NDJSON line and the result, got $(wc -l < canary.out) lines"
expect_contains "$(head -n 1 canary.out | jq -r '.result.error.kind')" "migration_failed" "the canary's own result document"
expect_eq "$(applied_in)" 0 "databases migrated after a failed canary"

# Continue: every target runs, the parallel bound holds (counted from the server).
( max=0
  while [ ! -e stop_watch ]; do
    n=$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mig-apply' AND datname LIKE '${PGDATABASE}\_f%'")
    [ "$n" -gt "$max" ] && max=$n && echo "$max" > max_seen
    sleep 0.02
  done ) &
watcher=$!
mig-fleet --targets all.txt --parallel 3 --on-error continue -- mig-apply > continue.out 2>continue.err; RC=$?
touch stop_watch; wait "$watcher"
OUT=$(tail -n 1 continue.out); ERR=$(cat continue.err)
expect_rc 5 "continue mode with one failure"
expect_json '.data.exit_codes' '{"0":49,"5":1}'
expect_json '.data.skipped | length' 0
[ "$(head -n -1 continue.out | jq -s 'map(select(.exit_code == 0 and .result.ok == true and (.target | startswith("'"$PGDATABASE"'_f")))) | length')" = 49 ] \
  && pass || fail "continue: want 49 successful NDJSON lines"
max=$(cat max_seen 2>/dev/null || echo 0)
[ "$max" -le 3 ] && pass || fail "parallel bound: saw $max concurrent appliers, --parallel 3"
[ "$max" -ge 2 ] && pass || fail "parallel: never saw more than $max applier at once"
expect_eq "$(applied_in)" 49 "databases migrated in continue mode"
expect_eq "$(grep -c "host=$PGHOST" continue.out)" 0 "DSNs in the output"

# Stop (the default): after the failure no new target starts.
reset_fleet
mig-fleet --targets all.txt --parallel 2 -- mig-apply > stop.out 2>/dev/null; RC=$?
OUT=$(tail -n 1 stop.out)
expect_rc 5 "stop mode"
expect_json '(.data.skipped | length) > 0 and (.data.finished + (.data.skipped | length)) == 50' true
expect_json '.data.skipped | index("'"$(fleet_db 50)"'") != null' true

# Timeout: the child is stopped cleanly (its transaction rolled back) and the target exits 6.
reset_fleet
migration 1_items "CREATE TABLE items (id bigint); SELECT pg_sleep(20);"
head -n 2 all.txt | sed 1d > one.txt
start=$(date +%s)
run mig-fleet --targets one.txt --timeout 1s -- mig-apply
expect_rc 6 "timeout"
expect_json '.data.exit_codes' '{"6":1}'
[ $(($(date +%s) - start)) -lt 10 ] && pass || fail "timeout took $(($(date +%s) - start)) s"
[ "$(head -n 1 "$WORK/.out" | jq -c '[.timed_out, .exit_code, .result.error.kind]')" = '[true,6,"interrupted"]' ] \
  && pass || fail "timeout line: $(head -n 1 "$WORK/.out" | head -c 300)"
expect_eq "$(psql -X -At -d "$(fleet_db 2)" -c "SELECT to_regclass('items') IS NULL")" t "rolled back after the timeout"

# SIGTERM: no new target, running children get the signal and are reported interrupted.
mig-fleet --targets all.txt --parallel 2 -- mig-apply > term.out 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do
  [ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mig-apply' AND query LIKE '%pg_sleep(20)%' AND datname LIKE '${PGDATABASE}\_f%'")" -ge 2 ] && break
  sleep 0.05
done
kill -TERM "$pid"; wait "$pid"; RC=$?
OUT=$(tail -n 1 term.out)
expect_rc 143 "SIGTERM to the fleet"
expect_json '.error.kind' interrupted
expect_json '.data.interrupted | length' 2
expect_json '.data.skipped | length' 48
expect_eq "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(20)%' AND datname LIKE '${PGDATABASE}\_f%'")" 0 "sessions left running"

# Pipe: a failed lint starts nothing; a clean one is handed to every child.
migration 1_items "CREATE TABLE items (id bigint);"
reset_fleet
printf 'DROP TABLE accounts;\n' > migrations/2_drop.sql
mig-lint migrations | mig-fleet --targets one.txt -- mig-apply --from - > pipe.out 2>/dev/null; RC=$?
OUT=$(tail -n 1 pipe.out)
expect_rc 1 "failed upstream"
expect_json '.error.kind' upstream_failed
expect_json '.data.finished // 0' 0
rm migrations/2_drop.sql
mig-lint migrations | mig-fleet --targets one.txt -- mig-apply --from - > pipe.out 2>/dev/null; RC=$?
OUT=$(tail -n 1 pipe.out)
expect_rc 0 "clean upstream"
[ "$(head -n 1 pipe.out | jq -r '.result.upstream[0].tool')" = mig-lint ] && pass || fail "the child did not get the lint document"

# 20 schemas in one database: per-target args and a search_path per tenant.
python3 - "$PGHOST" "$PGPORT" "$PGDATABASE" > tenants.json <<'PY'
import json, sys
host, port, db = sys.argv[1:4]
print(json.dumps([{"name": f"tenant_{i}", "dsn": f"host={host} port={port} dbname={db} options=-csearch_path=tenant_{i}",
                   "args": ["--schema", f"tenant_{i}"]} for i in range(1, 21)]))
PY
sql "$(for i in $(seq 1 20); do echo "CREATE SCHEMA tenant_$i;"; done)"
run mig-fleet --targets tenants.json --parallel 4 -- mig-apply
expect_rc 0 "schema per tenant"
expect_json '.data.exit_codes' '{"0":20}'
expect_sql "SELECT count(*) FROM pg_tables WHERE tablename = 'items' AND schemaname LIKE 'tenant\_%'" 20
expect_sql "SELECT count(*) FROM pg_tables WHERE tablename = 'migration_history' AND schemaname LIKE 'tenant\_%'" 20
expect_sql "SELECT to_regclass('public.items') IS NULL" t

# Refusals before anything runs.
run mig-fleet --targets all.txt --parallel 0 -- mig-apply
expect_rc 2 "--parallel 0"
run mig-fleet --targets all.txt -- no-such-tool
expect_rc 2 "unknown tool"
run mig-fleet -- mig-apply
expect_rc 2 "no targets flag"
run mig-fleet --targets all.txt --dir migrations -- mig-apply
expect_rc 2 "--dir before --"
run mig-fleet --targets all.txt -- mig-apply --dsn "dbname=$PGDATABASE"
expect_rc 2 "--dsn for the tool"
run mig-fleet --targets all.txt --on-error maybe -- mig-apply
expect_rc 2 "--on-error maybe"
run mig-fleet --targets all.txt --timeout soon -- mig-apply
expect_rc 2 "--timeout soon"
run mig-fleet --targets all.txt --canary -1 -- mig-apply
expect_rc 2 "--canary -1"
run mig-fleet --targets all.txt --targets-query "SELECT 1" -- mig-apply
expect_rc 2 "--targets with --targets-query"
run mig-fleet --targets all.txt stray -- mig-apply
expect_rc 2 "a stray argument before --"
run mig-fleet --targets all.txt -- mig-apply --format text
expect_rc 2 "the tool's --format text"
run mig-fleet --targets no-such-file.txt -- mig-apply
expect_rc 3 "a missing targets file"
printf '[{"name": "a", "dsn": "dbname=x", "colour": "red"}]' > bad.json
run mig-fleet --targets bad.json -- mig-status
expect_rc 3 "unknown key in targets JSON"
expect_contains "$OUT" "colour"
finish
