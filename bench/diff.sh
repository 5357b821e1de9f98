#!/usr/bin/env bash
# mig-diff end to end against @pgkit/migra (npm) on the same change, and the
# catalog read on a large schema.
#   bench/diff.sh [RUNS]   (default 5; medians of RUNS runs, one cluster)
# 1. A 300-table schema (columns, indexes, foreign keys, 60 views, 60 functions)
#    and a changed copy (columns added and retyped, indexes added, views and
#    functions changed, a table dropped). mig-diff --against-db builds the
#    current side with pg_dump/pg_restore and the desired side from the SQL in
#    scratch databases, plans, and replays the plan and its down on a copy;
#    migra diffs two databases that are already loaded (it does not build or
#    validate anything). Ratio: mig-diff / migra (target <= 0.5).
# 2. The everyday loop (one schema file edited since the last run, the current
#    side copied from the side cache) against a migra user's workflow (psql -f
#    of the desired schema into a scratch database, then migra): target <= 0.5.
# 3. The everyday loop in the default mode (schema/ against migrations/) on
#    Lemmy's real 233 migrations: cold against cached (target: the second run
#    with one schema file edited <= 1 s).
# 4. mig-diff --dump of a 1000-table database: the catalog read (one round
#    trip) plus planning every object (target < 1 s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
runs=${1:-5}
require_built mig-diff
use_cluster
out="$root/bench/out"
work=$(mktemp -d /tmp/mig-bench-diff.XXXXXX)

migra=""
if command -v npm >/dev/null 2>&1; then
  if [ ! -x "$out/migra/node_modules/.bin/migra" ]; then
    mkdir -p "$out/migra"
    (cd "$out/migra" && npm install --silent --no-audit --no-fund @pgkit/migra@0.6.1 >/dev/null 2>&1) || true
  fi
  [ -x "$out/migra/node_modules/.bin/migra" ] && migra="$out/migra/node_modules/.bin/migra"
fi

# schema TABLES CHANGED: the SQL of the schema (CHANGED=1: the edited copy).
schema() {
  local n=$1 changed=$2 i
  for ((i = 1; i <= n; i++)); do
    local extra="" type="integer"
    if [ "$changed" = 1 ] && [ $((i % 10)) = 0 ]; then extra=", added_$i text DEFAULT 'x'"; fi
    if [ "$changed" = 1 ] && [ $((i % 15)) = 0 ]; then type="bigint"; fi
    if [ "$changed" = 1 ] && [ "$i" = "$n" ]; then continue; fi
    local fk=""
    [ "$i" -gt 1 ] && fk=", parent_id bigint REFERENCES t$((i - 1)) (id)"
    echo "CREATE TABLE t$i (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, qty $type NOT NULL DEFAULT 0,"
    echo "  created_at timestamptz NOT NULL DEFAULT now(), note varchar(200)$fk$extra);"
    echo "CREATE INDEX t${i}_name ON t$i (name);"
    if [ "$changed" = 1 ] && [ $((i % 7)) = 0 ]; then echo "CREATE INDEX t${i}_created ON t$i (created_at);"; fi
    if [ $((i % 5)) = 0 ]; then
      local cond="qty > 0"
      [ "$changed" = 1 ] && [ $((i % 20)) = 0 ] && cond="qty > 1"
      echo "CREATE VIEW v$i AS SELECT id, name FROM t$i WHERE $cond;"
      local body="SELECT count(*) FROM t$i"
      [ "$changed" = 1 ] && [ $((i % 25)) = 0 ] && body="SELECT count(*) + 0 FROM t$i"
      echo "CREATE FUNCTION f$i() RETURNS bigint LANGUAGE sql STABLE AS \$\$ $body \$\$;"
    fi
  done
}

mkdir -p "$work/desired" "$work/big"
schema 300 0 >"$work/current.sql"
schema 300 1 >"$work/desired/schema.sql"
current=$(fresh_db diff_current)
desired=$(fresh_db diff_desired)
psql -X -q -v ON_ERROR_STOP=1 -d "$current" -f "$work/current.sql" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$desired" -f "$work/desired/schema.sql" >/dev/null

statements=$(PGDATABASE=$current "$bin/mig-diff" --against-db --schema-dir "$work/desired" --format json 2>/dev/null |
  jq '[.data.converged, (.data.statements | length)] | join(" ")' -r)
