#!/usr/bin/env bash
# A large backfill while the application writes: one UPDATE, a hand-written
# PL/pgSQL loop committing every 1000 rows, and mig's -- mig:backfill, each on
# a fresh copy of the table, with pgbench updating random rows of the same
# table at a fixed rate, and a real streaming standby (pg_basebackup -R).
#   bench/backfill.sh [ROWS] [RATE]        (defaults 2000000 rows, 200 tps)
# Reports per approach: the application's p50/p99/max latency, seconds at 0 tps,
# % of transactions late (> 100 ms), the backfill's duration with and without
# the load, WAL bytes, and peak replay lag. Ratios are within this one run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source "$root/bench/lib.sh"
rows=${1:-2000000}
rate=${2:-200}
window=${BENCH_WINDOW:-30}  # seconds of application load per approach: longer than the slowest backfill
require_built mig-apply
pgbin=$(newest_pg_bin)
psql_bin="$pgbin/psql"
pgbench_bin="$pgbin/pgbench"

use_cluster
standby_dir=$(mktemp -d /tmp/mig-bench-standby.XXXXXX)
standby_env=$("$root/scripts/pg-cluster.sh" standby "$standby_dir")
trap '"$root/scripts/pg-cluster.sh" stop "$standby_dir"; [ -z "${cluster:-}" ] || "$root/scripts/pg-cluster.sh" stop "$cluster"' EXIT
work=$(mktemp -d /tmp/mig-bench-backfill.XXXXXX)
db=$(fresh_db backfill)
export PGDATABASE=$db
q() { "$psql_bin" -X -At -q -c "$1"; }

# The application: one UPDATE of a random row per transaction, at a fixed rate.
cat >"$work/app.sql" <<SQL
\set id random(1, $rows)
UPDATE accounts SET full_name = full_name WHERE id = :id;
SQL

# make_table: a fresh accounts table of $rows rows, analyzed, checkpointed.
make_table() {
  q "DROP TABLE IF EXISTS accounts" >/dev/null 2>&1
  q "CREATE TABLE accounts (id bigint PRIMARY KEY, full_name text NOT NULL, display_name text);
     INSERT INTO accounts (id, full_name) SELECT g, 'name ' || g FROM generate_series(1, $rows) g" >/dev/null
  q "VACUUM ANALYZE accounts" >/dev/null
  q "CHECKPOINT" >/dev/null
}

# Each approach is a command run in $work.
single_update() { "$psql_bin" -X -q -c "UPDATE accounts SET display_name = full_name WHERE display_name IS NULL" >/dev/null; }
plpgsql_loop() {
  "$psql_bin" -X -q >/dev/null <<'SQL'
CREATE OR REPLACE PROCEDURE fill_by_hand() LANGUAGE plpgsql AS $$
DECLARE lo bigint := 0; hi bigint; top bigint;
BEGIN
  SELECT max(id) INTO top FROM accounts;
  WHILE lo < top LOOP
    hi := lo + 1000;
    UPDATE accounts SET display_name = full_name WHERE display_name IS NULL AND id > lo AND id <= hi;
    COMMIT;
    lo := hi;
  END LOOP;
END $$;
CALL fill_by_hand();
SQL
}
mig_backfill() {
  rm -rf "$work/migrations" && mkdir -p "$work/migrations"
  printf -- '-- mig:backfill\nUPDATE accounts SET display_name = full_name WHERE display_name IS NULL;\n' >"$work/migrations/1_fill.sql"
  (cd "$work" && "$bin/mig-apply" --table bench_history_$RANDOM --format json "$@" >/dev/null)
}
mig_backfill_50ms() { mig_backfill --batch-time 50ms; }

