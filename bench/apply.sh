#!/usr/bin/env bash
# Benchmarks mig-apply and mig-status against psql in one run, on one cluster.
#   bench/apply.sh [ROUNDS]     (default 5)
# Uses PG* from the environment when PGHOST is set; otherwise starts a durable
# (fsync on) throwaway cluster. Each timed apply gets a fresh database under a
# new name (dropping a 1000-table database slows the next creates for a while).
# Prints medians and ratios; never a single absolute time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rounds=${1:-5}
require_built mig-apply

use_cluster durable

work=$(mktemp -d /tmp/mig-bench.XXXXXX)
mkdir -p "$work/migrations"
# The floor under mig-status: a bare libpq client running the same query, reading no files.
gcc -O2 -I"$(pg_config --includedir)" bench/pq_select.c -lpq -o "$work/pq_select"
for i in $(seq -w 1 1000); do
  echo "CREATE TABLE t_$i (id bigint primary key, v text);" > "$work/migrations/${i}_t.sql"
done
cat "$work"/migrations/*.sql > "$work/all.sql"


# A peer for the status runs, when npm can install it: dbmate 2.36 (Go; the npm package ships the
# binary), its own copy of the same 1000 migrations applied to a database of its own.
dbmate=""
if command -v npm >/dev/null 2>&1; then
  out="$root/bench/out/dbmate"
  if [ ! -x "$out/node_modules/@dbmate/linux-x64/bin/dbmate" ]; then
    mkdir -p "$out" && (cd "$out" && npm install --silent --no-audit --no-fund dbmate@2.36.0 >/dev/null 2>&1) || true
  fi
  if [ -x "$out/node_modules/@dbmate/linux-x64/bin/dbmate" ]; then
    mkdir -p "$work/dbmate"
    for i in $(seq -w 1 1000); do
      printf -- '-- migrate:up\nCREATE TABLE t_%s (id bigint primary key, v text);\n-- migrate:down\n' "$i" > "$work/dbmate/${i}_t.sql"
    done
    dbmate_db=$(fresh_db dbmate)
    if [ "${PGHOST:-/}" = "${PGHOST#/}" ]; then where="${PGHOST}:${PGPORT:-5432}/$dbmate_db?"; else where="/$dbmate_db?socket=$PGHOST&port=${PGPORT:-5432}&"; fi
    dbmate_url="postgres://${PGUSER:-$USER}@${where}sslmode=disable"
    dbmate="$out/node_modules/@dbmate/linux-x64/bin/dbmate"
    "$dbmate" --url "$dbmate_url" --no-dump-schema -d "$work/dbmate" up >/dev/null 2>&1 || dbmate=""
  fi
fi

declare -A samples
dbs=()
# Each timed apply starts after a CHECKPOINT (the previous one's writes are not flushed on its
# time), and the order of the three rotates every round (no fixed first or last place).
apply_once() {
  local db
  db=$(fresh_db "$1"); dbs+=("$db")
  psql -X -q -d postgres -c CHECKPOINT
  case "$1" in
    psql) samples[psql]+="$(time_ms psql -X -q -1 -v ON_ERROR_STOP=1 -d "$db" -f "$work/all.sql") " ;;
    tx) samples[apply]+="$(time_ms env PGDATABASE="$db" "$bin/mig-apply" --dir "$work/migrations" -q) " ;;
    single) samples[single]+="$(time_ms env PGDATABASE="$db" "$bin/mig-apply" --dir "$work/migrations" -q --single-transaction) " ;;
  esac
}
kinds=(psql tx single)
for r in $(seq 1 "$rounds"); do
  for k in 0 1 2; do apply_once "${kinds[$(((r + k) % 3))]}"; done
done
# The status runs: mig-status and psql find the database the same way (PGDATABASE),
# so neither pays for an extra `env` process.
saved_pgdatabase=${PGDATABASE-}
export PGDATABASE=$(fresh_db status); dbs+=("$PGDATABASE")
"$bin/mig-apply" --dir "$work/migrations" -q --single-transaction >/dev/null
# The real psql binary: Debian's /usr/bin/psql is a Perl wrapper that costs ~20 ms more.
pg_bin=$(newest_pg_bin)
for _ in $(seq 1 "${BENCH_STATUS_RUNS:-60}"); do
  samples[status]+="$(time_ms "$bin/mig-status" --dir "$work/migrations" -q) "
  samples[psql_select]+="$(time_ms "$pg_bin/psql" -X -At -c 'SELECT 1') "
  samples[psql_history]+="$(time_ms "$pg_bin/psql" -X -At -c 'SELECT * FROM migration_history') "
  samples[pq_select]+="$(time_ms "$work/pq_select") "
  samples[psql_version]+="$(time_ms "$pg_bin/psql" --version) "
  samples[mig_version]+="$(time_ms "$bin/mig-apply" --version) "
  samples[status_version]+="$(time_ms "$bin/mig-status" --version) "
  [ -z "$dbmate" ] || samples[dbmate]+="$(time_ms "$dbmate" --url "$dbmate_url" --no-dump-schema -d "$work/dbmate" status) "
done
[ "$("$bin/mig-status" --dir "$work/migrations" | jq '.data.applied | length')" = 1000 ] \
  || { echo "bench: mig-status did not see 1000 applied migrations" >&2; exit 1; }
export PGDATABASE=$saved_pgdatabase

m() { echo "${samples[$1]}" | tr ' ' '\n' | grep . | median; }
if [ -n "${BENCH_VERBOSE:-}" ]; then for k in psql apply single; do echo "samples $k: ${samples[$k]}"; done; fi
echo "1000 tiny migrations, $rounds rounds alternating, medians (ms), PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version'):"
printf '  %-42s %6s ms\n' "psql -1 -f all.sql (floor)" "$(m psql)"
printf '  %-42s %6s ms  %sx floor (target <= 1.3x)\n' "mig-apply (transaction per migration)" "$(m apply)" "$(ratio "$(m apply)" "$(m psql)")"
printf '  %-42s %6s ms  %sx floor (target <= 1.1x)\n' "mig-apply --single-transaction" "$(m single)" "$(ratio "$(m single)" "$(m psql)")"
printf '  %-42s %6s ms\n' "psql -c 'SELECT 1' (connect floor)" "$(m psql_select)"
printf '  %-42s %6s ms\n' "psql -c 'SELECT * FROM migration_history'" "$(m psql_history)"
printf '  %-42s %6s ms\n' "bare libpq client, mig-status's query" "$(m pq_select)"
printf '  %-42s %6s ms  %sx psql SELECT * FROM history, %sx bare libpq (target < 10 ms)\n' "mig-status, 1000 applied" \
  "$(m status)" "$(ratio "$(m status)" "$(m psql_history)")" "$(ratio "$(m status)" "$(m pq_select)")"
if [ -n "$dbmate" ]; then
  printf '  %-42s %6s ms  (mig-status takes %sx its time, and checksums every file)\n' "dbmate 2.36 status, same 1000 applied" \
    "$(m dbmate)" "$(ratio "$(m status)" "$(m dbmate)")"
fi
printf '  %-42s %6s ms\n' "psql --version" "$(m psql_version)"
printf '  %-42s %6s ms  %sx psql --version (target <= 1.5x)\n' "mig-apply --version" "$(m mig_version)" "$(ratio "$(m mig_version)" "$(m psql_version)")"
printf '  %-42s %6s ms  %sx psql --version\n' "mig-status --version" "$(m status_version)" "$(ratio "$(m status_version)" "$(m psql_version)")"

[ -z "${dbmate_db:-}" ] || dbs+=("$dbmate_db")
for db in "${dbs[@]}"; do psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null; done
rm -rf "$work"
