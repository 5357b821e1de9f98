#!/usr/bin/env bash
# The mig-diff case corpus (tests/diff/cases, one folder per case): for each,
# the plan converges, a second diff is empty and the down restores the
# current schema (tests/diff/check_case.sh). Four cases at a time: each waits
# mostly on the server (CREATE DATABASE, pg_dump), not on the CPU.
source "$(dirname "$0")/lib.sh"
cases=$(ls -d "$MIG_SOURCE"/tests/diff/cases/*/)
total=$(echo "$cases" | wc -l)
echo "$cases" | xargs -P 4 -n 1 bash "$MIG_SOURCE/tests/diff/check_case.sh" >"$WORK/results.txt" 2>&1
passed=$(grep -c '^ok ' "$WORK/results.txt")
grep -v '^ok ' "$WORK/results.txt" | while IFS= read -r line; do fail "$line"; done
[ "$total" -ge 150 ] && pass || fail "only $total cases (want at least 150)"
[ "$passed" = "$total" ] && pass || fail "$passed of $total cases passed"
echo "mig-diff cases: $passed of $total passed"
failures=$((failures + $(grep -vc '^ok ' "$WORK/results.txt")))
finish