# Peak replay lag (bytes and time) on the standby, polled every 100 ms until $work/stop appears.
watch_lag() {
  local peak_bytes=0 peak_ms=0 b m
  while [ ! -e "$work/stop" ]; do
    read -r b m < <(q "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::bigint,
                             coalesce(max(extract(epoch FROM replay_lag) * 1000), 0)::bigint FROM pg_stat_replication" | tr '|' ' ')
    [ "$b" -gt "$peak_bytes" ] && peak_bytes=$b
    [ "$m" -gt "$peak_ms" ] && peak_ms=$m
    sleep 0.1
  done
  echo "$peak_bytes $peak_ms"
}

# app_stats LOGPREFIX: p50 p99 max (ms), seconds with no transaction, % late (> 100 ms) from pgbench's
# per-transaction logs (complete lines only: a log cut by a signal may end in half a line).
app_stats() {
  python3 - "$1".* <<'PY'
import sys
lat = []; seconds = {}; late = 0; total = 0
lines = []
for path in sys.argv[1:]:
    lines += open(path).read().split("\n")[:-1]
for line in lines:
    f = line.split()
    if len(f) < 6: continue
    total += 1
    if f[2] == "skipped": late += 1; continue
    ms = int(f[2]) / 1000.0; lat.append(ms); seconds[int(f[4])] = seconds.get(int(f[4]), 0) + 1
    if ms > 100: late += 1
lat.sort()
pick = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else 0
first, last = (min(seconds), max(seconds)) if seconds else (0, 0)
zero = sum(1 for s in range(first, last + 1) if s not in seconds)
print("%.1f %.1f %.1f %d %.1f" % (pick(0.5), pick(0.99), lat[-1] if lat else 0, zero, 100.0 * late / max(total, 1)))
PY
}

# measure NAME FUNCTION: the backfill alone, then under the application's load.
measure() {
  local name=$1 fn=$2 alone loaded wal0 wal1 lag stats
  make_table
  alone=$(time_ms "$fn")
  make_table
  rm -f "$work/stop" "$work"/app_"$name".*
  watch_lag >"$work/lag_$name" &
  local watcher=$!
  # The application runs a fixed ${window}s (the backfill starts 2 s in), and ends on its own.
  (cd "$work" && "$pgbench_bin" -n -f app.sql -R "$rate" -T "$window" -c 4 -j 2 -l --log-prefix="app_$name" >/dev/null 2>&1) &
  local app=$!
  sleep 2
  wal0=$(q "SELECT pg_current_wal_lsn()")
  loaded=$(time_ms "$fn")
  wal1=$(q "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal0')::bigint")
  wait "$app" || true
  touch "$work/stop"; wait "$watcher"
  stats=$(app_stats "$work/app_$name")
  lag=$(cat "$work/lag_$name")
  printf '%-14s %9s %9s  %s  %12s  %s\n' "$name" "$alone" "$loaded" "$stats" "$wal1" "$lag" >>"$work/results"
}

for _ in $(seq 1 100); do [ "$(q "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break; sleep 0.1; done
echo "standbys streaming: $(q "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")"
# Baseline: the application alone.
make_table
(cd "$work" && "$pgbench_bin" -n -f app.sql -R "$rate" -T "$window" -c 4 -j 2 -l --log-prefix=app_baseline >/dev/null 2>&1)
baseline=$(app_stats "$work/app_baseline")
measure single_update single_update
measure plpgsql_loop plpgsql_loop
measure mig_backfill mig_backfill
measure mig_50ms mig_backfill_50ms

echo "$rows rows, application at $rate tps (4 clients) updating random rows of the same table; one run"
echo "application alone: p50/p99/max $(echo "$baseline" | awk '{print $1 "/" $2 "/" $3}') ms, $(echo "$baseline" | awk '{print $4}') s at 0 tps, $(echo "$baseline" | awk '{print $5}')% late"
echo "approach       alone_ms loaded_ms  app_p50 app_p99 app_max zero_tps_s late_%      wal_bytes  peak_lag_bytes peak_lag_ms"
cat "$work/results"
single=$(awk '$1 == "single_update" {print $2}' "$work/results")
loop=$(awk '$1 == "plpgsql_loop" {print $2}' "$work/results")
mig=$(awk '$1 == "mig_backfill" {print $2}' "$work/results")
echo "mig backfill alone: $(ratio "$mig" "$single")x the single UPDATE (target <= 1.5), $(ratio "$mig" "$loop")x the PL/pgSQL loop (target <= 1.2)"
echo "mig backfill app p99: $(ratio "$(awk '$1 == "mig_backfill" {print $5}' "$work/results")" "$(echo "$baseline" | awk '{print $2}')")x the baseline p99 (target <= 2)"
"$psql_bin" -X -q -d postgres -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
rm -rf "$work"
