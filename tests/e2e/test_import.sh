#!/usr/bin/env bash
# mig-import: each format's folder converted, applied by mig to an empty database
# and compared with the same migrations applied by the original's semantics
# (psql, in its order); the tool's history carried over so mig-status --check
# has nothing pending; downs round-trip; refusals write nothing.
source "$(dirname "$0")/lib.sh"

USERS_UP="CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);"
USERS_DOWN="DROP TABLE users;"
INDEX_UP="CREATE INDEX CONCURRENTLY users_email ON users (email);"
INDEX_DOWN="DROP INDEX CONCURRENTLY users_email;"
ORDERS_UP="CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users, note text);
CREATE FUNCTION order_count(u bigint) RETURNS bigint LANGUAGE sql AS \$\$ SELECT count(*) FROM orders WHERE user_id = u; \$\$;"
ORDERS_DOWN="DROP FUNCTION order_count(bigint);
DROP TABLE orders;"

db() { echo "${PGDATABASE}_$1"; }
make_db() { psql -X -q -d postgres -c "CREATE DATABASE \"$(db "$1")\"" >/dev/null; }
drop_dbs() { for d in "$@"; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$(db "$d")\" WITH (FORCE)" >/dev/null; done; }
in_db() { psql -X -At -q -v ON_ERROR_STOP=1 -d "$(db "$1")" -c "$2"; }
# The original's semantics: each up in order through psql (its own transaction
# handling: psql runs what the file says, statement by statement).
apply_original() { local d=$1; shift; for s in "$@"; do printf '%s\n' "$s" | psql -X -q -v ON_ERROR_STOP=1 -d "$(db "$d")" >/dev/null || fail "original apply"; done; }
schema_of() {  # the user schema, without any tool's history
  pg_dump -s -x -O -d "$(db "$1")" --exclude-table='*migration*' --exclude-table='goose_db_version*' --exclude-table='flyway_schema_history' \
    --exclude-table='_*' --exclude-schema=drizzle --exclude-schema=sqitch | grep -v '^--' | grep -v '^SET\|^SELECT pg_catalog\|^\\restrict\|^\\unrestrict' | sed '/^$/d'
}

# prove FORMAT SOURCE_DIR APPLIED: import with the original's history, then compare.
prove() {
  local format=$1 src=$2 applied=$3
  rm -rf "mig_$format"
  run mig-import --from "$format" --source "$src" --dir "mig_$format" --dsn "dbname=$(db "o_$format")" --format json
  expect_rc 0 "$format: import"
  expect_json '.data.history.recorded | length' "$applied"
  expect_json '.data.history.pending | length' 0
  run mig-status --dir "mig_$format" --dsn "dbname=$(db "o_$format")" --check --format json
  expect_rc 0 "$format: mig-status --check after the import"
  make_db "f_$format"
  run mig-apply --dir "mig_$format" --dsn "dbname=$(db "f_$format")" --format json
  expect_rc 0 "$format: mig-apply on an empty database"
  if [ "$(schema_of "o_$format")" = "$(schema_of "f_$format")" ]; then pass; else
    fail "$format: schemas differ: $(diff <(schema_of "o_$format") <(schema_of "f_$format") | head -20)"
  fi
  # Running it again is safe: the same files are there, every row is recorded already.
  run mig-import --from "$format" --source "$src" --dir "mig_$format" --dsn "dbname=$(db "o_$format")" --format json
  expect_rc 0 "$format: the same import again"
  expect_json '[(.data.history.recorded | length), (.data.history.already | length), (.data.written | length)] | join(",")' "0,$applied,0"
}
round_trip_downs() {  # round_trip_downs FORMAT: down all, nothing of the user schema is left
  run mig-apply --dir "mig_$1" --dsn "dbname=$(db "f_$1")" --down --format json
  expect_rc 0 "$1: down"
  [ -z "$(schema_of "f_$1")" ] && pass || fail "$1: the downs left: $(schema_of "f_$1" | head -5)"
}

