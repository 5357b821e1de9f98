#!/usr/bin/env bash
# The mig-diff case corpus (tests/diff/cases, one folder per case): for each,
# the plan converges, a second diff is empty and the down restores the
# current schema (tests/diff/check_case.sh). `test_diff_cases.sh SHARD COUNT`
# runs every COUNT-th case from the SHARD-th (ctest runs the shards side by
# side); with no arguments, all of them. Two cases at a time per shard: each
# waits mostly on the server (CREATE DATABASE, pg_dump), not on the CPU.
source "$(dirname "$0")/lib.sh"
shard=${1:-1}
count=${2:-1}
all=$(ls -d "$MIG_SOURCE"/tests/diff/cases/*/)
all_total=$(echo "$all" | wc -l)
cases=$(echo "$all" | awk -v s="$shard" -v n="$count" '(NR - 1) % n == s - 1')
total=$(echo "$cases" | grep -c .)
echo "$cases" | xargs -P 2 -n 1 bash "$MIG_SOURCE/tests/diff/check_case.sh" >"$WORK/results.txt" 2>&1
passed=$(grep -c '^ok ' "$WORK/results.txt")
grep -v '^ok ' "$WORK/results.txt" | while IFS= read -r line; do fail "$line"; done
[ "$all_total" -ge 150 ] && pass || fail "only $all_total cases in the corpus (want at least 150)"
[ "$total" -ge 1 ] && pass || fail "shard $shard of $count holds no case"
[ "$passed" = "$total" ] && pass || fail "$passed of $total cases passed"
echo "mig-diff cases, shard $shard of $count: $passed of $total passed"
failures=$((failures + $(grep -vc '^ok ' "$WORK/results.txt")))
finish
