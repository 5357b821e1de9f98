#!/usr/bin/env bash
# mig-diff's side cache: the schema the migrations build (and a live database's
# rebuild) is kept as a mig_cache_* database keyed by every input. The second
# run finds it (hit), replays the plan inside it in a transaction it rolls
# back, and gives the same plan; the entry keeps the migrations' schema (also
# when the run is killed in the middle of that replay); an edited migration
# misses; editing it back hits; --no-cache keeps nothing; a run killed while
# building leaves no entry; entries stay bounded per folder.
source "$(dirname "$0")/lib.sh"

migration 1_accounts "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);" up
migration 2_orders "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));" up
mkdir schema
cat >schema/10_app.sql <<'SQL'
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id));
CREATE INDEX orders_account ON orders (account_id);
SQL
# This folder's entries: mig_cache_m_<scope>_*; the scope is the first run's.
entries() { sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'mig\\_cache\\_m\\_${scope}\\_%'"; }
plan() { printf '%s' "$OUT" | jq -c '[.data.statements[].sql]'; }

run mig-diff --no-cache --format json
expect_rc 0 "cold, --no-cache"
expect_json '.data.cache' "off"
cold_plan=$(plan)
[ "$(sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'mig\\_cache\\_%' AND shobj_description(oid, 'pg_database') IS NULL")" = 0 ] && pass || fail "an unlabelled cache entry"

run mig-diff --format json
expect_rc 0 "first run: built and kept"
expect_json '.data.cache' "miss"
# The scope is the host and the folder's absolute path (other tests keep
# entries on the same server at the same time: never take the newest one).
scope=$(printf '%s:%s' "$(hostname)" "$(pwd -P)/migrations" | sha256sum | cut -c1-8)
first=$(sql "SELECT datname FROM pg_database WHERE datname LIKE 'mig\\_cache\\_m\\_${scope}\\_%'")
[ -n "$first" ] && [ "$(entries)" = 1 ] && pass || fail "no single cache entry of this folder after a miss: '$first'"
# What the entry holds: the migrations' schema, never the plan's changes (a
# plan and its down committed would leave the added column behind as dropped).
in_entry() { psql -X -At -q -d "$first" -c "$1"; }
entry_schema() {
  in_entry "SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
  in_entry "SELECT string_agg(attrelid::regclass || '.' || attname, ',' ORDER BY 1) FROM pg_attribute WHERE attrelid IN ('accounts'::regclass, 'orders'::regclass) AND attnum > 0"
}
entry_before=$(entry_schema)
expect_contains "$entry_before" "accounts.email" "the entry's columns"
expect_not_contains "$entry_before" "orders_account" "the entry before the hit"

run mig-diff --format json
expect_rc 0 "second run"
expect_json '.data.cache' "hit"
expect_json '.data.converged' "true"
expect_json '.data.validated' "true"
[ "$(plan)" = "$cold_plan" ] && pass || fail "a hit plans differently: $(plan) vs $cold_plan"
[ "$(entry_schema)" = "$entry_before" ] && pass || fail "the replay in the entry was not rolled back: $(entry_schema)"

# Killed in the middle of the replay in the entry (held up by a lock on one of
# its tables): the entry keeps its schema, and the next run still converges.
lockfifo="$WORK/lock.fifo"; mkfifo "$lockfifo"
psql -X -q -d "$first" <"$lockfifo" >/dev/null 2>&1 &
locker=$!
exec 7>"$lockfifo"
echo "BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);" >&7
mig-diff --format json >/dev/null 2>&1 &
pid=$!
waited=no
for _ in $(seq 1 100); do
  [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$first' AND wait_event_type = 'Lock'")" -ge 1 ] && { waited=yes; break; }
  sleep 0.1
done
[ "$waited" = yes ] && pass || fail "the hit's replay never waited for the entry's lock"
kill -9 "$pid"; wait "$pid" 2>/dev/null
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$first' AND pid <> pg_backend_pid()" >/dev/null
exec 7>&-; wait "$locker" 2>/dev/null
[ "$(entry_schema)" = "$entry_before" ] && pass || fail "a run killed during its replay changed the entry: $(entry_schema)"
run mig-diff --format json
expect_json '.data.cache' "hit"
expect_json '.data.converged' "true"
[ "$(plan)" = "$cold_plan" ] && pass || fail "after the killed replay the plan differs"

# An edited migration is another input: a miss, with the plan of the new files.
printf '%s\n' "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text);" > migrations/1_accounts.up.sql
run mig-diff --format json
expect_json '.data.cache' "miss"
expect_json '[.data.statements[].sql] | map(select(test("name"))) | length' "0"
# Undone: the first entry serves again.
printf '%s\n' "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);" > migrations/1_accounts.up.sql
run mig-diff --format json
expect_json '.data.cache' "hit"
[ "$(plan)" = "$cold_plan" ] && pass || fail "the undone edit plans differently"
[ "$(entries)" = 2 ] && pass || fail "entries of this folder: $(entries), want 2"

# A third and fourth set: still two entries for this folder.
migration 3_c "CREATE TABLE c (id int);" up
run mig-diff --format json; expect_json '.data.cache' "miss"
migration 4_d "CREATE TABLE d (id int);" up
run mig-diff --format json; expect_json '.data.cache' "miss"
[ "$(entries)" = 2 ] && pass || fail "entries of this folder: $(entries), want at most 2"
rm migrations/3_c.up.sql migrations/4_d.up.sql

# Killed while building the migrations side: no entry for those files.
before=$(entries)
migration 5_slow "SELECT pg_sleep(30);" up
mig-diff --format json >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()")" -ge 1 ] && break
  sleep 0.1
done
kill -9 "$pid"; wait "$pid" 2>/dev/null
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
[ "$(entries)" = "$before" ] && pass || fail "a killed run left a cache entry ($(entries), had $before)"
rm migrations/5_slow.up.sql
run mig-diff --format json
expect_rc 0 "after the killed run"
[ "$(plan)" = "$cold_plan" ] && pass || fail "after the killed run the plan differs"

# Three runs at once on the same files (one entry, three replays in it taking
# turns; or, after an edit, three builds racing to keep it): all succeed with
# the same plan, and the entry keeps its schema.
for round in warm cold; do
  [ "$round" = cold ] && migration 7_f "CREATE TABLE f (id int);" up
  for i in 1 2 3; do mig-diff --format json >"$WORK/par$i.json" 2>"$WORK/par$i.err" & done
  wait
  for i in 1 2 3; do
    OUT=$(tail -n 1 "$WORK/par$i.json")
    expect_json '.ok' "true"
    expect_json '.data.converged' "true"
  done
  [ "$(jq -c '[.data.statements[].sql]' "$WORK/par1.json")" = "$(jq -c '[.data.statements[].sql]' "$WORK/par3.json")" ] && pass \
    || fail "$round: concurrent runs planned differently"
  [ "$round" = cold ] || [ "$(entry_schema)" = "$entry_before" ] && pass || fail "concurrent replays changed the entry"
done
rm migrations/7_f.up.sql

# An old entry that cannot be dropped (made a template by hand) stays, and
# neither stops the keep of a new one nor the eviction of the others.
stuck=$(sql "SELECT datname FROM pg_database WHERE datname LIKE 'mig\\_cache\\_m\\_${scope}\\_%' ORDER BY shobj_description(oid, 'pg_database') LIMIT 1")
sql "ALTER DATABASE \"$stuck\" IS_TEMPLATE true" >/dev/null
migration 8_g "CREATE TABLE g (id int);" up
run mig-diff --format json; expect_json '.data.cache' "miss"
migration 9_h "CREATE TABLE h (id int);" up
run mig-diff --format json; expect_json '.data.cache' "miss"
expect_not_contains "$ERR" "could not keep" "the keep beside an entry that cannot be dropped"
run mig-diff --format json; expect_json '.data.cache' "hit"
[ "$(entries)" = 3 ] && pass || fail "entries of this folder beside the stuck one: $(entries), want 3"
sql "ALTER DATABASE \"$stuck\" IS_TEMPLATE false" >/dev/null
rm migrations/8_g.up.sql migrations/9_h.up.sql

# --against-db: the live database's rebuild is kept too; a change to it misses.
sql "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL)" >/dev/null
run mig-diff --against-db --format json; expect_json '.data.cache' "miss"
run mig-diff --against-db --format json; expect_json '.data.cache' "hit"
live_plan=$(plan)
sql "ALTER TABLE accounts ADD COLUMN name text" >/dev/null
run mig-diff --against-db --format json; expect_json '.data.cache' "miss"
[ "$(plan)" != "$live_plan" ] && pass || fail "a changed live database was served from the cache"

# --no-cache keeps nothing.
listing() { sql "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datname LIKE 'mig\\_cache\\_m\\_${scope}\\_%'"; }
kept_before=$(listing)
migration 6_e "CREATE TABLE e (id int);" up
run mig-diff --no-cache --format json
expect_rc 0 "--no-cache with new files"
expect_json '.data.cache' "off"
[ "$(listing)" = "$kept_before" ] && pass || fail "--no-cache changed the entries: $(listing) (had $kept_before)"

# This test's entries go with it (the live ones are scoped by this database's name).
live_scope=$(printf 'database %s' "$PGDATABASE" | sha256sum | cut -c1-8)
[ "$(sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'mig\\_cache\\_l\\_${live_scope}\\_%'")" = 2 ] && pass || fail "live entries of this database: want 2"
for prefix in "m\\_${scope}" "l\\_${live_scope}"; do
  sql "SELECT datname FROM pg_database WHERE datname LIKE 'mig\\_cache\\_${prefix}\\_%'" | while read -r d; do sql "DROP DATABASE IF EXISTS \"$d\"" >/dev/null; done
done
finish
