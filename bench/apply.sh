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
bin=${MIG_BIN:-$root/build/tools}
[ -x "$bin/mig-apply" ] || { echo "build first (scripts/test.sh or cmake --build build)" >&2; exit 1; }

if [ -z "${PGHOST:-}" ]; then
  cluster=$(mktemp -d /tmp/mig-bench-pg.XXXXXX)
  trap '"$root/scripts/pg-cluster.sh" stop "$cluster"' EXIT
  eval "$("$root/scripts/pg-cluster.sh" start "$cluster" durable)"
fi

work=$(mktemp -d /tmp/mig-bench.XXXXXX)
mkdir -p "$work/migrations"
# The floor under mig-status: a bare libpq client running the same query, reading no files.
gcc -O2 -I"$(pg_config --includedir)" bench/pq_select.c -lpq -o "$work/pq_select"
for i in $(seq -w 1 1000); do
  echo "CREATE TABLE t_$i (id bigint primary key, v text);" > "$work/migrations/${i}_t.sql"
done
cat "$work"/migrations/*.sql > "$work/all.sql"

fresh_db() { local name="bench_$1_$$_$RANDOM"; psql -X -q -d postgres -c "CREATE DATABASE $name" >/dev/null; echo "$name"; }

declare -A samples
dbs=()
for r in $(seq 1 "$rounds"); do
  db=$(fresh_db psql); dbs+=("$db")
  samples[psql]+="$(time_ms psql -X -q -1 -v ON_ERROR_STOP=1 -d "$db" -f "$work/all.sql") "
  db=$(fresh_db tx); dbs+=("$db")
  samples[apply]+="$(time_ms env PGDATABASE="$db" "$bin/mig-apply" --dir "$work/migrations" -q) "
  db=$(fresh_db single); dbs+=("$db")
  samples[single]+="$(time_ms env PGDATABASE="$db" "$bin/mig-apply" --dir "$work/migrations" -q --single-transaction) "
done
# The status runs: mig-status and psql find the database the same way (PGDATABASE),
# so neither pays for an extra `env` process.
saved_pgdatabase=${PGDATABASE-}
export PGDATABASE=${dbs[1]}
# The real psql binary: Debian's /usr/bin/psql is a Perl wrapper that costs ~20 ms more.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
for _ in $(seq 1 "${BENCH_STATUS_RUNS:-60}"); do
  samples[status]+="$(time_ms "$bin/mig-status" --dir "$work/migrations" -q) "
  samples[psql_select]+="$(time_ms "$pg_bin/psql" -X -At -c 'SELECT 1') "
  samples[psql_history]+="$(time_ms "$pg_bin/psql" -X -At -c 'SELECT * FROM migration_history') "
  samples[pq_select]+="$(time_ms "$work/pq_select") "
  samples[psql_version]+="$(time_ms "$pg_bin/psql" --version) "
  samples[mig_version]+="$(time_ms "$bin/mig-apply" --version) "
  samples[status_version]+="$(time_ms "$bin/mig-status" --version) "
done
[ "$("$bin/mig-status" --dir "$work/migrations" | jq '.data.applied | length')" = 1000 ] \
  || { echo "bench: mig-status did not see 1000 applied migrations" >&2; exit 1; }
export PGDATABASE=$saved_pgdatabase

m() { echo "${samples[$1]}" | tr ' ' '\n' | grep . | median; }
echo "1000 tiny migrations, $rounds rounds alternating, medians (ms), PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version'):"
printf '  %-42s %6s ms\n' "psql -1 -f all.sql (floor)" "$(m psql)"
printf '  %-42s %6s ms  %sx floor (target <= 1.3x)\n' "mig-apply (transaction per migration)" "$(m apply)" "$(ratio "$(m apply)" "$(m psql)")"
printf '  %-42s %6s ms  %sx floor (target <= 1.1x)\n' "mig-apply --single-transaction" "$(m single)" "$(ratio "$(m single)" "$(m psql)")"
printf '  %-42s %6s ms\n' "psql -c 'SELECT 1' (connect floor)" "$(m psql_select)"
printf '  %-42s %6s ms\n' "psql -c 'SELECT * FROM migration_history'" "$(m psql_history)"
printf '  %-42s %6s ms\n' "bare libpq client, mig-status's query" "$(m pq_select)"
printf '  %-42s %6s ms  %sx psql SELECT * FROM history, %sx bare libpq (target < 10 ms)\n' "mig-status, 1000 applied" \
  "$(m status)" "$(ratio "$(m status)" "$(m psql_history)")" "$(ratio "$(m status)" "$(m pq_select)")"
printf '  %-42s %6s ms\n' "psql --version" "$(m psql_version)"
printf '  %-42s %6s ms  %sx psql --version (target <= 1.5x)\n' "mig-apply --version" "$(m mig_version)" "$(ratio "$(m mig_version)" "$(m psql_version)")"
printf '  %-42s %6s ms  %sx psql --version\n' "mig-status --version" "$(m status_version)" "$(ratio "$(m status_version)" "$(m psql_version)")"

for db in "${dbs[@]}"; do psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null; done
rm -rf "$work"
