#!/usr/bin/env bash
# Rehearsal against apply on the same migrations, in one run, on one cluster.
#   bench/rehearse.sh [ROUNDS]     (default 5)
# 120 migrations of 8 statements each (tables, columns, indexes, comments, rows,
# a view), the shape of a diesel/Rails history. Each timing gets a fresh database.
# Prints medians and the ratio mig-dryrun / mig-apply (target: at most 2x).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rounds=${1:-5}
require_built mig-dryrun

use_cluster durable

work=$(mktemp -d /tmp/mig-bench.XXXXXX)
mkdir -p "$work/migrations"
for i in $(seq -w 1 120); do
  cat > "$work/migrations/${i}_step.sql" <<SQL
CREATE TABLE t_$i (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
ALTER TABLE t_$i ADD COLUMN note text;
ALTER TABLE t_$i ADD COLUMN amount numeric(12, 2) DEFAULT 0;
CREATE INDEX t_${i}_name ON t_$i (name);
COMMENT ON TABLE t_$i IS 'step $i';
INSERT INTO t_$i (name) SELECT 'n' || g FROM generate_series(1, 50) g;
UPDATE t_$i SET note = name WHERE id % 2 = 0;
CREATE VIEW v_$i AS SELECT id, name FROM t_$i WHERE note IS NOT NULL;
SQL
done

dbs=()
dryrun=() apply=()
for r in $(seq 1 "$rounds"); do
  db=$(fresh_db dry); dbs+=("$db")
  dryrun+=("$(cd "$work" && PGDATABASE=$db time_ms "$bin/mig-dryrun" --format json)")
  db=$(fresh_db apply); dbs+=("$db")
  psql -X -q -d postgres -c CHECKPOINT
  apply+=("$(cd "$work" && PGDATABASE=$db time_ms "$bin/mig-apply" --format json)")
  [ -z "${BENCH_VERBOSE:-}" ] || echo "round $r: dryrun ${dryrun[-1]} ms, apply ${apply[-1]} ms" >&2
done
for db in "${dbs[@]}"; do psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null; done
rm -rf "$work"

d=$(printf '%s\n' "${dryrun[@]}" | median)
a=$(printf '%s\n' "${apply[@]}" | median)
echo "120 migrations x 8 statements, $rounds rounds (medians):"
echo "  mig-apply   $a ms"
echo "  mig-dryrun  $d ms   = $(ratio "$d" "$a")x apply (target <= 2x)"
