# Shared helpers for the end-to-end tests. Each test sources this file, runs
# the built binaries against the throwaway cluster (PG* from scripts/test.sh)
# in a database of its own, and asserts on JSON documents, exit codes and rows.
# Tests run in parallel on one cluster: a query on pg_stat_activity or pg_locks
# must filter on current_database(), or it sees (and may kill) other tests.
set -uo pipefail

: "${MIG_BIN:?MIG_BIN must point at the built tools}"
if [ -z "${PGHOST:-}" ]; then
  echo "skip: no PostgreSQL (PGHOST unset); run scripts/test.sh, which starts one" >&2
  exit 125
fi
export PATH="$MIG_BIN:$PATH" NO_COLOR=1

TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/mig-e2e-$TEST_NAME.XXXX")
export PGDATABASE="t_$(echo "$TEST_NAME" | tr -c 'a-z0-9\n' '_')_$$"
failures=0
checks=0
cd "$WORK"

# The mig-diff side cache entries this test's runs kept: named mig_cache_<kind>_<8 hex of
# sha256(scope)>_..., the scope being "database NAME" (--against-db) or "HOST:FOLDER" (migrations/).
# Dropped at the end, so entries left by earlier tests never crowd the server's 32 and evict the
# entry a test running beside them has just kept.
drop_side_cache_entries() {
  local scopes=("database $PGDATABASE") dir hashes="" host
  host=$(hostname)
  while IFS= read -r dir; do scopes+=("$host:$dir"); done < <(find "$WORK" -maxdepth 3 -type d 2>/dev/null)
  for dir in "${scopes[@]}"; do hashes+="${hashes:+,}$(printf '%s' "$dir" | sha256sum | cut -c1-8)"; done
  psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'mig\\_cache\\_%' AND substr(datname, 13, 8) = ANY ('{$hashes}')" 2>/dev/null |
    while read -r d; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1; done
}

cleanup() {
  [ -z "${KEEP:-}" ] || { echo "kept $WORK" >&2; return; }
  local pids
  pids=$(jobs -p)
  [ -z "$pids" ] || kill $pids 2>/dev/null
  wait 2>/dev/null
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$PGDATABASE\" WITH (FORCE)" >/dev/null 2>&1
  drop_side_cache_entries
  # A test that failed between mounting something under $WORK and unmounting it.
  awk -v w="$WORK/" 'index($2, w) == 1 {print $2}' /proc/mounts | while read -r m; do umount "$m"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

psql -X -q -d postgres -c "CREATE DATABASE \"$PGDATABASE\"" >/dev/null || { echo "cannot create test database" >&2; exit 1; }
mkdir -p migrations

fail() { echo "FAIL [$TEST_NAME]: $*" >&2; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }

# run TOOL ARGS...: result document in $OUT (last stdout line), exit code in $RC, stderr in $ERR
run() {
  "$@" >"$WORK/.out" 2>"$WORK/.err"
  RC=$?
  OUT=$(tail -n 1 "$WORK/.out")
  ERR=$(cat "$WORK/.err")
}

expect_rc() {  # expect_rc WANT [what]
  if [ "$RC" = "$1" ]; then pass; else fail "${2:-command}: exit $RC, want $1; stdout: $OUT; stderr: $ERR"; fi
}

# expect_json JQ_FILTER WANT: the filter over $OUT prints WANT
expect_json() {
  local got
  got=$(printf '%s' "$OUT" | jq -c -r "$1" 2>&1)
  if [ "$got" = "$2" ]; then pass; else fail "jq '$1' = '$got', want '$2' (doc: $OUT)"; fi
}

# expect_sql SQL WANT: the query prints WANT (psql -At)
expect_sql() {
  local got
  got=$(psql -X -At -c "$1" 2>&1)
  if [ "$got" = "$2" ]; then pass; else fail "sql '$1' = '$got', want '$2'"; fi
}

expect_contains() {  # expect_contains HAYSTACK NEEDLE what
  case "$1" in *"$2"*) pass ;; *) fail "${3:-output} does not contain '$2': $1" ;; esac
}
expect_not_contains() {
  case "$1" in *"$2"*) fail "${3:-output} contains '$2'" ;; *) pass ;; esac
}

sql() { psql -X -At -q -c "$1"; }

# free_port: a TCP port on 127.0.0.1 nobody listens on (for --listen).
free_port() {
  local p
  for p in $(seq $((20000 + RANDOM % 20000)) 45000); do
    (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# wait_for_query APP PATTERN: until a session of this database named APP is
# running a query containing PATTERN (a background session got where the test needs it).
wait_for_query() {
  local _
  for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '$1' AND query LIKE '%$2%'")" -ge 1 ] && return 0
    sleep 0.05
  done
  fail "no $1 session ran '$2' in time"
}

# wait_for_lock TABLE MODE: another session was granted MODE (e.g. AccessExclusiveLock) on TABLE
# in this test's database. A session's query text shows before its LOCK is granted, so a test that
# needs the lock held waits for the grant itself.
wait_for_lock() {
  local _
  for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND relation = '$1'::regclass AND mode = '$2' AND granted AND pid <> pg_backend_pid()")" -ge 1 ] && return 0
    sleep 0.05
  done
  fail "no session was granted $2 on $1 in time"
}

# migration VERSION_NAME SQL [suffix]: write migrations/VERSION_NAME.SUFFIX.sql
migration() { printf '%s\n' "$2" >"migrations/$1${3:+.$3}.sql"; }

finish() {
  if [ "$failures" -eq 0 ]; then
    echo "ok [$TEST_NAME]: $checks checks"
    exit 0
  fi
  echo "FAILED [$TEST_NAME]: $failures of $((checks + failures)) checks" >&2
  exit 1
}