# --- golang-migrate: up/down pairs; a lone CIC runs outside a transaction; the
# one-row schema_migrations (version, dirty).
mkdir -p gm
printf '%s\n' "$USERS_UP" > gm/1_create_users.up.sql;  printf '%s\n' "$USERS_DOWN" > gm/1_create_users.down.sql
printf '%s\n' "$INDEX_UP" > gm/2_users_email.up.sql;   printf '%s\n' "$INDEX_DOWN" > gm/2_users_email.down.sql
printf 'BEGIN;\n%s\nCOMMIT;\n' "$ORDERS_UP" > gm/3_orders.up.sql; printf '%s\n' "$ORDERS_DOWN" > gm/3_orders.down.sql
make_db o_golang-migrate
apply_original o_golang-migrate "$USERS_UP" "$INDEX_UP" "$(cat gm/3_orders.up.sql)"
in_db o_golang-migrate "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (3, false)"
prove golang-migrate gm 3
expect_contains "$(head -3 mig_golang-migrate/2_users_email.up.sql)" "-- mig:no-transaction" "a lone CIC file"
expect_contains "$(head -3 mig_golang-migrate/3_orders.up.sql)" "-- mig:no-transaction" "a file with its own BEGIN/COMMIT"
expect_not_contains "$(cat mig_golang-migrate/1_create_users.up.sql)" "no-transaction" "a plain file"
round_trip_downs golang-migrate
echo "-- edited" >> mig_golang-migrate/1_create_users.up.sql
run mig-import --from golang-migrate --source gm --dir mig_golang-migrate --files-only --format json
expect_rc 3 "an edited converted file is not overwritten"
expect_json '.error.kind' import_target_exists
# A dirty version is refused before anything is written.
in_db o_golang-migrate "UPDATE schema_migrations SET dirty = true"
run mig-import --from golang-migrate --source gm --dir gm_dirty --dsn "dbname=$(db o_golang-migrate)" --format json
expect_rc 7 "golang-migrate: dirty"
expect_json '.error.kind' source_history_dirty
[ ! -e gm_dirty ] && pass || fail "a refused import wrote files"

# --- sqlx: .up/.down pairs and a bare .sql; "-- no-transaction".
mkdir -p sqlx
printf '%s\n' "$USERS_UP" > sqlx/20240101000001_create_users.up.sql; printf '%s\n' "$USERS_DOWN" > sqlx/20240101000001_create_users.down.sql
printf -- '-- no-transaction\n%s\n' "$INDEX_UP" > sqlx/20240101000002_users_email.up.sql; printf -- '-- no-transaction\n%s\n' "$INDEX_DOWN" > sqlx/20240101000002_users_email.down.sql
printf '%s\n' "$ORDERS_UP" > sqlx/20240101000003_orders.up.sql; printf '%s\n' "$ORDERS_DOWN" > sqlx/20240101000003_orders.down.sql
make_db o_sqlx
apply_original o_sqlx "BEGIN; $USERS_UP COMMIT;" "$INDEX_UP" "BEGIN; $ORDERS_UP COMMIT;"
in_db o_sqlx "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
  INSERT INTO _sqlx_migrations VALUES (20240101000001, 'create users', '2024-01-02 03:04:05+00', true, '\x00', 7000000), (20240101000002, 'users email', now(), true, '\x00', 1), (20240101000003, 'orders', now(), true, '\x00', 1)"
prove sqlx sqlx 3
in_db o_sqlx "SELECT applied_at = '2024-01-02 03:04:05+00' AND execution_ms = 7 AND applied_by LIKE '%(imported from sqlx)' FROM migration_history WHERE version = '20240101000001'" | grep -qx t && pass || fail "sqlx: applied time and duration carried over"
round_trip_downs sqlx

# --- dbmate: one file with -- migrate:up / -- migrate:down; transaction:false.
mkdir -p dbmate
printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$USERS_UP" "$USERS_DOWN" > dbmate/20240101000001_create_users.sql
printf -- '-- migrate:up transaction:false\n%s\n\n-- migrate:down transaction:false\n%s\n' "$INDEX_UP" "$INDEX_DOWN" > dbmate/20240101000002_users_email.sql
printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$ORDERS_UP" "$ORDERS_DOWN" > dbmate/20240101000003_orders.sql
make_db o_dbmate
apply_original o_dbmate "BEGIN; $USERS_UP COMMIT;" "$INDEX_UP"
in_db o_dbmate "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101000001'), ('20240101000002')"
rm -rf mig_dbmate
run mig-import --from dbmate --source dbmate --dir mig_dbmate --dsn "dbname=$(db o_dbmate)" --format json
expect_rc 0 "dbmate: import"
expect_json '[.data.history.recorded[], "|", .data.history.pending[]] | join(",")' "20240101000001,20240101000002,|,20240101000003"
run mig-status --dir mig_dbmate --dsn "dbname=$(db o_dbmate)" --check --format json
expect_rc 1 "dbmate: the one not applied is pending"
expect_json '[.data.pending[].version] | join(",")' 20240101000003
run mig-apply --dir mig_dbmate --dsn "dbname=$(db o_dbmate)" --format json
expect_rc 0 "dbmate: mig applies the rest"
expect_contains "$(cat mig_dbmate/20240101000002_users_email.down.sql)" "-- mig:no-transaction" "dbmate's down transaction:false"

