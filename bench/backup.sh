#!/usr/bin/env bash
# Times mig-backup against a bare `pg_dump -Fc` on ~1 GB of generated rows in
# four tables (so a parallel dump has something to share), alternating in one
# run on one durable throwaway cluster:
#   pg_dump -Fc (the floor) | mig-backup --no-verify | mig-backup (verified)
#   | mig-backup --dump-format directory --jobs 2 --no-verify
#   bench/backup.sh [ROUNDS] (default 3); BENCH_ROWS_PER_TABLE (default 2300000, ~1 GB in all)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rounds=${1:-3}
rows=${BENCH_ROWS_PER_TABLE:-2300000}
require_built mig-backup
cluster=$(mktemp -d /tmp/mig-bench-backup.XXXXXX)
out=$(mktemp -d /tmp/mig-bench-backup-out.XXXXXX)
trap '"$root/scripts/pg-cluster.sh" stop "$cluster"; rm -rf "$out"' EXIT
eval "$("$root/scripts/pg-cluster.sh" start "$cluster" durable)"
pg_bin=$(newest_pg_bin)
psql -X -q -c "CREATE DATABASE bench" && export PGDATABASE=bench
for t in 1 2 3 4; do
  psql -X -q -c "CREATE TABLE t$t AS SELECT g AS id, md5(g::text) AS a, md5((g * 7)::text) AS b, now() AS at FROM generate_series(1, $rows) g"
done
size=$(psql -X -At -c "SELECT pg_size_pretty(pg_database_size('bench'))")

declare -A samples
run_variant() {
  case "$1" in
    pg_dump)  samples[pg_dump]+="$(time_ms "$pg_bin/pg_dump" -Fc -f "$out/plain.dump") " ;;
    noverify) samples[noverify]+="$(time_ms "$bin/mig-backup" --backup-dir "$out/a" --no-verify) " ;;
    verify)   samples[verify]+="$(time_ms "$bin/mig-backup" --backup-dir "$out/b") " ;;
    dir2)     samples[dir2]+="$(time_ms "$bin/mig-backup" --backup-dir "$out/c" --dump-format directory --jobs 2 --no-verify) " ;;
  esac
}
variants=(pg_dump noverify verify dir2)
for r in $(seq 1 "$rounds"); do
  rm -rf "${out:?}"/* && sync
  # The order rotates each round, so no variant always runs first (after the deletes) or last.
  for k in 0 1 2 3; do run_variant "${variants[$(( (k + r) % 4 ))]}"; done
done
m() { echo "${samples[$1]}" | tr ' ' '\n' | grep . | median; }
echo "database $size in 4 tables, $rounds rounds alternating, medians:"
printf '  %-52s %7s ms\n' "pg_dump -Fc (the floor)" "$(m pg_dump)"
printf '  %-52s %7s ms  %sx (target overhead <= 5%%)\n' "mig-backup --no-verify" "$(m noverify)" "$(ratio "$(m noverify)" "$(m pg_dump)")"
printf '  %-52s %7s ms  %sx\n' "mig-backup (verified: SHA-256 + full pg_restore read)" "$(m verify)" "$(ratio "$(m verify)" "$(m pg_dump)")"
printf '  %-52s %7s ms  %sx (target < 1)\n' "mig-backup --dump-format directory --jobs 2 --no-verify" "$(m dir2)" "$(ratio "$(m dir2)" "$(m pg_dump)")"
