#!/usr/bin/env bash
# mig-backup: verified dumps, restore, damage and faults, retention, and the
# password kept out of argv, logs and manifests.
source "$(dirname "$0")/lib.sh"

migration 1_items "CREATE TABLE items (id bigint PRIMARY KEY, v text); INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 5000) g;"
run mig-apply
expect_rc 0 "setup"

# Backup, restore into a new database: same rows, same history.
run mig-backup --backup-dir bk
expect_rc 0 "backup"
expect_json '.data.backup.verified' true
expect_json '.data.backup.last_applied_version' 1
id=$(echo "$OUT" | jq -r .data.backup.id)
[ -f "bk/$id.dump" ] && [ -f "bk/$id.json" ] && pass || fail "dump or manifest missing for $id"
[ "$(jq -r .verified "bk/$id.json")" = true ] && pass || fail "manifest not verified"
[ "$(stat -c %a "bk/$id.json")" = 600 ] && pass || fail "manifest mode $(stat -c %a "bk/$id.json")"
[ "$(stat -c %a "bk/$id.dump")" = 600 ] && pass || fail "dump mode $(stat -c %a "bk/$id.dump") (it holds every row)"
target="${PGDATABASE}_restored"
run mig-backup --restore "bk/$id.json" --target-db "$target"
expect_rc 0 "restore"
expect_json '.data.restore.tables' 2
expect_json '.data.restore.last_applied_version' 1
[ "$(psql -X -At -d "$target" -c 'SELECT count(*), sum(id) FROM items')" = "$(sql 'SELECT count(*), sum(id) FROM items')" ] \
  && pass || fail "restored rows differ"
[ "$(psql -X -At -d "$target" -c 'SELECT version, checksum FROM migration_history')" = "$(sql 'SELECT version, checksum FROM migration_history')" ] \
  && pass || fail "restored history differs"
run mig-backup --restore "bk/$id.json" --target-db "$target"
expect_rc 3 "restore over an existing database needs --force"
run mig-backup --restore "bk/$id.json" --target-db "$PGDATABASE" --force
expect_rc 3 "never over the source"
psql -X -q -d postgres -c "DROP DATABASE \"$target\" WITH (FORCE)" >/dev/null

# Damage: truncated, then one flipped byte.
cp "bk/$id.dump" good.dump
truncate -s $(( $(stat -c %s good.dump) / 2 )) "bk/$id.dump"
run mig-backup --verify "bk/$id.json"
expect_rc 8 "truncated dump"
expect_json '.error.kind' backup_damaged
cp good.dump "bk/$id.dump"
printf '\xff' | dd of="bk/$id.dump" bs=1 seek=3000 conv=notrunc status=none
run mig-backup --verify "bk/$id.dump"
expect_rc 8 "flipped byte"
cp good.dump "bk/$id.dump"
run mig-backup --verify "bk/$id.dump"
expect_rc 0 "intact again"
jq '.migrations.last_applied_version = "99"' "bk/$id.json" > edited.json && cp edited.json "bk/$id.json"
run mig-backup --verify "bk/$id.json"
expect_rc 8 "edited manifest fails its own seal"

# Retention keeps exactly N verified backups of this database.
rm -rf bk
for _ in 1 2 3; do mig-backup --backup-dir bk --keep 2 >/dev/null 2>&1; done
run mig-backup --backup-dir bk --keep 2
expect_json '.data.deleted | length' 1
[ "$(ls bk/*.json | wc -l)" = 2 ] && [ "$(ls bk/*.dump | wc -l)" = 2 ] && pass || fail "retention left $(ls bk)"

# Directory format, two jobs.
run mig-backup --backup-dir bkd --dump-format directory --jobs 2
expect_rc 0 "directory format"
expect_json '.data.backup.format' directory
[ "$(jq '.files | length' bkd/*.json)" -ge 2 ] && pass || fail "directory manifest lists too few files"

# Password: over TCP with scram; never in argv of pg_dump, output, logs or the manifest.
secret='B4ckup-S3cret_x'
role="mig_bk_$$"
sql "CREATE ROLE $role LOGIN SUPERUSER PASSWORD '$secret'"
dsn="postgresql://$role:$secret@127.0.0.1:$PGPORT/$PGDATABASE"
# find_dump_child: $dump_pid and $cmdline of $backup_pid's dumping pg_dump (its argv has
# --file=), not the `pg_dump --version` probe that comes and goes before it.
find_dump_child() {
  dump_pid="" cmdline=""
  local p c
  for _ in $(seq 1 50); do
    for p in $(pgrep -P "$backup_pid" pg_dump); do
      c=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
      case "$c" in *--file=*) dump_pid=$p cmdline=$c ;; esac
    done
    [ -n "$dump_pid" ] && return
    sleep 0.1
  done
}

