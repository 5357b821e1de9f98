#!/usr/bin/env bash
# 20 mig-apply at once on a fresh database with 30 migrations: all exit 0,
# each migration applied exactly once, in one batch, by one of them.
source "$(dirname "$0")/lib.sh"

for i in $(seq 1 30); do
  migration "$(printf '%03d' "$i")_step" "CREATE TABLE t_$i (id bigint PRIMARY KEY); INSERT INTO t_$i VALUES ($i);"
done

pids=()
for n in $(seq 1 20); do
  mig-apply --format json --lock-wait 120s >"out.$n" 2>"err.$n" &
  pids+=($!)
done
codes=""
for p in "${pids[@]}"; do wait "$p"; codes+="$? "; done

expect_contains "$(echo "$codes" | tr -s ' ')" "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" "exit codes"
[ "$(echo "$codes" | tr -d ' 0')" = "" ] && pass || fail "some applier failed: $codes; $(cat out.* | jq -c 'select(.exit_code != 0) | .error' | sort | uniq -c)"
expect_sql "SELECT count(*), count(DISTINCT version), min(batch), max(batch) FROM migration_history" "30|30|1|1"
total=0
for n in $(seq 1 20); do
  k=$(tail -n 1 "out.$n" | jq '.data.applied | length')
  total=$((total + k))
done
[ "$total" = 30 ] && pass || fail "the appliers report $total applied migrations, want 30"
expect_sql "SELECT sum(n) FROM (SELECT (SELECT count(*) FROM t_1) + (SELECT count(*) FROM t_30) AS n) s" 2
finish
