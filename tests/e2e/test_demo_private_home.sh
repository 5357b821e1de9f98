#!/usr/bin/env bash
# A newcomer's first command, from a clone in a 0700 home folder (root's, on
# Debian): scripts/demo.sh must work there (the postgres user cannot enter it).
# The demo runs from a copy of the clone's demo files, with the built tools.
source "$(dirname "$0")/lib.sh"
: "${MIG_SOURCE:?}"

home=$(mktemp -d "${HOME:-/root}/mig-demo-home.XXXX")
trap 'rm -rf "$home"; cleanup' EXIT
chmod 700 "$home"
clone="$home/src/mig"
mkdir -p "$clone"
cp -r "$MIG_SOURCE/scripts" "$MIG_SOURCE/migrations" "$MIG_SOURCE/seeds" "$MIG_SOURCE/schema" "$clone/"
[ "$(stat -c %a "$home")" = 700 ] && pass || fail "the home folder is not 0700"
if [ "$(id -u)" -eq 0 ]; then
  runuser -u postgres -- test -x "$home" 2>/dev/null && fail "postgres can enter the home folder: the test proves nothing" || pass
fi

(cd "$clone" && env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER -u DATABASE_URL MIG_BIN="$MIG_BIN" bash scripts/demo.sh) > demo.out 2>&1; RC=$?
OUT=$(tail -n 3 demo.out); ERR=""
expect_rc 0 "scripts/demo.sh from a 0700 home"
expect_contains "$(cat demo.out)" "== done: every step exited 0" "demo's last line"
expect_contains "$(cat demo.out)" "ready" "demo's /ready"
[ -d "$clone/.mig-demo/backups" ] && pass || fail "no demo backups under the clone"
finish