# The history is recorded before the files are written (a run killed between
# them leaves versions mig-apply refuses, not files it would run again); when
# writing fails, the rows just recorded are taken back.
make_db o_dbmate_ro
apply_original o_dbmate_ro "BEGIN; $USERS_UP COMMIT;"
in_db o_dbmate_ro "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101000001')"
mkdir ro_out
if mount -t tmpfs -o ro,size=16k tmpfs ro_out 2>/dev/null; then
  run mig-import --from dbmate --source dbmate --dir ro_out --dsn "dbname=$(db o_dbmate_ro)" --format json
  umount ro_out
  expect_rc 3 "dbmate: an unwritable folder"
  expect_json '.error.kind' unwritable
  [ "$(in_db o_dbmate_ro "SELECT count(*) FROM migration_history")" = 0 ] && pass || fail "rows recorded for files never written"
  run mig-import --from dbmate --source dbmate --dir ro_out --dsn "dbname=$(db o_dbmate_ro)" --format json
  expect_rc 0 "dbmate: the same import into the folder once writable"
  [ "$(in_db o_dbmate_ro "SELECT string_agg(version, ',') FROM migration_history")" = 20240101000001 ] && pass || fail "history after the retry"
else
  echo "note: cannot mount a tmpfs here; the unwritable-folder import case not run" >&2
