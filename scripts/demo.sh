#!/usr/bin/env bash
# The tour, start to finish: installs what is missing, builds, starts a
# throwaway PostgreSQL under /tmp (or uses DATABASE_URL), then runs what
# a deploy runs: the runbook (lint | backup | apply | status --check), the
# seeds, and mig-start-prod with two demo workers, showing /ready and /metrics,
# and stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
if [ -n "${MIG_BIN:-}" ] && [ -x "$MIG_BIN/mig-apply" ]; then
  bin=$MIG_BIN  # already built (the suite runs the demo from a copy this way)
else
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build
  bin=$root/build/tools
fi
export PATH="$bin:$PATH" NO_COLOR=1
demo="$root/.mig-demo"
mkdir -p "$demo"

if [ -z "${DATABASE_URL:-}" ]; then
  # Under /tmp, not the clone: the postgres user cannot enter a clone in root's 0700 home.
  cluster=$(mktemp -d /tmp/mig-demo-pg.XXXXXX)
  trap 'scripts/pg-cluster.sh stop "$cluster"' EXIT
  eval "$(scripts/pg-cluster.sh start "$cluster")"
  psql -X -q -c "CREATE DATABASE mig_demo" >/dev/null
  export PGDATABASE=mig_demo
  echo "== a throwaway PostgreSQL at $PGHOST port $PGPORT, database mig_demo"
fi

step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "what the migrations would do, rehearsed and rolled back" mig-dryrun --format text
step "the runbook: lint | backup | apply | status --check" scripts/runbook.sh --backup-dir "$demo/backups"
step "seed data" mig-seed --format text
step "the history table" psql -X -c "SELECT version, name, status, batch, backup_id IS NOT NULL AS backed_up FROM migration_history ORDER BY version"

# The declarative workflow, in a copy of the project and a database of its own:
# edit schema/, let mig-diff write the migration, then lint, rehearse, apply.
declarative() {
  local copy="$demo/declarative" db="${PGDATABASE:-mig_demo}_declarative"
  rm -rf "$copy" && mkdir -p "$copy" && cp -r migrations schema "$copy/"
  if ! psql -X -q -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\"" >/dev/null 2>&1; then
    printf '\n== (skipping the declarative workflow: cannot create database %s here)\n' "$db"
    return 0
  fi
  (
    cd "$copy"
    export PGDATABASE=$db
    unset DATABASE_URL
    mig-apply --format text >/dev/null
    printf '\n== the declarative workflow: schema/ edited (a plan column, an index on created_at)\n'
    sed -i 's/^  display_name text,$/  display_name text,\n  plan         text NOT NULL DEFAULT '"'"'free'"'"',/' schema/10_accounts.sql
    echo "CREATE INDEX accounts_created_at_idx ON accounts (created_at);" >>schema/10_accounts.sql
    step "the plan, proven on a copy of what migrations/ produce" mig-diff --format text
    step "written as an ordinary migration" mig-diff --write add_account_plan --format text
    step "linted" mig-lint --format text
    step "rehearsed" mig-dryrun --format text
    step "applied" mig-apply --format text
    step "schema/ and migrations/ agree again" mig-diff --check --format text
  )
  psql -X -q -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
}
declarative

port=$(( 18000 + RANDOM % 2000 ))
printf '\n== mig-start-prod with two workers, /ready and /metrics on 127.0.0.1:%s\n' "$port"
mig-start-prod --workers 2 --listen "127.0.0.1:$port" --backup-dir "$demo/backups" --grace 5s --format text \
  -- scripts/demo-worker.sh &
wrapper=$!
for _ in $(seq 1 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" || true)" = 200 ] && break
  sleep 0.2
done
sleep 1.5
printf '\n$ curl http://127.0.0.1:%s/ready\n' "$port"; curl -s "http://127.0.0.1:$port/ready"
printf '$ curl http://127.0.0.1:%s/metrics\n' "$port"; curl -s "http://127.0.0.1:$port/metrics" | grep -v '^#'
printf '\n== SIGTERM: workers stop within the grace period, then the wrapper\n'
kill -TERM "$wrapper"
wait "$wrapper"
printf '\n== done: every step exited 0\n'
