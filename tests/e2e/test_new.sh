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
run mig-apply --version
expect_rc 0 "--version"
run mig-apply --help
expect_contains "$(cat .out)" "--lock-wait" "help"
finish