fi
# kill -9 while the import waits for the migration lock (another mig holds it):
# nothing is written yet, so no file is left for mig-apply to run again.
make_db o_dbmate_kill
apply_original o_dbmate_kill "BEGIN; $USERS_UP COMMIT;"
in_db o_dbmate_kill "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101000001')"
k2=$(printf 'public\0migration_history' | sha256sum | cut -c1-8)
k2=$((16#$k2)); [ $k2 -lt 2147483648 ] || k2=$((k2 - 4294967296))
PGAPPNAME=import-lock-holder psql -X -q -d "$(db o_dbmate_kill)" -c "SELECT pg_advisory_lock(1296649009, $k2)" -c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
holder=$!
advisory_locks() {  # advisory_locks GRANTED: how many in o_dbmate_kill
  in_db o_dbmate_kill "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
}
for _ in $(seq 1 100); do [ "$(advisory_locks true)" -ge 1 ] && break; sleep 0.05; done
mig-import --from dbmate --source dbmate --dir killed_out --dsn "dbname=$(db o_dbmate_kill)" --lock-wait 60s --format json >/dev/null 2>&1 &
importer=$!
# MigrationLock polls pg_try_advisory_lock: the importer waits connected, alive.
for _ in $(seq 1 100); do
  [ "$(in_db o_dbmate_kill "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'mig-import%'")" -ge 1 ] && break
  sleep 0.05
done
sleep 0.5
kill -0 "$importer" 2>/dev/null && [ "$(advisory_locks true)" = 1 ] && pass || fail "mig-import did not wait for the held lock"
kill -9 "$importer"; wait "$importer" 2>/dev/null
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
[ -z "$(ls -A killed_out 2>/dev/null)" ] && pass || fail "a killed import left files without history: $(ls killed_out)"
run mig-import --from dbmate --source dbmate --dir killed_out --dsn "dbname=$(db o_dbmate_kill)" --format json
expect_rc 0 "dbmate: the import run again after the kill"
run mig-status --dir killed_out --dsn "dbname=$(db o_dbmate_kill)" --format json
expect_json '[.data.pending[].version] | join(",")' "20240101000002,20240101000003"

# --- goose: annotations, StatementBegin/End around a function, NO TRANSACTION.
mkdir -p goose
printf -- '-- +goose Up\n%s\n\n-- +goose Down\n%s\n' "$USERS_UP" "$USERS_DOWN" > goose/00001_create_users.sql
printf -- '-- +goose NO TRANSACTION\n-- +goose Up\n%s\n-- +goose Down\n%s\n' "$INDEX_UP" "$INDEX_DOWN" > goose/00002_users_email.sql
printf -- '-- +goose Up\nCREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users, note text);\n-- +goose StatementBegin\nCREATE FUNCTION order_count(u bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM orders WHERE user_id = u; $$;\n-- +goose StatementEnd\n\n-- +goose Down\n%s\n' "$ORDERS_DOWN" > goose/00003_orders.sql
make_db o_goose
apply_original o_goose "BEGIN; $USERS_UP COMMIT;" "$INDEX_UP" "BEGIN; $ORDERS_UP COMMIT;"
in_db o_goose "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now());
  INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (3, true), (4, true), (4, false)"
prove goose goose 3
round_trip_downs goose
printf 'package migrations\n' > goose/00004_backfill.go
run mig-import --from goose --source goose --dir goose_go --files-only --format json
expect_rc 3 "goose: a Go migration"
expect_json '.error.file' goose/00004_backfill.go
rm goose/00004_backfill.go

# --- Flyway: V/U prefixes, ${placeholders}, an unknown placeholder refused.
mkdir -p flyway
printf '%s\n' "$USERS_UP" > flyway/V1__create_users.sql; printf '%s\n' "$USERS_DOWN" > flyway/U1__create_users.sql
printf '%s\n' "$INDEX_UP" > flyway/V2__users_email.sql
printf 'CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users, note text DEFAULT ${default_note});\n' > flyway/V3__orders.sql
make_db o_flyway
apply_original o_flyway "$USERS_UP" "$INDEX_UP" "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users, note text DEFAULT 'none');"
in_db o_flyway "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time int NOT NULL, success boolean NOT NULL);
  INSERT INTO flyway_schema_history VALUES (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 0, 'app', now(), 12, true), (2, '2', 'users email', 'SQL', 'V2__users_email.sql', 0, 'app', now(), 3, true), (3, '3', 'orders', 'SQL', 'V3__orders.sql', 0, 'app', now(), 4, true)"
run mig-import --from flyway --source flyway --dir fw_refused --files-only --format json
expect_rc 3 "flyway: a placeholder without a value"
expect_json '.error.line' 1
[ ! -e fw_refused ] && pass || fail "flyway: a refused import wrote files"
run mig-import --from flyway --source flyway --dir fw_bad --placeholder nope --files-only --format json
expect_rc 2 "flyway: --placeholder without ="
rm -rf mig_flyway
run mig-import --from flyway --source flyway --dir mig_flyway --placeholder "default_note='none'" --dsn "dbname=$(db o_flyway)" --format json
expect_rc 0 "flyway: import"
run mig-status --dir mig_flyway --dsn "dbname=$(db o_flyway)" --check --format json
expect_rc 0 "flyway: nothing pending"
make_db f_flyway
run mig-apply --dir mig_flyway --dsn "dbname=$(db f_flyway)" --format json
expect_rc 0 "flyway: apply"
[ "$(schema_of o_flyway)" = "$(schema_of f_flyway)" ] && pass || fail "flyway: schemas differ: $(diff <(schema_of o_flyway) <(schema_of f_flyway) | head)"
in_db o_flyway "UPDATE flyway_schema_history SET success = false WHERE version = '3'"
run mig-import --from flyway --source flyway --dir fw_failed --placeholder "default_note='none'" --dsn "dbname=$(db o_flyway)" --format json
expect_rc 7 "flyway: a failed row"
expect_contains "$OUT" "flyway repair" "the repair hint"

# --- Flyway repeatables: R__ files become <name>.repeatable.sql; the history's
# last run of each is carried over, and one Flyway ran with another text (its
# CRC32 differs from the file's now) is due again, as Flyway would run it.
mkdir -p flyway_r
printf '%s\n' "$USERS_UP" > flyway_r/V1__create_users.sql
printf 'CREATE OR REPLACE VIEW user_emails AS\r\nSELECT id, email FROM users;\r\n' > flyway_r/R__user_emails.sql  # CRLF: Flyway's checksum ignores line ends
printf '%s\n' "CREATE OR REPLACE FUNCTION user_total() RETURNS bigint LANGUAGE sql AS \$\$ SELECT count(*) FROM users \$\$;" > flyway_r/R__user_total.sql
flyway_crc() { python3 -c 'import sys, zlib; t = open(sys.argv[1], "rb").read().decode("utf-8-sig"); c = zlib.crc32("".join(t.splitlines()).encode()); print(c - (1 << 32) if c >= 1 << 31 else c)' "$1"; }
make_db o_flyway_r
apply_original o_flyway_r "$USERS_UP" "$(cat flyway_r/R__user_emails.sql)" "CREATE FUNCTION user_total() RETURNS bigint LANGUAGE sql AS \$\$ SELECT 0::bigint \$\$;"
in_db o_flyway_r "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time int NOT NULL, success boolean NOT NULL);
  INSERT INTO flyway_schema_history VALUES (0, '0', '<< Flyway Schema Creation >>', 'SCHEMA', '\"public\"', NULL, 'app', now(), 0, true),
  (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 0, 'app', now(), 12, true),
  (2, NULL, 'user emails', 'SQL', 'R__user_emails.sql', $(flyway_crc flyway_r/R__user_emails.sql), 'app', now(), 3, true),
  (3, NULL, 'user total', 'SQL', 'R__user_total.sql', 12345, 'app', now(), 3, true)"
run mig-import --from flyway --source flyway_r --dir mig_flyway_r --dsn "dbname=$(db o_flyway_r)" --format json
expect_rc 0 "flyway repeatables: import"
expect_json '[.data.migrations[] | .version + ":" + ((.repeatable // false)|tostring)] | join(",")' "1:false,repeatable:user_emails:true,repeatable:user_total:true"
expect_json '.data.history.recorded | join(",")' "1,repeatable:user_emails,repeatable:user_total"
expect_json '.data.history.stale | join(",")' "repeatable:user_total"
[ -f mig_flyway_r/user_emails.repeatable.sql ] && [ -f mig_flyway_r/user_total.repeatable.sql ] && pass || fail "flyway: repeatable files not written: $(ls mig_flyway_r)"
run mig-status --dir mig_flyway_r --dsn "dbname=$(db o_flyway_r)" --check --format json
expect_rc 1 "flyway repeatables: the stale one is due"
expect_json '[.data.repeatable[] | .name + ":" + .state] | join(",")' "user_emails:unchanged,user_total:changed"
run mig-apply --dir mig_flyway_r --dsn "dbname=$(db o_flyway_r)" --format json
expect_rc 0 "flyway repeatables: apply the stale one"
expect_json '[.data.applied[].version] | join(",")' "repeatable:user_total"
in_db o_flyway_r "INSERT INTO users (email) VALUES ('a@example.com')"
[ "$(in_db o_flyway_r 'SELECT user_total()')" = 1 ] && pass || fail "flyway: the stale repeatable did not run again"
run mig-status --dir mig_flyway_r --dsn "dbname=$(db o_flyway_r)" --check --format json
expect_rc 0 "flyway repeatables: ready"
make_db f_flyway_r
run mig-apply --dir mig_flyway_r --dsn "dbname=$(db f_flyway_r)" --format json
expect_rc 0 "flyway repeatables: a fresh database"
[ "$(schema_of o_flyway_r)" = "$(schema_of f_flyway_r)" ] && pass || fail "flyway repeatables: schemas differ: $(diff <(schema_of o_flyway_r) <(schema_of f_flyway_r) | head)"
printf 'SELECT 1;\n' > flyway_r/R1__versioned_repeatable.sql
run mig-import --from flyway --source flyway_r --dir fw_r_bad --files-only --format json
expect_rc 3 "flyway: a repeatable with a version"
rm flyway_r/R1__versioned_repeatable.sql

# --- Diesel: folders with up.sql/down.sql, metadata.toml run_in_transaction = false.
diesel_migration() { mkdir -p "diesel/$1"; printf '%s\n' "$2" > "diesel/$1/up.sql"; printf '%s\n' "$3" > "diesel/$1/down.sql"; }
diesel_migration 2024-01-01-000001_create_users "$USERS_UP" "$USERS_DOWN"
diesel_migration 2024-01-01-000002_users_email "$INDEX_UP" "$INDEX_DOWN"
diesel_migration 2024-01-01-000003_orders "$ORDERS_UP" "$ORDERS_DOWN"
printf 'run_in_transaction = false\n' > diesel/2024-01-01-000002_users_email/metadata.toml
make_db o_diesel
apply_original o_diesel "BEGIN; $USERS_UP COMMIT;" "$INDEX_UP" "BEGIN; $ORDERS_UP COMMIT;"
in_db o_diesel "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
  INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000001'), ('20240101000002'), ('20240101000003')"
prove diesel diesel 3
round_trip_downs diesel

# --- Prisma: <timestamp>_<name>/migration.sql; a rolled-back row is not applied, a failed one refused.
mkdir -p prisma/20240101000001_create_users prisma/20240101000003_orders
printf '%s\n' "$USERS_UP" > prisma/20240101000001_create_users/migration.sql
printf '%s\n' "$ORDERS_UP" > prisma/20240101000003_orders/migration.sql
printf 'provider = "postgresql"\n' > prisma/migration_lock.toml
make_db o_prisma
apply_original o_prisma "$USERS_UP" "$ORDERS_UP"
in_db o_prisma "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0);
  INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at) VALUES ('a', 'x', now(), '20240101000001_create_users', now() - interval '1 second'), ('b', 'x', now(), '20240101000003_orders', now())"
prove prisma prisma 2
in_db o_prisma "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('c', 'x', NULL, '20240101000003_orders')"
run mig-import --from prisma --source prisma --dir pr_failed --dsn "dbname=$(db o_prisma)" --format json
expect_rc 7 "prisma: an unfinished row"
expect_contains "$OUT" "prisma migrate resolve" "the repair hint"

# --- Drizzle Kit: the journal, statement breakpoints, drizzle.__drizzle_migrations.
mkdir -p drizzle/meta
printf 'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);\n--> statement-breakpoint\nCREATE INDEX users_email ON users (email);\n' > drizzle/0000_init.sql
printf '%s\n' "$ORDERS_UP" > drizzle/0001_orders.sql
printf '{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":1704067200000,"tag":"0000_init","breakpoints":true},{"idx":1,"version":"7","when":1704153600000,"tag":"0001_orders","breakpoints":true}]}' > drizzle/meta/_journal.json
make_db o_drizzle
apply_original o_drizzle "BEGIN; $(cat drizzle/0000_init.sql) $ORDERS_UP COMMIT;"
in_db o_drizzle "CREATE SCHEMA drizzle; CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
  INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('h0', 1704067200000), ('h1', 1704153600000)"
prove drizzle drizzle 2

# --- Sqitch: the plan, deploy/revert/verify with their own BEGIN/COMMIT.
mkdir -p sqitch/deploy sqitch/revert sqitch/verify
printf '%%syntax-version=1.0.0\n%%project=shop\n\nusers 2024-01-01T00:00:01Z Ann <ann@example.com> # users\n@v1.0 2024-01-01T00:00:02Z Ann <ann@example.com> # tag\norders [users] 2024-01-01T00:00:03Z Ann <ann@example.com> # orders\n' > sqitch/sqitch.plan
printf 'BEGIN;\n%s\nCOMMIT;\n' "$USERS_UP" > sqitch/deploy/users.sql; printf 'BEGIN;\n%s\nCOMMIT;\n' "$USERS_DOWN" > sqitch/revert/users.sql
printf 'BEGIN;\nSELECT id, email FROM users WHERE false;\nROLLBACK;\n' > sqitch/verify/users.sql
printf 'BEGIN;\n%s\nCOMMIT;\n' "$ORDERS_UP" > sqitch/deploy/orders.sql; printf 'BEGIN;\n%s\nCOMMIT;\n' "$ORDERS_DOWN" > sqitch/revert/orders.sql
make_db o_sqitch
apply_original o_sqitch "$(cat sqitch/deploy/users.sql)" "$(cat sqitch/deploy/orders.sql)"
in_db o_sqitch "CREATE SCHEMA sqitch; CREATE TABLE sqitch.changes (change_id text PRIMARY KEY, change text NOT NULL, project text NOT NULL, committed_at timestamptz NOT NULL DEFAULT clock_timestamp());
  INSERT INTO sqitch.changes (change_id, change, project) VALUES ('1', 'users', 'shop'), ('2', 'orders', 'shop')"
prove sqitch sqitch 2
expect_not_contains "$(cat mig_sqitch/20240101000001_users.verify.sql)" "ROLLBACK" "the verify script's own brackets"
run mig-start-prod --dir mig_sqitch --dsn "dbname=$(db f_sqitch)" --no-backup --format json -- true
expect_rc 0 "sqitch: the converted verify script passes"
round_trip_downs sqitch

# --- Knex and Umzug: JavaScript migrations; one baseline of the live schema
# (their tables as Knex and Sequelize create them), recorded applied.
KNEX_APP="CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL, created_at timestamptz DEFAULT now());
  CREATE UNIQUE INDEX accounts_email ON accounts (lower(email)); CREATE VIEW recent_accounts AS SELECT id, email FROM accounts WHERE created_at > now() - interval '1 day';"
make_db o_knex
in_db o_knex "$KNEX_APP
  CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);
  CREATE TABLE knex_migrations_lock (index serial PRIMARY KEY, is_locked integer); INSERT INTO knex_migrations_lock (is_locked) VALUES (0);
  INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20240101000001_accounts.js', 1, now()), ('20240201000002_accounts_email.js', 2, now())"
