#!/usr/bin/env bash
# A 20,000-statement -- mig:no-transaction file: mig-apply against psql -f, one run.
#   bench/no_transaction.sh [ROUNDS] [STATEMENTS]     (defaults 3, 20000)
# Each timing gets a fresh database. Prints medians and the ratio (target: within 2x).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rounds=${1:-3}
statements=${2:-20000}
require_built mig-apply

use_cluster durable
psql_bin="$(newest_pg_bin)/psql"

work=$(mktemp -d /tmp/mig-bench.XXXXXX)
mkdir -p "$work/migrations"
{
  echo "-- mig:no-transaction"
  echo "CREATE TABLE big (id int PRIMARY KEY, v text);"
  for ((i = 1; i < statements; i++)); do echo "INSERT INTO big VALUES ($i, 'row $i');"; done
} > "$work/migrations/1_big.sql"

dbs=()
mig=() plain=()
for r in $(seq 1 "$rounds"); do
  db=$(fresh_db psql); dbs+=("$db")
  plain+=("$(PGDATABASE=$db time_ms "$psql_bin" -X -q -v ON_ERROR_STOP=1 -f "$work/migrations/1_big.sql")")
  db=$(fresh_db mig); dbs+=("$db")
  mig+=("$(cd "$work" && PGDATABASE=$db time_ms "$bin/mig-apply" --format json)")
  [ -z "${BENCH_VERBOSE:-}" ] || echo "round $r: psql ${plain[-1]} ms, mig-apply ${mig[-1]} ms" >&2
done
for db in "${dbs[@]}"; do psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null; done
rm -rf "$work"

p=$(printf '%s\n' "${plain[@]}" | median)
m=$(printf '%s\n' "${mig[@]}" | median)
echo "$statements-statement no-transaction file, $rounds rounds (medians):"
echo "  psql -f    $p ms"
echo "  mig-apply  $m ms   = $(ratio "$m" "$p")x psql (target <= 2x)"
