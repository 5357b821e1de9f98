#!/usr/bin/env bash
# mig-diff on an extension whose version differs: the migrations installed
# hstore 1.4, schema/ asks for the default one. The plan updates it with
# ALTER EXTENSION ... UPDATE TO (the extension's own update scripts); the down
# leaves it at the new version (extensions ship no downgrade scripts), and the
# proof compares the restored schema without extension versions.
source "$(dirname "$0")/lib.sh"

default_version=$(sql "SELECT default_version FROM pg_available_extensions WHERE name = 'hstore'")
[ -n "$default_version" ] && [ "$default_version" != "1.4" ] && pass || fail "hstore's default version is '$default_version'"

migration 20260101000000_tags "CREATE EXTENSION hstore VERSION '1.4';
CREATE TABLE items (id bigint PRIMARY KEY, tags hstore);
INSERT INTO items VALUES (1, 'a=>1');" up
migration 20260101000000_tags "DROP TABLE items; DROP EXTENSION hstore;" down
mkdir schema
cat >schema/items.sql <<'SQL'
CREATE EXTENSION hstore;
CREATE TABLE items (id bigint PRIMARY KEY, tags hstore);
SQL
run mig-apply --format json
expect_rc 0 "the migrations"
expect_sql "SELECT extversion FROM pg_extension WHERE extname = 'hstore'" "1.4"

# A version difference is a difference (it was invisible before).
run mig-diff --check --format json
expect_rc 1 "--check sees the version"
run mig-diff --format json
expect_rc 0 "plan"
expect_json '[.data.statements[].sql]' "[\"ALTER EXTENSION hstore UPDATE TO '$default_version'\"]"
expect_json '.data.down' "[]"
expect_json '.data.converged' "true"

run mig-diff --write hstore_update --format json
expect_rc 0 "--write"
# The round trip agrees with mig-diff's proof: a down restores the schema
# without downgrading the extension.
run mig-dryrun --scratch --format json
expect_rc 0 "round trip of the written migration"
run mig-apply --format json
expect_rc 0 "the update applied"
expect_sql "SELECT extversion FROM pg_extension WHERE extname = 'hstore'" "$default_version"
expect_sql "SELECT tags -> 'a' FROM items" "1"
run mig-diff --check --format json
expect_rc 0 "in step with schema/"
run mig-diff --against-db --check --format json
expect_rc 0 "the database too"

# The down of the written migration keeps the version (nothing to downgrade to).
run mig-apply --down --steps 1 --format json
expect_rc 0 "down"
expect_sql "SELECT extversion FROM pg_extension WHERE extname = 'hstore'" "$default_version"
expect_sql "SELECT count(*) FROM migration_history" "1"

# The live database's own version is what --against-db and --dump see.
sql "DROP TABLE items; DROP EXTENSION hstore; CREATE EXTENSION hstore VERSION '1.4';
     CREATE TABLE items (id bigint PRIMARY KEY, tags hstore)" >/dev/null
run mig-diff --against-db --format json
expect_rc 0 "against the database"
expect_json '[.data.statements[].sql]' "[\"ALTER EXTENSION hstore UPDATE TO '$default_version'\"]"
expect_json '.data.converged' "true"
run mig-diff --dump "$WORK/dump.sql" --format json
expect_rc 0 "--dump"
expect_contains "$(cat "$WORK/dump.sql")" "CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public VERSION '1.4'" "the dump keeps the version"
finish