run mig-import --from knex --dir mig_knex --files-only --format json
expect_rc 2 "knex without a database"
in_db o_knex "UPDATE knex_migrations_lock SET is_locked = 1"
run mig-import --from knex --dir mig_knex --dsn "dbname=$(db o_knex)" --format json
expect_rc 7 "knex: its lock is held"
[ ! -e mig_knex ] && pass || fail "knex: a refused import wrote files"
in_db o_knex "UPDATE knex_migrations_lock SET is_locked = 0"
run mig-import --from knex --dir mig_knex --dsn "dbname=$(db o_knex)" --format json
expect_rc 0 "knex: baseline"
expect_json '.data.history.recorded | join(",")' 20240201000002
expect_json '.data.history.stands_for | join(",")' "20240101000001_accounts.js,20240201000002_accounts_email.js"
expect_not_contains "$(cat mig_knex/20240201000002_baseline_from_knex.up.sql)" "knex_migrations" "the baseline"
run mig-status --dir mig_knex --dsn "dbname=$(db o_knex)" --check --format json
expect_rc 0 "knex: nothing pending after the baseline"
make_db f_knex
run mig-apply --dir mig_knex --dsn "dbname=$(db f_knex)" --format json
expect_rc 0 "knex: the baseline builds an empty database"
[ "$(schema_of o_knex | grep -v knex_migrations)" = "$(schema_of f_knex)" ] && pass || fail "knex: schemas differ: $(diff <(schema_of o_knex) <(schema_of f_knex) | head)"
run mig-import --from knex --dir mig_knex2 --dsn "dbname=$(db o_knex)" --format json
expect_rc 7 "knex: a second baseline over mig's history"
[ ! -e mig_knex2 ] && pass || fail "knex: the refused second baseline left its file"
make_db o_umzug
in_db o_umzug "$KNEX_APP CREATE TABLE \"SequelizeMeta\" (name varchar(255) PRIMARY KEY); INSERT INTO \"SequelizeMeta\" VALUES ('20240101000001-accounts.js'), ('20240301000003-view.js')"
run mig-import --from umzug --dir mig_umzug --dsn "dbname=$(db o_umzug)" --format json
expect_rc 0 "umzug: baseline"
expect_json '.data.history.recorded | join(",")' 20240301000003
expect_not_contains "$(cat mig_umzug/*.up.sql)" "SequelizeMeta" "the baseline"

# --- Refusals before anything is read or connected.
run mig-import --source gm --files-only
expect_rc 2 "no --from"
run mig-import --from knex --source gm --files-only
expect_rc 2 "an unknown format"
run mig-import --from golang-migrate --source no-such-folder --files-only --format json
expect_rc 3 "a missing source folder"
run mig-import --from golang-migrate --source gm --history --files-only
expect_rc 2 "--history with --files-only"
# A file it cannot convert: nothing written.
mkdir -p bad && cp gm/* bad/ && printf 'SELECT 1;\n' > bad/notes.sql
run mig-import --from golang-migrate --source bad --dir bad_out --files-only --format json
expect_rc 3 "golang-migrate: a stray .sql"
expect_json '.error.file' bad/notes.sql
[ ! -e bad_out ] && pass || fail "a refused import wrote files"

drop_dbs o_dbmate_ro o_dbmate_kill o_knex f_knex o_umzug o_golang-migrate f_golang-migrate o_sqlx f_sqlx o_dbmate o_goose f_goose o_flyway f_flyway o_flyway_r f_flyway_r o_diesel f_diesel o_prisma f_prisma o_drizzle f_drizzle o_sqitch f_sqitch
finish
