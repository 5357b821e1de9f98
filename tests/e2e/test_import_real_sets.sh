#!/usr/bin/env bash
# mig-import on real public migration sets (tests/import/<format>, each with its
# licence and SOURCE): applied to one empty database by the original's semantics
# (Sqitch itself; for the others psql in the tool's order, each file or up
# section as the tool sends it) with the tool's own history rows, imported with
# that history, then: mig-status --check has nothing pending, mig-apply of the
# converted files on another empty database gives the same schema, and where the
# original has downs, reverting everything leaves nothing of it.
source "$(dirname "$0")/lib.sh"
SETS="$(cd "$(dirname "$0")/../import" && pwd)"

db() { echo "${PGDATABASE}_$1"; }
make_db() { psql -X -q -d postgres -c "CREATE DATABASE \"$(db "$1")\"" >/dev/null; }
in_db() { psql -X -At -q -v ON_ERROR_STOP=1 -d "$(db "$1")" -c "$2"; }
psql_file() { psql -X -q -v ON_ERROR_STOP=1 -d "$(db "$1")" -f "$2" >/dev/null || fail "original: psql -f $2"; }
psql_text() { printf '%s\n' "$2" | psql -X -q -v ON_ERROR_STOP=1 -d "$(db "$1")" >/dev/null || fail "original: $3"; }
schema_of() {  # the user schema: every tool's history left out
  pg_dump -s -x -O -d "$(db "$1")" --exclude-table='migration_history' --exclude-table='schema_migrations' \
    --exclude-table='goose_db_version*' --exclude-table='_sqlx_migrations' --exclude-table='__diesel_schema_migrations' \
    --exclude-table='_prisma_migrations' --exclude-table='*.flyway_schema_history' --exclude-schema=drizzle --exclude-schema=sqitch \
    | grep -v '^--\|^SET\|^SELECT pg_catalog\|^\\restrict\|^\\unrestrict' | sed '/^$/d'
}
# The up section of a file with markers (goose: "-- +goose Up", any case; dbmate: "-- migrate:up").
section() { awk -v up="$2" -v down="$3" -v skip="$4" 'tolower($0) ~ up {on=1; next} tolower($0) ~ down {on=0} on && !(tolower($0) ~ skip)' "$1"; }

# prove FORMAT ORIGINAL_DB APPLIED [DOWNS]
prove() {
  local format=$1 applied=$2 downs=${3:-}
  run mig-import --from "$format" --source "$SETS/$format/migrations" --dir "mig_$format" --dsn "dbname=$(db "o_$format")${DSN_EXTRA:-}" --format json
  expect_rc 0 "$format: import"
  expect_json '.data.history.recorded | length' "$applied"
  expect_json '.data.history.pending | length' 0
  run mig-status --dir "mig_$format" --dsn "dbname=$(db "o_$format")${DSN_EXTRA:-}" --check --format json
  expect_rc 0 "$format: mig-status --check after the import"
  run mig-lint "mig_$format" --format json
  [ "$RC" -le 1 ] && pass || fail "$format: mig-lint could not read the converted files: $OUT"
  make_db "f_$format"
  [ -z "${F_SETUP:-}" ] || in_db "f_$format" "$F_SETUP"
  run mig-apply --dir "mig_$format" --dsn "dbname=$(db "f_$format")${DSN_EXTRA:-}" --format json
  expect_rc 0 "$format: mig-apply of the converted files on an empty database"
  local o f
  o=$(schema_of "o_$format"); f=$(schema_of "f_$format")
  [ -n "$o" ] && [ "$o" = "$f" ] && pass || fail "$format: schemas differ: $(diff <(echo "$o") <(echo "$f") | head -20)"
  if [ -n "$downs" ]; then
    run mig-apply --dir "mig_$format" --dsn "dbname=$(db "f_$format")${DSN_EXTRA:-}" --down --format json
    expect_rc 0 "$format: every down"
    [ -z "$(schema_of "f_$format")" ] && pass || fail "$format: the downs left: $(schema_of "f_$format" | head -5)"
  fi
  psql -X -q -d postgres -c "DROP DATABASE \"$(db "o_$format")\" WITH (FORCE)" -c "DROP DATABASE \"$(db "f_$format")\" WITH (FORCE)" >/dev/null
}