echo "300 tables: converged, statements = $statements"
# migra connects over TCP, where the cluster asks for a password: a role of its own.
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS mig_bench_migra" -c "CREATE ROLE mig_bench_migra LOGIN PASSWORD 'bench'" >/dev/null
url() { echo "postgresql://mig_bench_migra:bench@127.0.0.1:$PGPORT/$1"; }
if [ -n "$migra" ]; then
  # migra exits 0 even when it cannot connect: check that it printed the plan.
  "$migra" "$(url "$current")" "$(url "$desired")" --unsafe >"$work/migra.sql" 2>&1 || true
  grep -qi "create index" "$work/migra.sql" || { echo "migra did not produce a plan: $(head -3 "$work/migra.sql")"; migra=""; }
  [ -z "$migra" ] || echo "migra's plan: $(grep -c ';$' "$work/migra.sql") statements"
fi
# Each round: the floor (psql -f of the desired schema), a cold mig-diff
# (--no-cache: both sides built), the everyday loop (one schema file edited
# since the last run, so the current side comes from the side cache), and
# migra. A migra user's workflow is psql -f of the desired schema into a scratch
# database and then migra: the ratio compares the everyday loop with that sum.
psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'mig\\_cache\\_%'" | sort >"$work/caches.before"
mig=() warm=() m=() p=() flow=()
edit=0
for ((r = 0; r < runs; r++)); do
  floor=$(fresh_db diff_floor)
  p+=("$(time_ms psql -X -q -v ON_ERROR_STOP=1 -d "$floor" -f "$work/desired/schema.sql")")
  psql -X -q -d postgres -c "DROP DATABASE $floor" >/dev/null
  mig+=("$(PGDATABASE=$current time_ms "$bin/mig-diff" --no-cache --against-db --schema-dir "$work/desired" --format json)")
  edit=$((edit + 1)); printf 'CREATE TABLE edited_%s (id bigint PRIMARY KEY);\n' "$edit" >"$work/desired/edit.sql"
  warm+=("$(PGDATABASE=$current time_ms "$bin/mig-diff" --against-db --schema-dir "$work/desired" --format json)")
  if [ -n "$migra" ]; then
    m+=("$(time_ms "$migra" "$(url "$current")" "$(url "$desired")" --unsafe)")
    flow+=("$(awk -v a="${p[-1]}" -v b="${m[-1]}" 'BEGIN { printf "%.1f", a + b }')")
  fi
done
mig_median=$(printf '%s\n' "${mig[@]}" | median)
warm_median=$(printf '%s\n' "${warm[@]}" | median)
echo "mig-diff end to end, cold (--no-cache: build both sides, plan, replay up and down): median $mig_median ms over $runs"
echo "mig-diff end to end, one schema file edited since the last run (current side from the cache): median $warm_median ms"
floor_median=$(printf '%s\n' "${p[@]}" | median)
echo "psql -f of the desired schema into an empty database (the server's DDL work for one side): median $floor_median ms"
echo "phases of the everyday loop:"
edit=$((edit + 1)); printf 'CREATE TABLE edited_%s (id bigint PRIMARY KEY);\n' "$edit" >"$work/desired/edit.sql"
PGDATABASE=$current "$bin/mig-diff" -v --against-db --schema-dir "$work/desired" --format json 2>&1 >/dev/null | grep -E ' in [0-9]+ ms' |
  sed 's/^mig-diff: debug: /  phase: /' || true
if [ -n "$migra" ]; then
  migra_median=$(printf '%s\n' "${m[@]}" | median)
  flow_median=$(printf '%s\n' "${flow[@]}" | median)
  echo "@pgkit/migra 0.6.1 (two loaded databases): median $migra_median ms"
  echo "a migra user's workflow (psql -f of the desired schema, then migra): median $flow_median ms"
  echo "ratio mig-diff cold / migra alone: $(ratio "$mig_median" "$migra_median")"
  echo "ratio everyday loop / migra workflow: $(ratio "$warm_median" "$flow_median")"
else
  echo "@pgkit/migra: npm could not install it; no ratio"
