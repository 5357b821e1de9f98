#!/usr/bin/env bash
# How long readers stall behind a migration that waits for ACCESS EXCLUSIVE.
#   bench/lock_queue.sh [HOLD_SECONDS]     (default 8)
# A long reader holds ACCESS SHARE on a table for HOLD_SECONDS; 4 pgbench clients
# read the table all along; mig-apply adds a column (ACCESS EXCLUSIVE) with the given
# lock_timeout/retries. While the ALTER waits in the queue, every later reader waits
# behind it. Reported per setting: seconds readers spent stalled (sum of latencies
# over 50 ms across clients), the longest single stall, and how long mig-apply took.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
hold=${1:-8}
require_built mig-apply
pgbench="$(newest_pg_bin)/pgbench"

use_cluster
work=$(mktemp -d /tmp/mig-bench.XXXXXX)
echo "SELECT count(*) FROM t;" > "$work/reader.sql"

one() {  # one LABEL MIG-APPLY-FLAGS...
  local label=$1; shift
  local db="bench_queue_$$_$RANDOM"
  psql -X -q -d postgres -c "CREATE DATABASE $db"
  PGDATABASE=$db psql -X -q -c "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000)"
  mkdir -p "$work/$label/migrations"
  echo "ALTER TABLE t ADD COLUMN c int;" > "$work/$label/migrations/1_add.sql"
  (cd "$work/$label" && PGDATABASE=$db "$pgbench" -n -c 4 -T $((hold + 6)) -f "$work/reader.sql" -l --log-prefix="$work/$label/log" >/dev/null 2>&1) &
  local bench=$!
  sleep 1
  PGDATABASE=$db psql -X -q -c "BEGIN; SELECT count(*) FROM t; SELECT pg_sleep($hold); COMMIT" >/dev/null &
  local holder=$!
  sleep 0.5
  local took
  took=$(cd "$work/$label" && PGDATABASE=$db time_ms "$bin/mig-apply" --format json "$@")
  wait "$holder" "$bench"
  cat "$work/$label"/log* | awk -v label="$label" -v took="$took" '
    $3 > 50000 { stalled += $3; if ($3 > worst) worst = $3 }
    END { printf "  %-28s readers stalled %5.1f s, longest stall %4.1f s, mig-apply %5.1f s\n", label, stalled / 1e6, worst / 1e6, took / 1000 }'
  psql -X -q -d postgres -c "DROP DATABASE $db"
}

echo "a reader holds the table ${hold}s; 4 clients read it all along:"
one "lock_timeout 5s, 5 retries" --lock-timeout 5s --retries 5
one "lock_timeout 1s, 10 retries" --lock-timeout 1s --retries 10
one "lock_timeout 500ms, 10 retries" --lock-timeout 500ms --retries 10
rm -rf "$work"
