# Helpers the bench scripts share: the built tools, timing one command, medians, ratios.
# Sourced from the repository's top folder ($root).
bin=${MIG_BIN:-$root/build/tools}
# The newest installed PostgreSQL's bin folder (the real psql and pg_dump; /usr/bin/psql is a Perl wrapper).
newest_pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }
# require_built TOOL: stop unless the tool has been built.
require_built() { [ -x "$bin/$1" ] || { echo "bench: build first (scripts/test.sh or cmake --build build)" >&2; exit 1; }; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
# time_ms CMD...: milliseconds (0.1 ms resolution) the command took; a failing command stops the bench.
# bash's $EPOCHREALTIME is read in place: no `date` or subshell inside the timed span.
time_ms() {
  local t0=${EPOCHREALTIME/[.,]/} t1
  "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
  t1=${EPOCHREALTIME/[.,]/}
  awk -v d=$((t1 - t0)) 'BEGIN {printf "%.1f", d / 1000}'
}
# use_cluster [durable]: the cluster in PG* when PGHOST is set; else a throwaway one, stopped on exit,
# in MIG_BENCH_TMP (default /tmp; e.g. /dev/shm to take the disk's file system out of the figures).
use_cluster() {
  [ -z "${PGHOST:-}" ] || return 0
  cluster=$(mktemp -d "${MIG_BENCH_TMP:-/tmp}/mig-bench-pg.XXXXXX")
  trap '"$root/scripts/pg-cluster.sh" stop "$cluster"' EXIT
  eval "$("$root/scripts/pg-cluster.sh" start "$cluster" "$@")"
}
# fresh_db LABEL: a new database under a new name (dropping big ones slows the next creates); prints its name.
fresh_db() { local name="bench_$1_$$_$RANDOM"; psql -X -q -d postgres -c "CREATE DATABASE $name" >/dev/null; echo "$name"; }