# golang-migrate (its postgres examples): each up file, whole, in version order;
# schema_migrations holds the newest version and the dirty flag.
make_db o_golang-migrate
for f in "$SETS"/golang-migrate/migrations/*.up.sql; do psql_file o_golang-migrate "$f"; done
in_db o_golang-migrate "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (1885849751, false)"
prove golang-migrate 9 downs

# goose (its PostgreSQL integration set: StatementBegin/End, NO TRANSACTION, an
# empty migration, annotations in lower case): each up section in order.
make_db o_goose
for f in "$SETS"/goose/migrations/*.sql; do
  psql_text o_goose "$(section "$f" '^-- \+goose up' '^-- \+goose down' '^-- \+goose ')" "goose $f"
done
in_db o_goose "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now());
  INSERT INTO goose_db_version (version_id, is_applied) SELECT v, true FROM generate_series(0, 6) v"
prove goose 6 downs

# dbmate (its test migrations): each migrate:up section; schema_migrations lists versions.
make_db o_dbmate
for f in "$SETS"/dbmate/migrations/*.sql; do
  psql_text o_dbmate "BEGIN; $(section "$f" '^-- migrate:up' '^-- migrate:down' '^$') COMMIT;" "dbmate $f"
done
in_db o_dbmate "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20151129054053'), ('20200227231541')"
prove dbmate 2 downs

# sqlx (axum-social-with-tests): each file in a transaction; _sqlx_migrations.
make_db o_sqlx
for f in "$SETS"/sqlx/migrations/*.sql; do psql_text o_sqlx "BEGIN; $(cat "$f") COMMIT;" "sqlx $f"; done
in_db o_sqlx "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
  INSERT INTO _sqlx_migrations VALUES (1, 'user', now(), true, '', 1000000), (2, 'post', now(), true, '', 1000000), (3, 'comment', now(), true, '', 1000000)"
prove sqlx 3

# Diesel (advanced-blog-cli, with its initial setup of helper functions): each up.sql in a transaction.
make_db o_diesel
for d in "$SETS"/diesel/migrations/*/; do psql_text o_diesel "BEGIN; $(cat "$d/up.sql") COMMIT;" "diesel $d"; done
in_db o_diesel "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
  INSERT INTO __diesel_schema_migrations (version) VALUES ('00000000000000'), ('20171220144812'), ('20171220163829'), ('20171220164453'), ('20171220171042'), ('20171220183155')"
prove diesel 6 downs

# Prisma (the Heroku example): migration.sql; _prisma_migrations.
make_db o_prisma
for d in "$SETS"/prisma/migrations/*/; do psql_file o_prisma "$d/migration.sql"; done
in_db o_prisma "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0);
  INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('1', 'x', now(), '20210310152103_init', 1)"
prove prisma 1

# Drizzle Kit (drizzle-orm's pg integration set, a journal with dialect "pg"):
# every migration in one transaction, in journal order; drizzle.__drizzle_migrations.
make_db o_drizzle
psql_text o_drizzle "BEGIN; $(cat "$SETS"/drizzle/migrations/0000_puzzling_flatman.sql); $(cat "$SETS"/drizzle/migrations/0001_test.sql); COMMIT;" "drizzle"
in_db o_drizzle "CREATE SCHEMA drizzle; CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
  INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('a', 1680271923328), ('b', 1680271923329)"
prove drizzle 2

# Flyway (Netflix Conductor's PostgreSQL persistence): Flyway, configured with
# schemas=conductor, creates that schema (its "Schema Creation" row) and runs
# each V file whole, in version order, with search_path conductor; its
# flyway_schema_history lives there. The empty database mig-apply starts from
# gets the same schema first: Flyway makes it, not a migration.
make_db o_flyway
in_db o_flyway "CREATE SCHEMA conductor"
for f in "$SETS"/flyway/migrations/V*.sql; do
  PGOPTIONS="-c search_path=conductor -c client_min_messages=warning" psql_file o_flyway "$f"
done
in_db o_flyway "CREATE TABLE conductor.flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time int NOT NULL, success boolean NOT NULL);
  INSERT INTO conductor.flyway_schema_history VALUES (0, NULL, '<< Flyway Schema Creation >>', 'SCHEMA', '\"conductor\"', NULL, 'app', now(), 0, true);
  INSERT INTO conductor.flyway_schema_history SELECT n, n::text, 'm' || n, 'SQL', 'V' || n || '__m.sql', 0, 'app', now(), 5, true FROM generate_series(1, 6) n"
DSN_EXTRA=" options='-c search_path=conductor'" F_SETUP="CREATE SCHEMA conductor" prove flyway 6

# Sqitch (sqitch-intro: tags, reworked changes, verify scripts), deployed by Sqitch itself.
if command -v sqitch >/dev/null; then
  make_db o_sqitch
  cp -r "$SETS/sqitch/migrations" sqitch_project
  (cd sqitch_project && sqitch deploy --verify "db:pg:///$(db o_sqitch)?host=$PGHOST&port=$PGPORT" >"$WORK/sqitch.log" 2>&1) \
    || fail "sqitch deploy: $(tail -5 "$WORK/sqitch.log")"
  prove sqitch 13 downs
  # The converted verify scripts pass where Sqitch's did (mig-start-prod runs them).
  make_db v_sqitch
  run mig-start-prod --dir mig_sqitch --dsn "dbname=$(db v_sqitch)" --no-backup --format json -- true
  expect_rc 0 "sqitch: converted verify scripts pass after a fresh deploy"
  psql -X -q -d postgres -c "DROP DATABASE \"$(db v_sqitch)\" WITH (FORCE)" >/dev/null
else
  fail "sqitch is not installed (scripts/install-deps.sh installs it)"
fi
finish