fi
rm -f "$work/desired/edit.sql"
# The side cache entries this bench made (the ones there before it stay).
psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'mig\\_cache\\_%'" | sort >"$work/caches.after"
comm -13 "$work/caches.before" "$work/caches.after" |
  while read -r d; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$d\"" >/dev/null; done

# 3. The everyday loop in the default mode on a real history: Lemmy's 233
#    migrations (bench/sets/lemmy-233, converted by mig-import) against a
#    schema/ that is their --dump plus one table edited between runs. Cold:
#    --no-cache (both sides built); warm: the migrations side from the cache.
require_built mig-import
mkdir -p "$work/lemmy/schema"
"$bin/mig-import" --from diesel --source "$root/bench/sets/lemmy-233/migrations" --dir "$work/lemmy/migrations" \
  --files-only --format json -q >/dev/null
lemmy=$(fresh_db diff_lemmy)
(cd "$work/lemmy" && PGDATABASE=$lemmy "$bin/mig-diff" --dump schema/schema.sql --from-migrations --format json -q >/dev/null)
# --check exits 1 when it finds a difference, as it will here.
check_only() { "$@"; [ $? -le 1 ]; }
cold=() hot=() hotcheck=() lfloor=()
for ((r = 0; r < runs; r++)); do
  edit=$((edit + 1)); printf 'CREATE TABLE edited_%s (id bigint PRIMARY KEY);\n' "$edit" >"$work/lemmy/schema/edit.sql"
  cold+=("$(cd "$work/lemmy" && PGDATABASE=$lemmy time_ms "$bin/mig-diff" --no-cache --format json)")
  edit=$((edit + 1)); printf 'CREATE TABLE edited_%s (id bigint PRIMARY KEY);\n' "$edit" >"$work/lemmy/schema/edit.sql"
  hot+=("$(cd "$work/lemmy" && PGDATABASE=$lemmy time_ms "$bin/mig-diff" --format json)")
  edit=$((edit + 1)); printf 'CREATE TABLE edited_%s (id bigint PRIMARY KEY);\n' "$edit" >"$work/lemmy/schema/edit.sql"
  hotcheck+=("$(cd "$work/lemmy" && PGDATABASE=$lemmy time_ms check_only "$bin/mig-diff" --check --format json)")
  floor=$(fresh_db diff_floor)
  lfloor+=("$(time_ms psql -X -q -v ON_ERROR_STOP=1 -d "$floor" -f "$work/lemmy/schema/schema.sql")")
  psql -X -q -d postgres -c "DROP DATABASE $floor" >/dev/null
done
c=$(printf '%s\n' "${cold[@]}" | median); h=$(printf '%s\n' "${hot[@]}" | median)
echo "Lemmy, 233 migrations, one schema file edited between runs:"
echo "  mig-diff cold (--no-cache)          median $c ms"
echo "  mig-diff, migrations side cached     median $h ms = $(ratio "$h" "$c")x cold"
echo "  mig-diff --check, cached (no replay) median $(printf '%s\n' "${hotcheck[@]}" | median) ms"
echo "  psql -f of the desired schema alone  median $(printf '%s\n' "${lfloor[@]}" | median) ms (the desired side's floor)"
psql -X -q -d postgres -c "DROP DATABASE $lemmy" >/dev/null
psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'mig\\_cache\\_%'" | sort >"$work/caches.after"
comm -13 "$work/caches.before" "$work/caches.after" |
  while read -r d; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$d\"" >/dev/null; done

schema 1000 0 >"$work/big/schema.sql"
big=$(fresh_db diff_big)
psql -X -q -v ON_ERROR_STOP=1 -d "$big" -f "$work/big/schema.sql" >/dev/null
d=()
for ((r = 0; r < runs; r++)); do d+=("$(PGDATABASE=$big time_ms "$bin/mig-diff" --dump "$work/big.sql" --format json)"); done
echo "1000 tables ($(grep -c '^CREATE TABLE' "$work/big.sql") tables, $(grep -c ';$' "$work/big.sql") statements): mig-diff --dump (catalog read + plan) median $(printf '%s\n' "${d[@]}" | median) ms"
for db in "$current" "$desired" "$big"; do psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null; done
psql -X -q -d postgres -c "DROP ROLE IF EXISTS mig_bench_migra" >/dev/null
rm -rf "$work"
