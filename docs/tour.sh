#!/usr/bin/env bash
# The README's walk-throughs, run for real:
#   docs/tour.sh tour|json|diff|backfill
# Each command is printed as it is typed ("$ ..."), then what it printed in a
# terminal (script(1) gives it one, so the tools show their text view, as they
# do for a person). scripts/readme.sh puts this output into README.md, and the
# suite fails when the README and this output disagree (timings masked).
#
# Needs the mig tools on PATH, psql, and a PostgreSQL the PG* variables reach
# (scripts/demo.sh starts one) where it may create and drop the databases
# tour, tour_json, tour_diff and tour_backfill. It works in a temporary copy of
# migrations/, seeds/ and schema/, so the repository is never written.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
section=${1:?usage: docs/tour.sh tour|json|diff|backfill}

work=$(mktemp -d /tmp/mig-tour.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
cp -r "$repo/migrations" "$repo/seeds" "$repo/schema" .
unset DATABASE_URL MIG_DIR MIG_SCHEMA_DIR MIG_BACKUP_DIR
export NO_COLOR=1 SHELL=/bin/bash
first=1

# show CMD: prints "$ CMD", runs it in a terminal, prints what it printed
# (a command that fails on purpose, mig-lint finding an error, does not stop the tour).
show() {
  [ "$first" = 1 ] || echo
  first=0
  printf '$ %s\n' "$1"
  script -qec "$1" /dev/null | tr -d '\r' | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' || true  # colours, a cleared progress line
}
# typed CMD: a line that changes this shell (export, a file written): shown and run here.
typed() {
  [ "$first" = 1 ] || echo
  first=0
  printf '$ %s\n' "$1"
  eval "$1"
}
fresh_database() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1; }

load_accounts() {  # the application's data: N accounts
  show "psql \"\$DATABASE_URL\" -q -c \"INSERT INTO accounts (email, full_name) SELECT 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, $1) g\" -c 'ANALYZE accounts'"
}

tour() {
  fresh_database tour
  show "createdb tour"
  typed "export DATABASE_URL=postgresql:///tour"
  show "mig-apply --to 20260101090100"
  load_accounts 50000
  show "mig-status"
  typed "printf 'ALTER TABLE accounts ADD COLUMN status text NOT NULL;\nCREATE INDEX accounts_status ON accounts (status);\n' >draft.sql"
  show "mig-lint draft.sql"
  show "mig-dryrun"
  show "mig-backup"
  show "mig-apply"
  show "mig-status --check && echo ready"
  fresh_database tour
}

diff_walk() {
  fresh_database tour_diff
  show "createdb tour_diff"
  typed "export DATABASE_URL=postgresql:///tour_diff"
  show "mig-apply -q"
  typed "echo 'CREATE INDEX accounts_created_at_idx ON accounts (created_at);' >>schema/10_accounts.sql"
  show "mig-diff"
  show "mig-diff --write index_accounts_created_at"
  show "ls migrations | tail -n 4"
  show "mig-lint"
  show "mig-apply"
  show "mig-diff --check"
  fresh_database tour_diff
}

backfill_walk() {
  fresh_database tour_backfill
  show "createdb tour_backfill"
  typed "export DATABASE_URL=postgresql:///tour_backfill"
  show "mig-apply -q --to 20260103090000"
  load_accounts 200000
  show "cat migrations/20260103090100_backfill_accounts_display_name.up.sql"
  show "mig-dryrun"
  show "mig-apply --to 20260103090100 --batch-time 100ms"
  show "mig-status"
  fresh_database tour_backfill
}

json_walk() {
  fresh_database tour_json
  show "createdb tour_json"
  typed "export DATABASE_URL=postgresql:///tour_json"
  show "mig-apply -q --to 20260101090100"
  show "mig-status --format json | jq ."
  fresh_database tour_json
}

case "$section" in
  tour) tour ;;
  json) json_walk ;;
  diff) diff_walk ;;
  backfill) backfill_walk ;;
  *) echo "docs/tour.sh: unknown section '$section' (tour, json, diff or backfill)" >&2; exit 2 ;;
esac
