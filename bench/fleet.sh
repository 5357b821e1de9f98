#!/usr/bin/env bash
# mig-fleet over 100 databases, one small migration each, at --parallel 1, 2,
# 4 and 10, against the time of one mig-apply run on one database: reports each
# fleet run, the sum of single runs (100 x single), and the ratio to the ideal
# (targets / parallel) x single. All in one run, medians of ROUNDS.
#   bench/fleet.sh [ROUNDS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rounds=${1:-3}
require_built mig-fleet
use_cluster durable
work=$(mktemp -d /tmp/mig-bench-fleet.XXXXXX)
prefix="bench_fleet_$$"
cleanup_dbs() {
  for i in $(seq 1 100); do echo "DROP DATABASE IF EXISTS ${prefix}_$i;"; done | psql -X -q -d postgres >/dev/null 2>&1 || true
  cd / && rm -rf "$work"
}
trap 'cleanup_dbs; [ -z "${cluster:-}" ] || "$root/scripts/pg-cluster.sh" stop "$cluster"' EXIT
for i in $(seq 1 100); do echo "CREATE DATABASE ${prefix}_$i;"; done | psql -X -q -d postgres >/dev/null
for i in $(seq 1 100); do echo "host=$PGHOST port=$PGPORT dbname=${prefix}_$i"; done > "$work/targets.txt"
mkdir -p "$work/migrations"
printf 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE INDEX accounts_email ON accounts (email);\n' \
  > "$work/migrations/1_accounts.sql"
cd "$work"
reset() {  # every database back to unmigrated
  for i in $(seq 1 100); do
    psql -X -q -d "${prefix}_$i" -c "DROP TABLE IF EXISTS accounts; DROP TABLE IF EXISTS migration_history;" 2>/dev/null
  done
}

single=(); p1=(); p2=(); p4=(); p10=()
for round in $(seq 1 "$rounds"); do
  reset
  for i in 1 2 3 4 5; do
    single+=("$(DATABASE_URL="host=$PGHOST port=$PGPORT dbname=${prefix}_$i" time_ms "$bin/mig-apply")")
  done
  for p in 1 2 4 10; do
    reset
    t=$(time_ms "$bin/mig-fleet" --targets targets.txt --parallel "$p" -- mig-apply)
    case $p in 1) p1+=("$t") ;; 2) p2+=("$t") ;; 4) p4+=("$t") ;; 10) p10+=("$t") ;; esac
  done
done
s=$(printf '%s\n' "${single[@]}" | median)
echo "mig-fleet, 100 databases, one migration each ($(nproc) cores; $rounds rounds, medians):"
printf '  one mig-apply run           %8.1f ms   (100 single runs: %.0f ms)\n' "$s" "$(awk -v s="$s" 'BEGIN {print s * 100}')"
for p in 1 2 4 10; do
  case $p in 1) arr=("${p1[@]}") ;; 2) arr=("${p2[@]}") ;; 4) arr=("${p4[@]}") ;; 10) arr=("${p10[@]}") ;; esac
  m=$(printf '%s\n' "${arr[@]}" | median)
  awk -v m="$m" -v s="$s" -v p="$p" 'BEGIN {
    ideal = 100 / p * s
    printf "  --parallel %-3d              %8.1f ms   %.2fx the sum of single runs, %.2fx the ideal (100/%d x single)\n", p, m, m / (100 * s), m / ideal, p }'
done
