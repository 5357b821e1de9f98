#!/usr/bin/env bash
# mig-new makes a UTC-versioned up/down pair and refuses bad names.
source "$(dirname "$0")/lib.sh"

run mig-new add_orders
expect_rc 0 "mig-new"
up=$(echo "$OUT" | jq -r .data.up)
[ -f "$up" ] && [ -f "$(echo "$OUT" | jq -r .data.down)" ] && pass || fail "files not created: $OUT"
version=$(echo "$OUT" | jq -r .data.version)
[[ "$version" =~ ^20[0-9]{12}$ ]] && pass || fail "version $version is not yyyymmddHHMMSS"
run mig-new add_orders
[ "$(echo "$OUT" | jq -r .data.version)" != "$version" ] && pass || fail "second migration in the same second reused $version"
run mig-new "bad name"
expect_rc 2 "space in name"
run mig-new "../escape"
expect_rc 2 "path in name"
[ ! -e ../escape.up.sql ] && pass || fail "file written outside"
run mig-status
expect_rc 0 "new files form a valid set"
# --repeatable: NAME.repeatable.sql, listed by mig-status as new; never overwritten.
run mig-new views --repeatable --format json
expect_rc 0 "--repeatable"
expect_json '.data.up' "migrations/views.repeatable.sql"
[ -f migrations/views.repeatable.sql ] && pass || fail "no repeatable file: $(ls migrations)"
printf 'CREATE OR REPLACE VIEW one AS SELECT 1 AS n;\n' >> migrations/views.repeatable.sql
run mig-new views --repeatable --format json
expect_rc 3 "--repeatable over an existing file"
expect_contains "$(cat migrations/views.repeatable.sql)" "CREATE OR REPLACE VIEW one" "the existing file is kept"
run mig-new other --repeatable --checkpoint --format json
expect_rc 2 "--repeatable with --checkpoint"
[ ! -e migrations/other.repeatable.sql ] && pass || fail "a refused mig-new wrote a file"
run mig-status --format json
expect_json '[.data.repeatable[] | .name + ":" + .state] | join(",")' "views:new"

run mig-apply --version
expect_rc 0 "--version"
run mig-apply --help
expect_contains "$(cat .out)" "--lock-wait" "help"
finish