# Hold a lock so pg_dump waits, and read its command line meanwhile.
psql -X -q <<'SQL' >/dev/null 2>&1 &
BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30);
SQL
locker=$!
sleep 0.5
mig-backup --dsn "$dsn" --backup-dir bkp -v --lock-wait-timeout 20s >bkp.out 2>bkp.err &
backup_pid=$!
find_dump_child
[ -n "$dump_pid" ] && pass || fail "pg_dump child not found"
expect_contains "$cmdline" "--dbname=" "pg_dump argv"
expect_not_contains "$cmdline" "$secret" "pg_dump argv"
# Kill pg_dump mid-run: exit 8, no manifest, nothing under a final name.
kill -9 "$dump_pid"
wait "$backup_pid"; RC=$?; OUT=$(tail -n 1 bkp.out); ERR=$(cat bkp.err)
expect_rc 8 "killed pg_dump"
expect_json '.error.kind' pg_dump_failed
[ -z "$(ls -A bkp 2>/dev/null)" ] && pass || fail "killed backup left files: $(ls -A bkp)"
# Kill mig-backup itself (kill -9) while pg_dump waits: pg_dump dies with it, not left waiting.
mig-backup --backup-dir bkq --lock-wait-timeout 20s >/dev/null 2>&1 &
backup_pid=$!
find_dump_child
[ -n "$dump_pid" ] && pass || fail "pg_dump child not found"
# pg_dump opens its output a moment after it starts: kill once the partial file is there.
for _ in $(seq 1 50); do ls -A bkq 2>/dev/null | grep -q '\.partial$' && break; sleep 0.1; done
kill -9 "$backup_pid"; wait "$backup_pid" 2>/dev/null
for _ in $(seq 1 30); do kill -0 "$dump_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$dump_pid" 2>/dev/null && fail "pg_dump outlived the killed mig-backup" || pass
# While the table stays locked by an idle transaction: exit 6, the blocking session named.
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()" >/dev/null
kill "$locker" 2>/dev/null
psql -X -q -v ON_ERROR_STOP=1 --set=app=holder <<'SQL' >/dev/null 2>&1 &
SET application_name = 'idle-holder';
BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8);
SQL
locker=$!
wait_for_query idle-holder pg_sleep
run mig-backup --backup-dir bkl --lock-wait-timeout 3s
expect_rc 6 "pg_dump behind a held table lock"
expect_json '.error.kind' lock_timeout
expect_contains "$OUT" "idle-holder" "blocker named"
expect_contains "$OUT" "pid " "blocker pid"
# The next run removes what the killed one left behind.
ls -A bkq | grep -q '\.partial$' && pass || fail "the killed run left no partial file to clean: $(ls -A bkq)"
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()" >/dev/null
run mig-backup --backup-dir bkq
expect_rc 0 "backup after a killed one"
ls -A bkq | grep -q '\.partial$' && fail "leftover partial file: $(ls -A bkq)" || pass
run mig-backup --dsn "$dsn" --backup-dir bkp -v
expect_rc 0 "backup with a password DSN"
expect_not_contains "$(cat .out .err bkp/*.json)" "$secret" "output, logs and manifest"
sql "DROP ROLE $role" >/dev/null 2>&1

# A full disk: exit 8, no manifest, no partial file left.
mkdir -p full
if mount -t tmpfs -o size=16k tmpfs full 2>/dev/null; then
  run mig-backup --backup-dir full
  expect_rc 8 "full disk"
  [ -z "$(ls -A full)" ] && pass || fail "full disk left $(ls -A full)"
  umount full
else
  echo "note: cannot mount a tmpfs here; full-disk case not run" >&2
fi

# pg_dump older than the server.
mkdir -p oldbin
printf '#!/bin/sh\necho "pg_dump (PostgreSQL) 14.2"\n' > oldbin/pg_dump && chmod +x oldbin/pg_dump
run mig-backup --backup-dir bko --pg-bin "$PWD/oldbin"
expect_rc 8 "version mismatch"
expect_json '.error.kind' version_mismatch

# The runbook: the backup id lands in the history rows of the batch.
migration 2_more "CREATE TABLE more (id bigint);"
mig-lint --rule missing-down=off | mig-backup --from - --backup-dir bkr | mig-apply --from - >pipe.out 2>/dev/null
OUT=$(tail -n 1 pipe.out)
expect_json '.ok' true
expect_json '[.upstream[].tool] | join(",")' mig-lint,mig-backup
backup_id=$(echo "$OUT" | jq -r '.upstream[1].data.backup.id')
expect_sql "SELECT backup_id FROM migration_history WHERE version = '2'" "$backup_id"
finish
