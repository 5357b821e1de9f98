#!/usr/bin/env bash
# A fresh database from a checkpoint against one built file by file, in one run.
#   bench/checkpoint.sh [ROUNDS]     (default 3)
# Two sets of 233 migrations: the real one, Lemmy's diesel history at the
# commit where it held 233 (bench/sets/lemmy-233, AGPL-3.0, LICENSE beside it;
# converted with mig-import --from diesel), and a generated one in the shape of
# a Rails/diesel history (tables, added and retyped columns, indexes,
# constraints, views, functions). mig-new --checkpoint squashes each; each
# timing gets a fresh database; the two schemas are compared (pg_dump -s) and
# must match.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rounds=${1:-3}
require_built mig-new
require_built mig-import

use_cluster durable
work=$(mktemp -d /tmp/mig-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

generate_set() {  # DIR: 233 generated migrations
  mkdir -p "$1"
  for i in $(seq -w 1 233); do
    t=$(( (10#$i + 3) / 4 ))
    case $(( 10#$i % 4 )) in
      1) sql="CREATE TABLE t_$t (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());" ;;
      2) sql="ALTER TABLE t_$t ADD COLUMN amount integer DEFAULT 0; CREATE INDEX t_${t}_name ON t_$t (name);" ;;
      3) sql="ALTER TABLE t_$t ALTER COLUMN amount TYPE numeric(12,2); ALTER TABLE t_$t ADD CONSTRAINT t_${t}_amount CHECK (amount >= 0);" ;;
      0) sql="CREATE VIEW v_$t AS SELECT id, name FROM t_$t WHERE amount > 0; CREATE FUNCTION f_$t(x bigint) RETURNS text LANGUAGE sql STABLE AS \$\$ SELECT name FROM t_$t WHERE id = x \$\$;" ;;
    esac
    printf '%s\n' "$sql" > "$1/2000$(printf '%04d' "$((10#$i))")_step_$i.up.sql"
  done
}

schema() { pg_dump -s -d "$1" -T migration_history | grep -v -e '^\\restrict' -e '^\\unrestrict' -e '^--'; }

# measure LABEL DIR: DIR/files/migrations is the set; prints the figures.
measure() {
  local label=$1 dir=$2 dbs=() files=() squashed=() db
  cp -r "$dir/files" "$dir/squashed"
  (cd "$dir/squashed" && "$bin/mig-new" --checkpoint squash --format json -q >/dev/null 2>"$dir/checkpoint.log") \
    || { cat "$dir/checkpoint.log" >&2; return 1; }
  for r in $(seq 1 "$rounds"); do
    db=$(fresh_db files); dbs+=("$db")
    files+=("$(cd "$dir/files" && PGDATABASE=$db time_ms "$bin/mig-apply" --format json)")
    db=$(fresh_db squashed); dbs+=("$db")
    squashed+=("$(cd "$dir/squashed" && PGDATABASE=$db time_ms "$bin/mig-apply" --format json)")
  done
  local same rows f s
  if [ "$(schema "${dbs[0]}")" = "$(schema "${dbs[1]}")" ]; then same=equal; else same=DIFFERENT; fi
  rows=$(psql -X -At -d "${dbs[1]}" -c "SELECT count(*) FROM migration_history")
  for db in "${dbs[@]}"; do psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null; done
  f=$(printf '%s\n' "${files[@]}" | median)
  s=$(printf '%s\n' "${squashed[@]}" | median)
  echo "$label: 233 migrations, $rounds rounds (medians), fresh database each time:"
  echo "  file by file      $f ms"
  echo "  from checkpoint   $s ms   = $(ratio "$s" "$f")x file by file ($rows history rows recorded)"
  echo "  schemas (pg_dump -s): $same"
  [ "$same" = equal ]
}

mkdir -p "$work/lemmy/files"
"$bin/mig-import" --from diesel --source "$root/bench/sets/lemmy-233/migrations" --dir "$work/lemmy/files/migrations" \
  --files-only --format json -q >/dev/null
generate_set "$work/generated/files/migrations"
status=0
measure "Lemmy (real, bench/sets/lemmy-233)" "$work/lemmy" || status=1
measure "generated" "$work/generated" || status=1
exit $status
