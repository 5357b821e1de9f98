#!/usr/bin/env bash
# mig-import against the real JavaScript tools: Knex's own migration test set
# run by the Knex CLI, and sequelize-cli migrations (the Sequelize express
# example's blog) run by Umzug with SequelizeStorage. Each leaves its history
# table as the tool writes it; mig-import baselines the live schema from it;
# mig-status --check is green; the baseline builds an equal schema on an empty
# database; the tool's own table is untouched and the tool still finds nothing
# to do; a new mig migration then applies over the baseline.
# The tools come from tests/js (package-lock.json), installed by
# scripts/install-js-tools.sh, which scripts/test.sh runs.
source "$(dirname "$0")/lib.sh"
JS="$MIG_SOURCE/tests/js"
SETS="$MIG_SOURCE/tests/import"
if [ ! -x "$JS/node_modules/.bin/knex" ] || ! command -v node >/dev/null; then
  fail "Knex and Umzug are not installed in $JS (scripts/install-js-tools.sh installs them)"
  finish
fi

db() { echo "${PGDATABASE}_$1"; }
make_db() { psql -X -q -d postgres -c "CREATE DATABASE \"$(db "$1")\"" >/dev/null; }
in_db() { psql -X -At -q -v ON_ERROR_STOP=1 -d "$(db "$1")" -c "$2"; }
schema_of() {  # the user schema, without either tool's tables or mig's history
  pg_dump -s -x -O -d "$(db "$1")" --exclude-table='migration_history' --exclude-table='knex_migrations*' \
    --exclude-table='"SequelizeMeta"' | grep -v '^--\|^SET\|^SELECT pg_catalog\|^\\restrict\|^\\unrestrict' | sed '/^$/d'
}
trap 'cleanup; for d in o_knex f_knex o_umzug f_umzug; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$(db $d)\" WITH (FORCE)" >/dev/null 2>&1; done' EXIT
knex() { (cd "$JS" && node_modules/.bin/knex "$@" --client pg --migrations-directory "$SETS/knex/migrations" \
  --connection "postgresql:///$(db o_knex)?host=$PGHOST&port=$PGPORT&user=${PGUSER:-postgres}") >"$WORK/knex.log" 2>&1; }

# --- Knex: the CLI runs its own test set (batch 1, one file without a transaction).
make_db o_knex
knex migrate:latest || fail "knex migrate:latest: $(cat "$WORK/knex.log")"
expect_contains "$(cat "$WORK/knex.log")" "Batch 1 run: 2 migrations" "knex's own output"
history_before=$(in_db o_knex "SELECT string_agg(name || '/' || batch, ',' ORDER BY id) FROM knex_migrations")
run mig-import --from knex --dir mig_knex --dsn "dbname=$(db o_knex)" --format json
expect_rc 0 "knex: baseline"
expect_json '.data.history.recorded | join(",")' "20131019235306"
expect_json '.data.history.stands_for | join(",")' "20131019235242_migration_1.js,20131019235306_migration_2.js"
[ -f mig_knex/20131019235306_baseline_from_knex.up.sql ] && pass || fail "knex: no baseline file: $(ls mig_knex)"
run mig-status --dir mig_knex --dsn "dbname=$(db o_knex)" --check --format json
expect_rc 0 "knex: nothing pending after the baseline"
make_db f_knex
run mig-apply --dir mig_knex --dsn "dbname=$(db f_knex)" --format json
expect_rc 0 "knex: the baseline builds an empty database"
o=$(schema_of o_knex); f=$(schema_of f_knex)
[ -n "$o" ] && [ "$o" = "$f" ] && pass || fail "knex: schemas differ: $(diff <(echo "$o") <(echo "$f") | head -20)"
expect_contains "$o" "migration_test_2_1" "the schema Knex built"
[ "$(in_db o_knex "SELECT string_agg(name || '/' || batch, ',' ORDER BY id) FROM knex_migrations")" = "$history_before" ] && pass || fail "knex: its history changed"
knex migrate:latest || fail "knex after the import: $(cat "$WORK/knex.log")"
expect_contains "$(cat "$WORK/knex.log")" "Already up to date" "knex still finds nothing to do"
# From here on mig: a new migration over the baseline.
printf 'ALTER TABLE migration_test_2 ADD COLUMN note text;\n' > mig_knex/20260101000000_note.up.sql
run mig-apply --dir mig_knex --dsn "dbname=$(db o_knex)" --format json
expect_rc 0 "knex: a mig migration after the baseline"
expect_json '[.data.applied[].version] | join(",")' "20260101000000"

# --- Umzug (sequelize-cli migrations, SequelizeMeta storage).
make_db o_umzug
(cd "$JS" && PGDATABASE=$(db o_umzug) node umzug-up.js "$SETS/umzug/migrations") >"$WORK/umzug.log" 2>&1 || fail "umzug: $(cat "$WORK/umzug.log")"
expect_contains "$(cat "$WORK/umzug.log")" "5 migration(s) applied" "umzug's run"
meta_before=$(in_db o_umzug "SELECT string_agg(name, ',' ORDER BY name) FROM \"SequelizeMeta\"")
run mig-import --from umzug --dir mig_umzug --dsn "dbname=$(db o_umzug)" --format json
expect_rc 0 "umzug: baseline"
expect_json '.data.history.recorded | join(",")' "20200908215121"
expect_json '.data.history.stands_for | length' "5"
run mig-status --dir mig_umzug --dsn "dbname=$(db o_umzug)" --check --format json
expect_rc 0 "umzug: nothing pending after the baseline"
make_db f_umzug
run mig-apply --dir mig_umzug --dsn "dbname=$(db f_umzug)" --format json
expect_rc 0 "umzug: the baseline builds an empty database"
o=$(schema_of o_umzug); f=$(schema_of f_umzug)
[ -n "$o" ] && [ "$o" = "$f" ] && pass || fail "umzug: schemas differ: $(diff <(echo "$o") <(echo "$f") | head -20)"
expect_contains "$o" '"Users"' "the schema Umzug built"
[ "$(in_db o_umzug "SELECT string_agg(name, ',' ORDER BY name) FROM \"SequelizeMeta\"")" = "$meta_before" ] && pass || fail "umzug: SequelizeMeta changed"
(cd "$JS" && PGDATABASE=$(db o_umzug) node umzug-up.js "$SETS/umzug/migrations") >"$WORK/umzug.log" 2>&1 || fail "umzug after the import: $(cat "$WORK/umzug.log")"
expect_contains "$(cat "$WORK/umzug.log")" "0 migration(s) applied" "umzug still finds nothing to do"

finish
